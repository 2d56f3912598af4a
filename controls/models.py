"""One-to-one control plans (一对一防控措施): each risk point's measures, who answers for them,
and the evidence that they were carried out."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.files import StoredFile
from org.models import Unit
from org.scoping import ScopedQuerySet
from riskpoints.choices import RiskLevel
from riskpoints.models import RiskPoint

from .choices import LAYER_FIELDS, MEASURE_STATE_COLOURS, Layer, MeasureKind, MeasureState


class ResponsibilityRule(models.Model):
    """Which of the three layers answers for a risk of one level, per bureau (分级负责)."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="responsibility_rules")
    level = models.PositiveSmallIntegerField(_("风险等级"), choices=RiskLevel.choices)
    answering = models.CharField(_("由谁负责"), max_length=20, choices=Layer.choices, default=Layer.LEADER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分级负责规则")
        verbose_name_plural = _("分级负责规则")
        ordering = ["level"]
        constraints = [models.UniqueConstraint(fields=["bureau", "level"], name="responsibility_rule_unique_level")]

    def __str__(self):
        return f"{self.get_level_display()} → {self.get_answering_display()}"


class ControlPlan(models.Model):
    """The control plan of exactly one risk point; it is reviewed with its risk point.

    Three layers answer for the risk point (直接责任人, 部门责任人, 责任领导, as on the bureau's
    一览表); the level decides which of them must be named (``ResponsibilityRule``). Each
    measure still names who carries it out and who supervises it.
    """

    risk_point = models.OneToOneField(RiskPoint, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="plan")
    monitoring = models.CharField(_("监测指标"), max_length=200, blank=True)
    direct_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("直接责任人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="plans_direct")
    department_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("部门责任人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="plans_department")
    leader_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任领导"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="plans_leader")
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "risk_point__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("防控方案")
        verbose_name_plural = _("防控方案")

    def __str__(self):
        return _("“%(risk)s”的防控措施") % {"risk": self.risk_point}

    def layer_person(self, layer):
        return getattr(self, LAYER_FIELDS[layer])

    @property
    def layers(self):
        """[(Layer, user or None)] in the order of the bureau's forms."""
        return [(layer, self.layer_person(layer)) for layer in Layer]


class Measure(models.Model):
    """One measure of a plan. Its content is reviewed with the risk point; its state and
    evidence record how it is carried out and change without a new revision."""

    plan = models.ForeignKey(ControlPlan, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("措施类型"), max_length=20, choices=MeasureKind.choices)
    content = models.TextField(_("防控措施"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="measures_responsible")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("监督人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="measures_supervised")
    due_date = models.DateField(_("完成期限"))
    state = models.CharField(_("落实情况"), max_length=20, choices=MeasureState.choices, default=MeasureState.PLANNED)
    order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "plan__risk_point__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("防控措施")
        verbose_name_plural = _("防控措施")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.content[:40]

    @property
    def state_colour(self):
        return MEASURE_STATE_COLOURS[self.state]


class Evidence(StoredFile):
    """A file showing that a measure was carried out (会议纪要, 制度文本, 照片…)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "measure__plan__risk_point__unit"
    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def get_absolute_url(self):
        return reverse("controls:evidence", args=[self.stored_id])
