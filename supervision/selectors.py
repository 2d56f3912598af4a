"""Reads with a user's scope: key powers, filings, statistics, 三重一大 matters."""

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Min, Q

from powers.models import PowerItem
from riskpoints.models import RiskPoint

from .choices import FindingKind, KeyRuleKind
from .models import Filing, KeyPowerRule, Matter


def key_power_q(bureau):
    """The powers of ``bureau`` that its key-power rules mark (one query for the rules)."""
    q = Q(pk__in=[])
    rules = list(KeyPowerRule.objects.filter(bureau=bureau))
    categories = [r.category for r in rules if r.kind == KeyRuleKind.CATEGORY]
    levels = [r.level for r in rules if r.kind == KeyRuleKind.LEVEL]
    powers = [r.power_id for r in rules if r.kind == KeyRuleKind.POWER]
    if categories:
        q |= Q(category__in=categories)
    if levels:
        q |= Q(pk__in=RiskPoint.objects.filter(level__lte=max(levels), power__isnull=False).values("power_id"))
    if powers:
        q |= Q(pk__in=powers)
    return q


def key_powers_for(user):
    """Key powers the user sees, in the user's bureau."""
    if not (user.is_authenticated and user.unit_id):
        return PowerItem.objects.none()
    return PowerItem.objects.for_user(user).filter(key_power_q(user.unit.bureau)).select_related("unit")


def fileable_powers(user):
    """Key powers the user may file a case of: published ones (their flow is fixed)."""
    return key_powers_for(user).filter(published_record__isnull=False)


def filings_for(user):
    return Filing.objects.for_user(user).select_related("power", "unit")


def filing_stats(filings):
    """Per unit and power: cases, on time, benchmark deviations, and the lights."""
    holding = Q(findings__resolved_on__isnull=True)  # a finding corrected away no longer counts
    late = Q(findings__kind=FindingKind.LATE) & holding
    deviation = Q(findings__kind=FindingKind.OUT_OF_RANGE) & holding
    return (filings.order_by().values("unit__name", "power__code", "power__name")
            .annotate(cases=Count("pk", distinct=True), late=Count("pk", filter=late, distinct=True),
                      deviations=Count("pk", filter=deviation, distinct=True),
                      red=Count("pk", filter=Q(light="red"), distinct=True),
                      yellow=Count("pk", filter=Q(light="yellow"), distinct=True))
            .order_by("unit__name", "power__code"))


def penalty_spread(filings):
    """同案不同罚: per power, circumstance and degree, how far apart the fines are (in yuan, and
    as a percentage of the base where there is one)."""
    ratio = ExpressionWrapper(F("fine_amount") * 100 / F("base_amount"), output_field=DecimalField(max_digits=14, decimal_places=4))
    return (filings.exclude(circumstance="").filter(fine_amount__isnull=False).order_by()
            .values("power__code", "power__name", "circumstance", "degree__name", "degree__order")
            .annotate(cases=Count("pk"), low=Min("fine_amount"), high=Max("fine_amount"),
                      low_ratio=Min(ratio, filter=Q(base_amount__gt=0)), high_ratio=Max(ratio, filter=Q(base_amount__gt=0)))
            .filter(cases__gte=2).order_by("power__code", "circumstance", "degree__order"))


def matters_for(user):
    return Matter.objects.for_user(user).select_related("unit").annotate(
        breach_count=Count("breaches", filter=Q(breaches__resolved_on__isnull=True)))
