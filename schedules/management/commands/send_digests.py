from django.core.management.base import CommandError

from notices.tasks import DigestsNotSent, send_digests
from schedules.management.dated import DatedTaskCommand


class Command(DatedTaskCommand):
    help = "发送某一天的每日消息汇总邮件（默认今天），与每天 18:00 的定时任务相同；可重复执行。"
    task = send_digests
    done = "已发送汇总邮件 {n} 封。"

    def handle(self, *args, **options):
        try:
            super().handle(*args, **options)
        except DigestsNotSent as exc:
            raise CommandError(f"{exc}再次执行本命令即可补发。") from exc
