"""Every periodic task of the programme; each is also a ``manage.py`` command taking ``--date``.

Beat entries (django-celery-beat's database scheduler, created by ``migrate``, edited by the
office on 期限与提醒 → 定时任务): see ``schedules.periodic.PERIODIC_TASKS``."""

import datetime

from celery import shared_task


def _day(date):
    return datetime.date.fromisoformat(date) if date else None


@shared_task(time_limit=3600, soft_time_limit=3500)
def send_reminders(date=None):
    """Reminders and escalations due on ``date`` (ISO; default today); returns the steps sent."""
    from .services import reminders_run

    return reminders_run(today=_day(date))


@shared_task
def open_campaigns(date=None):
    """Open the scheduled campaigns whose start date has come; returns the tasks created."""
    from .services import campaigns_open_due

    return campaigns_open_due(today=_day(date))


@shared_task
def open_annual_self_inspection(date=None):
    """Create and open this year's self-inspection (年度自查) in every bureau; returns the tasks
    created (none when it exists already)."""
    from .services import annual_self_inspection_open

    return annual_self_inspection_open(today=_day(date))
