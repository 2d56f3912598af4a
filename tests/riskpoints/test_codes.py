"""Register numbers: one counter per unit and year, read as a number, never repeated."""

import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection

from riskpoints.models import RiskCodeCounter, RiskPoint
from riskpoints.services import risk_create
from tests.factories import RiskPointFactory


def data(bureau, **over):
    return {"unit": bureau.a, "kind": "system", "finding_level": "department", "found_by": "self",
            "title": "审核走过场", "description": "审核不到位。", "importance": 2, "discretion": 2,
            "probability": 2, "harm": 2, "level": 2, **over}


def test_the_thousandth_follows_the_999th_and_later_ones_still_register(people, bureau, open_year):
    year = open_year.year
    RiskPointFactory(unit=bureau.a, code=f"{year}-A-999")
    codes = [risk_create(actor=people.staff_a, data=data(bureau, title=f"第{i}个")).code for i in range(3)]
    assert codes == [f"{year}-A-1000", f"{year}-A-1001", f"{year}-A-1002"]


def test_numbers_keep_three_digits_and_are_counted_per_unit(people, bureau, open_year):
    year = open_year.year
    a = risk_create(actor=people.staff_a, data=data(bureau))
    b = risk_create(actor=people.staff_b, data=data(bureau, unit=bureau.b))
    a2 = risk_create(actor=people.staff_a, data=data(bureau, title="第二个"))
    assert (a.code, b.code, a2.code) == (f"{year}-A-001", f"{year}-B-001", f"{year}-A-002")
    assert RiskCodeCounter.objects.get(unit=bureau.a).last == 2


def test_migration_starts_counters_at_the_numeric_maximum(bureau, open_year):
    year = open_year.year
    for n in (7, 999, 1000, 12):
        RiskPointFactory(unit=bureau.a, code=f"{year}-A-{n:03d}")
    RiskPointFactory(unit=bureau.b, code=f"{year}-B-004")
    RiskCodeCounter.objects.all().delete()
    migration = importlib.import_module("riskpoints.migrations.0002_risk_code_counter")
    migration.highest_numbers(apps, None)
    assert dict(RiskCodeCounter.objects.values_list("unit__code", "last")) == {"A": 1000, "B": 4}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_get_distinct_numbers(people, bureau, open_year):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL 的行锁（SQLite 的内存测试库不支持多线程并发写入）")
    barrier = threading.Barrier(6)
    failures = []

    def register(i):
        try:
            barrier.wait()
            risk_create(actor=people.staff_a, data=data(bureau, title=f"并发{i}"))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures
    codes = sorted(RiskPoint.objects.values_list("code", flat=True))
    assert len(set(codes)) == 6 and codes[-1].endswith("-006")
