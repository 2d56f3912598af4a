"""Seeding of electronic supervision for ``seed_demo``: benchmarks of the demo powers (before
they go through review), holidays, key-power rules, a year of filings with a realistic few
late or out of range, and the bureau's 三重一大 records with one rule breach."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from demo.data import powers as power_data
from demo.data import supervision as data
from powers.models import PowerItem
from schedules.services import work_calendar
from supervision.models import Filing, KeyPowerRule, Matter
from supervision.services import benchmark_save, degree_get, filing_create, matter_create, needs_benchmark
from supervision.workdays import add_workdays


def benchmark_rows(power):
    """The demo benchmark of ``power`` as rows for ``benchmark_save``."""
    if power.code in data.BENCHMARKS:
        return [dict(zip(("circumstance", "degree", "conditions", "penalty", "fine_basis", "fine_min", "fine_max", "legal_basis"),
                         (c, d, cond, p, basis, Decimal(lo), Decimal(hi), basis_text + data.DEMO)))
                for c, d, cond, p, basis, lo, hi, basis_text in data.BENCHMARKS[power.code]]
    circumstance = power.name.removeprefix("对").removesuffix("的处罚")
    if power.category == "penalty":
        flow = next(r["flow"] for r in power_data.POWERS if r["code"] == power.code)
        cap = Decimal(data.CAPS.get(power.code, data.DEFAULT_CAPS.get(flow, 5000)))
        middle = (cap * Decimal("0.4")).quantize(Decimal("1"))
        return [
            {"circumstance": circumstance, "degree": "minor", "conditions": "初次违法、危害后果轻微并及时改正",
             "penalty": "责令改正，可以不予行政处罚或给予警告", "fine_basis": "none", "fine_min": None, "fine_max": None,
             "legal_basis": data.LOCAL_BASIS},
            {"circumstance": circumstance, "degree": "general", "conditions": "经责令改正后改正，未造成明显危害后果",
             "penalty": f"责令改正，处{middle}元以下罚款", "fine_basis": "amount", "fine_min": Decimal(0), "fine_max": middle,
             "legal_basis": data.LOCAL_BASIS},
            {"circumstance": circumstance, "degree": "severe", "conditions": "拒不改正、一年内再次违法或造成较大社会影响",
             "penalty": f"责令改正，处{middle}元以上{cap}元以下罚款", "fine_basis": "amount", "fine_min": middle,
             "fine_max": cap, "legal_basis": data.LOCAL_BASIS},
        ]
    rows = data.COERCION_ROWS if power.category == "coercion" else data.LICENSING_ROWS
    return [{"circumstance": c, "degree": d, "conditions": cond, "penalty": p, "fine_basis": basis, "fine_min": None,
             "fine_max": None, "legal_basis": data.LOCAL_BASIS} for c, d, cond, p, basis in rows]


def seed_benchmark(power, actor):
    """Give a new demo power needing one its benchmark, as its unit would before submitting."""
    if needs_benchmark(power) and not power.benchmark_rows.exists():
        power.refresh_from_db()
        rows = [{**row, "degree": degree_get(power.unit.bureau, row["degree"])} for row in benchmark_rows(power)]
        benchmark_save(power=power, actor=actor, lock_version=power.lock_version, rows=rows)


def seed_supervision(units, users):
    """Holidays, key-power rules, a year of filings and the 三重一大 register (once)."""
    today = timezone.localdate()
    bureau = units["JU"]  # holidays and 调休 days: the office's calendar (demo/schedules_demo.py)
    KeyPowerRule.objects.get_or_create(bureau=bureau, kind="category", category="penalty")
    KeyPowerRule.objects.get_or_create(bureau=bureau, kind="level", level=1)
    if not Filing.objects.exists():
        seed_filings(users, today)
    if not Matter.objects.exists():
        seed_matters(units, users, today)


def _case_dates(rnd, steps, path, opened, calendar, today, late):
    """Dates along ``path``: each step within its limit, one step ``late`` working days over."""
    done, day = {}, opened
    late_at = rnd.randrange(1, len(path)) if late else None
    for i, key in enumerate(path):
        step = steps[key]
        limit = 0 if step["days"] is None else step["days"]
        used = limit + late if i == late_at else rnd.randint(0, max(0, limit * 2 // 3))
        day = add_workdays(day, used, calendar) if i else opened
        if day > today:
            return done, False
        done[step["id"]] = day
    return done, True


def seed_filings(users, today):
    rnd = random.Random(13)  # nosec B311 # the same demo data on every run, not a secret
    calendar = work_calendar(users["office"].unit.bureau.pk).exceptions()
    flows = {r["code"]: r["flow"] for r in power_data.POWERS}
    powers = [p for p in PowerItem.objects.filter(category="penalty", published_record__isnull=False).select_related(
        "unit", "published_record").order_by("code") if flows.get(p.code) in data.CASE_PATHS]
    start = datetime.date(today.year, 1, 5)
    number = 0
    for power in powers:
        snapshot = power.published_record.snapshot
        by_name = {s["name"]: s for s in snapshot["flow"]["steps"]}
        steps = {s["key"]: by_name[s["name"]] for s in power_data.FLOWS[flows[power.code]]["steps"] if s["name"] in by_name}
        rows = snapshot.get("benchmark") or []
        staff = users[f"{power.unit.code.lower()}_staff"]
        for _i in range(rnd.randint(15, 25)):
            number += 1
            opened = start + datetime.timedelta(days=rnd.randrange(max(1, (today - start).days - 10)))
            while opened.weekday() >= 5 or calendar.get(opened) is False:
                opened += datetime.timedelta(days=1)
            if opened > today:
                continue
            path = rnd.choice(data.CASE_PATHS[flows[power.code]])
            done, finished = _case_dates(rnd, steps, path, opened, calendar, today, late=rnd.randint(1, 3) if rnd.random() < 0.05 else 0)
            case = {"case_number": f"{power.unit.code}罚〔{today.year}〕{number:04d}号", "party": rnd.choice(data.PARTY_NAMES),
                    "opened_on": opened, "closed_on": max(done.values()) if finished else None, "unit": power.unit,
                    "decision": "", "benchmark_id": None}
            if rows:
                row = rnd.choice(rows)
                case.update(_penalty(rnd, row))
            filing_create(actor=staff, power=power, data=case, done=done)


def _penalty(rnd, row):
    """A decision inside the row's range; now and then outside it, or without its conditions."""
    low = Decimal(row["fine_min"] or 0)
    high = Decimal(row["fine_max"] or 0)
    base = None
    if row["fine_basis"] == "percent":
        base = Decimal(rnd.randrange(20, 600) * 10000)
        low, high = base * low / 100, base * high / 100
    fine = None if row["fine_basis"] == "none" else (low + (high - low) * Decimal(rnd.random())).quantize(Decimal("100"))
    if fine is not None and rnd.random() < 0.04:
        fine = (high * Decimal("1.3")).quantize(Decimal("100"))
    decision = f"{row['penalty']}" + (f"，罚款 {fine:,.0f} 元" if fine else "")
    stated = "" if rnd.random() < 0.03 else "经调查：" + row["conditions"]
    return {"benchmark_id": row["id"], "stated_conditions": stated, "base_amount": base, "fine_amount": fine,
            "decision": decision}


def seed_matters(units, users, today):
    recorder = users["bgs_staff"]
    for kind, subject, amount, days_ago, leader_first, consulted, legal, meeting in data.MATTERS:
        day = today - datetime.timedelta(days=days_ago)
        members = []
        if meeting:
            main, *others = data.BOARD  # the main leader first in the list
            orders = range(2, len(data.BOARD) + 1) if leader_first else range(1, len(data.BOARD))
            spoken = [(main, 1 if leader_first else len(data.BOARD))] + list(zip(others, orders))
            members = [{"name": name, "title": title, "is_main_leader": is_main, "present": True, "speaking_order": order,
                        "opinion": "综合大家意见，同意。" if is_main else "同意。", "vote": "for"}
                       for (name, title, is_main), order in spoken]
        matter_create(actor=recorder, members=members, data={
            "unit": units["BGS"], "kind": kind, "subject": subject, "amount": Decimal(amount) if amount else None,
            "meeting": meeting, "meeting_date": day if meeting else None, "agenda": f"审议{subject}",
            "consulted": consulted, "legal_reviewed": legal, "decision": "同意。", "decided_on": day})
