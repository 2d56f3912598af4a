import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.inputs import BIGINT_MAX
from org.models import Unit
from org.scoping import bureau_unit_ids
from review.filters import ListFilterSet

from .choices import OPEN_INFO_STATES, AdjustMode, AdjustState, Method, Target, TaskState, WarningState
from .models import LevelAdjustment, RiskInformation, RiskWarning, UnitTask

class BureauFilterSet(ListFilterSet):
    unit_field = "unit"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if "unit" in self.filters:
            self.filters["unit"].queryset = Unit.objects.filter(pk__in=bureau_unit_ids(user))

class InformationFilter(BureauFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search")
    channel = django_filters.ChoiceFilter(label=_("来源渠道"), choices=RiskInformation._meta.get_field("channel").choices)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=RiskInformation._meta.get_field("state").choices)
    open = django_filters.BooleanFilter(label=_("未办结"), method="only_open")
    credibility = django_filters.ChoiceFilter(label=_("可信程度"),
                                              choices=RiskInformation._meta.get_field("credibility").choices)
    unit = django_filters.ModelChoiceFilter(label=_("涉及单位"), field_name="concerns_unit", queryset=Unit.objects.none(),
                                            method="in_unit")
    received_after = django_filters.DateFilter(label=_("收到日期自"), field_name="received_on", lookup_expr="gte",
                                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    received_before = django_filters.DateFilter(label=_("收到日期至"), field_name="received_on", lookup_expr="lte",
                                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    class Meta:
        model = RiskInformation
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(content__icontains=value)
                               | Q(source_reference__icontains=value))

    def only_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=OPEN_INFO_STATES) if value else queryset.exclude(state__in=OPEN_INFO_STATES)

class WarningFilter(BureauFilterSet):
    method = django_filters.ChoiceFilter(label=_("处置方式"), choices=Method.choices)
    target = django_filters.ChoiceFilter(label=_("预警对象"), choices=Target.choices)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=WarningState.choices)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="is_overdue")
    closed = django_filters.BooleanFilter(label=_("已办结"), method="is_closed")
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Unit.objects.none(), method="in_unit")
    issued_after = django_filters.DateFilter(label=_("发出日期自"), field_name="issued_on", lookup_expr="gte",
                                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    issued_before = django_filters.DateFilter(label=_("发出日期至"), field_name="issued_on", lookup_expr="lte",
                                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    class Meta:
        model = RiskWarning
        fields = []

    def is_closed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state=WarningState.CLOSED) if value else queryset.exclude(state=WarningState.CLOSED)

    def is_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(method=Method.RECTIFY, deadline__lt=timezone.localdate()) & ~Q(state=WarningState.CLOSED)
        return queryset.filter(late) if value else queryset.exclude(late)

class TaskFilter(BureauFilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=TaskState.choices)
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Unit.objects.none(), method="in_unit")

    class Meta:
        model = UnitTask
        fields = []

class AdjustmentFilter(BureauFilterSet):
    mode = django_filters.ChoiceFilter(label=_("方式"), choices=AdjustMode.choices)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=AdjustState.choices)
    unit = django_filters.ModelChoiceFilter(label=_("单位"), field_name="risk_point__unit", queryset=Unit.objects.none(),
                                            method="in_unit")
    risk = django_filters.NumberFilter(field_name="risk_point_id", min_value=1, max_value=BIGINT_MAX,
                                       widget=forms.HiddenInput)

    class Meta:
        model = LevelAdjustment
        fields = []
