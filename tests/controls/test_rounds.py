import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from controls.services import plan_save, round_open
from review.choices import Action, Status
from review.services import WorkflowError, review_transition
from riskpoints.models import RiskPoint, Round
from riskpoints.services import risk_carry_decide, risk_update
from tests.factories import RiskPointFactory


@pytest.fixture
def last_year(bureau, people):
    round_ = Round.objects.create(bureau=bureau.ju, year=2025)
    accepted = RiskPointFactory(unit=bureau.a, round=round_, title="审核走过场")
    draft = RiskPointFactory(unit=bureau.a, round=round_, title="只是草稿")
    plan_save(risk=accepted, actor=people.staff_a, lock_version=accepted.lock_version,
              measures=[{"kind": "system", "content": "审核清单", "responsible": people.head_a, "supervisor": None,
                         "due_date": datetime.date(2025, 12, 31)}])
    RiskPoint.objects.filter(pk=accepted.pk).update(status=Status.ACCEPTED)
    return round_, accepted, draft


def test_opening_a_year_carries_accepted_risks_with_their_plans(people, last_year):
    round_, accepted, draft = last_year
    new, carried = round_open(actor=people.office, year=2026)
    assert carried == 1
    copy = RiskPoint.objects.get(round=new)
    assert copy.previous == accepted and copy.carry_decision == "pending" and copy.status == Status.DRAFT
    assert copy.code.startswith("2026-A-")
    assert copy.plan.measures.get().due_date == datetime.date(2026, 12, 31)
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED and accepted.round == round_


def test_pending_carry_must_be_decided_before_submitting(people, last_year):
    new, _ = round_open(actor=people.office, year=2026)
    copy = RiskPoint.objects.get(round=new)
    with pytest.raises(WorkflowError, match="有无变化"):
        review_transition(item=copy, action=Action.SUBMIT, actor=people.staff_a)
    risk_carry_decide(risk=copy, actor=people.staff_a, decision="unchanged", lock_version=copy.lock_version)
    review_transition(item=copy, action=Action.SUBMIT, actor=people.staff_a)


def test_changing_a_carried_risk_marks_it_changed_and_shows_the_difference(people, last_year, client_for):
    new, _ = round_open(actor=people.office, year=2026)
    copy = RiskPoint.objects.get(round=new)
    data = {f: getattr(copy, f) for f in ("unit", "post", "power", "step", "finding_level", "kind", "found_by",
                                          "title", "description", "importance", "discretion", "probability", "harm", "level_reason")}
    risk_update(risk=copy, actor=people.staff_a, lock_version=copy.lock_version,
                data={**data, "description": "受请托压低罚款，审核意见前后矛盾。", "level": 2})
    copy.refresh_from_db()
    assert copy.carry_decision == "changed"
    html = client_for(people.staff_a).get(copy.get_absolute_url()).content.decode()
    assert "与 2025 年度相比" in html and "受请托压低罚款" in html


def test_retired_risks_leave_the_register(people, last_year, client_for):
    new, _ = round_open(actor=people.office, year=2026)
    copy = RiskPoint.objects.get(round=new)
    risk_carry_decide(risk=copy, actor=people.staff_a, decision="retired", lock_version=copy.lock_version)
    assert "审核走过场" not in client_for(people.staff_a).get(reverse("riskpoints:list")).content.decode()
    # Last year's round stays readable as it was.
    html = client_for(people.staff_a).get(reverse("riskpoints:list"), {"round": last_year[0].pk}).content.decode()
    assert "审核走过场" in html and "只是草稿" in html


@pytest.mark.parametrize("persona", ["staff_a", "head_a", "leader_a", "director"])
def test_only_the_office_opens_a_year(people, persona):
    with pytest.raises(PermissionDenied):
        round_open(actor=getattr(people, persona), year=2030)
    assert not Round.objects.filter(year=2030).exists()


def test_a_year_cannot_be_opened_twice(people, last_year):
    round_open(actor=people.office, year=2026)
    with pytest.raises(WorkflowError):
        round_open(actor=people.office, year=2026)
