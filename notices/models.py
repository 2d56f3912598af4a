from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NoticeKind(models.TextChoices):
    """What a message is about; a user chooses per kind whether it also comes by email."""

    REVIEW = "review", _("审核：提交给我、审批结果、退回")
    ASSIGNED = "assigned", _("交给我办的工作：结转、检查验收任务、研判、预警")
    REMINDER = "reminder", _("期限提醒")
    ESCALATION = "escalation", _("逾期督办")
    OTHER = "other", _("其他")


class Notification(models.Model):
    """A message in a user's in-app inbox, also sent once by email.

    ``key`` makes a notification idempotent: the same key is never delivered twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.OTHER)
    key = models.CharField(_("去重键"), max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


class EmailPreference(models.Model):
    """Which kinds of message a user also wants by email, and whether as one daily digest.

    A user without a row gets every kind by email, one mail per message."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference")
    email_kinds = models.JSONField(_("发邮件的消息类别"), default=list, blank=True)
    daily_digest = models.BooleanField(_("每天汇总成一封邮件"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("邮件设置")
        verbose_name_plural = _("邮件设置")

    def __str__(self):
        return str(self.user)

    def wants(self, kind):
        return kind in self.email_kinds


class Digest(models.Model):
    """One user's daily digest of one day, claimed before it is sent: it goes out once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("消息数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("每日汇总邮件")
        verbose_name_plural = _("每日汇总邮件")
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="digest_unique_user_date")]
