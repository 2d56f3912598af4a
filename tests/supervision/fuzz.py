"""What the project-wide fuzz and link crawl need of supervision: a key rule, a filing of a
published key power, a 三重一大 matter, and the URL kwargs naming them."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from supervision.models import FilingImport, KeyPowerRule
from supervision.services import degrees_for, filing_create, matter_create


def supervision_seed(bureau, people, published):
    """``published``: a published penalty power of unit A (with its benchmark)."""
    rule = KeyPowerRule.objects.create(bureau=bureau.ju, kind="category", category="penalty")
    snapshot = published.published_record.snapshot
    steps = {s["name"]: s["id"] for s in snapshot["flow"]["steps"]}
    day = datetime.date(2026, 3, 2)
    filing = filing_create(actor=people.staff_a, power=published, done={steps["受理"]: day, steps["决定"]: day + datetime.timedelta(days=9)},
                           data={"case_number": "FUZZ-1", "party": "某公司", "opened_on": day, "closed_on": day + datetime.timedelta(days=9),
                                 "benchmark_id": snapshot["benchmark"][0]["id"], "stated_conditions": "", "base_amount": Decimal(100000),
                                 "fine_amount": Decimal(20000), "unit": None, "decision": "罚款"})
    matter = matter_create(actor=people.staff_a, members=[
        {"name": "局长", "title": "", "is_main_leader": True, "present": True, "speaking_order": 1, "opinion": "同意", "vote": "for"},
        {"name": "副局长", "title": "", "is_main_leader": False, "present": True, "speaking_order": 2, "opinion": "同意", "vote": "for"}],
        data={"unit": bureau.a, "kind": "project", "subject": "项目", "amount": None, "meeting": "会议", "meeting_date": day,
              "agenda": "", "consulted": True, "legal_reviewed": True, "decision": "同意", "decided_on": day})
    job = FilingImport.objects.create(created_by=people.staff_a, filename="案件.xlsx", state="done", created_count=1)
    return SimpleNamespace(rule=rule, filing=filing, matter=matter, power=published, job=job,
                           degree=degrees_for(bureau.ju).last())


def supervision_urls(seed, powers):
    power_kwargs = [{"pk": p.pk} for p in powers]
    return {
        "supervision:benchmark_edit": power_kwargs, "supervision:benchmark_import": power_kwargs,
        "supervision:benchmark_export": power_kwargs,
        "supervision:key_rule_delete": [{"pk": seed.rule.pk}],
        "supervision:filing_detail": [{"pk": seed.filing.pk}],
        "supervision:filing_edit": [{"pk": seed.filing.pk}],
        "supervision:filing_history": [{"pk": seed.filing.pk}],
        "supervision:filing_import_status": [{"pk": seed.job.pk}],
        "supervision:matter_detail": [{"pk": seed.matter.pk}],
        "supervision:matter_edit": [{"pk": seed.matter.pk}],
        "supervision:matter_history": [{"pk": seed.matter.pk}],
        "supervision:degree_delete": [{"pk": seed.degree.pk}],
    }
