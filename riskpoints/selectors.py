"""Reads of risk points with the user's scope."""

from django.db.models import Count, Min, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from org.inputs import parse_int
from org.scoping import user_bureau
from review.choices import PRINTED_STATES

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


def round_for_year(user, year):
    """The round of ``year`` in the user's bureau (a closed year stays printable), or the open
    round when no year is asked. A year the bureau never opened is a 404."""
    if year in (None, ""):
        return current_round(user)
    number = parse_int(year, min_value=1, max_value=9999)
    round_ = Round.objects.filter(bureau=user_bureau(user), year=number).first() if number else None
    if round_ is None:
        raise Http404(_("没有该年度。"))
    return round_


def bureau_rounds(user):
    """The years of the user's bureau, newest first, for a year selector."""
    bureau = user_bureau(user)
    return list(Round.objects.filter(bureau=bureau).order_by("-year")) if bureau else []


# The plan and its measures belong to the controls app above this one; pages here only read
# them through the relation, by name.
PLAN_PREFETCH = ("plan__measures__responsible", "plan__measures__supervisor", "plan__measures__evidence",
                 "plan__direct_responsible", "plan__department_responsible", "plan__leader_responsible")


def table_rows(user, round_, **filters):
    """The risk points of the paper forms (一览表, 登记表) in ``round_``, in their order."""
    return (
        register_for(user).filter(round=round_, **filters)
        .select_related("unit", "post", "power", "step").prefetch_related(*PLAN_PREFETCH)
        .order_by("post__name", "power__code", "level", "code")
    )


def is_draft_print(items):
    """Paper carries the 草稿 mark when any item on it is not yet accepted or published."""
    return any(item.status not in PRINTED_STATES for item in items)


def unit_table(user, unit, round_, rows=None):
    """岗位权力行使廉政风险防控一览表 of ``unit``: its risk points grouped by post; ``rows``, when
    given, are some of ``table_rows`` (the page's 关键岗位 / 重点领域 filter)."""
    if rows is None:
        rows = table_rows(user, round_, unit=unit) if round_ else []
    rows = list(rows)
    groups = {}
    for risk in rows:
        groups.setdefault(risk.post, []).append(risk)
    return {"unit": unit, "round": round_, "groups": list(groups.items()), "draft": is_draft_print(rows),
            "item_count": len(rows), "year_query": year_query(round_)}


def post_register(user, post, round_):
    """岗位廉政风险防控登记表 of ``post``."""
    rows = list(table_rows(user, round_, post=post)) if round_ else []
    return {"post": post, "round": round_, "risks": rows, "draft": is_draft_print(rows), "item_count": len(rows),
            "holders": list(post.holders.filter(is_active=True)), "year_query": year_query(round_)}


def year_query(round_):
    """The query string that keeps a page's year in its links and PDF."""
    return f"?year={round_.year}" if round_ else ""


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
