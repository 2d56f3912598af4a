"""Two people acting on the same item at the same moment: one wins, the other is refused."""

import threading

import pytest
from django.db import connection

from review.choices import Action, Status
from review.models import ReviewRecord
from review.services import WorkflowError, review_transition


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_leave_one_record(people, power_a, bureau):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL 的行锁（SQLite 的内存测试库不支持多线程并发写入）")
    from tests.factories import UserFactory

    second_head = UserFactory(username="head_a2", unit=bureau.a, roles=["unit_head", "staff"])
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(actor, action, **kw):
        try:
            barrier.wait()
            review_transition(item=power_a, action=action, actor=actor, **kw)
            outcomes.append("ok")
        except WorkflowError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(people.head_a, Action.UNIT_APPROVE), kwargs={"meeting_date": "2026-11-20"}),
        threading.Thread(target=approve, args=(second_head, Action.RETURN), kwargs={"comment": "请补充"}),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    power_a.refresh_from_db()
    assert power_a.status in (Status.UNIT_APPROVED, Status.RETURNED)
    assert ReviewRecord.objects.filter(object_id=power_a.pk, action__in=[Action.UNIT_APPROVE, Action.RETURN]).count() == 1
