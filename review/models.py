"""The review workflow's data: the fields every reviewable item carries and its trail."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.choices import ChoiceDisplay

from .choices import STATUS_COLOURS, Action, Status


class Reviewable(ChoiceDisplay, models.Model):
    """Abstract base of everything that goes through review and publication.

    ``revision`` counts published versions: editing a published item starts revision n+1 as a
    draft while ``published_record`` (the trail entry of the last publication, with its frozen
    snapshot) stays what the public sees. ``lock_version`` refuses stale edit forms.
    Subclasses implement ``snapshot()`` (everything a reviewer approves, as JSON) and
    ``get_absolute_url()``, and name their owning unit in ``scope_unit_field``.
    """

    requires_filing = False  # must external filing be recorded before publishing?
    scope_unit_field = "unit"

    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    revision = models.PositiveIntegerField(_("版本"), default=1)
    lock_version = models.PositiveIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    filed_on = models.DateField(_("报审备案日期"), null=True, blank=True)
    filing_reference = models.CharField(_("备案文号"), max_length=100, blank=True)
    published_record = models.ForeignKey(
        "review.ReviewRecord", verbose_name=_("已公布版本"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def status_colour(self):
        return STATUS_COLOURS[self.status]

    @property
    def owner_unit_id(self):
        obj = self
        for part in self.scope_unit_field.split("__"):
            obj = getattr(obj, part)
        return obj.pk

    def snapshot(self):
        raise NotImplementedError


class ReviewRecord(models.Model):
    """One step of an item's review trail, with the exact content it acted on.

    ``snapshot`` freezes what the actor saw and approved; ``history_id`` names the matching
    row of the item's change history.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    revision = models.PositiveIntegerField(_("版本"))
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("意见"), blank=True)
    meeting_date = models.DateField(_("集体审定日期"), null=True, blank=True)
    filing_bodies = models.JSONField(_("报审备案机关"), default=list, blank=True)
    filing_reference = models.CharField(_("备案文号"), max_length=100, blank=True)
    snapshot = models.JSONField(_("内容快照"), default=dict)
    history_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.get_action_display()} · {self.actor} · {self.created_at:%Y-%m-%d %H:%M}"
