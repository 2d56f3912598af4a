"""限期整改 deadlines and 防范任务 due dates remind the unit's heads and escalate, once per step,
through the same reminder run as every other deadline."""

import datetime

from django.utils import timezone

from monitoring.handling import report_submit, task_assign, warning_acknowledge, warning_issue
from monitoring.models import RiskWarning, UnitTask
from monitoring.services import information_record
from notices.models import Notification
from schedules.models import Cadence
from schedules.services import reminders_run


def subjects(user):
    return list(Notification.objects.filter(recipient=user, kind__in=["reminder", "escalation"])
                .values_list("subject", flat=True))


def cadence(bureau, kind):
    return Cadence.objects.create(bureau=bureau.ju, kind=kind, before="7", working_days=False, overdue_every=3,
                                  escalate_head_after=1, escalate_office_after=2)


def test_a_rectification_reminds_the_unit_head_then_escalates_until_closed(bureau, people):
    cadence(bureau, "monitoring.rectification")
    today = timezone.localdate()
    warning = warning_issue(actor=people.office, method="rectify", nature="sign", unit=bureau.a, reason="台账缺失",
                            requirement="补齐台账", deadline=today + datetime.timedelta(days=7))
    assert reminders_run(today=today) == 1 and reminders_run(today=today) == 0
    assert len(subjects(people.head_a)) == 1 and "限期整改" in subjects(people.head_a)[0]
    assert subjects(people.staff_a) == []  # staff are not the ones who report

    late = today + datetime.timedelta(days=10)
    reminders_run(today=late)
    assert any("逾期" in s for s in subjects(people.head_a))
    assert any("逾期督办" in s for s in subjects(people.office)) and any("逾期督办" in s for s in subjects(people.leader_a))

    # reported but not yet accepted: the deadline still counts; closed: no more reminders
    warning_acknowledge(warning=warning, actor=people.head_a)
    report_submit(warning=warning, actor=people.head_a, content="已补齐")
    RiskWarning.objects.filter(pk=warning.pk).update(state="closed")
    before = Notification.objects.count()
    reminders_run(today=late + datetime.timedelta(days=3))
    assert Notification.objects.count() == before


def test_a_task_to_a_unit_reminds_its_heads_before_its_due_date(bureau, people):
    cadence(bureau, "monitoring.task")
    today = timezone.localdate()
    info = information_record(bureau=bureau.ju, channel="petition", content="反映问题", concerns_unit=bureau.a)
    task = task_assign(info=info, actor=people.office, unit=bureau.a, kind="new_risk", instruction="查找风险",
                       due_date=today + datetime.timedelta(days=7), reasoning="需单位落实")
    assert reminders_run(today=today) == 1
    assert len(subjects(people.head_a)) == 1
    UnitTask.objects.filter(pk=task.pk).update(state="done")
    assert reminders_run(today=today + datetime.timedelta(days=9)) == 0


def test_information_left_unassessed_reaches_each_person_once_a_run_with_a_clean_subject(bureau, people):
    Cadence.objects.create(bureau=bureau.ju, kind="monitoring.information", before="1", working_days=False,
                           overdue_every=3, escalate_head_after=1, escalate_office_after=2)
    information_record(bureau=bureau.ju, channel="petition", content="来信反映", reporter="李先生",
                       received_on=timezone.localdate() - datetime.timedelta(days=40))
    people.leader_a.oversees.add(bureau.ju)  # the leader in charge of the office
    reminders_run(today=timezone.localdate())
    notes = Notification.objects.filter(kind__in=["reminder", "escalation"])
    per_person = {}
    for recipient, subject in notes.values_list("recipient", "subject"):
        per_person.setdefault(recipient, []).append(subject)
    assert per_person and all(len(subjects) == 1 for subjects in per_person.values()), per_person
    assert all("：的" not in s for subjects in per_person.values() for s in subjects)
    assert len(per_person[people.office.pk]) == 1  # its overdue reminder, not also an escalation to itself
    assert per_person[people.leader_a.pk][0].startswith("逾期督办：风险信息研判“")
