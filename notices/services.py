from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Digest, EmailPreference, NoticeKind, Notification


def notification_send(*, recipient, subject, body="", url="", key=None, kind=NoticeKind.OTHER):
    """Put a message in the recipient's inbox and queue its email once the transaction commits.

    With a ``key`` already used, nothing new is created and ``None`` is returned. Whether and
    when the email goes out is the recipient's choice (``EmailPreference``).
    """
    from .tasks import email_notification

    try:
        with transaction.atomic():
            note = Notification.objects.create(recipient=recipient, subject=subject, body=body, url=url, key=key,
                                               kind=kind)
    except IntegrityError:
        if key and Notification.objects.filter(key=key).exists():
            return None
        raise
    transaction.on_commit(lambda: email_notification.delay(note.pk))
    return note


def notifications_send_many(rows):
    """Put many messages (dicts of ``notification_send``'s arguments, each with a new ``key``)
    in their inboxes with one insert, and queue their emails once the transaction commits."""
    from .tasks import email_notifications

    notes = Notification.objects.bulk_create([Notification(**row) for row in rows], batch_size=1000)
    ids = [n.pk for n in notes]
    if ids:  # one queued task per message costs more than the message itself
        transaction.on_commit(lambda: email_notifications.delay(ids))
    return notes


def notifications_mark_read(*, user, ids=None):
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def email_preference(user):
    """The user's email choices; without a saved row, every kind by single mail."""
    try:
        return user.email_preference
    except EmailPreference.DoesNotExist:
        return EmailPreference(user=user, email_kinds=list(NoticeKind.values), daily_digest=False)


def email_preference_save(*, user, email_kinds, daily_digest):
    kinds = [k for k in NoticeKind.values if k in set(email_kinds)]
    pref, _created = EmailPreference.objects.get_or_create(user=user, defaults={"email_kinds": kinds})
    pref.email_kinds, pref.daily_digest = kinds, bool(daily_digest)
    pref._history_user = user
    pref.save()
    return pref


def email_wanted_now(note):
    """Whether ``note`` is mailed on its own now (not left out, not kept for the digest)."""
    pref = email_preference(note.recipient)
    return pref.wants(note.kind) and not pref.daily_digest


def digest_claim(*, user, date, until):
    """Claim ``user``'s digest of ``date``: the messages not yet mailed, created before
    ``until``, of the kinds the user wants by email. Returns them, or ``None`` when the day's
    digest was already claimed (by another run or worker)."""
    pref = email_preference(user)
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = Digest.objects.create(user=user, date=date)
        except IntegrityError:
            return None
        notes = list(
            Notification.objects.select_for_update().filter(
                recipient=user, emailed_at__isnull=True, kind__in=pref.email_kinds, created_at__lt=until)
            .order_by("created_at", "pk")
        )
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=timezone.now())
        digest.count = len(notes)
        digest.save(update_fields=["count"])
    return notes


def digest_release(*, user, date, notes):
    """Give back a claimed digest whose mail could not be sent: the next run (or ``manage.py
    send_digests --date``) claims and sends it again, with these messages."""
    with transaction.atomic():
        Digest.objects.filter(user=user, date=date).delete()
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=None)
