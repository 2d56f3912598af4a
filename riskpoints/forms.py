from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from org.inputs import GuardedModelForm
from org.models import Post, Unit
from org.scoping import editable_unit_ids, visible_unit_ids
from powers.forms import LockedModelForm
from powers.models import FlowStep, PowerItem

from .choices import FACTORS, GRADES
from .models import AssessmentRubric, RiskPoint
from .services import risk_check


class FactorWidget(forms.RadioSelect):
    """A factor's three grades with what each one means."""

    def __init__(self, factor, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.descriptions = FACTORS[factor][1]


class RiskPointForm(LockedModelForm):
    class Meta:
        model = RiskPoint
        fields = ["unit", "post", "power", "step", "finding_level", "kind", "found_by", "title", "description",
                  "importance", "discretion", "probability", "harm", "level", "level_reason"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "level_reason": forms.Textarea(attrs={"rows": 2}),
            "level": forms.RadioSelect,
        }
        help_texts = {"step": _("风险点所在的权力运行环节；可不填。")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editable = Unit.objects.filter(pk__in=editable_unit_ids(user))
        visible = visible_unit_ids(user)
        self.fields["unit"].queryset = editable
        self.fields["post"].queryset = Post.objects.filter(unit__in=editable).select_related("unit")
        self.fields["power"].queryset = PowerItem.objects.filter(unit__in=visible).order_by("code")
        self.fields["step"].queryset = FlowStep.objects.filter(power__unit__in=visible).select_related("power")
        self.fields["step"].label_from_instance = lambda s: f"{s.power.code} · {s.name}"
        for name in FACTORS:
            self.fields[name] = forms.TypedChoiceField(
                label=FACTORS[name][0], choices=[(g, FACTORS[name][1][g]) for g, _label in GRADES],
                coerce=int, widget=forms.RadioSelect, initial=self.instance.factors.get(name) if self.instance.pk else None,
            )
        self.fields["level"].choices = [c for c in self.fields["level"].choices if c[0] != ""]

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
        fields = ["first_min_score", "second_min_score", "first_if_important_and_harmful"]

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first_min_score"), cleaned.get("second_min_score")
        if first and second and second >= first:
            self.add_error("second_min_score", _("二级的分数线必须低于一级的分数线。"))
        return cleaned
