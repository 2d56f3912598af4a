from schedules.management.dated import DatedTaskCommand
from schedules.tasks import open_campaigns


class Command(DatedTaskCommand):
    help = "开启开始日期已到的检查验收（默认今天），与每天 7:30 的定时任务相同；可重复执行。"
    task = open_campaigns
    done = "新开任务 {n} 项。"
