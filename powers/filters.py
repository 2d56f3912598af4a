import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from org.scoping import visible_unit_ids
from review.choices import Status
from review.filters import ListFilterSet, stage_filter

from .choices import PowerCategory
from .models import PowerItem


class PowerItemFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    unit = django_filters.ModelChoiceFilter(label=_("行使单位"), queryset=Unit.objects.none(), method="in_unit")
    category = django_filters.ChoiceFilter(label=_("职权类别"), choices=PowerCategory.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    has_discretion = django_filters.BooleanFilter(label=_("有自由裁量权"))
    stage = stage_filter()
    filed = django_filters.BooleanFilter(label=_("已登记报审备案"), field_name="filed_on", lookup_expr="isnull", exclude=True)
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("code", "code"), ("name", "name"), ("category", "category"),
                ("unit__order", "unit"), ("status", "status"), ("updated_at", "updated")),
        field_labels={"code": _("编码"), "name": _("名称"), "category": _("类别"),
                      "unit": _("单位"), "status": _("状态"), "updated": _("更新时间")},
    )

    class Meta:
        model = PowerItem
        fields = ["q", "unit", "category", "status", "has_discretion"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.filters["unit"].queryset = Unit.objects.filter(pk__in=visible_unit_ids(user))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(content__icontains=value))

