"""A ``manage.py`` command that runs one periodic task by hand for a given day (catch-up after
downtime, tests): ``--date 2026-12-01``, today by default."""

import datetime

from django.core.management.base import BaseCommand, CommandError


class DatedTaskCommand(BaseCommand):
    task = None  # the Celery task, run in this process
    done = "{n}"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="日期，如 2026-12-01（默认今天）")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from None
        n = self.task.run(date)
        self.stdout.write(self.done.format(n=n))
