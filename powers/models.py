"""The power catalogue (职权目录): every power the bureau exercises, with its legal bases."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.functional import cached_property
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.imports import SheetImport
from org.models import Post, Unit
from org.scoping import ScopedQuerySet
from review.models import Reviewable

from .choices import PowerCategory
from .flows import flow_problems
from .limits import days_label, limit_warnings

# The catalogue columns, in the order the forms, pages and snapshots show them.
CATALOGUE_FIELDS = ("legal_body", "handling_body", "duties", "accountability", "statutory_days", "promised_days",
                    "charges_fee", "fee_basis", "supervision_phone", "remarks")

code_validator = RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9\-_.]*$", _("编码只能包含字母、数字、连字符、下划线和点。"))


class PowerItem(Reviewable):
    """One power (职权事项): what it is, who exercises it and on what legal basis.

    It goes through review as a whole; its legal bases are part of what is approved.
    """

    requires_filing = True

    code = models.CharField(_("职权编码"), max_length=40, unique=True, validators=[code_validator])
    category = models.CharField(_("职权类别"), max_length=20, choices=PowerCategory.choices, db_index=True)
    name = models.CharField(_("职权名称"), max_length=200)
    sub_item = models.CharField(_("子项名称"), max_length=200, blank=True)
    content = models.TextField(_("职权内容"))
    unit = models.ForeignKey(Unit, verbose_name=_("行使单位"), on_delete=models.PROTECT, related_name="powers")
    posts = models.ManyToManyField(Post, verbose_name=_("责任岗位"), blank=True, related_name="powers")
    has_discretion = models.BooleanField(_("有自由裁量权"), default=False)
    # The columns of the bureau's catalogue forms (职权目录 / 权责清单). All of them are public.
    legal_body = models.CharField(_("实施主体"), max_length=200, blank=True)
    handling_body = models.CharField(_("承办机构"), max_length=200, blank=True)
    duties = models.TextField(_("责任事项"), blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)
    statutory_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"), null=True, blank=True)
    promised_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    charges_fee = models.BooleanField(_("是否收费"), default=False)
    fee_basis = models.TextField(_("收费依据及标准"), blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=60, blank=True)
    remarks = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
        related_name="+", null=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[posts], excluded_fields=["lock_version", "updated_at"])

    class Meta:
        verbose_name = _("职权事项")
        verbose_name_plural = _("职权事项")
        ordering = ["code"]
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_days__isnull=True) | Q(statutory_days__isnull=True) | Q(promised_days__lte=F("statutory_days")),
                name="poweritem_promised_within_statutory",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.sub_item}）" if self.sub_item else self.name

    NAME_FIELDS = ("name", "sub_item")  # what ``__str__`` is made of

    @property
    def time_limit_warnings(self):
        """Advice on the promised limit (P8: at least a third shorter); never a refusal."""
        return limit_warnings(statutory=self.statutory_days, promised=self.promised_days)

    def get_absolute_url(self):
        return reverse("powers:detail", args=[self.pk])

    def snapshot(self):
        return {
            "code": self.code,
            "category": self.category,
            "category_label": str(self.get_category_display()),
            "name": self.name,
            "sub_item": self.sub_item,
            "content": self.content,
            "unit": {"id": self.unit_id, "name": self.unit.name},
            "posts": [{"id": p.pk, "name": p.name} for p in self.posts.order_by("pk")],
            "has_discretion": self.has_discretion,
            **{f: getattr(self, f) for f in CATALOGUE_FIELDS},
            "legal_bases": [
                {"law": b.law_name, "article": b.article, "text": b.text} for b in self.legal_bases.all()
            ],
            "flow": self.flow,
        }

    @cached_property
    def flow(self):
        """The flow as plain data, read once per instance (and again after a refresh)."""
        return flow_data(self)

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("flow", None)
        super().refresh_from_db(*args, **kwargs)

    def flow_problems(self):
        """What must be fixed in the flow before the power can be submitted."""
        return flow_problems(self.flow)


def flow_data(power):
    """The power's flow as plain data: what the validator, the drawing and snapshots read."""
    steps = power.steps.select_related("handler_unit", "handler_post").order_by("order", "pk")
    return {
        "steps": [
            {"id": s.pk, "name": s.name, "handler": s.handler, "conditions": s.conditions,
             "procedure": s.procedure, "immediate": s.immediate, "days": s.time_limit_days,
             "time_limit": s.time_limit_label, "promised_days": s.promised_days,
             "promised_time_limit": s.promised_time_limit_label, "party_rights": s.party_rights,
             "supervision": s.supervision, "note": s.note}
            for s in steps
        ],
        "edges": [
            {"source": e.source_id, "target": e.target_id, "label": e.label,
             "source_power": e.source.power_id, "target_power": e.target.power_id}
            for e in power.edges.select_related("source", "target").order_by("pk")
        ],
    }


class LegalBasis(models.Model):
    """One legal basis of a power: a law or regulation, the article, and what it provides."""

    power = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="legal_bases")
    law_name = models.CharField(_("法律法规名称"), max_length=200)
    article = models.CharField(_("条款"), max_length=100, blank=True)
    text = models.TextField(_("条文内容"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "power__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法律依据")
        verbose_name_plural = _("法律依据")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.law_name}{self.article}"


class FlowStep(models.Model):
    """One step (环节) of a power's process flow: who handles it, how, and within what time."""

    power = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("环节名称"), max_length=60)
    handler_unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler_post = models.ForeignKey(
        Post, verbose_name=_("承办岗位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler_text = models.CharField(_("承办人员/机构（补充说明）"), max_length=60, blank=True)
    conditions = models.TextField(_("办理条件/标准"), blank=True)
    procedure = models.TextField(_("办理程序"), blank=True)
    immediate = models.BooleanField(_("即时办结"), default=False)
    # The statutory limit: what the chart's total adds up along the longest path.
    time_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"), null=True, blank=True)
    promised_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    party_rights = models.TextField(_("相对人权利"), blank=True)
    supervision = models.CharField(_("监督渠道"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "power__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("流程环节")
        verbose_name_plural = _("流程环节")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_days__isnull=True) | Q(time_limit_days__isnull=True) | Q(promised_days__lte=F("time_limit_days")),
                name="flowstep_promised_within_statutory",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def handler(self):
        parts = [self.handler_unit.short_name or self.handler_unit.name] if self.handler_unit_id else []
        if self.handler_post_id:
            parts.append(self.handler_post.name)
        if self.handler_text:
            parts.append(self.handler_text)
        return " · ".join(parts)

    @property
    def time_limit_label(self):
        if self.immediate:
            return str(_("即时"))
        return days_label(self.time_limit_days)

    @property
    def promised_time_limit_label(self):
        return "" if self.immediate else days_label(self.promised_days)


class FlowEdge(models.Model):
    """A directed link from one step to the next, with an optional branch label."""

    power = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="edges")
    source = models.ForeignKey(FlowStep, verbose_name=_("从"), on_delete=models.CASCADE, related_name="out_edges")
    target = models.ForeignKey(FlowStep, verbose_name=_("到"), on_delete=models.CASCADE, related_name="in_edges")
    label = models.CharField(_("条件/分支"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "power__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("流程连线")
        verbose_name_plural = _("流程连线")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="flowedge_unique_pair"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="flowedge_no_self_loop"),
        ]

    def __str__(self):
        return f"{self.source} → {self.target}" + (f"（{self.label}）" if self.label else "")


def _import_file_name(instance, filename):
    return f"imports/powers/{uuid.uuid4().hex}.xlsx"


class CatalogueImport(SheetImport):
    """One uploaded power catalogue sheet and how its import went (``org.imports``): checked
    whole in the background, imported as drafts all or nothing."""

    title = _("从 Excel 导入职权目录")
    list_url_name, list_label = "powers:list", _("职权目录")
    upload_url_name = "powers:import"
    done_template = "powers/_import_done.html"

    file = models.FileField(_("文件"), upload_to=_import_file_name, max_length=200, blank=True)
    skipped_count = models.PositiveIntegerField(_("已有编码未重复导入"), default=0)

    class Meta(SheetImport.Meta):
        verbose_name = _("职权目录导入")
        verbose_name_plural = _("职权目录导入")

    def get_absolute_url(self):
        return reverse("powers:import_status", args=[self.pk])
