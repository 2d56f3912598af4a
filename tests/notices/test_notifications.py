from django.urls import reverse

from notices.models import Notification
from notices.services import notification_send
from notices.tasks import email_notification


def test_same_key_is_delivered_once(people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_send(recipient=people.staff_a, subject="提醒", key="r:1")
        second = notification_send(recipient=people.staff_a, subject="提醒", key="r:1")
    assert first is not None and second is None
    assert Notification.objects.count() == 1 and len(mailoutbox) == 1


def test_task_does_not_send_twice(people, mailoutbox):
    note = Notification.objects.create(recipient=people.staff_a, subject="提醒")
    assert email_notification(note.pk) == people.staff_a.email
    assert email_notification(note.pk) is None
    assert len(mailoutbox) == 1


def test_inbox_shows_only_own_messages_and_marks_read(people, client_for):
    mine = Notification.objects.create(recipient=people.staff_a, subject="给甲的消息")
    Notification.objects.create(recipient=people.staff_b, subject="给乙的消息")
    client = client_for(people.staff_a)
    html = client.get(reverse("notices:inbox")).content.decode()
    assert "给甲的消息" in html and "给乙的消息" not in html
    client.post(reverse("notices:mark_read"))
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Notification.objects.get(subject="给乙的消息").read_at is None
