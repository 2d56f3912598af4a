from schedules.management.dated import DatedTaskCommand
from schedules.tasks import send_reminders


class Command(DatedTaskCommand):
    help = "发送某一天到期的提醒和逾期督办（默认今天），与每天 8:00 的定时任务相同；可重复执行。"
    task = send_reminders
    done = "已发送 {n} 项提醒。"
