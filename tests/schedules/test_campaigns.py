"""Campaigns on schedule, one task per unit; who fills, who reviews, who scores; phases."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from notices.models import Notification
from schedules.choices import CampaignKind, CampaignState, TaskState
from schedules.models import Campaign, CampaignTask, CalendarDay, Phase
from schedules.periodic import PERIODIC_TASKS
from schedules.services import campaign_create, campaign_open, reminders_run, task_submit
from schedules.selectors import phase_units_progress
from tests.factories import PowerItemFactory

D = datetime.date


def open_campaign(people, kind=CampaignKind.SELF_INSPECTION, **over):
    campaign = Campaign(title=over.pop("title", "测试检查"), year=2026, kind=kind, opens_on=D(2026, 12, 1),
                        due_on=D(2026, 12, 31), **over)
    campaign_create(actor=people.office, campaign=campaign)
    campaign_open(campaign=campaign, actor=people.office)
    return campaign


def test_every_periodic_task_exists_after_migrate_with_its_default_schedule(db):
    # Another test's flush may have emptied the table: step the data migration back and forth.
    call_command("migrate", "schedules", "0001", verbosity=0)
    PeriodicTask.objects.all().delete()
    call_command("migrate", "schedules", verbosity=0)
    entries = {e.task: e for e in PeriodicTask.objects.select_related("crontab")}
    for name, task, minute, hour, day, month, _description in PERIODIC_TASKS:
        assert task in entries and entries[task].enabled and entries[task].name == name
        c = entries[task].crontab
        assert (c.minute, c.hour, c.day_of_month, c.month_of_year) == (minute, hour, day, month)
    assert entries["schedules.tasks.open_annual_self_inspection"].crontab.month_of_year == "12"


def test_the_annual_self_inspection_opens_one_task_per_unit_and_reminds_each_unit_once(bureau, people,
                                                                                         django_capture_on_commit_callbacks,
                                                                                         mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("open_annual_self_inspection", date="2026-12-01")
        call_command("open_annual_self_inspection", date="2026-12-01")  # beat's tick again: nothing more
    campaign = Campaign.objects.get(kind=CampaignKind.SELF_INSPECTION, year=2026)
    assert campaign.state == CampaignState.OPEN and campaign.items.count() == 5
    assert sorted(CampaignTask.objects.values_list("unit__code", flat=True)) == ["A", "B", "FKB"]
    for head in (people.head_a, people.head_b):
        assert Notification.objects.filter(recipient=head, kind="assigned").count() == 1
    assert Notification.objects.filter(recipient=people.staff_a).count() == 0
    opened = len(mailoutbox)
    # A week before the due date (31 December), each unit's head is reminded once.
    assert reminders_run(today=D(2026, 12, 24), kinds=["schedules.task"]) >= 2
    assert reminders_run(today=D(2026, 12, 24), kinds=["schedules.task"]) == 0
    for head in (people.head_a, people.head_b):
        assert Notification.objects.filter(recipient=head, kind="reminder").count() == 1
    assert opened == 2


def test_a_unit_sees_and_fills_only_its_own_task(bureau, people, client_for):
    campaign = open_campaign(people)
    mine = CampaignTask.objects.get(campaign=campaign, unit=bureau.a)
    theirs = CampaignTask.objects.get(campaign=campaign, unit=bureau.b)
    client = client_for(people.staff_a)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.post(theirs.get_absolute_url(), {"summary": "乱填"}).status_code == 404
    assert client.post(reverse("schedules:task_submit", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("schedules:campaign_detail", args=[campaign.pk])).content.decode()
    assert bureau.a.name in page and bureau.b.name not in page

    answer = mine.answers.first()
    data = {"lock_version": mine.lock_version, "summary": "本单位自查情况", f"implemented_{answer.pk}": "on",
            f"problems_{answer.pk}": "个别案件集体讨论记录不全", f"plan_{answer.pk}": "月底前补齐"}
    assert client.post(mine.get_absolute_url(), data).status_code == 302
    answer.refresh_from_db()
    assert answer.implemented and answer.problems == "个别案件集体讨论记录不全"
    # A stale form (the version moved on) is refused and changes nothing.
    html = client.post(mine.get_absolute_url(), {**data, "summary": "旧表单"}).content.decode()
    assert "已被他人修改" in html
    mine.refresh_from_db()
    assert mine.summary == "本单位自查情况"

    assert client.post(reverse("schedules:task_submit", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.state == TaskState.SUBMITTED
    assert Notification.objects.filter(recipient=people.office, kind="review").count() == 1
    # Staff cannot review; the office returns it with a comment and the submitter is told.
    assert client.post(reverse("schedules:task_review", args=[mine.pk]), {"decision": "accept"}).status_code == 302
    mine.refresh_from_db()
    assert mine.state == TaskState.SUBMITTED
    office = client_for(people.office)
    office.post(reverse("schedules:task_review", args=[mine.pk]), {"decision": "return", "comment": ""})
    mine.refresh_from_db()
    assert mine.state == TaskState.SUBMITTED  # a return needs a comment
    office.post(reverse("schedules:task_review", args=[mine.pk]), {"decision": "return", "comment": "请补充问题清单"})
    mine.refresh_from_db()
    assert mine.state == TaskState.RETURNED
    assert Notification.objects.filter(recipient=people.staff_a, subject__contains="被退回").count() == 1


def test_scores_are_the_office_only_and_stay_within_full_marks(bureau, people, client_for):
    campaign = open_campaign(people, kind=CampaignKind.ASSESSMENT, title="检查考核")
    task = CampaignTask.objects.get(campaign=campaign, unit=bureau.a)
    answers = list(task.answers.select_related("item"))
    full = {f"score_{a.pk}": str(a.item.max_score) for a in answers}
    url = reverse("schedules:task_score", args=[task.pk])
    for persona in (people.head_a, people.staff_a, people.leader_a, people.director):
        assert client_for(persona).post(url, {"lock_version": task.lock_version, **full}).status_code in (403, 404)
    task.refresh_from_db()
    assert task.score is None
    # A unit cannot fill an assessment either.
    assert client_for(people.head_a).post(task.get_absolute_url(), {"lock_version": 0, "summary": "x"}).status_code == 200
    task.refresh_from_db()
    assert task.summary == ""

    office = client_for(people.office)
    too_much = {**full, f"score_{answers[0].pk}": str(answers[0].item.max_score + 1)}
    office.post(url, {"lock_version": task.lock_version, **too_much})
    task.refresh_from_db()
    assert task.score is None
    assert office.post(url, {"lock_version": task.lock_version, **full}).status_code == 302
    task.refresh_from_db()
    assert task.score == 100 and task.state == TaskState.ACCEPTED


def test_only_the_office_keeps_the_calendar(bureau, people, client_for):
    url = reverse("schedules:calendar")
    assert client_for(people.staff_a).post(url, {"date": "2026-10-01", "kind": "holiday", "name": "国庆"}).status_code == 403
    assert not CalendarDay.objects.exists()
    assert client_for(people.office).post(url, {"date": "2026-10-01", "kind": "holiday", "name": "国庆"}).status_code == 302
    day = CalendarDay.objects.get()
    assert client_for(people.staff_a).post(reverse("schedules:calendar_delete", args=[day.pk])).status_code == 403
    assert client_for(people.office).post(url, {"date": "2026-10-01", "kind": "workday"}).status_code == 200
    assert CalendarDay.objects.count() == 1


def test_phase_completion_comes_from_the_data(bureau, people, client_for):
    from review.choices import Status
    from tests.workflow import walk

    client_for(people.office).get(reverse("schedules:phase_list") + "?year=2026")  # the office's first visit
    phase = Phase.objects.get(year=2026, code="powers")
    walk(PowerItemFactory(unit=bureau.a), people, to=Status.ACCEPTED)
    PowerItemFactory(unit=bureau.b)
    rows = {r["unit"].code: r for r in phase_units_progress(phase)}
    assert rows["A"]["done"] and (rows["A"]["done_count"], rows["A"]["total"]) == (1, 1)
    assert rows["B"]["done"] is False
    PowerItemFactory(unit=bureau.a_squad)  # a squad's draft power counts for its brigade
    rows = {r["unit"].code: r for r in phase_units_progress(phase)}
    assert not rows["A"]["done"] and (rows["A"]["done_count"], rows["A"]["total"]) == (1, 2)
    assert client_for(people.staff_a).post(phase.get_absolute_url(), {"starts_on": "2026-01-01", "ends_on": "2026-02-01"}).status_code == 403


@pytest.mark.parametrize("rows", [2, 8])
def test_campaign_pages_keep_a_constant_query_count(bureau, people, client_for, django_assert_max_num_queries, rows):
    for n in range(rows):
        open_campaign(people, title=f"检查{n}")
    client = client_for(people.office)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("schedules:campaign_list")).status_code == 200
    campaign = Campaign.objects.first()
    with django_assert_max_num_queries(14):
        assert client.get(reverse("schedules:campaign_detail", args=[campaign.pk])).status_code == 200


def test_the_office_turns_a_finding_into_risk_information_once(bureau, people, client_for):
    from monitoring.models import RiskInformation

    campaign = open_campaign(people)
    task = CampaignTask.objects.get(campaign=campaign, unit=bureau.a)
    answer = task.answers.first()
    answer.problems = "罚没款票据未及时核销"
    answer.save()
    url = reverse("monitoring:from_finding", args=[answer.pk])
    client_for(people.office).post(url)  # not yet handed in: nothing to turn
    assert not RiskInformation.objects.exists()
    task_submit(task=task, actor=people.staff_a)
    assert client_for(people.staff_a).post(url).status_code == 403
    assert client_for(people.staff_b).post(url).status_code == 404
    assert "转为廉政风险信息" in client_for(people.office).get(task.get_absolute_url()).content.decode()
    client_for(people.office).post(url)
    client_for(people.office).post(url)
    assert "不会重复登记" in client_for(people.office).get(task.get_absolute_url()).content.decode()
    info = RiskInformation.objects.get()
    assert info.channel == "self" and info.concerns_unit == bureau.a and "罚没款票据未及时核销" in info.content


def test_my_deadlines_show_only_what_the_user_answers_for(bureau, people, client_for):
    from controls.models import ControlPlan, Measure
    from django.utils import timezone
    from tests.factories import RiskPointFactory

    soon = timezone.localdate() + datetime.timedelta(days=5)
    for owner, text in ((people.staff_a, "甲的措施"), (people.staff_a2, "乙的措施")):
        plan = ControlPlan.objects.create(risk_point=RiskPointFactory(unit=bureau.a, title=text))
        Measure.objects.create(plan=plan, kind="control", content=text, due_date=soon, responsible=owner)
    campaign = open_campaign(people, title="本月自查")
    Campaign.objects.filter(pk=campaign.pk).update(due_on=soon)
    page = client_for(people.staff_a).get(reverse("schedules:my_deadlines")).content.decode()
    assert "甲的措施" in page and "乙的措施" not in page and "本月自查" not in page
    page = client_for(people.head_a).get(reverse("schedules:my_deadlines")).content.decode()
    assert f"本月自查 · {bureau.a.name}" in page and bureau.b.name not in page
    home = client_for(people.head_a).get(reverse("home")).content.decode()
    assert "我的期限" in home
