import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification
from .services import digest_claim, digest_release, email_wanted_now

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_notification(notification_id):
    """Email one notification to its recipient, at most once.

    Returns the address it was sent to, or ``None`` when there was nothing to send (already
    sent, not wanted by email, or kept for the recipient's daily digest).
    """
    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None or not email_wanted_now(note):
        return None
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


@shared_task
def email_notifications(notification_ids):
    """Email many notifications, each at most once; a message whose sending fails is handed to
    ``email_notification`` alone, which retries it. Returns how many were sent."""
    sent = 0
    for pk in notification_ids:
        try:
            sent += email_notification(pk) is not None
        except OSError:
            email_notification.delay(pk)
    return sent


class DigestsNotSent(Exception):
    """Some digests could not be mailed: they were given back, and the task is retried."""

    def __init__(self, failed, sent):
        super().__init__(_("%(failed)s 封汇总邮件未能发出（已发出 %(sent)s 封），稍后重试。") % {"failed": failed, "sent": sent})


@shared_task(autoretry_for=(DigestsNotSent,), retry_backoff=600, max_retries=5)
def send_digests(date=None):
    """Send each user who chose a daily digest one mail of the day's messages (once a day).

    ``date`` (ISO) is the day whose digest is sent, today by default; returns the mails sent."""
    from django.contrib.auth import get_user_model

    day = datetime.date.fromisoformat(date) if date else timezone.localdate()
    until = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    users = get_user_model().objects.filter(email_preference__daily_digest=True, is_active=True).exclude(email="")
    sent = failed = 0
    for user in users.iterator():
        notes = digest_claim(user=user, date=day, until=until)
        if not notes:
            continue
        lines = [f"· {n.subject}" + (f"\n  {settings.SITE_URL}{n.url}" if n.url else "") for n in notes]
        subject = _("%(date)s 的消息汇总（%(count)s 条）") % {"date": day.isoformat(), "count": len(notes)}
        try:
            send_mail(subject, "\n".join(lines), None, [user.email])
        except Exception:  # a mail server refusing one address must not cost the others their digest
            logger.exception("daily digest of %s for user %s not sent", day, user.pk)
            digest_release(user=user, date=day, notes=notes)
            failed += 1
            continue
        sent += 1
    if failed:
        raise DigestsNotSent(failed, sent)
    return sent

