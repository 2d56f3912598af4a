"""廉政风险点: where a risk sits (power, flow step, unit, post), how it shows itself, how it was
assessed, and the yearly round it belongs to."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.imports import SheetImport
from org.jobs import BackgroundJob
from org.models import Post, Unit
from org.scoping import ScopedQuerySet
from powers.models import FlowStep, PowerItem
from review.models import Reviewable

from .choices import (
    FACTOR_NAMES, GRADES, LEVEL_COLOURS, CarryDecision, ExportState, FindingLevel, FoundBy, KeyArea,
    RiskKind, RiskLevel,
)


class AssessmentRubric(models.Model):
    """How the four factors suggest a level, per bureau; the office may change it.

    Written from the work plan's criteria (§三(二)2). Each factor is graded 1 (low) to 3 (high).
    The importance of the power gates the level: 一级 only for risks of directly exercising the
    important powers (行政许可、行政处罚、项目审批、人事、财务、物资采购), 二级 at most for part of
    them, and a post with basically no such power stays 三级. Within the gate, the probability
    *or* the harm raises the level: 一级 when either is high (机率高 or 严重后果), 二级 when either
    is at least 较高 / 较严重. A large discretion (自由裁量空间“大”) lifts a risk that would be
    三级 to 二级 when its power passes the 二级 gate, and never makes a risk 一级: the plan's
    一级 names 机率高 or 严重后果 as its condition.
    """

    bureau = models.OneToOneField(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="rubric")
    first_importance = models.PositiveSmallIntegerField(
        _("一级：权力重要程度不低于"), choices=GRADES, default=3, validators=[MinValueValidator(1), MaxValueValidator(3)])
    first_exposure = models.PositiveSmallIntegerField(
        _("一级：发生概率或危害程度（任一项）不低于"), choices=GRADES, default=3,
        validators=[MinValueValidator(1), MaxValueValidator(3)])
    second_importance = models.PositiveSmallIntegerField(
        _("二级：权力重要程度不低于"), choices=GRADES, default=2, validators=[MinValueValidator(1), MaxValueValidator(3)])
    second_exposure = models.PositiveSmallIntegerField(
        _("二级：发生概率或危害程度（任一项）不低于"), choices=GRADES, default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)])
    discretion_raises = models.BooleanField(
        _("自由裁量空间为“大”时，达到二级权力重要程度的风险至少定为二级"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("风险等级评定标准")
        verbose_name_plural = _("风险等级评定标准")

    def __str__(self):
        return f"{self.bureau} · {self._meta.verbose_name}"

    def suggest(self, importance, discretion, probability, harm):
        exposure = max(probability, harm)
        if importance >= self.first_importance and exposure >= self.first_exposure:
            return RiskLevel.FIRST
        if importance >= self.second_importance and (
                exposure >= self.second_exposure or (self.discretion_raises and discretion == 3)):
            return RiskLevel.SECOND
        return RiskLevel.THIRD


class Round(models.Model):
    """One year's round of the programme in a bureau (年度风险排查)."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("年度"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度")
        verbose_name_plural = _("年度")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="round_unique_year")]

    LABEL_FIELDS = ("year",)  # what ``label_of`` labels a round by (``org.widgets.LabelRows``)

    @staticmethod
    def label_of(year):
        return _("%(year)s 年度") % {"year": year}

    def __str__(self):
        return self.label_of(self.year)


class RiskPoint(Reviewable):
    """One integrity risk point and its assessment."""

    round = models.ForeignKey(Round, verbose_name=_("年度"), on_delete=models.PROTECT, related_name="risk_points")
    code = models.CharField(_("登记编号"), max_length=40, unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="risk_points")
    post = models.ForeignKey(Post, verbose_name=_("岗位"), null=True, blank=True, on_delete=models.PROTECT, related_name="risk_points")
    power = models.ForeignKey(
        PowerItem, verbose_name=_("涉及职权"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(
        FlowStep, verbose_name=_("流程环节"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    finding_level = models.CharField(_("查找层面"), max_length=20, choices=FindingLevel.choices, default=FindingLevel.POST)
    kind = models.CharField(_("风险类型"), max_length=20, choices=RiskKind.choices)
    found_by = models.CharField(_("查找方式"), max_length=20, choices=FoundBy.choices, default=FoundBy.SELF)
    key_area = models.CharField(_("重点领域"), max_length=20, choices=KeyArea.choices, blank=True, default="",
                                help_text=_("工作方案列出的重点领域；按所选职权的类别建议，可修改。"))
    title = models.CharField(_("风险点"), max_length=100)
    description = models.TextField(_("风险表现形式"))
    importance = models.PositiveSmallIntegerField(_("权力重要程度"), validators=[MinValueValidator(1), MaxValueValidator(3)])
    discretion = models.PositiveSmallIntegerField(_("自由裁量空间"), validators=[MinValueValidator(1), MaxValueValidator(3)])
    probability = models.PositiveSmallIntegerField(_("发生概率"), validators=[MinValueValidator(1), MaxValueValidator(3)])
    harm = models.PositiveSmallIntegerField(_("危害程度"), validators=[MinValueValidator(1), MaxValueValidator(3)])
    suggested_level = models.PositiveSmallIntegerField(_("建议等级"), choices=RiskLevel.choices)
    level = models.PositiveSmallIntegerField(_("风险等级"), choices=RiskLevel.choices, db_index=True)
    level_reason = models.TextField(_("等级调整理由"), blank=True)
    previous = models.ForeignKey(
        "self", verbose_name=_("上年度记录"), null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into")
    carry_decision = models.CharField(_("与上年相比"), max_length=20, choices=CarryDecision.choices, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["lock_version", "updated_at"])

    class Meta:
        verbose_name = _("廉政风险点")
        verbose_name_plural = _("廉政风险点")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["round", "unit", "status"]),
            models.Index(fields=["round", "level"]),
            # 待我处理: the first submissions of one state, read in order without sorting them all,
            # and counted from the index alone (the unit and the submitter are in it too).
            models.Index(fields=["status", "submitted_at", "id", "unit", "submitted_by"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=[1, 2, 3]), name="riskpoint_level_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("riskpoints:detail", args=[self.pk])

    @property
    def level_colour(self):
        return LEVEL_COLOURS[self.level][0]

    @property
    def factors(self):
        return {name: getattr(self, name) for name in FACTOR_NAMES}

    def snapshot(self):
        return {
            "code": self.code, "year": self.round.year, "title": self.title, "description": self.description,
            "unit": {"id": self.unit_id, "name": self.unit.name},
            "post": {"id": self.post_id, "name": self.post.name} if self.post_id else None,
            "post_tier": str(self.post.get_tier_display()) if self.post_id else "",
            "power": {"id": self.power_id, "code": self.power.code, "name": str(self.power)} if self.power_id else None,
            "step": {"id": self.step_id, "name": self.step.name} if self.step_id else None,
            "finding_level": str(self.get_finding_level_display()), "kind": str(self.get_kind_display()),
            "found_by": str(self.get_found_by_display()), "factors": self.factors,
            "key_area": str(self.get_key_area_display()) if self.key_area else "",
            "suggested_level": self.suggested_level, "level": self.level,
            "level_label": str(self.get_level_display()), "level_reason": self.level_reason,
        }

    def submit_problems(self):
        if self.carry_decision == CarryDecision.PENDING:
            return [str(_("请先确认该风险点与上年相比有无变化（无变化、修改或撤销）"))]
        if self.carry_decision == CarryDecision.RETIRED:
            return [str(_("该风险点已撤销，不再提交"))]
        return []


class RiskCodeCounter(models.Model):
    """The last register number given to a unit's risk points in a round (``2026-GHDD-007`` → 7).

    Numbers are taken from this row under a row lock, so that two registrations never get the
    same one and the 1,000th follows the 999th (a string maximum of the codes would not).
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("登记编号计数")
        verbose_name_plural = _("登记编号计数")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="riskcodecounter_unique_unit")]

    def __str__(self):
        return f"{self.round.year}-{self.unit.code}: {self.last}"


def _import_file_name(instance, filename):
    return f"imports/riskpoints/{uuid.uuid4().hex}.xlsx"


class RegisterImport(SheetImport):
    """One uploaded risk register sheet and how its import went (``org.imports``).

    The file waits in the default storage until a background task has checked every row and,
    when no row is wrong, registered them all in one transaction; then it is deleted.
    """

    title = _("导入风险点")
    list_url_name, list_label = "riskpoints:list", _("廉政风险点登记")
    upload_url_name = "riskpoints:import"
    done_template = "riskpoints/_import_done.html"

    file = models.FileField(_("文件"), upload_to=_import_file_name, max_length=200, blank=True)
    skipped_count = models.PositiveIntegerField(_("已登记未重复导入"), default=0)

    class Meta(SheetImport.Meta):
        verbose_name = _("风险点导入")
        verbose_name_plural = _("风险点导入")

    def get_absolute_url(self):
        return reverse("riskpoints:import_status", args=[self.pk])


class RiskTally(models.Model):
    """How many risk points share one combination of the register's filter fields.

    On PostgreSQL, triggers on the risk point table keep these rows in the same transaction as
    every insert, update and delete (bulk imports and carry-overs included; see migration
    0005), so the register's total and per-level counts add up a few thousand rows instead of
    scanning a province's 300,000. On SQLite there are no triggers and the register counts its
    rows directly (``selectors.register_counts``). Derived data: no history of its own.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    carry_decision = models.CharField(max_length=20)
    key_area = models.CharField(max_length=20)
    n = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    # One row per combination: a unique index with NULLS NOT DISTINCT, made by the migration on
    # PostgreSQL only (the triggers' ON CONFLICT needs it; SQLite keeps no tallies).
    TALLY_FIELDS = ("round_id", "unit_id", "post_id", "level", "status", "kind", "carry_decision", "key_area")

    class Meta:
        verbose_name = _("风险点计数")
        verbose_name_plural = _("风险点计数")

    def __str__(self):
        return f"{self.round_id}/{self.unit_id}/{self.level}: {self.n}"


class RiskProfile(models.Model):
    """How many risk points of one round, unit and carry decision share one cell of a heat map
    (``axis`` names its two factors, ``a`` and ``b`` are their grades), or, on the axis
    ``month``, were registered new (not carried over) in one local month (``a`` = YYYYMM).

    Kept like ``RiskTally`` by triggers on PostgreSQL (migration 0008), in the same statement
    as every change, so the dashboards' heat maps, monthly trend and changes over the year add
    up a few thousand rows instead of grouping a province's 300,000. The month is the one of
    ``ZONE``: with another ``TIME_ZONE`` the dashboards count the rows themselves
    (``riskpoints.panels``). Derived data: no history of its own.
    """

    MONTH = "month"
    ZONE = "Asia/Shanghai"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    carry_decision = models.CharField(max_length=20)
    axis = models.CharField(max_length=40)
    a = models.PositiveIntegerField()
    b = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    PROFILE_FIELDS = ("round_id", "unit_id", "carry_decision", "axis", "a", "b")

    class Meta:
        verbose_name = _("风险点分布计数")
        verbose_name_plural = _("风险点分布计数")
        constraints = [models.UniqueConstraint(fields=["round", "unit", "carry_decision", "axis", "a", "b"],
                                               name="riskpoints_riskprofile_key")]

    def __str__(self):
        return f"{self.round_id}/{self.unit_id}/{self.axis} {self.a}-{self.b}: {self.n}"


def _export_file_name(instance, filename):
    return f"exports/riskpoints/{uuid.uuid4().hex}.xlsx"


class RegisterExport(BackgroundJob, models.Model):
    """One export of the register as filtered on the list page, built by a background task.

    A whole register (300,000 rows) takes a minute to write; no web request waits for it. The
    worker writes the workbook row by row into the default storage, which web processes share,
    and only the user who asked may download it.
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.CASCADE,
                                   related_name="+")
    query = models.CharField(_("筛选条件"), max_length=2000, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=ExportState.choices, default=ExportState.QUEUED)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    file = models.FileField(_("文件"), upload_to=_export_file_name, max_length=200, blank=True)
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    FINAL = (ExportState.DONE, ExportState.FAILED)

    class Meta:
        verbose_name = _("风险点导出")
        verbose_name_plural = _("风险点导出")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_by} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("riskpoints:export_status", args=[self.pk])

