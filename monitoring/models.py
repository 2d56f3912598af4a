"""Risk information (廉政风险信息) collected from every channel, for the office to assess."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit
from org.scoping import ScopedQuerySet
from powers.models import PowerItem
from riskpoints.models import RiskPoint

from .choices import Channel, InfoState


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
