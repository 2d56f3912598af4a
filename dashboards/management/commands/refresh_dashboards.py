from django.core.management.base import BaseCommand

from dashboards.tasks import refresh_dashboards


class Command(BaseCommand):
    help = "重新统计局领导、分管领导和防控办的工作台（与每 5 分钟一次的定时任务相同）。"

    def handle(self, *args, **options):
        self.stdout.write(f"已统计工作台 {refresh_dashboards.run()} 个。")
