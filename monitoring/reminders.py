"""Risk information left unassessed (待研判) too long, declared to the reminder run; and the
self-inspection findings that the office turns into risk information."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from schedules.people import EscalationChains, office_of
from schedules.registry import Deadline, add_deadline_source, add_finding_actions, read_rows
from schedules.services import work_calendar

from .choices import InfoState, Method, TaskState, WarningState
from .models import RiskInformation, RiskWarning, UnitTask

# Information should be assessed (研判) within this many working days of its arrival.
ASSESS_WITHIN_WORKING_DAYS = 5


def assessment_deadlines(until, user=None):
    """Information still new: due ``ASSESS_WITHIN_WORKING_DAYS`` working days after it came in,
    by the bureau's calendar. The office answers for it; when it is overdue, the head of the
    office's unit and the leader in charge of it are told."""
    qs = RiskInformation.objects.filter(state=InfoState.NEW).order_by("received_on", "pk")
    calendars, offices, chains = {}, {}, EscalationChains()
    for info in read_rows(qs, user):
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


def rectification_deadlines(until, user=None):
    """限期整改 not yet closed, due on its deadline: the unit's heads (who acknowledge and report)
    are reminded; when it is overdue, the leader in charge and the office are told. A report
    waiting for verification still counts: the deadline is met when the office accepts it."""
    from .handling import warning_receivers

    qs = (RiskWarning.objects.filter(method=Method.RECTIFY, deadline__lte=until).exclude(state=WarningState.CLOSED)
          .select_related("unit__parent__parent").order_by("deadline", "pk"))
    chains = EscalationChains()
    for warning in read_rows(qs, user):
        responsible = tuple(warning_receivers(warning))
        if user is not None and user not in responsible:
            continue
        _heads, above = chains(warning.unit)
        yield Deadline(
            object_key=f"rectification:{warning.pk}", title=_("%(number)s 限期整改") % {"number": warning.number},
            due_date=warning.deadline, url=warning.get_absolute_url(), bureau_id=warning.bureau_id,
            responsible=responsible, escalation=((), above) if user is None else (), unit_name=warning.unit.name)


def task_deadlines(until, user=None):
    """防范任务 (责成单位制定防范措施) not yet carried out, due on their date: the unit's heads
    are reminded, then the leader in charge and the office are told."""
    qs = UnitTask.objects.filter(state=TaskState.OPEN, due_date__lte=until).select_related(
        "unit__parent__parent").order_by("due_date", "pk")
    chains = EscalationChains()
    for task in read_rows(qs, user):
        heads, above = chains(task.unit)
        if user is not None and user not in heads:
            continue
        yield Deadline(
            object_key=f"risk-task:{task.pk}", title=_("防范任务：%(task)s") % {"task": task}, due_date=task.due_date,
            url=task.get_absolute_url(), bureau_id=task.bureau_id, responsible=tuple(heads),
            escalation=((), above) if user is None else (), unit_name=task.unit.name)


add_deadline_source("monitoring.rectification", label=_("限期整改"), items=rectification_deadlines)
add_deadline_source("monitoring.task", label=_("防范任务"), items=task_deadlines)


def finding_actions(user, task, findings):
    """On a handed-in self-inspection, the 转为廉政风险信息 button of each finding (a checklist
    line or a risk point's measure with a problem found), for the office and the unit's head;
    a finding already turned shows the information's number instead. One query for them all."""
    from .services import finding_refusal

    findings = [f for f in findings if f.problems.strip()]
    if not findings or finding_refusal(user, task):
        return {}
    done = {key: (pk, reference) for key, pk, reference in RiskInformation.objects.filter(
        bureau_id=task.campaign.bureau_id, source_key__in=[f.finding_key for f in findings])
        .values_list("source_key", "pk", "reference")}
    shown = {}
    for f in findings:
        if f.finding_key in done:
            pk, reference = done[f.finding_key]
            shown[f.finding_key] = {"done": _("已登记为风险信息 %(ref)s") % {"ref": reference},
                                    "url": reverse("monitoring:info_detail", args=[pk])}
        else:
            name = "monitoring:from_finding" if f.finding_key.startswith("finding:") else "monitoring:from_risk_check"
            shown[f.finding_key] = {"label": _("转为廉政风险信息"), "url": reverse(name, args=[f.pk])}
    return shown


add_finding_actions(finding_actions)
