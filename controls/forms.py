from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from org.inputs import MAX_FORMSET_ROWS, GuardedForm, GuardedModelForm
from org.models import Unit, User
from org.scoping import subtree_q

from riskpoints.choices import RiskLevel

from .choices import Responsible
from .models import ControlPlan, Measure


class ControlPlanForm(GuardedModelForm):
    """The plan's own fields. ``risk_point`` is unique: a second plan is refused here already."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ControlPlan
        fields = ["risk_point", "monitoring"]
        widgets = {"risk_point": forms.HiddenInput}
        error_messages = {"risk_point": {"unique": _("该风险点已有防控方案：一个风险点只能有一套防控措施。")}}


def bureau_people(risk):
    return User.objects.filter(is_active=True, unit__in=Unit.objects.filter(subtree_q([risk.unit.bureau.pk]))) \
        .select_related("unit").order_by("unit__order", "username")


class MeasureForm(GuardedModelForm):
    class Meta:
        model = Measure
        fields = ["kind", "content", "responsible", "supervisor", "due_date"]
        widgets = {"content": forms.Textarea(attrs={"rows": 2}), "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("responsible", "supervisor"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda u: f"{u.display_name}（{u.unit.short_name or u.unit.name}{' · ' + u.title if u.title else ''}）"


MeasureFormSet = inlineformset_factory(
    ControlPlan, Measure, form=MeasureForm, extra=0, can_delete=True, min_num=1, validate_min=True,
    max_num=MAX_FORMSET_ROWS, absolute_max=MAX_FORMSET_ROWS, validate_max=True,
)


def measure_rows(formset):
    return [
        {"id": f.instance.pk, **{k: f.cleaned_data[k] for k in ("kind", "content", "responsible", "supervisor", "due_date")}}
        for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class EvidenceForm(GuardedForm):
    file = forms.FileField(label=_("佐证材料"), help_text=_("PDF、JPG、PNG、DOC、DOCX、XLS、XLSX，10 MB 以内"))


class RuleForm(GuardedForm):
    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        for level, label in RiskLevel.choices:
            self.fields[f"level_{level}"] = forms.ChoiceField(
                label=_("%(level)s风险的措施责任人须为") % {"level": label}, choices=Responsible.choices, initial=rules[level])

    def rules(self):
        """{level: Responsible} as chosen."""
        return {level: self.cleaned_data[f"level_{level}"] for level, _label in RiskLevel.choices}

