from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from org.inputs import GuardedForm, GuardedModelForm
from org.models import Post, Unit
from org.scoping import editable_unit_ids, visible_unit_ids

from .models import FlowStep, LegalBasis, PowerItem


class LockedModelForm(GuardedModelForm):
    """A model form that carries the version it was opened at, so a stale save is refused."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


class PowerItemForm(LockedModelForm):
    class Meta:
        model = PowerItem
        fields = ["code", "category", "name", "sub_item", "unit", "posts", "content", "has_discretion"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "posts": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "code": {"unique": _("该职权编码已被其他职权事项使用，请换一个。")},
        }
        help_texts = {
            "code": _("如 CF-GH-001；全局唯一。"),
            "posts": _("只能选择行使单位的岗位。"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pk__in=editable_unit_ids(user))
        self.fields["unit"].queryset = units
        self.fields["posts"].queryset = Post.objects.filter(unit__in=units).select_related("unit")

    def clean(self):
        cleaned = super().clean()
        unit, posts = cleaned.get("unit"), cleaned.get("posts")
        if unit and posts:
            strays = [p.name for p in posts if p.unit_id != unit.pk]
            if strays:
                self.add_error("posts", _("以下岗位不属于行使单位：%(posts)s") % {"posts": "、".join(strays)})
        return cleaned


class LegalBasisForm(GuardedModelForm):
    class Meta:
        model = LegalBasis
        fields = ["law_name", "article", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


LegalBasisFormSet = inlineformset_factory(
    PowerItem, LegalBasis, form=LegalBasisForm, extra=0, can_delete=True,
    min_num=1, validate_min=True,
)


def legal_basis_rows(formset):
    """The formset's surviving rows as plain dicts for ``children_sync``."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({"id": form.instance.pk, **{k: data[k] for k in ("law_name", "article", "text")}})
    return rows


class FlowStepForm(GuardedModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = FlowStep
        fields = ["name", "handler_unit", "handler_post", "handler_text", "immediate", "time_limit_days",
                  "conditions", "procedure", "supervision", "note"]
        widgets = {"conditions": forms.Textarea(attrs={"rows": 2}), "procedure": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"time_limit_days": _("法定或承诺的办理时限；即时办结的环节勾选“即时办结”。")}

    def __init__(self, *args, power, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pk__in=visible_unit_ids(user))
        self.fields["handler_unit"].queryset = units
        self.fields["handler_post"].queryset = Post.objects.filter(unit__in=units).select_related("unit")
        self.fields["time_limit_days"].min_value = 1
        self.fields["time_limit_days"].widget.attrs["min"] = 1
        if not self.is_bound:
            self.initial["lock_version"] = power.lock_version

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("immediate") and cleaned.get("time_limit_days"):
            self.add_error("time_limit_days", _("即时办结的环节不需要再填写时限。"))
        if cleaned.get("time_limit_days") == 0:
            self.add_error("time_limit_days", _("时限至少为 1 个工作日；当场办结请勾选“即时办结”。"))
        unit, post = cleaned.get("handler_unit"), cleaned.get("handler_post")
        if unit and post and post.unit_id != unit.pk:
            self.add_error("handler_post", _("承办岗位必须属于承办单位。"))
        if not (unit or post or cleaned.get("handler_text")):
            self.add_error("handler_unit", _("请填写承办单位、岗位或人员中的至少一项。"))
        return cleaned


class FlowEdgeForm(GuardedForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    source = forms.ModelChoiceField(label=_("从环节"), queryset=FlowStep.objects.none())
    target = forms.ModelChoiceField(label=_("到环节"), queryset=FlowStep.objects.none())
    label = forms.CharField(label=_("条件/分支（可选）"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"list": "edge-labels"}))

    def __init__(self, *args, power, **kwargs):
        super().__init__(*args, **kwargs)
        # Any step id is accepted here so that a link to another flow gets the service's
        # message rather than a generic "invalid choice".
        self.fields["source"].queryset = FlowStep.objects.all()
        self.fields["target"].queryset = FlowStep.objects.all()
        self.fields["source"].choices = self.fields["target"].choices = [("", "---------")] + [
            (s.pk, s.name) for s in power.steps.order_by("order", "pk")
        ]
        if not self.is_bound:
            self.initial["lock_version"] = power.lock_version
