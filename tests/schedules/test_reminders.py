"""Reminders and escalation: each step once, on a frozen clock, whatever runs them how often."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from notices.models import Notification
from schedules.calendar import WorkCalendar
from schedules.models import Cadence, CalendarDay, Reminder
from schedules.services import reminder_steps, reminders_run
from schedules.tasks import send_reminders

from .conftest import TODAY

D = datetime.date


def calendar_cadence(bureau, **over):
    fields = dict(bureau=bureau.ju, kind="controls.measure", before="30,7,1", working_days=False,
                  overdue_every=3, escalate_head_after=1, escalate_office_after=5)
    fields.update(over)
    return Cadence.objects.create(**fields)


def subjects(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("subject", flat=True))


def test_working_days_skip_weekends_and_holidays_and_count_makeup_days():
    # 2026-10-01 (Thu) to 10-08 are the National Day holiday; Sunday 10-11 is a 调休 working day.
    holidays = frozenset(D(2026, 10, d) for d in (1, 2, 5, 6, 7, 8))
    cal = WorkCalendar(holidays=holidays, workdays=frozenset({D(2026, 10, 11)}))
    assert cal.offset(D(2026, 9, 30), D(2026, 10, 9)) == 1  # only Friday the 9th works before it
    assert cal.offset(D(2026, 9, 30), D(2026, 10, 12)) == 3  # 9th, the 调休 Sunday 11th, 12th
    assert cal.offset(D(2026, 10, 12), D(2026, 9, 30)) == -3
    assert cal.offset(D(2026, 9, 30), D(2026, 10, 12), working_days=False) == 12
    assert cal.add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 11)
    assert WorkCalendar().add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 2)


def test_the_office_holiday_list_moves_a_working_day_reminder(bureau, people, make_measure):
    make_measure(D(2026, 12, 4))  # Friday: 3 working days after Tuesday the 1st
    Cadence.objects.create(bureau=bureau.ju, kind="controls.measure", before="2", working_days=True)
    assert reminders_run(today=TODAY) == 0
    CalendarDay.objects.create(bureau=bureau.ju, date=D(2026, 12, 3), kind="holiday", name="测试假日")
    assert reminders_run(today=TODAY) == 1  # the holiday leaves 2 working days: the 2-day reminder


def test_steps_follow_the_cadence():
    cadence = Cadence(before="30,7,1", on_due_day=True, overdue_every=3, escalate_head_after=1, escalate_office_after=5)
    names = lambda offset: [s.name for s in reminder_steps(cadence, offset)]  # noqa: E731
    assert names(31) == [] and names(30) == ["before30"] and names(8) == ["before30"]
    assert names(7) == ["before7"] and names(5) == ["before7"] and names(1) == ["before1"]
    assert names(0) == ["due"]
    assert names(-1) == ["overdue1", "head"] and names(-2) == ["overdue1", "head"]
    assert names(-3) == ["overdue3", "head"] and names(-6) == ["overdue6", "head", "office"]


def test_seven_day_reminder_goes_once_and_overdue_escalates_to_the_unit_head(bureau, people, make_measure, mailoutbox,
                                                                             django_capture_on_commit_callbacks):
    calendar_cadence(bureau)
    measure = make_measure(TODAY + datetime.timedelta(days=7))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 8, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders() == 1
            assert send_reminders() == 0  # the same task again
            call_command("send_reminders", date="2026-12-01")  # by hand, same day
    assert len(subjects(people.staff_a)) == 1 and "还有 7 天" in subjects(people.staff_a)[0]
    assert [m.to for m in mailoutbox] == [[people.staff_a.email]]
    assert subjects(people.head_a) == []

    with time_machine.travel(datetime.datetime(2026, 12, 9, 8, 0), tick=False):  # the day after the due date
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders() == 2
            assert send_reminders() == 0
    assert len(subjects(people.head_a)) == 1 and "逾期督办" in subjects(people.head_a)[0]
    assert subjects(people.leader_a) == [] and subjects(people.office) == []
    assert Reminder.objects.filter(object_key=f"measure:{measure.pk}").count() == 3

    measure.state = "done"
    measure.save()
    assert reminders_run(today=D(2026, 12, 20)) == 0  # carried out: nothing more, not even the office


def test_level_cadence_wins_over_the_kind_default(bureau, people, make_measure):
    calendar_cadence(bureau, before="30")
    calendar_cadence(bureau, level=1, before="10")
    make_measure(TODAY + datetime.timedelta(days=10), level=1)
    make_measure(TODAY + datetime.timedelta(days=10), level=2)
    assert reminders_run(today=TODAY) == 2
    assert sorted(Reminder.objects.values_list("step", flat=True)) == ["before10", "before30"]


def test_overdue_past_the_office_step_tells_leader_and_office(bureau, people, make_measure):
    calendar_cadence(bureau)
    make_measure(TODAY - datetime.timedelta(days=6))
    reminders_run(today=TODAY)
    assert len(subjects(people.leader_a)) == 1 and len(subjects(people.office)) == 1
    assert subjects(people.leader_b) == [] and subjects(people.head_b) == []


def test_information_left_unassessed_reminds_the_office(bureau, people):
    from monitoring.models import RiskInformation

    RiskInformation.objects.create(bureau=bureau.ju, reference="XX-1", channel="petition",
                                   received_on=D(2026, 11, 23), content="反映问题")
    assert reminders_run(today=D(2026, 11, 29), kinds=["monitoring.information"]) == 1  # due on the 30th
    assert subjects(people.office) and "待研判" in subjects(people.office)[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_step_once(bureau, people, make_measure):
    assert connection.vendor == "postgresql", "concurrency is proven on PostgreSQL"
    calendar_cadence(bureau)
    for days in (7, 1, 0, -1):
        make_measure(TODAY + datetime.timedelta(days=days))
    barrier, results, errors = threading.Barrier(4), [], []

    def run():
        try:
            barrier.wait()
            results.append(reminders_run(today=TODAY))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(results) == 5  # before7, before1, due, overdue1 and head, each by exactly one thread
    assert Reminder.objects.count() == 5
    assert Notification.objects.filter(recipient=people.staff_a).count() == 4
    assert Notification.objects.filter(recipient=people.head_a).count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_reminders_and_the_email_goes_out(real_worker, bureau, people, make_measure):
    from tests.waiting import refreshed_until

    mail.outbox = []
    calendar_cadence(bureau)
    make_measure(TODAY + datetime.timedelta(days=7))
    assert send_reminders.delay("2026-12-01").get(timeout=60) == 1
    assert send_reminders.delay("2026-12-01").get(timeout=60) == 0  # the retried / repeated task
    note = Notification.objects.get(recipient=people.staff_a)
    refreshed_until(note, lambda n: n.emailed_at, 30)
    assert note.kind == "reminder" and note.emailed_at
    assert [m.to for m in mail.outbox] == [[people.staff_a.email]] and note.url in mail.outbox[0].body
