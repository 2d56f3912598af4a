"""One way for tests to take an item through review: the personas of ``tests.conftest.people``
act in turn, as they would in the application."""

import datetime

from django.utils import timezone

from review.choices import Action, Status
from review.services import review_transition
from review.workflow import TRANSITIONS

# Each step, who takes it (a persona name without its unit suffix), and the state it reaches.
STEPS = (
    (Action.SUBMIT, "staff", Status.SUBMITTED),
    (Action.UNIT_APPROVE, "head", Status.UNIT_APPROVED),
    (Action.LEADER_APPROVE, "leader", Status.LEADER_APPROVED),
    (Action.ACCEPT, "office", Status.ACCEPTED),
    (Action.FILE, "office", Status.ACCEPTED),
    (Action.PUBLISH, "office", Status.PUBLISHED),
)


def step_fields(**over):
    """What each step may ask for (meeting date, filing), filled in."""
    today = timezone.localdate()
    return {"comment": "", "meeting_date": today, "filed_on": today, "filing_reference": "备1",
            "filing_bodies": ["legal"], **over}


def walk(item, people, to=Status.PUBLISHED, *, unit="a", **fields):
    """Take ``item`` (of unit A, or of B with ``unit="b"``) from wherever it is in review on
    until it reaches ``to``; filing is skipped for items that do not need it. Extra
    ``fields`` (a comment, a meeting date) go to every step. Returns the refreshed item."""
    fields = step_fields(**fields)
    item.refresh_from_db()  # a service may have changed the row behind this object
    for action, persona, reached in STEPS:
        if item.status == to:
            break
        if item.status not in TRANSITIONS[action].sources:  # a step already taken
            continue
        if action == Action.FILE and (not item.requires_filing or to != Status.PUBLISHED):
            continue
        actor = getattr(people, persona if persona == "office" else f"{persona}_{unit}")
        review_transition(item=item, action=action, actor=actor, **fields)
        item.refresh_from_db()
    assert item.status == to, f"{item} stopped at {item.status}, not {to}"
    return item


def put_in_state(item, status, submitter, filed_on=datetime.date(2026, 11, 20)):
    """Set ``item`` straight into ``status`` as if ``submitter`` had sent it (no trail): for
    tests of one step in isolation."""
    item.status = status
    item.submitted_by = submitter if status != Status.DRAFT else None
    item.submitted_at = timezone.now() if status != Status.DRAFT else None
    if status == Status.ACCEPTED:
        item.filed_on = filed_on
    item.save()
    return item
