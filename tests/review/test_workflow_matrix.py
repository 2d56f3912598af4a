"""Every role against every workflow step, both directions, through the service and the URL."""

import datetime

import pytest

from review.choices import Action, Status
from review.models import ReviewRecord
from review.services import WorkflowError, review_transition

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

KWARGS = dict(
    comment="请补充法律依据的具体条款。", meeting_date=datetime.date(2026, 11, 2),
    filed_on=datetime.date(2026, 11, 20), filing_reference="X法制备〔2026〕3号", filing_bodies=["legal"],
)


def put_in_state(power, status, submitter):
    power.status = status
    power.submitted_by = submitter if status != Status.DRAFT else None
    if status in (Status.ACCEPTED,):
        power.filed_on = datetime.date(2026, 11, 20)
    power.save()
    return power


CASES = [(s, a, p, p in allowed) for (s, a), allowed in ALLOWED.items() for p in PERSONAS]
CASES += [(s, a, p, False) for s, a in WRONG_STATE for p in PERSONAS]


@pytest.mark.parametrize("status,action,persona,allowed", CASES)
def test_transition_matrix(people, power_a, status, action, persona, allowed):
    put_in_state(power_a, status, people.staff_a)
    actor = getattr(people, persona)
    records_before = ReviewRecord.objects.count()
    history_before = power_a.history.count()
    if allowed:
        record = review_transition(item=power_a, action=action, actor=actor, **KWARGS)
        assert record.actor == actor and record.from_status == status
        power_a.refresh_from_db()
        assert power_a.status == (record.to_status)
    else:
        with pytest.raises(WorkflowError):
            review_transition(item=power_a, action=action, actor=actor, **KWARGS)
        power_a.refresh_from_db()
        assert power_a.status == status
        assert ReviewRecord.objects.count() == records_before
        assert power_a.history.count() == history_before


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


def test_full_path_leaves_a_record_per_step_with_the_approved_content(people, power_a):
    steps = [
        (Action.SUBMIT, people.staff_a), (Action.UNIT_APPROVE, people.head_a),
        (Action.LEADER_APPROVE, people.leader_a), (Action.ACCEPT, people.office),
        (Action.FILE, people.office), (Action.PUBLISH, people.office),
    ]
    for action, actor in steps:
        review_transition(item=power_a, action=action, actor=actor, **{**KWARGS, "comment": ""})
    records = list(ReviewRecord.objects.filter(object_id=power_a.pk).order_by("pk"))
    assert [r.action for r in records] == [a for a, _ in steps]
    assert [r.actor for r in records] == [u for _, u in steps]
    assert records[1].meeting_date == datetime.date(2026, 11, 2)
    assert all(r.snapshot["name"] == power_a.name for r in records)
    assert all(r.history_id for r in records)
    power_a.refresh_from_db()
    assert power_a.published_record == records[-1]
    # The history row a record points at holds the state the record moved the item to.
    hist = power_a.history.get(history_id=records[1].history_id)
    assert hist.status == Status.UNIT_APPROVED


def test_returned_item_can_be_resubmitted(people, power_a):
    put_in_state(power_a, Status.SUBMITTED, people.staff_a)
    review_transition(item=power_a, action=Action.RETURN, actor=people.head_a, comment="请补充")
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    power_a.refresh_from_db()
    assert power_a.status == Status.SUBMITTED
