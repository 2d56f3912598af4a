from schedules.management.dated import DatedTaskCommand
from schedules.tasks import open_annual_self_inspection


class Command(DatedTaskCommand):
    help = "建立并开启该日期所在年度的年度自查（已存在则不重复），与每年 12 月 1 日的定时任务相同。"
    task = open_annual_self_inspection
    done = "年度自查新开任务 {n} 项。"
