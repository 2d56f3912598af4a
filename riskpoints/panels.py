"""The risk register's dashboard panels: heat maps of the assessment factors, the spread of
levels, the monthly trend, this year against last, and what a unit still has to confirm.

Every figure is counted in the database over ``register_for(user)`` (or over the tallies of
those rows the database keeps: ``register_counted`` for the figures by unit, level, stage and
kind, ``RiskProfile`` for the heat maps, the trend and the year's changes), so nobody counts
what they may not open, and each links to the register filtered to exactly the rows it counts.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards import audience
from dashboards.charts import columns, heat, segments
from dashboards.registry import Panel
from org.choices import PostTier

from .choices import FACTOR_NAMES, GRADES, HEATMAPS, LEVEL_COLOURS, CarryDecision, RiskKind, RiskLevel
from .filters import NO_POST
from .models import RiskPoint, RiskProfile
from .selectors import register_counted, register_for

LEVELS = tuple(RiskLevel)


def level_counts(count):
    return {f"l{lvl}": count(filter=Q(level=lvl)) for lvl in LEVELS}


def _register(user, selection, model=RiskPoint, **kw):
    return selection.scope(register_for(user, model, **kw).filter(round=selection.round))


def _counted(user, selection):
    """The register of the selection to count by its tally fields, and how (``register_counted``)."""
    rows, count = register_counted(user)
    return selection.scope(rows.filter(round=selection.round)), count


def _level_parts(selection, counts, scale, **params):
    """The three level figures of one row as bar parts, each linking to its rows."""
    return segments([
        {"n": counts.get(f"l{lvl}", 0), "level": lvl, "label": lvl.label, "colour": LEVEL_COLOURS[lvl][1],
         "url": selection.link("riskpoints:list", level=lvl.value, **params)}
        for lvl in LEVELS
    ], scale)


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _axis(factors):
    return "-".join(factors)


def _profile(user, selection):
    """What the heat maps, the monthly trend and the year's changes show of the selection's
    register, added up once and kept on the selection for the rest of the page:
    ``cells[factors][(a, b)]`` and ``months`` (new risk points registered in each month of the
    range) count what is in force; ``new`` the risk points of the year not carried over and in
    force; ``carried`` every risk point by its carry decision, the retired included."""
    kept = selection.__dict__.setdefault("_register_profile", {})
    if user.pk not in kept:
        if _tallies_answer(selection):
            profile = _profile_from_tallies(_register(user, selection, RiskProfile, with_retired=True), selection)
        else:
            profile = _profile_from_rows(_register(user, selection, with_retired=True), selection)
        kept[user.pk] = profile
    return kept[user.pk]


def _tallies_answer(selection):
    """Whether the tallies (``RiskProfile``) count what the rows would: on PostgreSQL, in the
    zone the triggers count months in, and for a range ending with a month (or today: nothing
    is registered later), as the tallies count whole months."""
    last = selection.date_to
    return (connection.vendor == "postgresql" and settings.TIME_ZONE == RiskProfile.ZONE
            and (last >= selection.today or (last + datetime.timedelta(days=1)).day == 1))


def _empty_profile(selection):
    return {"cells": {factors: {} for factors in HEATMAPS}, "months": [0] * len(selection.months), "new": 0,
            "carried": {}}


def _add(counts, key, n):
    counts[key] = counts.get(key, 0) + n


def _profile_from_tallies(tallies, selection):
    """One grouped read of a few thousand tally rows."""
    profile = _empty_profile(selection)
    month_index = {int(f"{first:%Y%m}"): i for i, first in enumerate(selection.months)}
    axes = {_axis(factors): factors for factors in HEATMAPS}
    first_axis = _axis(HEATMAPS[0])
    for t in tallies.values("carry_decision", "axis", "a", "b").annotate(total=Sum("n")).order_by():
        in_force = t["carry_decision"] != CarryDecision.RETIRED
        if t["axis"] == RiskProfile.MONTH:
            if in_force:
                profile["new"] += t["total"]
                if t["a"] in month_index:
                    profile["months"][month_index[t["a"]]] += t["total"]
        else:
            if in_force:
                _add(profile["cells"][axes[t["axis"]]], (t["a"], t["b"]), t["total"])
            if t["axis"] == first_axis:  # every risk point is in one cell of each map
                _add(profile["carried"], t["carry_decision"], t["total"])
    return profile


def _profile_from_rows(rows, selection):
    """One grouped count of the rows (at most 81 × 5 groups). Each month runs from its first
    local midnight to the next month's, the last to the end of ``date_to``: comparing the
    stored time with the bounds is cheaper than converting every row's time to a local month."""
    months = selection.months
    edges = [_midnight(first) for first in months] + [_midnight(selection.date_to + datetime.timedelta(days=1))]
    new = Q(previous__isnull=True)
    groups = rows.values(*FACTOR_NAMES, "carry_decision").annotate(
        n=Count("pk"), new=Count("pk", filter=new),
        **{f"m{i}": Count("pk", filter=new & Q(created_at__gte=edges[i], created_at__lt=edges[i + 1]))
           for i in range(len(months))}).order_by()
    profile = _empty_profile(selection)
    for g in groups:
        _add(profile["carried"], g["carry_decision"], g["n"])
        if g["carry_decision"] == CarryDecision.RETIRED:
            continue
        profile["new"] += g["new"]
        for factors in HEATMAPS:
            _add(profile["cells"][factors], tuple(g[f] for f in factors), g["n"])
        for i in range(len(months)):
            profile["months"][i] += g[f"m{i}"]
    return profile


def heatmaps(user, selection):
    if selection.round is None:
        return None
    cells = _profile(user, selection)["cells"]
    maps = []
    for rows_factor, cols_factor in HEATMAPS:
        counts = cells[(rows_factor, cols_factor)]
        top = max(counts.values(), default=0)
        maps.append({
            "rows_label": RiskPoint._meta.get_field(rows_factor).verbose_name,
            "cols_label": RiskPoint._meta.get_field(cols_factor).verbose_name,
            "cols": [label for _grade, label in reversed(GRADES)],
            "rows": [{"label": row_label, "cells": [
                {"n": counts.get((row, col), 0), "heat": heat(counts.get((row, col), 0), top),
                 "url": selection.link("riskpoints:list", **{rows_factor: row, cols_factor: col})}
                for col, _l in reversed(GRADES)]} for row, row_label in GRADES],
        })
    return {"maps": maps}


def levels(user, selection):
    if selection.round is None:
        return None
    # One grouped query (at most units × kinds × tiers groups) gives all three tables.
    rows, count = _counted(user, selection)
    groups = list(rows.values("unit_id", "kind", "post__tier").annotate(**level_counts(count)))

    def by(key, convert=lambda value: value):
        out = {}
        for g in groups:
            figures = out.setdefault(convert(g[key]), {})
            for lvl in LEVELS:
                figures[f"l{lvl}"] = figures.get(f"l{lvl}", 0) + g[f"l{lvl}"]
        return out

    by_unit = selection.per_row([{"unit_id": g["unit_id"], **{f"l{lvl}": g[f"l{lvl}"] for lvl in LEVELS}} for g in groups])
    by_kind = by("kind")
    by_tier = by("post__tier", lambda tier: tier or NO_POST)

    def table(groups, param):
        scale = max((sum(g.get(f"l{lvl}", 0) for lvl in LEVELS) for _k, _l, g in groups), default=0)
        return [{"label": label, "total": sum(g.get(f"l{lvl}", 0) for lvl in LEVELS),
                 "total_url": selection.link("riskpoints:list", **{param: key}),
                 "parts": _level_parts(selection, g, scale, **{param: key})} for key, label, g in groups]

    return {
        "levels": LEVELS,
        "legend": [(lvl.label, LEVEL_COLOURS[lvl][1]) for lvl in LEVELS],
        "tables": [
            (_("按单位"), table([(r["pk"], r["short_name"] or r["name"], by_unit[r["pk"]]) for r in selection.rows], "unit")),
            (_("按风险类型"), table([(k, label, by_kind.get(k, {})) for k, label in RiskKind.choices], "kind")),
            (_("按岗位层次"), table([(k, label, by_tier.get(k, {})) for k, label in
                                   [*PostTier.choices, (NO_POST, _("不涉及岗位"))]], "tier")),
        ],
    }


def trend(user, selection):
    """New risk points of the year (not carried over) registered in each month of the range."""
    if selection.round is None:
        return None
    months = selection.months
    counted = _profile(user, selection)["months"]
    points = []
    for i, first in enumerate(months):
        following = months[i + 1] if i + 1 < len(months) else None
        end = following - datetime.timedelta(days=1) if following else selection.date_to
        points.append({"label": f"{first:%Y-%m}", "short": f"{first:%m}", "n": counted[i],
                       "url": selection.link("riskpoints:list", origin="new", registered_from=first.isoformat(),
                                             registered_to=end.isoformat())})
    return {"bars": columns(points), "colour": "#0d6efd", "caption": _("每月新增风险点")}


def years(user, selection):
    """This year's register against last year's: totals and levels, and what the yearly
    reassessment made of last year's risk points."""
    if selection.round is None:
        return None
    rounds = [r for r in (selection.round, selection.previous_round) if r is not None]
    rows, count = register_counted(user)
    base = selection.scope(rows.filter(round__in=rounds))
    counts = {g["round_id"]: g for g in base.values("round_id").annotate(every=count(), **level_counts(count))}
    profile = _profile(user, selection)
    new, carried = profile["new"], profile["carried"]
    def cells(level=None):
        key = f"l{level}" if level else "every"
        return [{"n": counts.get(r.pk, {}).get(key, 0),
                 "url": selection.link("riskpoints:list", round=r.pk, level=level.value if level else None)}
                for r in rounds]

    table = [{"label": _("风险点"), "cells": cells(), "total": True}] + [
        {"label": lvl.label, "cells": cells(lvl)} for lvl in LEVELS]
    changes = [{"label": _("本年新增"), "n": new, "url": selection.link("riskpoints:list", origin="new")}] + [
        {"label": d.label, "n": carried.get(d.value, 0), "url": selection.link("riskpoints:list", carry=d.value)}
        for d in (CarryDecision.UNCHANGED, CarryDecision.CHANGED, CarryDecision.RETIRED, CarryDecision.PENDING)]
    return {"rounds": rounds, "table": table, "changes": changes}


def carry_pending(user, selection):
    """The user's unit's risk points carried over from last year that still wait for a decision."""
    if selection.round is None:
        return None
    qs = _register(user, selection).filter(carry_decision=CarryDecision.PENDING)
    count = qs.count()
    if not count:
        return None
    return {"items": qs.select_related("unit").order_by("code")[:10], "count": count,
            "url": selection.link("riskpoints:list", carry=CarryDecision.PENDING)}


PANELS = (
    Panel("risk_heatmaps", _("风险热力图"), "riskpoints/panels/heatmaps.html", heatmaps, audience.anyone_scoped, order=30),
    Panel("risk_levels", _("风险等级分布"), "riskpoints/panels/levels.html", levels, audience.anyone_scoped, order=40,
          wide=True),
    Panel("risk_trend", _("每月新增风险点"), "riskpoints/panels/trend.html", trend, audience.anyone_scoped, order=60),
    Panel("risk_years", _("与上年度比较"), "riskpoints/panels/years.html", years, audience.anyone_scoped, order=70),
    Panel("risk_carry_pending", _("上年结转待确认"), "riskpoints/panels/carry_pending.html", carry_pending,
          audience.in_unit, order=25),
)
