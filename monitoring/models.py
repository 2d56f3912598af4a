"""Risk information (廉政风险信息) collected from every channel, for the office to assess."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Post, Unit
from org.scoping import ScopedQuerySet, visible_unit_ids
from powers.models import PowerItem
from riskpoints.choices import FoundBy
from riskpoints.models import RiskPoint

from .choices import PROPOSAL_STATE_COLOURS, Channel, InfoState, ProposalState


class RiskInformation(models.Model):
    """One piece of risk information. ``contact`` and ``source_key`` identify who reported it
    and are never shown outside the office."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("编号"), max_length=30, unique=True)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("内容"))
    contact = models.CharField(_("反映人联系方式"), max_length=100, blank=True)
    source_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    concerns_unit = models.ForeignKey(Unit, verbose_name=_("涉及单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    concerns_power = models.ForeignKey(PowerItem, verbose_name=_("涉及职权"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    concerns_risk = models.ForeignKey(RiskPoint, verbose_name=_("涉及风险点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("状态"), max_length=20, choices=InfoState.choices, default=InfoState.NEW)
    assessment = models.TextField(_("研判意见"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("廉政风险信息")
        verbose_name_plural = _("廉政风险信息")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source_key", "created_at"])]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("monitoring:info_detail", args=[self.pk])


class ProposalQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """Proposals addressed to units in the user's scope, and those the user made."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(models.Q(target_unit__in=visible_unit_ids(user)) | models.Q(proposer=user))


class RiskProposal(models.Model):
    """A risk point proposed to a unit by someone else: a leader (领导点), an expert (专家评),
    another unit (相互帮), the office (组织审) or, through the office, the public (群众提).

    The unit either accepts it into its register — the new risk point links back here — or
    answers why not.
    """

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="+")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                 related_name="risk_proposals")
    found_by = models.CharField(_("查找方式"), max_length=20, choices=FoundBy.choices)
    target_unit = models.ForeignKey(Unit, verbose_name=_("提给单位"), on_delete=models.PROTECT, related_name="risk_proposals")
    power = models.ForeignKey(PowerItem, verbose_name=_("涉及职权"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, verbose_name=_("涉及岗位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("风险点"), max_length=100)
    description = models.TextField(_("风险表现形式"))
    information = models.ForeignKey(RiskInformation, verbose_name=_("来源信息"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="proposals")
    state = models.CharField(_("状态"), max_length=20, choices=ProposalState.choices, default=ProposalState.PENDING)
    answer = models.TextField(_("单位答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    risk_point = models.ForeignKey(RiskPoint, verbose_name=_("登记的风险点"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="proposals")
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()
    scope_unit_field = "target_unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("风险点建议")
        verbose_name_plural = _("风险点建议")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_unit", "state"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("monitoring:proposal_detail", args=[self.pk])

    @property
    def state_colour(self):
        return PROPOSAL_STATE_COLOURS[self.state]
