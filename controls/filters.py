import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from org.scoping import user_bureau, visible_unit_ids
from review.filters import ListFilterSet
from riskpoints.choices import RiskLevel
from riskpoints.models import Round

from .choices import MeasureKind, MeasureState
from .models import Measure
from .selectors import OPEN_STATES, done_q, overdue_q


class MeasureFilter(ListFilterSet):
    """The measures list's filters; like the register it opens on the current year."""

    PROGRESS = {"done": done_q, "open": lambda: Q(state__in=OPEN_STATES), "overdue": overdue_q}

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    round = django_filters.ModelChoiceFilter(label=_("年度"), queryset=Round.objects.none(), empty_label=None,
                                             field_name="plan__risk_point__round")
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Unit.objects.none(),
                                            field_name="plan__risk_point__unit", method="in_unit")
    level = django_filters.ChoiceFilter(label=_("风险等级"), choices=RiskLevel.choices, field_name="plan__risk_point__level")
    kind = django_filters.ChoiceFilter(label=_("措施类型"), choices=MeasureKind.choices)
    state = django_filters.ChoiceFilter(label=_("落实情况"), choices=MeasureState.choices)
    progress = django_filters.ChoiceFilter(label=_("进度"), method="in_progress", choices=[
        ("done", _("已落实")), ("open", _("未落实")), ("overdue", _("已逾期"))])
    mine = django_filters.BooleanFilter(label=_("我负责的"), method="of_mine")
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("due_date", "due"), ("plan__risk_point__level", "level"), ("plan__risk_point__code", "code")),
        field_labels={"due": _("完成期限"), "level": _("风险等级"), "code": _("风险点编号")},
    )

    class Meta:
        model = Measure
        fields = []

    def __init__(self, *args, user, current_round, **kwargs):
        if current_round is not None and not (kwargs.get("data") or {}).get("round"):
            data = (kwargs.get("data") or QueryDict()).copy()
            data["round"] = current_round.pk
            kwargs["data"] = data
        super().__init__(*args, user=user, **kwargs)
        self.filters["round"].queryset = Round.objects.filter(bureau=user_bureau(user))
        self.filters["unit"].queryset = Unit.objects.filter(pk__in=visible_unit_ids(user))

    def in_progress(self, queryset, name, value):
        return queryset.filter(self.PROGRESS[value]())

    def of_mine(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(responsible=self.user) if value else queryset.exclude(responsible=self.user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(content__icontains=value) | Q(plan__risk_point__title__icontains=value)
                               | Q(plan__risk_point__code__icontains=value))
