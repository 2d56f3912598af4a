from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from org.inputs import MAX_FORMSET_ROWS, GuardedForm, GuardedModelForm
from org.models import Unit
from org.scoping import editable_unit_ids
from org.sheets import SheetField
from powers.choices import PowerCategory
from powers.models import PowerItem
from review.forms import LockedForm

from .choices import KeyRuleKind
from .models import BenchmarkRow, Matter, MeetingMember, ProcedureRule, ViolationDegree
from .services import BENCHMARK_FIELDS, MEMBER_FIELDS, RULE_FIELDS, benchmark_row_errors, degrees_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ATTRS = {"min": 0, "step": "0.01"}


class BenchmarkRowForm(GuardedModelForm):
    class Meta:
        model = BenchmarkRow
        fields = list(BENCHMARK_FIELDS)
        widgets = {"conditions": forms.Textarea(attrs={"rows": 2}), "penalty": forms.Textarea(attrs={"rows": 2}),
                   "fine_min": forms.NumberInput(attrs=MONEY_ATTRS), "fine_max": forms.NumberInput(attrs=MONEY_ATTRS)}

    def __init__(self, *args, degrees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["degree"].queryset = degrees

    def clean(self):
        cleaned = super().clean()
        for field, message in benchmark_row_errors(cleaned):
            self.add_error(field, message)
        return cleaned


BenchmarkFormSet = inlineformset_factory(
    PowerItem, BenchmarkRow, form=BenchmarkRowForm, extra=0, can_delete=True,
    max_num=MAX_FORMSET_ROWS, absolute_max=MAX_FORMSET_ROWS, validate_max=True,
)


def benchmark_formset(power, data=None):
    """The power's benchmark rows as forms; the degree is one of the power's bureau's."""
    return BenchmarkFormSet(data, instance=power, prefix="rows", form_kwargs={"degrees": degrees_for(power.unit.bureau)})


def benchmark_rows(formset):
    return [{"id": f.instance.pk, **{k: f.cleaned_data[k] for k in BENCHMARK_FIELDS}}
            for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class UploadForm(GuardedForm):
    file = SheetField(help_text=_("第一行为表头；有错误时整表不导入。"))


class BenchmarkImportForm(UploadForm, LockedForm):
    pass


class KeyRuleForm(GuardedForm):
    kind = forms.ChoiceField(label=_("标定方式"), choices=KeyRuleKind.choices)
    category = forms.ChoiceField(label=_("职权类别"), choices=[("", "—")] + PowerCategory.choices, required=False)
    level = forms.TypedChoiceField(label=_("风险点等级不低于"), coerce=int, empty_value=None, required=False,
                                   choices=[("", "—"), (1, _("一级")), (2, _("二级")), (3, _("三级"))])
    power = forms.ModelChoiceField(label=_("职权"), queryset=PowerItem.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["power"].queryset = PowerItem.objects.for_user(user).order_by("code")

    def clean(self):
        cleaned = super().clean()
        needed = {KeyRuleKind.CATEGORY: "category", KeyRuleKind.LEVEL: "level", KeyRuleKind.POWER: "power"}.get(cleaned.get("kind"))
        if needed and cleaned.get(needed) in (None, ""):
            self.add_error(needed, _("请选择。"))
        return cleaned


class FilingForm(GuardedForm):
    """A case of a key power, following the steps of its published flow (one date per step)."""

    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none())
    case_number = forms.CharField(label=_("案件编号"), max_length=60)
    party = forms.CharField(label=_("当事人"), max_length=200, help_text=_("仅局内可见，不公开。"))
    opened_on = forms.DateField(label=_("受理/立案日期"), widget=DATE)
    closed_on = forms.DateField(label=_("办结日期"), required=False, widget=DATE, help_text=_("未办结的留空。"))
    decision = forms.CharField(label=_("处理决定"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    benchmark_id = forms.TypedChoiceField(label=_("违法情形和程度（裁量基准）"), coerce=int, empty_value=None, required=False)
    stated_conditions = forms.CharField(label=_("认定的情节"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                        help_text=_("写明案件符合所选档次适用条件的事实。"))
    base_amount = forms.DecimalField(label=_("工程造价（货值，元）"), required=False, min_value=0, max_digits=14,
                                     decimal_places=2, widget=forms.NumberInput(attrs=MONEY_ATTRS))
    fine_amount = forms.DecimalField(label=_("罚款金额（元）"), required=False, min_value=0, max_digits=14,
                                     decimal_places=2, widget=forms.NumberInput(attrs=MONEY_ATTRS))

    def __init__(self, *args, user, power, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.power = power
        # A new case follows the power's published flow; a correction keeps the one it was filed on.
        snapshot = (record or power.published_record).snapshot
        self.flow_steps = (snapshot.get("flow") or {}).get("steps", [])
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=editable_unit_ids(user)).order_by("order", "code")
        if not self.is_bound and power.unit_id in editable_unit_ids(user):
            self.initial.setdefault("unit", power.unit_id)
        rows = snapshot.get("benchmark") or []
        if rows:
            self.fields["benchmark_id"].choices = [("", "—")] + [
                (r["id"], f"{r['circumstance']}（{r['degree_label']}）：{r['penalty']}") for r in rows]
        else:
            for name in ("benchmark_id", "stated_conditions", "base_amount", "fine_amount"):
                del self.fields[name]
        for step in self.flow_steps:
            self.fields[f"step_{step['id']}"] = forms.DateField(
                label=step["name"], required=False, widget=DATE,
                help_text=step.get("time_limit") and _("时限：%(t)s") % {"t": step["time_limit"]})

    def step_fields(self):
        return [self[f"step_{s['id']}"] for s in self.flow_steps]

    def done(self):
        return {s["id"]: self.cleaned_data[f"step_{s['id']}"] for s in self.flow_steps if self.cleaned_data.get(f"step_{s['id']}")}


class FilingEditForm(FilingForm, LockedForm):
    """The correction of a filing: the same fields, on the flow version it was filed on,
    opened at the filing's ``lock_version``."""

    def __init__(self, *args, user, filing, **kwargs):
        if not args and "data" not in kwargs:
            kwargs["initial"] = filing_initial(filing)
        super().__init__(*args, user=user, power=filing.power, record=filing.flow_record, lock_item=filing, **kwargs)


def filing_initial(filing):
    initial = {f: getattr(filing, f) for f in ("case_number", "party", "opened_on", "closed_on", "decision",
                                                "stated_conditions", "base_amount", "fine_amount")}
    initial["unit"] = filing.unit_id
    initial["benchmark_id"] = (filing.benchmark or {}).get("id")
    initial.update({f"step_{s.step_id}": s.done_on for s in filing.steps.all()})
    return initial


class MatterForm(GuardedModelForm):
    class Meta:
        model = Matter
        fields = ["unit", "kind", "subject", "amount", "meeting", "meeting_date", "agenda", "consulted",
                  "legal_reviewed", "decision", "decided_on"]
        widgets = {"meeting_date": DATE, "decided_on": DATE, "agenda": forms.Textarea(attrs={"rows": 2}),
                   "decision": forms.Textarea(attrs={"rows": 3}), "amount": forms.NumberInput(attrs=MONEY_ATTRS)}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=editable_unit_ids(user)).order_by("order", "code")
        if not self.is_bound and self.instance.pk is None and user.unit_id in editable_unit_ids(user):
            self.initial["unit"] = user.unit_id

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount < 0:
            raise ValidationError(_("金额不能为负数。"))
        return amount


class MatterEditForm(MatterForm, LockedForm):
    """The correction of a 三重一大 record, opened at its ``lock_version``."""


class MemberForm(GuardedModelForm):
    class Meta:
        model = MeetingMember
        fields = list(MEMBER_FIELDS)
        widgets = {"opinion": forms.Textarea(attrs={"rows": 1}), "speaking_order": forms.NumberInput(attrs={"min": 1})}


MemberFormSet = inlineformset_factory(
    Matter, MeetingMember, form=MemberForm, extra=0, can_delete=True,
    max_num=MAX_FORMSET_ROWS, absolute_max=MAX_FORMSET_ROWS, validate_max=True,
)


def member_rows(formset):
    return [{"id": f.instance.pk, **{k: f.cleaned_data[k] for k in MEMBER_FIELDS}}
            for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class DegreeForm(GuardedModelForm):
    class Meta:
        model = ViolationDegree
        fields = ["name", "order", "description"]
        widgets = {"order": forms.NumberInput(attrs={"min": 0})}


class ProcedureRuleForm(GuardedModelForm):
    class Meta:
        model = ProcedureRule
        fields = list(RULE_FIELDS)
        widgets = {"meeting_from": forms.NumberInput(attrs=MONEY_ATTRS)}
