from django import forms
from django.utils.translation import gettext_lazy as _

from org.inputs import GuardedForm

from .models import NoticeKind


class EmailPreferenceForm(GuardedForm):
    email_kinds = forms.MultipleChoiceField(
        label=_("这些消息同时发邮件"), required=False, choices=NoticeKind.choices, widget=forms.CheckboxSelectMultiple)
    daily_digest = forms.BooleanField(
        label=_("不逐条发送，每天 18:00 汇总成一封邮件"), required=False)
