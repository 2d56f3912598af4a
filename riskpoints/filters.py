import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from org.choices import PostTier
from org.inputs import BIGINT_MAX
from org.models import Post, Unit
from org.scoping import user_bureau, visible_unit_ids
from review.choices import Status
from review.filters import ListFilterSet, stage_filter

from .choices import GRADES, CarryDecision, KeyArea, RiskKind, RiskLevel
from .models import RiskPoint, Round
from .selectors import search_q


ANY_KEY_AREA = "any"
NO_POST = "none"  # the tier filter's choice for department- and unit-level findings, which have no post


class RiskPointFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    round = django_filters.ModelChoiceFilter(label=_("年度"), queryset=Round.objects.none(), empty_label=None)
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Unit.objects.none(), method="in_unit")
    post = django_filters.ModelChoiceFilter(label=_("岗位"), queryset=Post.objects.none())
    level = django_filters.ChoiceFilter(label=_("等级"), choices=RiskLevel.choices)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=RiskKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    # A code box rather than a list: a bureau has thousands of powers.
    power = django_filters.CharFilter(label=_("职权编码"), field_name="power__code", lookup_expr="iexact")
    # An id: within bigint (SQLite cannot even bind a larger number), else the filter is invalid.
    step = django_filters.NumberFilter(label=_("流程环节"), field_name="step_id", min_value=1, max_value=BIGINT_MAX,
                                       widget=django_filters.widgets.forms.HiddenInput)
    carry = django_filters.ChoiceFilter(label=_("与上年相比"), field_name="carry_decision", choices=CarryDecision.choices)
    key_post = django_filters.BooleanFilter(label=_("关键岗位"), method="on_key_post")
    key_area = django_filters.ChoiceFilter(
        label=_("重点领域"), method="in_key_area",
        choices=[(ANY_KEY_AREA, _("任一重点领域")), *((v, l) for v, l in KeyArea.choices if v)])
    stage = stage_filter()
    tier = django_filters.ChoiceFilter(label=_("岗位层次"), method="on_tier",
                                       choices=[*PostTier.choices, (NO_POST, _("不涉及岗位"))])
    importance = django_filters.ChoiceFilter(label=_("权力重要程度"), choices=GRADES)
    discretion = django_filters.ChoiceFilter(label=_("自由裁量空间"), choices=GRADES)
    probability = django_filters.ChoiceFilter(label=_("发生概率"), choices=GRADES)
    harm = django_filters.ChoiceFilter(label=_("危害程度"), choices=GRADES)
    origin = django_filters.ChoiceFilter(label=_("来源"), method="by_origin",
                                         choices=[("new", _("本年新增")), ("carried", _("上年结转"))])
    registered_from = django_filters.DateFilter(label=_("登记日期自"), field_name="created_at", lookup_expr="date__gte")
    registered_to = django_filters.DateFilter(label=_("登记日期至"), field_name="created_at", lookup_expr="date__lte")
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("code", "code"), ("level", "level"), ("unit__order", "unit"), ("status", "status"), ("updated_at", "updated")),
        field_labels={"code": _("编号"), "level": _("等级"), "unit": _("单位"), "status": _("状态"), "updated": _("更新时间")},
    )

    class Meta:
        model = RiskPoint
        fields = []

    def __init__(self, *args, user, current_round, **kwargs):
        if current_round is not None and not (kwargs.get("data") or {}).get("round"):
            # The register opens on the current year; other years are one choice away.
            data = (kwargs.get("data") or QueryDict()).copy()
            data["round"] = current_round.pk
            kwargs["data"] = data
        super().__init__(*args, user=user, **kwargs)
        visible = visible_unit_ids(user)
        bureau = user_bureau(user)
        self.filters["round"].queryset = Round.objects.filter(bureau=bureau)
        self.filters["unit"].queryset = Unit.objects.filter(pk__in=visible)
        self.filters["post"].queryset = Post.objects.filter(unit__in=visible).select_related("unit")

    def on_key_post(self, queryset, name, value):
        if value is None:
            return queryset
        # "Not a key post" includes department- and unit-level risk points, which have no post.
        return queryset.filter(post__is_key=True) if value else queryset.exclude(post__is_key=True)

    def on_tier(self, queryset, name, value):
        return queryset.filter(post__isnull=True) if value == NO_POST else queryset.filter(post__tier=value)

    def by_origin(self, queryset, name, value):
        return queryset.filter(previous__isnull=(value == "new"))

    def in_key_area(self, queryset, name, value):
        if value == ANY_KEY_AREA:
            return queryset.exclude(key_area="")
        return queryset.filter(key_area=value)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(search_q(value)) if value else queryset



class PostFilter(ListFilterSet):
    """The bureau's posts on the office's 关键岗位 page: by unit (with the units under it), tier
    and mark."""

    name = django_filters.CharFilter(label=_("岗位名称"), lookup_expr="icontains")
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Unit.objects.none(), method="in_unit")
    tier = django_filters.ChoiceFilter(label=_("岗位层次"), choices=PostTier.choices)
    is_key = django_filters.BooleanFilter(label=_("关键岗位"))

    class Meta:
        model = Post
        fields = []

    def __init__(self, *args, unit_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.filter(pk__in=unit_ids)
