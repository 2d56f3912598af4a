from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from org.inputs import GuardedForm, GuardedModelForm, parse_int
from org.models import Post, Unit
from org.scoping import editable_unit_ids
from org.sheets import SheetField
from powers.models import FlowStep, PowerItem
from review.forms import LockedModelForm

from .choices import FACTORS, GRADES, KeyArea
from .models import AssessmentRubric, RiskPoint
from .services import risk_check, risk_suggest_from_power

# A bureau has thousands of powers: the drop-down holds the chosen one and the first matches of
# a search (by code or name, sorted by code), and the search box asks the server for others.
POWER_OPTIONS_LIMIT = 30
BLANK = ("", "---------")


def power_label(power):
    return f"{power.code} {power}"


def power_options(powers, *, search="", selected=None, limit=POWER_OPTIONS_LIMIT):
    """Up to ``limit`` of ``powers`` (already scoped) matching ``search``, by code, with the
    ``selected`` one (an id) first when it is among ``powers`` but not among the matches."""
    matches = powers
    if search:
        matches = matches.filter(Q(code__icontains=search) | Q(name__icontains=search) | Q(sub_item__icontains=search))
    rows = list(matches.order_by("code").only("pk", "code", "name", "sub_item")[:limit])
    if selected and all(p.pk != selected for p in rows):
        rows = [*powers.filter(pk=selected).only("pk", "code", "name", "sub_item"), *rows]
    return rows


class FactorWidget(forms.RadioSelect):
    """A factor's three grades with what each one means."""

    def __init__(self, factor, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.descriptions = FACTORS[factor][1]


class RiskPointForm(LockedModelForm):
    """Registering or editing a risk point.

    The power drop-down is filled on demand (``power_options``) and the step list holds only
    the chosen power's steps; the page reloads both through htmx (``PowerOptionsView``,
    ``PowerStepsView``), which build this same form. A new risk point starts on the user's own
    unit and post, and a chosen power's category suggests the importance and the 重点领域.
    """

    class Meta:
        model = RiskPoint
        fields = ["unit", "post", "power", "step", "finding_level", "kind", "found_by", "key_area", "title",
                  "description", "importance", "discretion", "probability", "harm", "level", "level_reason"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "level_reason": forms.Textarea(attrs={"rows": 2}),
            "level": forms.RadioSelect,
        }
        help_texts = {"step": _("风险点所在的权力运行环节；可不填。")}

    def __init__(self, *args, user, power_search="", **kwargs):
        super().__init__(*args, **kwargs)
        editable = Unit.objects.filter(pk__in=editable_unit_ids(user))
        powers = PowerItem.objects.for_user(user)
        self.fields["unit"].queryset = editable
        self.fields["post"].queryset = Post.objects.filter(unit__in=editable).select_related("unit")
        if not self.instance.pk and not self.is_bound:
            self._default_to_own(user)
        power_field = self.fields["power"]
        power_field.queryset = powers.order_by("code")
        self.selected_power = powers.filter(pk=self._chosen("power")).first() if self._chosen("power") else None
        selected_id = self.selected_power.pk if self.selected_power else None
        power_field.choices = [BLANK, *((p.pk, power_label(p)) for p in power_options(
            powers, search=power_search, selected=selected_id))]
        power_field.help_text = _("可在上方输入职权编码或名称查找。")
        power_field.widget.attrs.update({
            "hx-get": reverse_lazy("riskpoints:power_steps"), "hx-trigger": "change",
            "hx-target": "#step-field", "hx-swap": "outerHTML",
        })
        # Any step of a visible power passes the field; ``risk_check`` refuses one of another power.
        self.fields["step"].queryset = FlowStep.objects.filter(power__in=powers)
        steps = FlowStep.objects.filter(power_id=selected_id).order_by("order", "pk") if selected_id else []
        self.fields["step"].choices = [BLANK, *((s.pk, s.name) for s in steps)]
        if not selected_id:
            self.fields["step"].help_text = _("先选择职权，这里列出该职权流程图中的环节；可不填。")
        self.power_suggestion = risk_suggest_from_power(self.selected_power)
        for name in FACTORS:
            self.fields[name] = forms.TypedChoiceField(
                label=FACTORS[name][0], choices=[(g, FACTORS[name][1][g]) for g, _label in GRADES],
                coerce=int, widget=forms.RadioSelect, initial=self.instance.factors.get(name) if self.instance.pk else None,
            )
        if not self.instance.pk and not self.is_bound and self.selected_power:
            self.initial["importance"] = self.initial.get("importance") or self.power_suggestion["importance"]
            self.initial["key_area"] = self.initial.get("key_area") or self.power_suggestion["key_area"]
        self.fields["level"].choices = [c for c in self.fields["level"].choices if c[0] != ""]

    @property
    def power_hint(self):
        """What the chosen power's category suggests, in words, beside the step list."""
        if self.selected_power is None:
            return ""
        grades = dict(GRADES)
        hint = _("职权类别：%(category)s；建议权力重要程度“%(grade)s”") % {
            "category": self.selected_power.get_category_display(),
            "grade": grades[self.power_suggestion["importance"]]}
        if self.power_suggestion["key_area"]:
            hint += _("，重点领域“%(area)s”") % {"area": KeyArea(self.power_suggestion["key_area"]).label}
        return hint + _("。")

    def _default_to_own(self, user):
        """A new risk point is most often the user's own unit's and post's."""
        if self.initial.get("unit") is None and user.unit_id in editable_unit_ids(user):
            self.initial["unit"] = user.unit_id
            if self.initial.get("post") is None and user.post_id:
                self.initial["post"] = user.post_id

    def _chosen(self, name):
        """The id the form shows for ``name``: the submitted one, else the initial one."""
        if self.is_bound:
            return parse_int(self.data.get(self.add_prefix(name)))
        value = self.initial.get(name)
        value = getattr(value, "pk", value)
        return value if isinstance(value, int) else parse_int(value)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.suggested_level = risk_check(data=cleaned)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)
        return cleaned


class RubricForm(GuardedModelForm):
    class Meta:
        model = AssessmentRubric
        fields = ["first_importance", "first_exposure", "second_importance", "second_exposure", "discretion_raises"]

    def clean(self):
        cleaned = super().clean()
        for first, second in (("first_importance", "second_importance"), ("first_exposure", "second_exposure")):
            if cleaned.get(first) and cleaned.get(second) and cleaned[second] > cleaned[first]:
                self.add_error(second, _("二级的要求不能高于一级的要求。"))
        return cleaned


class ImportForm(GuardedForm):
    file = SheetField(help_text=_("不超过 20 MB、5 万行；大文件在后台检查和导入，页面会显示进度。"))
