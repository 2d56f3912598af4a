import datetime

import pytest

from controls.models import ControlPlan, Measure
from tests.factories import RiskPointFactory

TODAY = datetime.date(2026, 12, 1)  # a Tuesday


@pytest.fixture
def make_measure(bureau, people):
    """A measure of a risk point of unit A, carried out by A's staff member, due on ``due``."""
    def make(due, responsible=None, level=2):
        risk = RiskPointFactory(unit=bureau.a, level=level)
        plan, _ = ControlPlan.objects.get_or_create(risk_point=risk)
        return Measure.objects.create(plan=plan, kind="control", content="重大处罚案件集体讨论", due_date=due,
                                      responsible=responsible or people.staff_a)
    return make
