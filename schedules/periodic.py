"""Every periodic task of the programme and its default schedule, in one place.

``migrate`` creates the entries that are missing (a post-migrate step of this app); from
then on the office edits them on 期限与提醒 → 定时任务 (or an administrator in /admin/), and
beat's database scheduler picks the change up. Times are the bureau's (Asia/Shanghai).
"""

from django.utils.translation import gettext_noop as _noop

# (entry name, task, crontab: minute, hour, day of month, month of year, what it does)
PERIODIC_TASKS = (
    (_noop("期限提醒与逾期督办"), "schedules.tasks.send_reminders", "0", "8", "*", "*",
     _noop("防控措施、检查验收任务、工作阶段、待研判信息等期限的提醒和逾期督办")),
    (_noop("开启到期的检查验收"), "schedules.tasks.open_campaigns", "30", "7", "*", "*",
     _noop("开始日期已到的检查验收开启，每个单位一项任务")),
    (_noop("年度自查"), "schedules.tasks.open_annual_self_inspection", "0", "7", "1", "12",
     _noop("建立并开启本年度廉政风险防控自查")),
    (_noop("每日消息汇总邮件"), "notices.tasks.send_digests", "0", "18", "*", "*",
     _noop("给选择了每日汇总的人发一封当天消息的汇总邮件")),
    (_noop("电子监察每日检查"), "supervision.tasks.check_filings_daily", "30", "1", "*", "*",
     _noop("检查未办结和 30 天内办结的重点权力备案：超时限、跳过环节、顺序不符、超出裁量基准")),
    (_noop("工作台统计"), "dashboards.tasks.refresh_dashboards", "*/5", "*", "*", "*",
     _noop("预先统计局领导、分管领导和防控办工作台的数字，打开首页不必等待")),
)


def ensure_periodic_tasks(CrontabSchedule, PeriodicTask, timezone="Asia/Shanghai"):
    """Create the entries that are missing; an entry the office changed is left as it is."""
    for name, task, minute, hour, day, month, description in PERIODIC_TASKS:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week="*", timezone=timezone)
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab, description=description, enabled=True)
