"""Reads of this app, each from a user's scope."""

from django.urls import reverse
from django.utils.translation import gettext as _

from org.models import Unit

from . import registry
from .choices import CampaignState
from .models import Campaign, CampaignTask, Phase


def programme_units(bureau_id):
    """The units that take part in the programme: those directly under the bureau."""
    return list(Unit.objects.filter(parent_id=bureau_id).order_by("order", "code"))


def phase_units_progress(phase, units=None):
    """``[{"unit", "done", "total", "complete"}]`` per unit for ``phase``; ``complete`` is
    ``None`` when no app measures this phase (nothing to compute it from)."""
    units = programme_units(phase.bureau_id) if units is None else units
    progress = registry.phase_progress(phase.code)
    figures = progress(phase, units) if progress else {}
    rows = []
    for unit in units:
        done, total = figures.get(unit.pk, (0, 0)) if progress else (None, None)
        rows.append({"unit": unit, "done_count": done, "total": total,
                     "done": None if progress is None else bool(total) and done >= total})
    return rows


def phases_for(user):
    return Phase.objects.for_user(user)


def campaigns_for(user):
    """Campaigns of the user's bureau they may see: all for those who see the bureau, else
    those with a task of one of their units."""
    visible = Campaign.objects.for_user(user)
    tasked = CampaignTask.objects.for_user(user).values("campaign_id")
    return (visible | Campaign.objects.filter(pk__in=tasked).exclude(state=CampaignState.DRAFT)).distinct()


def tasks_for(user):
    return CampaignTask.objects.for_user(user).select_related("campaign", "unit")


def my_deadlines_panel(user):
    """The start page's line of the user's own deadlines in the next 30 days and overdue."""
    from .services import deadlines_of

    found = deadlines_of(user)
    if not found:
        return None
    return {"title": _("我的期限"), "count": len(found), "url": reverse("schedules:my_deadlines")}


def rollup(units, rows):
    """``{top unit id: (done, total)}`` from ``rows`` of ``(unit_id, parent_id, done, total)``:
    a squad's figures count for the unit above it."""
    top = {u.pk for u in units}
    figures = {}
    for unit_id, parent_id, done, total in rows:
        key = unit_id if unit_id in top else parent_id if parent_id in top else None
        if key is not None:
            d, t = figures.get(key, (0, 0))
            figures[key] = (d + done, t + total)
    return figures


def campaign_phase_progress(kind):
    """Progress of a phase met by a campaign of ``kind`` that year: the unit's task handed in."""
    from django.db.models import Count, Q

    from .choices import TaskState

    def progress(phase, units):
        rows = (CampaignTask.objects.filter(campaign__bureau_id=phase.bureau_id, campaign__year=phase.year,
                                            campaign__kind=kind)
                .values("unit_id", "unit__parent_id")
                .annotate(done=Count("pk", filter=Q(state__in=[TaskState.SUBMITTED, TaskState.ACCEPTED])),
                          total=Count("pk")))
        return rollup(units, [(r["unit_id"], r["unit__parent_id"], r["done"], r["total"]) for r in rows])

    return progress
