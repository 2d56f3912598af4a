"""This app's own deadlines: open campaign tasks and the programme's phases."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.choices import Role

from .choices import CampaignKind, CampaignState, PhaseCode, TaskState
from .models import CampaignTask, Phase
from .people import EscalationChains, office_of, unit_heads
from .registry import Deadline, add_deadline_source, add_phase_progress, read_rows
from .selectors import campaign_phase_progress, phase_units_progress


def campaign_task_deadlines(until, user=None):
    """Tasks of open campaigns not yet handed in: the unit's head is reminded (the office, for a
    检查考核 it scores itself); when overdue, the leader in charge and the office are told."""
    qs = (CampaignTask.objects.filter(campaign__state=CampaignState.OPEN, campaign__due_on__lte=until,
                                      state__in=[TaskState.OPEN, TaskState.RETURNED])
          .select_related("campaign", "unit__parent__parent").order_by("campaign__due_on", "pk"))
    if user is not None:  # only what the user may answer for: their unit's tasks, or the office's
        mine = Q(pk__in=[])
        if user.has_role(Role.UNIT_HEAD) and user.unit_id:
            mine |= Q(unit_id=user.unit_id) | Q(unit__parent_id=user.unit_id)
        if user.has_role(Role.OFFICE):
            mine |= Q(campaign__kind=CampaignKind.ASSESSMENT)
        qs = qs.filter(mine)
    chains, offices = EscalationChains(), {}
    for task in read_rows(qs, user):
        bureau_id = task.campaign.bureau_id
        if task.campaign.kind == CampaignKind.ASSESSMENT:
            responsible = offices.setdefault(bureau_id, office_of(bureau_id))
        else:
            responsible = unit_heads(task.unit)
        if user is not None and user not in responsible:
            continue
        yield Deadline(
            object_key=f"task:{task.pk}", title=str(task), due_date=task.campaign.due_on, url=task.get_absolute_url(),
            bureau_id=bureau_id, responsible=responsible,
            escalation=((), chains(task.unit)[1]) if user is None else (), unit_name=task.unit.name,
        )


def phase_deadlines(until, user=None):
    """Phases ending on or before ``until`` (and not over for more than a month): the heads of
    the units that have not completed the phase are reminded before its end date."""
    phases = Phase.objects.filter(ends_on__lte=until, ends_on__gte=until - datetime.timedelta(days=120))
    if user is not None:
        if not (user.has_role(Role.UNIT_HEAD) and user.unit_id):
            return
        phases = phases.filter(bureau=user.unit.bureau)
    for phase in phases.order_by("ends_on", "pk"):
        units = None if user is None else [user.unit if user.unit.parent_id == phase.bureau_id else user.unit.parent]
        rows = phase_units_progress(phase, units)
        behind = [row["unit"] for row in rows if row["done"] is False]
        people = tuple(p for unit in behind for p in unit_heads(unit))
        if user is not None:
            people = tuple(p for p in people if p == user)
        if not people:
            continue
        yield Deadline(
            object_key=f"phase:{phase.pk}", title=str(phase), due_date=phase.ends_on, url=phase.get_absolute_url(),
            bureau_id=phase.bureau_id, responsible=people, escalation=((), office_of(phase.bureau_id)),
        )


add_deadline_source("schedules.task", label=_("检查验收任务"), items=campaign_task_deadlines)
add_deadline_source("schedules.phase", label=_("工作阶段"), items=phase_deadlines)


add_phase_progress(PhaseCode.SUMMARY, campaign_phase_progress(CampaignKind.SUMMARY))
add_phase_progress(PhaseCode.ASSESSMENT, campaign_phase_progress(CampaignKind.ASSESSMENT))
