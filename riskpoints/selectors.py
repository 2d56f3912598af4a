"""Reads of risk points with the user's scope."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from org.scoping import user_bureau

from .choices import LEVEL_COLOURS, CarryDecision, RiskLevel
from .models import RiskPoint, Round


def open_round(bureau):
    """The bureau's open round: the year the office opened last (``controls.services.round_open``).

    The one definition of "this year" in the programme: registrations and imports go into it,
    and registers, tables and flow markers show it by default. ``None`` until the office opens
    the first year.
    """
    return Round.objects.filter(bureau=bureau).order_by("-year").first() if bureau else None


def current_round(user):
    """The open round of the user's bureau."""
    return open_round(user_bureau(user))


def register_for(user, *, with_retired=False):
    """Risk points the user may see, without those retired in the yearly reassessment (unless
    asked for: the register filtered on 已撤销 lists them)."""
    qs = RiskPoint.objects.for_user(user)
    return qs if with_retired else qs.exclude(carry_decision=CarryDecision.RETIRED)


def level_counts(queryset):
    """Counts of a (filtered) register by level (``l1``..``l3``), on 关键岗位 (``key_post``) and
    in the 重点领域 (``key_area``), in one query."""
    return queryset.aggregate(
        **{f"l{lvl}": Count("pk", filter=Q(level=lvl)) for lvl in (1, 2, 3)},
        key_post=Count("pk", filter=Q(post__is_key=True)),
        key_area=Count("pk", filter=~Q(key_area="")),
    )


def flow_step_styles(power, user):
    """Markers for the steps of ``power``'s flow that carry risk points visible to ``user``."""
    rows = (
        register_for(user).filter(power=power, step__isnull=False, round=current_round(user))
        .values("step_id").annotate(top=Min("level"), n=Count("pk"))
    )
    return {
        r["step_id"]: {
            "marker": LEVEL_COLOURS[r["top"]][1],
            "title": _("该环节有 %(n)d 个廉政风险点，最高%(level)s") % {"n": r["n"], "level": RiskLevel(r["top"]).label},
            "href": reverse("riskpoints:list") + f"?step={r['step_id']}",
        }
        for r in rows
    }
