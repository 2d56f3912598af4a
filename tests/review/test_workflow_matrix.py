"""Every role against every workflow step, both directions, for each reviewable kind: powers,
and risk points with their control plans; and every role against editing a plan in each state."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from controls.models import Measure
from controls.services import plan_save
from review.choices import Action, Status
from review.models import ReviewRecord
from review.services import WorkflowError, review_transition
from tests.factories import RiskPointFactory
from tests.workflow import STEPS, put_in_state, step_fields, walk

PERSONAS = [
    "staff_a", "staff_a2", "squad_staff", "head_a", "staff_b", "head_b",
    "leader_a", "leader_b", "office", "director", "nobody",
]

# (state the item is in, action) -> personas allowed; the item belongs to unit A and was
# submitted by staff_a.
ALLOWED = {
    (Status.DRAFT, Action.SUBMIT): {"staff_a", "staff_a2", "head_a"},
    (Status.RETURNED, Action.SUBMIT): {"staff_a", "staff_a2", "head_a"},
    (Status.SUBMITTED, Action.UNIT_APPROVE): {"head_a"},
    (Status.SUBMITTED, Action.RETURN): {"head_a"},
    (Status.UNIT_APPROVED, Action.LEADER_APPROVE): {"leader_a"},
    (Status.UNIT_APPROVED, Action.RETURN): {"leader_a"},
    (Status.LEADER_APPROVED, Action.ACCEPT): {"office"},
    (Status.LEADER_APPROVED, Action.RETURN): {"office"},
    (Status.ACCEPTED, Action.FILE): {"office"},
    (Status.ACCEPTED, Action.PUBLISH): {"office"},
    (Status.ACCEPTED, Action.RETURN): {"office"},
}
# Actions that make no sense in a state are refused to everybody.
WRONG_STATE = [
    (Status.DRAFT, Action.UNIT_APPROVE), (Status.DRAFT, Action.PUBLISH), (Status.DRAFT, Action.RETURN),
    (Status.SUBMITTED, Action.ACCEPT), (Status.SUBMITTED, Action.SUBMIT),
    (Status.PUBLISHED, Action.RETURN), (Status.PUBLISHED, Action.PUBLISH), (Status.RETURNED, Action.UNIT_APPROVE),
]

KWARGS = step_fields(comment="请补充法律依据的具体条款。", meeting_date=datetime.date(2026, 11, 2),
                     filed_on=datetime.date(2026, 11, 20), filing_reference="X法制备〔2026〕3号")
DUE = datetime.date(2026, 12, 31)


def risk_with_plan(bureau, people):
    """A risk point of unit A with a complete control plan: the office may accept it."""
    risk = RiskPointFactory(unit=bureau.a, title="审核走过场")
    plan_save(risk=risk, actor=people.staff_a, lock_version=risk.lock_version,
              measures=[{"kind": "control", "content": "双人审核", "responsible": people.head_a,
                         "supervisor": None, "due_date": DUE}])
    risk.refresh_from_db()
    return risk


@pytest.fixture(params=["power", "risk"])
def item(request, bureau, people, power_a):
    """Each reviewable kind of unit A: a power, and a risk point with its control plan."""
    return power_a if request.param == "power" else risk_with_plan(bureau, people)


CASES = [(s, a, p, p in allowed) for (s, a), allowed in ALLOWED.items() for p in PERSONAS]
CASES += [(s, a, p, False) for s, a in WRONG_STATE for p in PERSONAS]


@pytest.mark.parametrize("status,action,persona,allowed", CASES)
def test_transition_matrix(people, item, status, action, persona, allowed):
    put_in_state(item, status, people.staff_a)
    actor = getattr(people, persona)
    records_before = ReviewRecord.objects.count()
    history_before = item.history.count()
    if allowed:
        record = review_transition(item=item, action=action, actor=actor, **KWARGS)
        assert record.actor == actor and record.from_status == status
        item.refresh_from_db()
        assert item.status == (record.to_status)
    else:
        with pytest.raises(WorkflowError):
            review_transition(item=item, action=action, actor=actor, **KWARGS)
        item.refresh_from_db()
        assert item.status == status
        assert ReviewRecord.objects.count() == records_before
        assert item.history.count() == history_before


# A plan is part of its risk point's content: its unit's editors change it while the risk point
# is editable (a published one then starts a new revision), nobody while it is under review.
PLAN_EDITORS = {"staff_a", "staff_a2", "head_a"}
PLAN_CASES = [(s, p, s in (Status.DRAFT, Status.RETURNED, Status.PUBLISHED) and p in PLAN_EDITORS)
              for s in Status.values for p in PERSONAS]


@pytest.mark.parametrize("status,persona,allowed", PLAN_CASES)
def test_plan_edit_matrix(people, bureau, status, persona, allowed):
    risk = put_in_state(risk_with_plan(bureau, people), status, people.staff_a)
    before = list(Measure.objects.values_list("content", flat=True))
    change = [{"kind": "control", "content": "改为三人审核", "responsible": people.head_a, "supervisor": None,
               "due_date": DUE}]
    if allowed:
        plan_save(risk=risk, actor=getattr(people, persona), lock_version=risk.lock_version, measures=change)
        assert list(Measure.objects.values_list("content", flat=True)) == ["改为三人审核"]
    else:
        with pytest.raises((WorkflowError, PermissionDenied, ValidationError)):
            plan_save(risk=risk, actor=getattr(people, persona), lock_version=risk.lock_version, measures=change)
        assert list(Measure.objects.values_list("content", flat=True)) == before


def test_unit_head_cannot_approve_own_submission(people, power_a):
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.head_a)
    with pytest.raises(WorkflowError, match="不能审批自己提交的事项"):
        review_transition(item=power_a, action=Action.UNIT_APPROVE, actor=people.head_a, meeting_date=datetime.date.today())
    power_a.refresh_from_db()
    assert power_a.status == Status.SUBMITTED


def test_office_cannot_accept_what_it_submitted(people, bureau):
    from tests.factories import PowerItemFactory

    own = PowerItemFactory(unit=bureau.fkb)
    put_in_state(own, Status.LEADER_APPROVED, people.office)
    with pytest.raises(WorkflowError, match="不能审批自己提交的事项"):
        review_transition(item=own, action=Action.ACCEPT, actor=people.office)


def test_return_without_comment_is_refused_and_changes_nothing(people, power_a):
    put_in_state(power_a, Status.SUBMITTED, people.staff_a)
    for blank in ("", "   "):
        with pytest.raises(WorkflowError, match="退回时必须填写退回意见"):
            review_transition(item=power_a, action=Action.RETURN, actor=people.head_a, comment=blank)
    power_a.refresh_from_db()
    assert power_a.status == Status.SUBMITTED
    assert not ReviewRecord.objects.filter(action=Action.RETURN).exists()


def test_unit_review_needs_meeting_date(people, power_a):
    put_in_state(power_a, Status.SUBMITTED, people.staff_a)
    with pytest.raises(WorkflowError, match="集体审定的日期"):
        review_transition(item=power_a, action=Action.UNIT_APPROVE, actor=people.head_a)


def test_publish_requires_filing(people, power_a):
    put_in_state(power_a, Status.ACCEPTED, people.staff_a)
    power_a.filed_on = None
    power_a.save()
    with pytest.raises(WorkflowError, match="备案"):
        review_transition(item=power_a, action=Action.PUBLISH, actor=people.office)
    review_transition(item=power_a, action=Action.FILE, actor=people.office, **KWARGS)
    review_transition(item=power_a, action=Action.PUBLISH, actor=people.office)
    power_a.refresh_from_db()
    assert power_a.status == Status.PUBLISHED and power_a.filing_reference == "X法制备〔2026〕3号"


def test_full_path_leaves_a_record_per_step_with_the_approved_content(people, item):
    walk(item, people, **{**KWARGS, "comment": ""})
    records = list(ReviewRecord.objects.filter(object_id=item.pk, content_type__model=item._meta.model_name)
                   .exclude(action=Action.CREATE).order_by("pk"))
    steps = [(a, p) for a, p, _reached in STEPS if a != Action.FILE or item.requires_filing]
    assert [r.action for r in records] == [a for a, _ in steps]
    assert [r.actor for r in records] == [getattr(people, p if p == "office" else f"{p}_a") for _, p in steps]
    assert records[1].meeting_date == datetime.date(2026, 11, 2)
    assert all(r.snapshot["code"] == item.code for r in records)
    assert all(r.history_id for r in records)
    item.refresh_from_db()
    assert item.published_record == records[-1]
    # The history row a record points at holds the state the record moved the item to.
    hist = item.history.get(history_id=records[1].history_id)
    assert hist.status == Status.UNIT_APPROVED


def test_returned_item_can_be_resubmitted(people, power_a):
    put_in_state(power_a, Status.SUBMITTED, people.staff_a)
    review_transition(item=power_a, action=Action.RETURN, actor=people.head_a, comment="请补充")
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    power_a.refresh_from_db()
    assert power_a.status == Status.SUBMITTED
