"""Publications (公示): what the bureau shows the public, frozen when it is published."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit
from org.scoping import ScopedQuerySet


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")
    SUPERSEDED = "superseded", _("已更新")  # replaced by a newer version of itself


class EntryKind(models.TextChoices):
    POWER = "power", _("职权事项")
    RISK = "risk", _("廉政风险点")


class PublicationQuerySet(ScopedQuerySet):
    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state=PublicationState.PUBLISHED, starts_on__lte=today).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today))


class Publication(models.Model):
    """One 公示: a title, the units it covers, what it shows, and for how long.

    Publishing copies the public part of every covered item's published revision into
    ``entries``; the public pages read only those copies. Adding newly published items to a
    current publication releases a new version of it (``previous`` → the replaced one, which is
    then ``superseded``), so that one publication per scope stays current.
    """

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="publications")
    title = models.CharField(_("标题"), max_length=200)
    all_units = models.BooleanField(_("全局所有单位"), default=True)
    units = models.ManyToManyField(Unit, verbose_name=_("公示范围（单位）"), blank=True, related_name="+")
    include_powers = models.BooleanField(_("职权目录和权力运行流程图"), default=True)
    include_risks = models.BooleanField(_("廉政风险点目录及防控措施"), default=True)
    # The work plan makes the 职权目录 public (§三(二)1); the bureau's own management powers
    # (人事、财务、物资采购、项目审批) are as a rule shown inside the bureau only.
    include_internal_powers = models.BooleanField(
        _("包括内部管理职权"), default=False,
        help_text=_("人事管理、财务管理、物资采购、项目审批等内部管理职权，通常只在局内公示；勾选后也向社会公开。"))
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"), null=True, blank=True, help_text=_("留空表示长期公示"))
    state = models.CharField(_("状态"), max_length=20, choices=PublicationState.choices, default=PublicationState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    previous = models.OneToOneField(
        "self", verbose_name=_("上一版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="next_version",
        help_text=_("公布事项时加入现行公示，会发布该公示的新版本（标题、范围、公示期不变），替换上一版本。"))
    superseded_at = models.DateTimeField(_("更新时间"), null=True, blank=True)

    objects = PublicationQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public_admin:detail", args=[self.pk])

    @property
    def is_current(self):
        today = timezone.localdate()
        return (self.state == PublicationState.PUBLISHED and self.starts_on <= today
                and (self.ends_on is None or self.ends_on >= today))


class PublicationEntry(models.Model):
    """The public copy of one item in one publication."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    code = models.CharField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200)
    search_text = models.TextField(blank=True)
    revision = models.PositiveIntegerField()
    data = models.JSONField()
    # Materialised by ``selectors.current_entries_refresh`` whenever the set of current
    # publications changes: whether this is the copy the public sees of its item today, and its
    # unit's place in the catalogue's order, so that a public page is an indexed read.
    current = models.BooleanField(default=False)
    unit_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["publication", "kind", "code"], name="entry_unique_per_publication")]
        indexes = [models.Index(fields=["kind", "code"]), models.Index(fields=["kind", "unit"]),
                   # The catalogue's pages: current entries of a kind in unit order, then code.
                   models.Index(fields=["kind", "current", "unit_order", "code"], name="entry_current_order"),
                   # The catalogue's unit filter and its per-unit counts.
                   models.Index(fields=["kind", "current", "unit"], name="entry_current_unit")]

    def __str__(self):
        return f"{self.code} {self.title}"


class CurrentEntriesMark(models.Model):
    """The day and the publications' state for which ``PublicationEntry.current`` was last
    worked out (one row); a different day or state makes the next public read refresh it."""

    stamp = models.CharField(max_length=200, blank=True)
    # {kind: {unit id: current entries}}, counted with the flags: the catalogue's unit list and
    # its totals without counting a province's entries on a page the cache does not hold.
    counts = models.JSONField(default=dict)

    def __str__(self):
        return self.stamp


class VisitorQuota(models.Model):
    """How many opinions one visitor (a salted hash of the address) has sent in one clock hour.

    The limit is taken by a conditional UPDATE of this row, so simultaneous submissions from one
    address cannot all read "under the limit" before any of them is counted.
    """

    key = models.CharField(max_length=64)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "hour"], name="visitor_quota_unique_hour")]
        indexes = [models.Index(fields=["hour"])]
