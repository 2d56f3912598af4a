"""Risk information left unassessed (待研判) too long, declared to the reminder run; and the
self-inspection findings that the office turns into risk information."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from review.workflow import OFFICE

from schedules.people import EscalationChains, office_of
from schedules.registry import Deadline, add_answer_action, add_deadline_source
from schedules.services import work_calendar

from .choices import InfoState
from .models import RiskInformation

# Information should be assessed (研判) within this many working days of its arrival.
ASSESS_WITHIN_WORKING_DAYS = 5


def assessment_deadlines(until, user=None):
    """Information still new: due ``ASSESS_WITHIN_WORKING_DAYS`` working days after it came in,
    by the bureau's calendar. The office answers for it; when it is overdue, the head of the
    office's unit and the leader in charge of it are told."""
    qs = RiskInformation.objects.filter(state=InfoState.NEW).order_by("received_on", "pk")
    calendars, offices, chains = {}, {}, EscalationChains()
    for info in qs.iterator(chunk_size=2000):
        bureau_id = info.bureau_id
        if bureau_id not in calendars:
            calendars[bureau_id] = work_calendar(bureau_id)
            offices[bureau_id] = office_of(bureau_id)
        due = calendars[bureau_id].add_working_days(info.received_on, ASSESS_WITHIN_WORKING_DAYS)
        office = offices[bureau_id]
        if due > until or (user is not None and user not in office):
            continue
        yield Deadline(
            object_key=f"information:{info.pk}", title=_("廉政风险信息 %(ref)s 待研判") % {"ref": info.reference},
            due_date=due, url=info.get_absolute_url(), bureau_id=bureau_id, responsible=office,
            escalation=chains(office[0].unit) if office and user is None else (), unit_name="",
        )


add_deadline_source("monitoring.information", label=_("风险信息研判"), items=assessment_deadlines)


def finding_action(user, answer):
    """On a self-inspection line with a problem found, the office's 转为廉政风险信息 button."""
    if not answer.problems.strip() or not OFFICE.covers(user, answer.task.unit_id):
        return None
    return {"label": _("转为廉政风险信息"), "url": reverse("monitoring:from_finding", args=[answer.pk])}


add_answer_action(finding_action)
