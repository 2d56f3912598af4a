"""Time the daily electronic check over many filings (default 100,000), in a transaction
that is rolled back: nothing stays in the database."""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from org.models import Unit, User
from powers.models import PowerItem
from review.models import ReviewRecord
from supervision.models import Filing, FilingStep
from supervision.services import filings_check

STEPS = [("立案", None, True), ("调查取证", 30, False), ("处罚告知", 3, False), ("处罚决定", 10, False), ("送达", 7, False)]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "电子监察的性能测试：生成大量备案（默认 10 万件），计时每日检查，最后回滚。"

    def add_arguments(self, parser):
        parser.add_argument("--filings", type=int, default=100_000)

    def handle(self, *args, filings, **options):
        try:
            with transaction.atomic():
                self.run(filings)
                raise Rollback
        except Rollback:
            pass

    def run(self, count):
        rnd = random.Random(13)  # nosec B311 # the same test data on every run, not a secret
        bureau = Unit.objects.create(code="BENCH-JU", name="性能测试局", kind="bureau")
        unit = Unit.objects.create(code="BENCH-A", name="性能测试大队", kind="brigade", parent=bureau)
        user = User.objects.create(username="bench-filer", unit=unit)
        power = PowerItem.objects.create(code="BENCH-CF-1", category="penalty", name="性能测试处罚", content="-", unit=unit,
                                         has_discretion=True, status="published")
        steps = [{"id": i, "name": name, "days": days, "immediate": immediate, "time_limit": ""}
                 for i, (name, days, immediate) in enumerate(STEPS, start=1)]
        edges = [{"source": i, "target": i + 1} for i in range(1, len(steps))]
        bench = {"id": 1, "circumstance": "未批先建", "degree": "general", "degree_label": "一般", "conditions": "尚可改正",
                 "penalty": "处 5%–10%", "fine_basis": "percent", "fine_min": "5", "fine_max": "10"}
        record = ReviewRecord.objects.create(
            content_type=ContentType.objects.get_for_model(PowerItem), object_id=power.pk, revision=1, action="publish",
            to_status="published", actor=user, snapshot={"flow": {"steps": steps, "edges": edges}, "benchmark": [bench]})
        today = datetime.date(2026, 11, 30)
        started = time.perf_counter()
        batch = 5000
        for first in range(0, count, batch):
            rows = []
            for n in range(first, min(count, first + batch)):
                opened = today - datetime.timedelta(days=rnd.randrange(8, 30))
                rows.append(Filing(power=power, unit=unit, flow_record=record, case_number=f"B{n:07d}", party="-",
                                   opened_on=opened, filed_by=user, benchmark=bench, stated_conditions="已改正",
                                   base_amount=Decimal(1_000_000),
                                   fine_amount=Decimal(120_000 if rnd.random() < 0.01 else 70_000)))
            Filing.objects.bulk_create(rows)
            step_rows = []
            for f in rows:
                # Most cases close in time; about one in a hundred has a step a week late.
                day, late = f.opened_on, rnd.random() < 0.01
                for sid, (name, days, _immediate) in enumerate(STEPS, start=1):
                    if sid > 1:
                        day += datetime.timedelta(days=1 + (7 if late and sid == 3 else 0))
                    step_rows.append(FilingStep(filing=f, step_id=sid, name=name, done_on=day))
                f.closed_on = day
            Filing.objects.bulk_update(rows, ["closed_on"])
            FilingStep.objects.bulk_create(step_rows)
        made = time.perf_counter() - started
        first = self.timed(today)
        again = self.timed(today)
        self.stdout.write(f"备案 {count} 件（生成用时 {made:.1f} 秒）")
        for label, (result, seconds, queries) in (("每日检查", first), ("再次检查", again)):
            self.stdout.write(f"{label}：检查 {result['checked']} 件，新发现 {result['raised']} 个问题，"
                              f"用时 {seconds:.1f} 秒，SQL {queries} 次")

    def timed(self, today):
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(1)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            result = filings_check(on_date=today)
            return result, time.perf_counter() - started, len(queries)
