"""The demo's time: holidays, a cadence, this year's phases, an open self-inspection with units
in every state, a scheduled assessment, and the reminders of the day (a filled inbox)."""

import datetime

from django.utils import timezone

from demo.files import demo_pdf
from schedules.choices import CalendarDayKind, CampaignKind, CampaignState, TaskState
from schedules.models import Cadence, CalendarDay, Campaign, CampaignTask
from schedules.services import (
    annual_self_inspection_open, campaign_create, personal_check_fill, phases_ensure, reminders_run, task_fill, task_review,
    task_submit,
)

# 2026–2027 statutory holidays and 调休 working days (国务院办公厅 notices, as the office keeps them).
HOLIDAYS = [
    ("2026-10-01", "国庆节"), ("2026-10-02", "国庆节"), ("2026-10-05", "国庆节"), ("2026-10-06", "国庆节"),
    ("2026-10-07", "国庆节"), ("2026-10-08", "国庆节"), ("2027-01-01", "元旦"),
    ("2027-02-05", "春节"), ("2027-02-08", "春节"), ("2027-02-09", "春节"), ("2027-02-10", "春节"),
    ("2027-02-11", "春节"),
]
WORKDAYS = [("2026-09-27", "国庆调休上班"), ("2026-10-10", "国庆调休上班"), ("2027-02-20", "春节调休上班")]


def seed(units, users):
    bureau, office = units["JU"], users["office"]
    today = timezone.localdate()
    for days, kind in ((HOLIDAYS, CalendarDayKind.HOLIDAY), (WORKDAYS, CalendarDayKind.WORKDAY)):
        for date, name in days:
            CalendarDay.objects.get_or_create(bureau=bureau, date=datetime.date.fromisoformat(date),
                                              defaults={"kind": kind, "name": name})
    Cadence.objects.get_or_create(bureau=bureau, kind="controls.measure", level=1,
                                  defaults={"before": "30,14,7,3,1", "overdue_every": 2, "escalate_office_after": 3})
    phases_ensure(bureau=bureau, year=today.year)

    annual_self_inspection_open(today=today)
    campaign = Campaign.objects.get(bureau=bureau, year=today.year, kind=CampaignKind.SELF_INSPECTION)
    tasks = list(CampaignTask.objects.filter(campaign=campaign, state=TaskState.OPEN).select_related("unit")
                 .order_by("unit__order", "unit__code"))
    if len(tasks) == CampaignTask.objects.filter(campaign=campaign).count():  # not yet worked on
        _work_on(tasks, users, office)

    if not Campaign.objects.filter(bureau=bureau, kind=CampaignKind.ASSESSMENT, year=today.year).exists():
        campaign_create(actor=office, campaign=Campaign(
            title=f"{today.year} 年度廉政风险防控检查考核", year=today.year, kind=CampaignKind.ASSESSMENT,
            opens_on=datetime.date(today.year + 1, 2, 1), due_on=datetime.date(today.year + 1, 2, 28),
            state=CampaignState.SCHEDULED))
        campaign_create(actor=office, campaign=Campaign(
            title=f"{today.year} 年度廉政风险防控工作总结", year=today.year, kind=CampaignKind.SUMMARY,
            opens_on=datetime.date(today.year + 1, 1, 1), due_on=datetime.date(today.year + 1, 1, 31),
            state=CampaignState.SCHEDULED))
    return reminders_run(today=today)


# What the units found going through their measures, in turn.
FINDINGS = (("", ""), ("个别措施佐证材料不全", "本月底前补齐佐证材料"), ("", ""),
            ("集体讨论记录缺少参会人员签名", "下次会议起当场签名，已有记录补签"))


def _findings(rows, index, every_fine=False):
    data = {}
    for n, row in enumerate(rows):
        problems, plan = ("", "") if every_fine else FINDINGS[(index + n) % len(FINDINGS)]
        data[row.pk] = {"implemented": not problems or n % 2 == 0, "effective": not problems,
                        "problems": problems, "plan": plan}
    return data


def _personal_checks(task, upto=None):
    checks = list(task.personal_checks.select_related("person"))
    for n, check in enumerate(checks[:upto]):
        personal_check_fill(check=check, actor=check.person, lock_version=check.lock_version,
                            integrity="严格遵守廉洁自律各项规定，未收受管理服务对象礼品礼金，无亲属在辖区经商办企业。",
                            duty="按岗位职责办理案件，执行防控措施，自由裁量依照裁量基准。" if n % 3 else
                            "按时办结案件；个别案件裁量说明不够详细，已对照基准补充。", has_problems=n % 3 == 0)


def _work_on(tasks, users, office):
    """Units in every state: handed in, accepted, returned, half filled (some measures answered,
    some holders' self-checks still missing) and not yet begun; the office has turned one finding
    into risk information."""
    from monitoring.services import information_from_risk_check

    for index, task in enumerate(tasks[:11]):
        target = ("submitted", "accepted", "returned", "half", "submitted", "accepted", "returned", "half",
                  "submitted", "accepted", "returned")[index]
        staff = users.get(f"{task.unit.code.lower()}_staff")
        if staff is None:
            continue
        checks = list(task.risk_checks.all())
        if target == "half":
            task_fill(task=task, actor=staff, lock_version=task.lock_version, summary="",
                      answers={}, checks=_findings(checks[: len(checks) // 2], index))
            _personal_checks(task, upto=len(task.personal_checks.all()) // 2)
            continue
        answers = {a.pk: {"implemented": True, "effective": True, "problems": "", "plan": ""} for a in task.answers.all()}
        task = task_fill(task=task, actor=staff, lock_version=task.lock_version, answers=answers,
                         checks=_findings(checks, index, every_fine=target == "accepted"),
                         summary="本单位对照风险点和防控措施逐项自查，岗位人员均完成廉洁自律、履职情况自查。",
                         uploads=[demo_pdf(f"{task.unit.name}自查报告.pdf")])
        _personal_checks(task)
        task = task_submit(task=task, actor=staff)
        if target != "submitted":
            task_review(task=task, actor=office, accept=target == "accepted",
                        comment="" if target == "accepted" else "请补充发现问题的整改时限。")
        if index == 0:
            finding = task.risk_checks.exclude(problems="").first()
            if finding is not None:
                information_from_risk_check(actor=office, check=finding)
