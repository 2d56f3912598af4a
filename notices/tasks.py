from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_notification(notification_id):
    """Email one notification to its recipient, at most once.

    Returns the address it was sent to, or ``None`` when there was nothing to send.
    """
    with transaction.atomic():
        # Claim the row so that two workers never send the same message twice.
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    if not claimed:
        return None
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = note.recipient.email
    if not address:
        return None
    link = f"\n\n{settings.SITE_URL}{note.url}" if note.url else ""
    try:
        send_mail(note.subject, f"{note.body}{link}", None, [address])
    except OSError:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return address
