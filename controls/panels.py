"""Dashboard panels that read the programme across its parts: how far each unit has got (powers,
risk points, measures) and the measures that need attention.

Each table is one grouped query per kind of record, counted in the database over the user's
scope; the figures link to the lists filtered to exactly the rows they count.
"""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from dashboards import audience
from dashboards.charts import segments
from dashboards.registry import Panel
from powers.models import PowerItem
from review.choices import STAGE_STATES, Stage
from riskpoints.choices import RiskLevel
from riskpoints.selectors import register_counted

from .selectors import done_q, measures_for, overdue_q

STAGE_COLOURS = {Stage.DRAFTING: "#adb5bd", Stage.REVIEWING: "#0dcaf0", Stage.ACCEPTED: "#20c997",
                 Stage.PUBLISHED: "#198754"}


def _stage_counts(prefix, count=lambda **kw: Count("pk", **kw)):
    return {f"{prefix}_{stage}": count(filter=Q(status__in=states)) for stage, states in STAGE_STATES.items()}


def _columns(selection):
    """The progress table's column groups: (title, [(key, label, link)])."""
    powers = [(f"p_{s}", s.label, lambda unit, s=s: selection.link("powers:list", round=None, unit=unit, stage=s.value))
              for s in Stage]
    powers.insert(3, ("p_filed", _("已备案"),
                      lambda unit: selection.link("powers:list", round=None, unit=unit, filed="true")))
    risks = [(f"r_l{lvl}", lvl.label, lambda unit, lvl=lvl: selection.link("riskpoints:list", unit=unit, level=lvl.value))
             for lvl in RiskLevel]
    risks += [(f"r_{s}", s.label, lambda unit, s=s: selection.link("riskpoints:list", unit=unit, stage=s.value))
              for s in Stage]
    measures = [
        ("m_total", _("措施"), lambda unit: selection.link("controls:measures", unit=unit)),
        ("m_done", _("已落实"), lambda unit: selection.link("controls:measures", unit=unit, progress="done")),
        ("m_overdue", _("已逾期"), lambda unit: selection.link("controls:measures", unit=unit, progress="overdue")),
    ]
    return [(_("职权事项"), powers), (_("廉政风险点"), risks), (_("防控措施"), measures)]


def progress(user, selection):
    """The unit × stage table: powers by stage, risk points by level and stage, measures done
    and overdue; one row per unit with a bar of its risk points by stage."""
    if selection.round is None:
        return None
    risks, count = register_counted(user)
    grouped = [
        *selection.scope(PowerItem.objects.for_user(user)).values("unit_id").annotate(
            **_stage_counts("p"), p_filed=Count("pk", filter=Q(filed_on__isnull=False))),
        *selection.scope(risks.filter(round=selection.round)).values("unit_id").annotate(
            **_stage_counts("r", count), **{f"r_l{lvl}": count(filter=Q(level=lvl)) for lvl in RiskLevel}),
        *selection.scope(measures_for(user).filter(plan__risk_point__round=selection.round), "plan__risk_point__unit")
        .values(unit_id=F("plan__risk_point__unit_id")).annotate(
            m_total=Count("pk"), m_done=Count("pk", filter=done_q()), m_overdue=Count("pk", filter=overdue_q(selection.today))),
    ]
    per_row = selection.per_row(grouped)
    total = {}
    for group in grouped:
        for name, value in group.items():
            if name != "unit_id":
                total[name] = total.get(name, 0) + value
    groups = _columns(selection)
    keys = [key for _title, cols in groups for key, _label, _link in cols]

    def risk_total(figures):
        return sum(figures.get(f"r_l{lvl}", 0) for lvl in RiskLevel)

    scale = max((risk_total(f) for f in per_row.values()), default=0)

    def line(label, unit, figures):
        unit = unit or (selection.unit.pk if selection.unit else None)  # the total: the chosen unit, if any
        return {
            "label": label, "figures": figures,
            "cells": [{"n": figures.get(key, 0), "url": link(unit)} for _t, cols in groups for key, _l, link in cols],
            "parts": segments([{"n": figures.get(f"r_{s}", 0), "label": s.label, "colour": STAGE_COLOURS[s]}
                               for s in Stage], scale),
        }

    rows = [line(r["short_name"] or r["name"], r["pk"], per_row[r["pk"]]) for r in selection.rows]
    rows, sorts = selection.order(rows, keys, lambda row, key: row["figures"].get(key, 0))
    return {
        "groups": [(title, [(key, label, sorts[key]) for key, label, _link in cols]) for title, cols in groups],
        "rows": rows,
        "total": line(_("合计"), None, total),
        "legend": [(s.label, STAGE_COLOURS[s]) for s in Stage],
        "sort": selection.sort,
    }


def overdue(user, selection):
    """Overdue measures of 一级 and 二级 risk points: counts per level and the longest overdue."""
    if selection.round is None:
        return None
    qs = selection.scope(measures_for(user).filter(
        overdue_q(selection.today), plan__risk_point__round=selection.round,
        plan__risk_point__level__in=(RiskLevel.FIRST, RiskLevel.SECOND)), "plan__risk_point__unit")
    counts = qs.aggregate(**{f"l{lvl}": Count("pk", filter=Q(plan__risk_point__level=lvl))
                             for lvl in (RiskLevel.FIRST, RiskLevel.SECOND)})
    return {
        "levels": [{"label": lvl.label, "n": counts[f"l{lvl}"],
                    "url": selection.link("controls:measures", progress="overdue", level=lvl.value)}
                   for lvl in (RiskLevel.FIRST, RiskLevel.SECOND)],
        "items": qs.select_related("plan__risk_point__unit", "responsible").order_by("due_date", "pk")[:10],
        "today": selection.today,
    }


def deadlines(user, selection):
    """The user's own measures not yet carried out, by due date."""
    if selection.round is None:
        return None
    qs = selection.scope(measures_for(user).filter(
        responsible=user, plan__risk_point__round=selection.round).exclude(done_q()), "plan__risk_point__unit")
    return {"items": qs.select_related("plan__risk_point").order_by("due_date", "pk")[:10], "count": qs.count(),
            "today": selection.today,
            "url": selection.link("controls:measures", mine="true", progress="open", ordering="due")}


PANELS = (
    Panel("progress", _("工作进度（按单位）"), "controls/panels/progress.html", progress, audience.anyone_scoped,
          order=10, wide=True),
    Panel("my_deadlines", _("我的完成期限"), "controls/panels/deadlines.html", deadlines, audience.in_unit, order=15,
          personal=True),
    Panel("overdue_measures", _("逾期的一级、二级风险防控措施"), "controls/panels/overdue.html", overdue,
          audience.anyone_scoped, order=20),
)
