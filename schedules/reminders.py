"""This app's own deadlines: open campaign tasks and the programme's phases."""

from django.utils.translation import gettext_lazy as _

from .people import EscalationChains, office_of, unit_heads
from .registry import Deadline, add_deadline_source
from .selectors import phase_units_progress


def campaign_task_deadlines(until, user=None):
    """Tasks of open campaigns not yet handed in: the unit's head is reminded (the office, for a
    检查考核 it scores itself); when overdue, the leader in charge and the office are told."""
    from .models import CampaignTask
    from .choices import CampaignState, CampaignKind, TaskState

    qs = (CampaignTask.objects.filter(campaign__state=CampaignState.OPEN, campaign__due_on__lte=until,
                                      state__in=[TaskState.OPEN, TaskState.RETURNED])
          .select_related("campaign", "unit__parent__parent").order_by("campaign__due_on", "pk"))
    chains, offices = EscalationChains(), {}
    for task in qs.iterator(chunk_size=2000):
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
    import datetime

    from .models import Phase

    phases = Phase.objects.filter(ends_on__lte=until, ends_on__gte=until - datetime.timedelta(days=120))
    for phase in phases.order_by("ends_on", "pk"):
        rows = phase_units_progress(phase)
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


def _register_phase_progress():
    from .choices import CampaignKind, PhaseCode
    from .registry import add_phase_progress
    from .selectors import campaign_phase_progress

    add_phase_progress(PhaseCode.SUMMARY, campaign_phase_progress(CampaignKind.SUMMARY))
    add_phase_progress(PhaseCode.ASSESSMENT, campaign_phase_progress(CampaignKind.ASSESSMENT))


_register_phase_progress()
