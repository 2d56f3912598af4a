"""The notification email task on a real Celery worker, through the Redis of REDIS_URL."""

import pytest
from django.core import mail

from notices.models import Notification
from notices.services import notification_send
from notices.tasks import email_notification
from tests.waiting import refreshed_until


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_notification_is_emailed_once_by_a_real_worker(real_worker, people):
    mail.outbox = []
    note = notification_send(recipient=people.staff_a, subject="您提交的职权事项已被退回", body="请补充条款", url="/powers/1/")
    refreshed_until(note, lambda n: n.emailed_at, 30)
    assert note.emailed_at, "the worker did not send the notification within 30 s"
    # Sending the same notification again is a no-op: the worker reports nothing sent.
    assert email_notification.delay(note.pk).get(timeout=30) is None
    assert [m.to for m in mail.outbox] == [[people.staff_a.email]]
    assert "/powers/1/" in mail.outbox[0].body


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_result_comes_back_through_redis(real_worker, people):
    note = Notification.objects.create(recipient=people.head_a, subject="测试")
    assert email_notification.delay(note.pk).get(timeout=30) == people.head_a.email
