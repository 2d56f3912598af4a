import datetime

from django.core.management.base import BaseCommand, CommandError

from supervision.services import filings_check


class Command(BaseCommand):
    help = "电子监察：检查未办结和近期办结的重点权力运行事项备案（时限、流程顺序、裁量基准）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天检查（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        result = filings_check(on_date=day)
        self.stdout.write(self.style.SUCCESS(f"检查了 {result['checked']} 件备案，新发现 {result['raised']} 个问题。"))
