"""The demo's time: holidays, a cadence, this year's phases, an open self-inspection with units
in every state, a scheduled assessment, and the reminders of the day (a filled inbox)."""

import datetime

from django.utils import timezone

from schedules.choices import CalendarDayKind, CampaignKind, CampaignState, TaskState
from schedules.models import Cadence, CalendarDay, Campaign, CampaignTask
from schedules.services import (
    annual_self_inspection_open, campaign_create, phases_ensure, reminders_run, task_fill, task_review, task_submit,
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
        for index, task in enumerate(tasks[:9]):
            target = ("submitted", "accepted", "returned")[index % 3]
            staff = users.get(f"{task.unit.code.lower()}_staff")
            if staff is None:
                continue
            answers = {a.pk: {"implemented": True, "effective": index % 2 == 0,
                              "problems": "" if index % 2 == 0 else "个别措施佐证材料不全",
                              "plan": "" if index % 2 == 0 else "本月底前补齐佐证材料"} for a in task.answers.all()}
            task = task_fill(task=task, actor=staff, lock_version=task.lock_version,
                             summary="本单位对照风险点和防控措施逐项自查，岗位人员均完成廉洁自律、履职情况自查。", answers=answers)
            task_submit(task=task, actor=staff)
            if target != "submitted":
                task_review(task=task, actor=office, accept=target == "accepted",
                            comment="" if target == "accepted" else "请补充发现问题的整改时限。")

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
