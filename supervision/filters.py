import django_filters
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from org.scoping import visible_unit_ids
from powers.models import PowerItem
from review.filters import ListFilterSet

from .choices import Light, MatterKind
from .models import Filing, Matter


class FilingFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("案件编号"), field_name="case_number", lookup_expr="icontains")
    unit = django_filters.ModelChoiceFilter(label=_("承办单位"), queryset=Unit.objects.none(), method="in_unit")
    power = django_filters.ModelChoiceFilter(label=_("职权"), queryset=PowerItem.objects.none())
    light = django_filters.ChoiceFilter(label=_("监察结果"), choices=Light.choices)
    closed = django_filters.BooleanFilter(label=_("已办结"), field_name="closed_on", lookup_expr="isnull", exclude=True)
    opened_after = django_filters.DateFilter(label=_("受理不早于"), field_name="opened_on", lookup_expr="gte")
    opened_before = django_filters.DateFilter(label=_("受理不晚于"), field_name="opened_on", lookup_expr="lte")

    class Meta:
        model = Filing
        fields = ["q", "unit", "power", "light", "closed", "opened_after", "opened_before"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.filters["unit"].queryset = Unit.objects.filter(pk__in=visible_unit_ids(user))
        self.filters["power"].queryset = PowerItem.objects.for_user(user).order_by("code")


class MatterFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("事项"), field_name="subject", lookup_expr="icontains")
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Unit.objects.none(), method="in_unit")
    kind = django_filters.ChoiceFilter(label=_("事项类别"), choices=MatterKind.choices)
    breached = django_filters.BooleanFilter(label=_("违反议事规则"), method="with_breaches")

    class Meta:
        model = Matter
        fields = ["q", "unit", "kind", "breached"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.filters["unit"].queryset = Unit.objects.filter(pk__in=visible_unit_ids(user))

    def with_breaches(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(breach_count__gt=0) if value else queryset.filter(breach_count=0)
