import datetime
from decimal import Decimal

import pytest

from supervision.models import KeyPowerRule
from tests import workflow
from tests.factories import PowerItemFactory

# A Monday in a week without holidays: the limits below are counted from it.
MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def key_power(people, bureau):
    """A published penalty of unit A (受理, immediate → 决定, 5 working days; benchmark 5–10 %
    of the construction cost), key by its category."""
    KeyPowerRule.objects.create(bureau=bureau.ju, kind="category", category="penalty")
    return workflow.walk(PowerItemFactory(unit=bureau.a, name="对未批先建的处罚"), people)


def flow_ids(power):
    steps = power.published_record.snapshot["flow"]["steps"]
    return {s["name"]: s["id"] for s in steps}


def benchmark_id(power):
    return power.published_record.snapshot["benchmark"][0]["id"]


def case(power, number="案-1", opened=MONDAY, decided=None, closed=None, **extra):
    """The data and step dates of one case: 受理 on the day it was opened, 决定 on ``decided``;
    a fine of 6 % of the cost, inside the benchmark's 5–10 %."""
    ids = flow_ids(power)
    done = {ids["受理"]: opened}
    if decided:
        done[ids["决定"]] = decided
    data = {"case_number": number, "party": "某置业有限公司", "opened_on": opened, "closed_on": closed,
            "decision": "", "unit": None, "benchmark_id": benchmark_id(power), "stated_conditions": "已停工并申请补办",
            "base_amount": Decimal("1000000"), "fine_amount": Decimal("60000"), **extra}
    return data, done
