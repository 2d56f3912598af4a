import random

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _


from org.inputs import GuardedForm, GuardedModelForm

from .models import Publication

CHALLENGE_SALT = "public.opinion.challenge"
CHALLENGE_MAX_AGE = 30 * 60


def new_challenge():
    """A small sum and its signed answer: stateless, so any web process can check it."""
    # Not a secret: the answer is signed, the sum only slows down bots.
    a, b = random.randint(1, 9), random.randint(1, 9)  # nosec B311
    return f"{a} + {b} = ?", signing.dumps(a + b, salt=CHALLENGE_SALT)


class OpinionForm(GuardedForm):
    text = forms.CharField(label=_("您的意见或反映的问题"), max_length=2000, min_length=5,
                           widget=forms.Textarea(attrs={"rows": 5}))
    contact = forms.CharField(label=_("联系方式（可不填，仅供核实情况，不会公开）"), max_length=100, required=False)
    answer = forms.IntegerField(label=_("验证"), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # left empty by people, filled by bots

    def clean(self):
        cleaned = super().clean()
        try:
            expected = signing.loads(cleaned.get("token") or "", salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(_("验证已过期，请重新计算下方的算式后提交。"))
        if cleaned.get("answer") is None or cleaned.get("answer") != expected or cleaned.get("website"):
            self.add_error("answer", _("验证答案不正确。"))
        return cleaned


class PublicationForm(GuardedModelForm):
    class Meta:
        model = Publication
        fields = ["title", "all_units", "units", "include_powers", "include_internal_powers", "include_risks", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "units": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].help_text = _("不选“全局所有单位”时，只公示所选单位（及其下属中队）。")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("all_units") and not cleaned.get("units"):
            self.add_error("units", _("请选择公示范围，或勾选“全局所有单位”。"))
        if not cleaned.get("include_powers") and not cleaned.get("include_risks"):
            self.add_error(None, _("请至少选择一项公示内容。"))
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("公示结束日期不能早于开始日期。"))
        return cleaned




class WithdrawForm(GuardedForm):
    reason = forms.CharField(label=_("撤回原因"), max_length=Publication._meta.get_field("withdraw_reason").max_length,
                             error_messages={"required": _("撤回公示须说明原因。")})
