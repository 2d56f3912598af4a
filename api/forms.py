"""The API's query parameters, checked as every form of the project is."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org.inputs import BIGINT_MAX, SEARCH_TERM_MAX, GuardedForm
from monitoring.choices import WarningState
from powers.choices import PowerCategory
from riskpoints.choices import RiskLevel
from supervision.choices import Light


class EntryFilterForm(GuardedForm):
    unit = forms.IntegerField(label=_("单位"), required=False, min_value=1, max_value=BIGINT_MAX)
    q = forms.CharField(label=_("关键词"), required=False, max_length=SEARCH_TERM_MAX)


class PowerFilterForm(EntryFilterForm):
    category = forms.ChoiceField(label=_("职权类别"), required=False, choices=PowerCategory.choices)


class RiskFilterForm(EntryFilterForm):
    level = forms.TypedChoiceField(label=_("风险等级"), required=False, coerce=int, empty_value=None,
                                   choices=[(str(v), label) for v, label in RiskLevel.choices])


class PublicationFilterForm(GuardedForm):
    current = forms.NullBooleanField(label=_("正在公示"), required=False)


class InternalFilterForm(GuardedForm):
    unit = forms.IntegerField(label=_("单位"), required=False, min_value=1, max_value=BIGINT_MAX)


class InternalFilingFilterForm(InternalFilterForm):
    light = forms.ChoiceField(label=_("监察结果"), required=False, choices=Light.choices)


class InternalWarningFilterForm(InternalFilterForm):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=WarningState.choices)
