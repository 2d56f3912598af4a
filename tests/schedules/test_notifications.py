"""Events that hand someone work notify them; email per kind, or one daily digest."""

import smtplib

import pytest
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.urls import reverse

from notices.models import Notification
from notices.services import notification_send
from review.choices import Status
from tests.factories import PowerItemFactory
from tests.workflow import walk


def test_a_submission_tells_the_unit_head_and_an_approval_tells_the_leader(bureau, people):
    item = walk(PowerItemFactory(unit=bureau.a), people, to=Status.SUBMITTED)
    note = Notification.objects.get(recipient=people.head_a)
    assert note.kind == "review" and note.url == item.get_absolute_url() and "待您审核" in note.subject
    assert not Notification.objects.filter(recipient__in=[people.head_b, people.leader_a]).exists()
    walk(item, people, to=Status.UNIT_APPROVED)
    assert Notification.objects.filter(recipient=people.leader_a, subject__contains="待您审批").count() == 1
    assert not Notification.objects.filter(recipient=people.leader_b).exists()
    walk(item, people, to=Status.LEADER_APPROVED)
    assert Notification.objects.filter(recipient=people.office, subject__contains="待您验收").count() == 1


def test_opening_a_round_tells_each_unit_of_its_carried_over_risk_points(bureau, people):
    from controls.services import round_open
    from riskpoints.models import Round
    from tests.factories import RiskPointFactory

    last = Round.objects.create(bureau=bureau.ju, year=2025)
    RiskPointFactory(unit=bureau.a, round=last, status=Status.ACCEPTED)
    round_open(actor=people.office, year=2026)
    notes = Notification.objects.filter(kind="assigned", subject__contains="结转")
    assert set(notes.values_list("recipient__username", flat=True)) == {"staff_a", "staff_a2", "head_a"}


def test_email_is_sent_only_for_the_kinds_chosen(people, client_for, mailoutbox, django_capture_on_commit_callbacks):
    client = client_for(people.staff_a)
    assert client.post(reverse("notices:preferences"), {"email_kinds": ["review"]}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=people.staff_a, subject="期限提醒", kind="reminder")
        notification_send(recipient=people.staff_a, subject="被退回", kind="review")
    assert [m.subject for m in mailoutbox] == ["被退回"]
    assert Notification.objects.filter(recipient=people.staff_a).count() == 2  # both in the inbox


def test_a_daily_digest_replaces_single_mails_and_goes_once(people, client_for, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    client_for(people.staff_a).post(reverse("notices:preferences"),
                                    {"email_kinds": ["review", "reminder"], "daily_digest": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=people.staff_a, subject="提醒一", kind="reminder", url="/x/")
        notification_send(recipient=people.staff_a, subject="提醒二", kind="review")
        notification_send(recipient=people.staff_a, subject="其他", kind="other")
    assert mailoutbox == []
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    call_command("send_digests", date=today)
    call_command("send_digests", date=today)
    assert len(mailoutbox) == 1
    assert "提醒一" in mailoutbox[0].body and "提醒二" in mailoutbox[0].body and "其他" not in mailoutbox[0].body


def test_bad_preferences_change_nothing(people, client_for):
    client = client_for(people.staff_a)
    from notices.models import EmailPreference

    response = client.post(reverse("notices:preferences"), {"email_kinds": ["nope", "\x00"]})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()

    assert not EmailPreference.objects.exists()


REFUSED = set()


class RefusingBackend(locmem.EmailBackend):
    """The outbox, but the mail server refuses the addresses in ``REFUSED`` (the true edge)."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED & set(message.to):
                raise smtplib.SMTPRecipientsRefused({a: (550, b"refused") for a in message.to})
        return super().send_messages(messages)


def test_a_digest_the_mail_server_refused_is_sent_by_the_next_run_and_the_others_are_not_held_up(
        people, client_for, mailoutbox, settings, django_capture_on_commit_callbacks):
    from django.core.management.base import CommandError
    from django.utils import timezone

    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    for user in (people.staff_a, people.staff_b):
        client_for(user).post(reverse("notices:preferences"), {"email_kinds": ["reminder"], "daily_digest": "on"})
        with django_capture_on_commit_callbacks(execute=True):
            notification_send(recipient=user, subject=f"提醒 {user.username}", kind="reminder")
    today = timezone.localdate().isoformat()
    REFUSED.add(people.staff_a.email)
    try:
        with pytest.raises(CommandError, match="1 封汇总邮件未能发出"):
            call_command("send_digests", date=today)
        assert [m.to for m in mailoutbox] == [[people.staff_b.email]]
        assert not Notification.objects.get(recipient=people.staff_a).emailed_at  # given back
    finally:
        REFUSED.clear()
    call_command("send_digests", date=today)
    call_command("send_digests", date=today)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([people.staff_a.email, people.staff_b.email])
