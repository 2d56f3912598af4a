from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification


def notification_send(*, recipient, subject, body="", url="", key=None):
    """Put a message in the recipient's inbox and queue its email once the transaction commits.

    With a ``key`` already used, nothing new is created and ``None`` is returned.
    """
    from .tasks import email_notification

    try:
        with transaction.atomic():
            note = Notification.objects.create(recipient=recipient, subject=subject, body=body, url=url, key=key)
    except IntegrityError:
        if key and Notification.objects.filter(key=key).exists():
            return None
        raise
    transaction.on_commit(lambda: email_notification.delay(note.pk))
    return note


def notifications_mark_read(*, user, ids=None):
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
