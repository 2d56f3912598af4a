import datetime

import pytest

from controls.services import plan_save
from review.choices import Status
from tests.factories import PostFactory, RiskPointFactory, UserFactory
from tests.workflow import walk

DUE = datetime.date(2026, 12, 31)


@pytest.fixture
def post_a(bureau):
    return PostFactory(unit=bureau.a, name="巡查员")


@pytest.fixture
def holder(bureau, post_a):
    return UserFactory(username="holder_a", unit=bureau.a, post=post_a, roles=["staff"], real_name="王建国")


def planned_risk(people, unit, post=None, title="违建不制止不上报", to=None):
    """A 二级 risk point of ``unit`` with a one-measure plan, taken through review to ``to``."""
    risk = RiskPointFactory(unit=unit, post=post, title=title)
    head = people.head_a if unit.code == "A" else people.head_b
    plan_save(risk=risk, actor=head, lock_version=risk.lock_version,
              measures=[{"kind": "control", "content": "双人巡查、执法记录仪全程摄录", "responsible": head,
                         "supervisor": None, "due_date": DUE}])
    if to:
        walk(risk, people, to, unit=unit.code.lower(), meeting_date=DUE)
    risk.refresh_from_db()
    return risk


@pytest.fixture
def accepted_risk(people, bureau, post_a, holder, open_year):
    return planned_risk(people, bureau.a, post_a, to=Status.PUBLISHED)
