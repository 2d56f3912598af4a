"""Risk information (廉政风险信息) collected from every channel, for the office to assess."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.files import StoredFile
from org.models import Post, Unit
from org.scoping import ScopedQuerySet, visible_unit_ids
from powers.models import PowerItem
from riskpoints.choices import FoundBy, RiskLevel
from riskpoints.models import RiskPoint

from .choices import (
    INFO_STATE_COLOURS, METHOD_TARGET, PROPOSAL_STATE_COLOURS, WARNING_STATE_COLOURS, AdjustMode, AdjustState,
    Channel, Credibility, InfoState, Method, Nature, Outcome, ProposalState, Target, TaskKind, TaskState, Verdict,
    WarningState,
)


class MonitoringConfig(models.Model):
    """A bureau's own settings for monitoring: the prefix of its reference numbers."""

    bureau = models.OneToOneField(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(_("文号前缀"), max_length=12,
                              help_text=_("用于风险信息编号和预警通知书文号，例如“城执”。"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监督预警设置")
        verbose_name_plural = _("监督预警设置")

    def __str__(self):
        return self.prefix


class ReferenceCounter(models.Model):
    """The last number given out per bureau, kind of reference and year: numbers never repeat."""

    bureau = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bureau", "kind", "year"], name="reference_counter_unique")]


class InformationQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """The office and leadership read their bureau's information; a leader in charge and a
        unit head read what concerns their units or what they recorded themselves."""
        from org.choices import Role
        from org.scoping import bureau_unit_ids, overseen_unit_ids, own_unit_ids

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(Role.OFFICE, Role.LEADERSHIP):
            return self.filter(bureau__in=bureau_unit_ids(user))
        units = set(overseen_unit_ids(user))
        if user.has_role(Role.UNIT_HEAD):
            units |= set(own_unit_ids(user))
        if not units:
            return self.none()
        return self.filter(models.Q(concerns_unit__in=units) | models.Q(recorded_by=user))


class RiskInformation(models.Model):
    """One piece of risk information. ``reporter``, ``contact`` and ``source_key`` identify who
    reported it and are shown to the office only (``monitoring.visibility``)."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("编号"), max_length=30)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("收到日期"))
    source_reference = models.CharField(_("来源文号"), max_length=100, blank=True,
                                        help_text=_("信访件编号、审计报告文号、案件编号等，可不填。"))
    content = models.TextField(_("内容"))
    reporter = models.CharField(_("反映人"), max_length=50, blank=True)
    contact = models.CharField(_("反映人联系方式"), max_length=100, blank=True)
    source_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    lookup_hash = models.CharField(max_length=64, blank=True, editable=False)
    concerns_unit = models.ForeignKey(Unit, verbose_name=_("涉及单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    concerns_person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("涉及人员"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    concerns_power = models.ForeignKey(PowerItem, verbose_name=_("涉及职权"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    concerns_risk = models.ForeignKey(RiskPoint, verbose_name=_("涉及风险点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    credibility = models.CharField(_("可信程度"), max_length=20, choices=Credibility.choices, default=Credibility.UNVERIFIED)
    state = models.CharField(_("状态"), max_length=20, choices=InfoState.choices, default=InfoState.NEW, db_index=True)
    assessment = models.TextField(_("研判意见"), blank=True)
    assessed_at = models.DateTimeField(_("最近研判时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = InformationQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords(excluded_fields=["lookup_hash", "source_key"])

    class Meta:
        verbose_name = _("廉政风险信息")
        verbose_name_plural = _("廉政风险信息")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source_key", "created_at"]), models.Index(fields=["reference"])]
        # Numbers are the bureau's own: two bureaus of a province may choose the same prefix.
        constraints = [models.UniqueConstraint(fields=["bureau", "reference"], name="information_reference_unique")]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("monitoring:info_detail", args=[self.pk])

    @property
    def state_colour(self):
        return INFO_STATE_COLOURS[self.state]

    @property
    def is_open(self):
        return self.state != InfoState.CLOSED

    @property
    def days_waiting(self):
        return (timezone.localdate() - self.received_on).days


class InformationFile(StoredFile):
    information = models.ForeignKey(RiskInformation, on_delete=models.CASCADE, related_name="files")
    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("风险信息附件")
        verbose_name_plural = _("风险信息附件")

    def get_absolute_url(self):
        return reverse("monitoring:info_file", args=[self.stored_id])


class Assessment(models.Model):
    """One assessment (研判) of a piece of information: who, when, what was decided and why."""

    information = models.ForeignKey(RiskInformation, on_delete=models.CASCADE, related_name="assessments")
    outcome = models.CharField(_("研判结论"), max_length=20, choices=Outcome.choices)
    reasoning = models.TextField(_("研判理由"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("研判人"), on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("研判时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("研判记录")
        verbose_name_plural = _("研判记录")
        ordering = ["assessed_at", "pk"]

    def __str__(self):
        return f"{self.information} {self.get_outcome_display()}"


class UnitTask(models.Model):
    """责成单位制定防范措施: the office asks a unit for a new risk point or a change to a plan,
    by a date; the unit answers with the risk point that does it."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="+")
    information = models.ForeignKey(RiskInformation, verbose_name=_("来源信息"), on_delete=models.PROTECT, related_name="tasks")
    unit = models.ForeignKey(Unit, verbose_name=_("责成单位"), on_delete=models.PROTECT, related_name="risk_tasks")
    kind = models.CharField(_("任务类型"), max_length=20, choices=TaskKind.choices)
    risk_point = models.ForeignKey(RiskPoint, verbose_name=_("需修改措施的风险点"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    instruction = models.TextField(_("要求"))
    due_date = models.DateField(_("完成期限"))
    state = models.CharField(_("状态"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("交办人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    result_risk = models.ForeignKey(RiskPoint, verbose_name=_("落实的风险点"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="answered_tasks")
    answer = models.TextField(_("落实情况"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("落实人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("落实时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("防范任务")
        verbose_name_plural = _("防范任务")
        ordering = ["state", "due_date", "pk"]

    def __str__(self):
        return f"{self.unit}：{self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("monitoring:task_detail", args=[self.pk])

    @property
    def overdue(self):
        return self.state == TaskState.OPEN and self.due_date < timezone.localdate()


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


class WarningQuerySet(models.QuerySet):
    def for_user(self, user):
        """The rule lives in ``monitoring.visibility``; this only makes it the usual spelling."""
        from .visibility import warnings_for

        return self.filter(pk__in=warnings_for(user).values("pk"))


class RiskWarning(models.Model):
    """A warning (预警) to a person or a unit, with its handling until it is closed.

    Who may read it is decided in ``monitoring.visibility`` and who may issue it in
    ``monitoring.authority``; never on the public site.
    """

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("文号"), max_length=40)
    target = models.CharField(_("预警对象"), max_length=10, choices=Target.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预警人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="warnings_received")
    unit = models.ForeignKey(Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="warnings")
    method = models.CharField(_("处置方式"), max_length=20, choices=Method.choices)
    nature = models.CharField(_("问题性质"), max_length=10, choices=Nature.choices)
    reason = models.TextField(_("预警事由"))
    requirement = models.TextField(_("整改要求"), blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    information = models.ManyToManyField(RiskInformation, verbose_name=_("依据的风险信息"), blank=True, related_name="warnings")
    risk_points = models.ManyToManyField(RiskPoint, verbose_name=_("涉及风险点"), blank=True, related_name="warnings")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发出人"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("发出日期"))
    state = models.CharField(_("状态"), max_length=20, choices=WarningState.choices, default=WarningState.ISSUED, db_index=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签收人"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closing_note = models.TextField(_("办结意见"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = WarningQuerySet.as_manager()
    history = HistoricalRecords()  # the linked information stays out: the person warned reads this history

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["bureau", "state"]), models.Index(fields=["unit", "state"])]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "number"], name="warning_number_unique"),
            models.CheckConstraint(condition=models.Q(target="unit", person__isnull=True)
                                   | models.Q(target="person", person__isnull=False), name="warning_target_matches"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("monitoring:warning_detail", args=[self.pk])

    @property
    def state_colour(self):
        return WARNING_STATE_COLOURS[self.state]

    @property
    def target_label(self):
        return self.person.display_name if self.person_id else self.unit.name

    @property
    def is_rectification(self):
        return self.method == Method.RECTIFY

    @property
    def overdue(self):
        return (self.is_rectification and self.deadline is not None and self.state != WarningState.CLOSED
                and self.deadline < timezone.localdate())

    @property
    def expected_target(self):
        return METHOD_TARGET[self.method]


class WarningRecord(models.Model):
    """The record of a talk (谈话记录) or a meeting (专题民主生活会) held for a warning."""

    warning = models.OneToOneField(RiskWarning, on_delete=models.CASCADE, related_name="record")
    held_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=100)
    participants = models.CharField(_("参加人员"), max_length=300)
    content = models.TextField(_("谈话（会议）内容"))
    statement = models.TextField(_("本人表态"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("谈话（会议）记录")
        verbose_name_plural = _("谈话（会议）记录")

    def __str__(self):
        return f"{self.warning} {self.held_at:%Y-%m-%d}"


class RectificationReport(models.Model):
    """The unit's report (整改报告) on a 限期整改, and the office's verdict on it."""

    warning = models.ForeignKey(RiskWarning, on_delete=models.CASCADE, related_name="reports")
    content = models.TextField(_("整改情况"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    verdict = models.CharField(_("验收结论"), max_length=20, choices=Verdict.choices, default=Verdict.PENDING)
    verdict_comment = models.TextField(_("验收意见"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("验收人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"{self.warning} {self.submitted_at:%Y-%m-%d}"


class ReportFile(StoredFile):
    report = models.ForeignKey(RectificationReport, on_delete=models.CASCADE, related_name="files")
    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")

    def get_absolute_url(self):
        return reverse("monitoring:report_file", args=[self.stored_id])


class LevelAdjustment(models.Model):
    """A change of a risk point's level (调整风险等级), by the office or asked of the unit (督促调整)."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.PROTECT, related_name="+")
    risk_point = models.ForeignKey(RiskPoint, verbose_name=_("风险点"), on_delete=models.PROTECT, related_name="adjustments")
    information = models.ForeignKey(RiskInformation, verbose_name=_("依据的风险信息"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="adjustments")
    mode = models.CharField(_("方式"), max_length=20, choices=AdjustMode.choices)
    from_level = models.PositiveSmallIntegerField(_("原等级"))
    to_level = models.PositiveSmallIntegerField(_("调整为"))
    reason = models.TextField(_("调整理由"))
    state = models.CharField(_("状态"), max_length=20, choices=AdjustState.choices, db_index=True)
    plan_flagged = models.BooleanField(_("防控措施须按分级负责调整"), default=False)
    plan_problems = models.TextField(_("分级负责问题"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调整人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("调整时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "risk_point__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("风险等级调整")
        verbose_name_plural = _("风险等级调整")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.risk_point.code} {self.from_level}→{self.to_level}"

    def get_absolute_url(self):
        return reverse("monitoring:adjustment_list") + f"?risk={self.risk_point_id}"

    @property
    def from_label(self):
        return RiskLevel(self.from_level).label

    @property
    def to_label(self):
        return RiskLevel(self.to_level).label
