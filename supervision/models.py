"""Electronic supervision (电子监察): discretion benchmarks of powers, key-power filings checked
against their flows and benchmarks, and the register of 三重一大 decisions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from monitoring.models import RiskInformation
from org.imports import SheetImport
from org.models import Unit
from org.scoping import ScopedQuerySet
from powers.choices import PowerCategory
from powers.models import PowerItem
from review.models import ReviewRecord

from .choices import (
    FINDING_LIGHTS, LIGHT_COLOURS, BreachKind, FindingKind, FineBasis, KeyRuleKind, Light, MatterKind,
    Quorum, Vote,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


def _import_file_name(instance, filename):
    return f"imports/filings/{uuid.uuid4().hex}.xlsx"


class ViolationDegree(models.Model):
    """A degree of violation (违法程度) the benchmarks of a bureau use, mildest first (``order``).

    The office keeps the list; every bureau starts with 轻微 / 一般 / 较重 / 严重. ``code`` is the
    degree's stable key: a power's published snapshot and the API carry it with the name as it
    was when published, so renaming a degree later changes no published benchmark.
    """

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("代码"), max_length=20, editable=False)
    name = models.CharField(_("名称"), max_length=20)
    order = models.PositiveIntegerField(_("排序"), default=0, help_text=_("从轻到重，小的在前。"))
    description = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("违法程度")
        verbose_name_plural = _("违法程度")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "code"], name="violationdegree_unique_code"),
            models.UniqueConstraint(fields=["bureau", "name"], name="violationdegree_unique_name"),
        ]

    def __str__(self):
        return self.name


class BenchmarkRow(models.Model):
    """One row of a power's discretion benchmark (裁量基准): a violation circumstance at one
    degree, the conditions that place a case there, and the penalty range. The rows are part
    of the power: edited as an edit of it, frozen in its review snapshot, published with it."""

    power = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="benchmark_rows")
    circumstance = models.CharField(_("违法情形"), max_length=200)
    degree = models.ForeignKey(ViolationDegree, verbose_name=_("违法程度"), on_delete=models.PROTECT, related_name="+")
    conditions = models.TextField(_("适用条件"), blank=True)
    penalty = models.TextField(_("处罚种类和幅度"))
    fine_basis = models.CharField(_("罚款计算方式"), max_length=20, choices=FineBasis.choices, default=FineBasis.AMOUNT)
    fine_min = models.DecimalField(_("罚款下限"), null=True, blank=True, **MONEY)
    fine_max = models.DecimalField(_("罚款上限"), null=True, blank=True, **MONEY)
    legal_basis = models.CharField(_("裁量依据"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "power__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fine_min__isnull=True) | Q(fine_max__isnull=True) | Q(fine_min__lte=models.F("fine_max")),
                                   name="benchmarkrow_min_within_max"),
        ]

    def __str__(self):
        return f"{self.circumstance}（{self.degree}）"


class KeyPowerRule(models.Model):
    """Which powers of a bureau are key powers (重点权力), whose every exercise is filed: all
    powers of a category, all powers carrying a risk point of a level or higher, or one power."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("标定方式"), max_length=20, choices=KeyRuleKind.choices)
    category = models.CharField(_("职权类别"), max_length=20, choices=PowerCategory.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("风险等级不低于"), null=True, blank=True,
                                             choices=[(1, _("一级")), (2, _("二级")), (3, _("三级"))])
    power = models.ForeignKey(PowerItem, verbose_name=_("职权"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("重点权力标定")
        verbose_name_plural = _("重点权力标定")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(name="keypowerrule_one_target", condition=(
                Q(kind=KeyRuleKind.CATEGORY, level__isnull=True, power__isnull=True) & ~Q(category="")
                | Q(kind=KeyRuleKind.LEVEL, level__isnull=False, category="", power__isnull=True)
                | Q(kind=KeyRuleKind.POWER, power__isnull=False, category="", level__isnull=True))),
        ]

    def __str__(self):
        if self.kind == KeyRuleKind.CATEGORY:
            return _("类别：%(c)s") % {"c": self.get_category_display()}
        if self.kind == KeyRuleKind.LEVEL:
            return _("有%(l)s及以上风险点的职权") % {"l": self.get_level_display()}
        return _("职权：%(p)s") % {"p": self.power}


class Filing(models.Model):
    """One exercise of a key power, filed by the handling unit (重点权力运行事项备案).

    ``flow_record`` is the power's published review record whose flow the case followed;
    ``benchmark`` copies the benchmark row chosen from that same record, so the check reads
    what was in force, not a draft. ``party`` stays internal: it is never exported to the public.
    """

    power = models.ForeignKey(PowerItem, verbose_name=_("职权"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    flow_record = models.ForeignKey(ReviewRecord, verbose_name=_("依据的流程版本"), on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(_("案件编号"), max_length=60)
    party = models.CharField(_("当事人"), max_length=200)
    opened_on = models.DateField(_("受理/立案日期"))
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    decision = models.TextField(_("处理决定"), blank=True)
    circumstance = models.CharField(_("违法情形"), max_length=200, blank=True)
    degree = models.ForeignKey(ViolationDegree, verbose_name=_("违法程度"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text=_("所选裁量基准的违法程度；显示的名称以备案时已公布的为准。"))
    stated_conditions = models.TextField(_("认定的情节"), blank=True)
    benchmark = models.JSONField(_("适用的裁量基准"), default=dict, blank=True)
    base_amount = models.DecimalField(_("工程造价（货值）"), null=True, blank=True, **MONEY)
    fine_amount = models.DecimalField(_("罚款金额（元）"), null=True, blank=True, **MONEY)
    light = models.CharField(_("监察结果"), max_length=10, choices=Light.choices, default=Light.GREEN, db_index=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("备案人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("备案时间"), auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("重点权力运行事项备案")
        verbose_name_plural = _("重点权力运行事项备案")
        ordering = ["-opened_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["power", "case_number"], name="filing_unique_case")]
        indexes = [models.Index(fields=["closed_on"]), models.Index(fields=["unit", "opened_on"])]

    def __str__(self):
        return self.case_number

    def get_absolute_url(self):
        return reverse("supervision:filing_detail", args=[self.pk])

    @property
    def light_colour(self):
        return LIGHT_COLOURS[self.light]

    @property
    def degree_label(self):
        """The degree's name as published with the benchmark row the case chose."""
        return (self.benchmark or {}).get("degree_label", "")

    @property
    def degree_code(self):
        return (self.benchmark or {}).get("degree", "")


class FilingImport(SheetImport):
    """One uploaded sheet of cases (the case system's export) and how its import went
    (``org.imports``): checked whole in the background, filed all or nothing."""

    title = _("导入备案")
    list_url_name, list_label = "supervision:filing_list", _("重点权力运行事项备案")
    upload_url_name = "supervision:filing_import"
    done_template = "supervision/_filing_import_done.html"

    file = models.FileField(_("文件"), upload_to=_import_file_name, max_length=200, blank=True)

    class Meta(SheetImport.Meta):
        verbose_name = _("备案导入")
        verbose_name_plural = _("备案导入")

    def get_absolute_url(self):
        return reverse("supervision:filing_import_status", args=[self.pk])


class FilingStep(models.Model):
    """The date one step of the flow was done in a filed case. ``step_id`` names the step in
    the flow of the filing's ``flow_record``; ``name`` is its name there."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="steps")
    step_id = models.PositiveBigIntegerField()
    name = models.CharField(_("环节"), max_length=60)
    done_on = models.DateField(_("办理日期"))

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "filing__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("备案环节")
        verbose_name_plural = _("备案环节")
        ordering = ["done_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["filing", "step_id"], name="filingstep_unique_step")]


class Finding(models.Model):
    """A deviation the daily check found in a filing, raised once (``key``) as risk information."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="findings")
    key = models.CharField(max_length=80, unique=True, editable=False)
    kind = models.CharField(_("问题"), max_length=20, choices=FindingKind.choices)
    step_id = models.PositiveBigIntegerField(null=True, blank=True)
    step_name = models.CharField(_("环节"), max_length=60, blank=True)
    message = models.TextField(_("说明"))
    information = models.ForeignKey(RiskInformation, verbose_name=_("风险信息"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    found_on = models.DateField(_("发现日期"))
    resolved_on = models.DateField(_("不再成立日期"), null=True, blank=True,
                                   help_text=_("更正后再次检查时不再成立；已报的风险信息保留，由防控办处理。"))

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "filing__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监察发现")
        verbose_name_plural = _("监察发现")
        ordering = ["found_on", "pk"]

    @property
    def light(self):
        return FINDING_LIGHTS[self.kind]

    @property
    def light_colour(self):
        return LIGHT_COLOURS[self.light]


# --- 三重一大 --------------------------------------------------------------------------------

class ProcedureRule(models.Model):
    """The rules of procedure (议事规则) of one kind of 三重一大 matter in a bureau; the office
    sets them."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("事项类别"), max_length=20, choices=MatterKind.choices)
    quorum = models.CharField(_("到会人数"), max_length=20, choices=Quorum.choices, default=Quorum.TWO_THIRDS)
    leader_last = models.BooleanField(_("主要负责人末位表态"), default=True)
    consultation = models.BooleanField(_("须会前征求意见"), default=True)
    legal_review = models.BooleanField(_("须合法性审查"), default=False)
    meeting_from = models.DecimalField(_("须上会的金额（元）"), null=True, blank=True, **MONEY,
                                       help_text=_("大额度资金使用达到此金额须集体决定；留空则一律上会。"))

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议事规则")
        verbose_name_plural = _("议事规则")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["bureau", "kind"], name="procedurerule_one_per_kind")]

    def __str__(self):
        return str(self.get_kind_display())


class Matter(models.Model):
    """One 三重一大 matter of a unit and the meeting that decided it. Filed to the office,
    read by leadership, never public."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("事项类别"), max_length=20, choices=MatterKind.choices)
    subject = models.CharField(_("事项"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), null=True, blank=True, **MONEY)
    meeting = models.CharField(_("会议"), max_length=100, blank=True, help_text=_("如：局党组会议（第 12 次）；未上会的留空。"))
    meeting_date = models.DateField(_("会议日期"), null=True, blank=True)
    agenda = models.TextField(_("议题"), blank=True)
    consulted = models.BooleanField(_("会前已征求意见"), default=False)
    legal_reviewed = models.BooleanField(_("已经合法性审查"), default=False)
    decision = models.TextField(_("决定"))
    decided_on = models.DateField(_("决定日期"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("三重一大事项")
        verbose_name_plural = _("三重一大事项")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("supervision:matter_detail", args=[self.pk])


class MeetingMember(models.Model):
    """A member who should attend the meeting: present or not, when they spoke, what they said."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=40)
    title = models.CharField(_("职务"), max_length=60, blank=True)
    is_main_leader = models.BooleanField(_("主要负责人"), default=False)
    present = models.BooleanField(_("到会"), default=True)
    speaking_order = models.PositiveSmallIntegerField(_("发言顺序"), null=True, blank=True)
    opinion = models.TextField(_("表态意见"), blank=True)
    vote = models.CharField(_("表决"), max_length=10, choices=Vote.choices, blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "matter__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("参会成员")
        verbose_name_plural = _("参会成员")
        ordering = ["order", "pk"]


class Breach(models.Model):
    """A rule of procedure a matter did not follow, raised once as risk information."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="breaches")
    kind = models.CharField(_("问题"), max_length=20, choices=BreachKind.choices)
    message = models.TextField(_("说明"))
    information = models.ForeignKey(RiskInformation, verbose_name=_("风险信息"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    resolved_on = models.DateField(_("不再成立日期"), null=True, blank=True,
                                   help_text=_("更正后再次检查时不再成立；已报的风险信息保留，由防控办处理。"))

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "matter__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("违反议事规则")
        verbose_name_plural = _("违反议事规则")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["matter", "kind"], name="breach_once_per_kind")]
