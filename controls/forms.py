from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from org.inputs import MAX_FORMSET_ROWS, GuardedForm, GuardedModelForm
from org.models import Unit, User
from org.scoping import subtree_q
from review.forms import LockedModelForm
from riskpoints.choices import RiskLevel

from .choices import KINDS_FOR_RISK, LAYER_FIELDS, Layer, MeasureKind
from .models import ControlPlan, Measure


def person_label(user):
    return f"{user.display_name}（{user.unit.short_name or user.unit.name}{' · ' + user.title if user.title else ''}）"


class ControlPlanForm(LockedModelForm):
    """The plan's own fields and its three layers. ``risk_point`` is unique: a second plan is
    refused here already. With ``risk``, each layer lists the people eligible for it first. The
    version carried is the risk point's: the plan is edited as part of it."""

    class Meta:
        model = ControlPlan
        fields = ["risk_point", *LAYER_FIELDS.values(), "monitoring"]
        widgets = {"risk_point": forms.HiddenInput}
        error_messages = {"risk_point": {"unique": _("该风险点已有防控方案：一个风险点只能有一套防控措施。")}}

    def __init__(self, *args, risk=None, **kwargs):
        super().__init__(*args, lock_item=risk, **kwargs)
        if risk is None:
            return
        from .services import layer_candidates

        for layer, name in LAYER_FIELDS.items():
            people = list(layer_candidates(layer, risk))
            field = self.fields[name]
            field.queryset = layer_candidates(layer, risk)
            field.widget.attrs.update({"class": "form-select form-select-sm", "aria-describedby": f"id_{name}_help"})
            field.widget.choices = [("", "---------")] + [
                (group, [(u.pk, person_label(u)) for u in people if u.eligible == flag])
                for group, flag in ((_("符合条件"), 1), (_("其他人员（不符合%(layer)s条件）") % {"layer": layer.label}, 0))
                if any(u.eligible == flag for u in people)
            ]

    def layers(self):
        """{Layer: user or None} as chosen."""
        return {layer: self.cleaned_data.get(name) for layer, name in LAYER_FIELDS.items()}


def bureau_people(risk):
    return User.objects.filter(is_active=True, unit__in=Unit.objects.filter(subtree_q([risk.unit.bureau.pk]))) \
        .select_related("unit").order_by("unit__order", "username")


class MeasureForm(GuardedModelForm):
    class Meta:
        model = Measure
        fields = ["kind", "content", "responsible", "supervisor", "due_date"]
        widgets = {"content": forms.Textarea(attrs={"rows": 2}), "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, people=None, risk_kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("responsible", "supervisor"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = person_label
        suggested = KINDS_FOR_RISK.get(risk_kind, ())
        if suggested:  # the kinds that meet the risk's kind come first (§三(二)4)
            self.fields["kind"].choices = [("", "---------"), (_("与风险类型对应（建议）"), [
                (k.value, k.label) for k in suggested]), (_("其他措施类型"), [
                (k.value, k.label) for k in MeasureKind if k not in suggested])]


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
                label=_("%(level)s风险由谁负责") % {"level": label}, choices=Layer.choices, initial=rules[level])

    def rules(self):
        """{level: Layer} as chosen."""
        return {level: self.cleaned_data[f"level_{level}"] for level, _label in RiskLevel.choices}

