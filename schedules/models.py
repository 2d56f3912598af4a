"""Time in the programme: the office's calendar of holidays and 调休 working days, how often
each kind of deadline reminds (per risk level), the log that makes every reminder go out once,
the programme's dated phases, and the campaigns (自查, 检查考核, 年度总结) with one task per unit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.choices import Role
from org.files import StoredFile
from org.models import Unit
from org.scoping import ScopedQuerySet, bureau_unit_ids, own_unit_ids, user_bureau, visible_unit_ids

from .choices import (
    CAMPAIGN_STATE_COLOURS, TASK_STATE_COLOURS, CalendarDayKind, CampaignKind, CampaignState, PhaseCode, TaskState,
)


class BureauQuerySet(ScopedQuerySet):
    """Rows every member of a bureau may read (the calendar, cadences, phases): those of the
    user's own bureau, for anyone with a role there; the office alone changes them."""

    def for_user(self, user):
        bureau = user_bureau(user)
        if bureau is None or not visible_unit_ids(user):
            return self.none()
        return self.filter(bureau=bureau)


class CalendarDay(models.Model):
    """A day the office marks as differing from the week: a statutory holiday on a weekday, or a
    weekend day that is a working day (调休). Every other day counts by the week (Mon–Fri work)."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("说明"), max_length=40, blank=True, help_text=_("如：国庆节、国庆调休"))

    objects = BureauQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["bureau", "date"], name="calendar_day_unique_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


def _day_list(value):
    try:
        days = [int(v) for v in value.replace("，", ",").split(",") if v.strip()]
    except ValueError:
        raise ValidationError(_("请填写以逗号分隔的天数，如 30,7,1。")) from None
    if any(d < 1 or d > 366 for d in days):
        raise ValidationError(_("天数须在 1 到 366 之间。"))


class Cadence(models.Model):
    """How one kind of deadline reminds, for one risk level or (``level`` empty) for all.

    ``before`` lists the days before the due date on which the responsible person is reminded
    (counted in working days when ``working_days`` is set), ``on_due_day`` adds the day itself,
    ``overdue_every`` repeats the reminder while the item is overdue; after
    ``escalate_head_after`` days overdue the unit head is told, after ``escalate_office_after``
    the leader in charge and the office.
    """

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("事项类型"), max_length=40)
    level = models.PositiveSmallIntegerField(_("风险等级"), null=True, blank=True,
                                             choices=[(1, _("一级")), (2, _("二级")), (3, _("三级"))],
                                             help_text=_("空：适用于各等级"))
    before = models.CharField(_("提前提醒（天）"), max_length=60, default="30,7,1", validators=[_day_list],
                              help_text=_("以逗号分隔，如 30,7,1"))
    on_due_day = models.BooleanField(_("到期当天提醒"), default=True)
    overdue_every = models.PositiveSmallIntegerField(_("逾期后每隔几天提醒"), default=3,
                                                     validators=[MinValueValidator(1), MaxValueValidator(90)])
    escalate_head_after = models.PositiveSmallIntegerField(_("逾期几天告知单位负责人"), default=1,
                                                           validators=[MinValueValidator(1), MaxValueValidator(365)])
    escalate_office_after = models.PositiveSmallIntegerField(_("逾期几天告知分管领导和防控办"), default=5,
                                                             validators=[MinValueValidator(1), MaxValueValidator(365)])
    working_days = models.BooleanField(_("按工作日计算"), default=True)

    objects = BureauQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("提醒频次")
        verbose_name_plural = _("提醒频次")
        ordering = ["kind", "level"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "level"], name="cadence_unique_kind_level"),
            models.UniqueConstraint(fields=["bureau", "kind"], condition=models.Q(level__isnull=True),
                                    name="cadence_unique_kind_any_level"),
        ]

    def __str__(self):
        return f"{self.kind} {self.get_level_display() or ''}"

    @property
    def before_days(self):
        return sorted({int(v) for v in self.before.replace("，", ",").split(",") if v.strip()}, reverse=True)


class Reminder(models.Model):
    """One reminder step that was sent: the unique ``key`` (kind, object, due date, step) is
    claimed before anything is sent, so a second run, a retried task or a second worker finds
    it taken and sends nothing. Rows are only ever added; the log is its own history."""

    key = models.CharField(_("去重键"), max_length=200, unique=True)
    kind = models.CharField(_("事项类型"), max_length=40)
    object_key = models.CharField(_("事项"), max_length=80)
    due_date = models.DateField(_("期限"))
    step = models.CharField(_("步骤"), max_length=20)
    run_date = models.DateField(_("提醒日期"))
    title = models.CharField(_("事项名称"), max_length=200)
    recipients = models.PositiveIntegerField(_("收件人数"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.key


class Phase(models.Model):
    """A dated phase of a year's programme (动员部署, 清权确权 … 检查考核), with what each unit
    hands in; completion per unit is computed from the data (``schedules.registry``)."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    code = models.CharField(_("阶段"), max_length=20, choices=PhaseCode.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    deliverable = models.TextField(_("各单位须报送"), blank=True)

    objects = BureauQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作阶段")
        verbose_name_plural = _("工作阶段")
        ordering = ["year", "starts_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["bureau", "year", "code"], name="phase_unique_code_per_year")]

    def __str__(self):
        return f"{self.year} {self.get_code_display()}"

    def get_absolute_url(self):
        return reverse("schedules:phase_detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class Campaign(models.Model):
    """A campaign of the office: the annual self-inspection (年度自查), the year-end summary
    (年度总结) or the inspection and assessment (检查考核), addressed to a set of units.

    A scheduled campaign opens on ``opens_on`` (the daily beat task ``schedules.open_campaigns``);
    the annual self-inspection is created each year by its own beat entry."""

    bureau = models.ForeignKey(Unit, verbose_name=_("局"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=20, choices=CampaignKind.choices)
    units = models.ManyToManyField(Unit, verbose_name=_("参加单位"), related_name="+", blank=True,
                                   help_text=_("不选：局属全部单位"))
    opens_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("截止日期"))
    state = models.CharField(_("状态"), max_length=20, choices=CampaignState.choices, default=CampaignState.DRAFT)
    opened_at = models.DateTimeField(_("开启时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "bureau"
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("检查验收")
        verbose_name_plural = _("检查验收")
        ordering = ["-year", "-opens_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["bureau", "year", "kind", "title"], name="campaign_unique_title")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("schedules:campaign_detail", args=[self.pk])

    @property
    def state_colour(self):
        return CAMPAIGN_STATE_COLOURS[self.state]

    @property
    def scored(self):
        return self.kind == CampaignKind.ASSESSMENT

    def clean(self):
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            raise ValidationError({"due_on": _("截止日期不能早于开始日期。")})


class ChecklistItem(models.Model):
    """One line of a campaign's checklist (自查) or scoring sheet (检查考核), with its full marks."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.CharField(_("检查内容"), max_length=200)
    max_score = models.PositiveSmallIntegerField(_("分值"), default=0, validators=[MaxValueValidator(1000)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查项目")
        verbose_name_plural = _("检查项目")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class CampaignTask(models.Model):
    """What one unit does for one campaign: answers its checklist (自查), hands in a written
    summary (年度总结), or is scored by the office (检查考核)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("检查验收"), on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="campaign_tasks")
    state = models.CharField(_("状态"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    summary = models.TextField(_("书面总结 / 自查情况"), blank=True)
    comment = models.TextField(_("防控办意见"), blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    rows_taken_at = models.DateTimeField(_("自查对象确定时间"), null=True, blank=True,
                                         help_text=_("自查的风险点、防控措施和岗位人员在此时确定，之后的修改不影响本任务。"))
    lock_version = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查验收任务")
        verbose_name_plural = _("检查验收任务")
        ordering = ["campaign", "unit__order", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_task_unique_unit")]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"

    def get_absolute_url(self):
        return reverse("schedules:task_detail", args=[self.pk])

    @property
    def state_colour(self):
        return TASK_STATE_COLOURS[self.state]


class TaskFile(StoredFile):
    """An attachment a unit hands in with its task: 成果资料 of a 年度总结, papers of a 自查."""

    task = models.ForeignKey(CampaignTask, on_delete=models.CASCADE, related_name="files")

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "task__unit"
    history = HistoricalRecords()

    class Meta(StoredFile.Meta):
        verbose_name = _("成果资料")
        verbose_name_plural = _("成果资料")

    def get_absolute_url(self):
        return reverse("schedules:task_file", args=[self.stored_id])

    @property
    def handed_in(self):
        """Uploaded before the task was last handed in: the office has had it, so it stays."""
        return bool(self.task.submitted_at) and self.uploaded_at <= self.task.submitted_at


class TaskAnswer(models.Model):
    """A unit's answer to one checklist line (落实到位? 有效? 发现的问题, 整改打算), and for a
    scoring sheet the office's score."""

    task = models.ForeignKey(CampaignTask, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="answers")
    implemented = models.BooleanField(_("落实到位"), default=False)
    effective = models.BooleanField(_("有效"), default=False)
    problems = models.TextField(_("发现的问题"), blank=True)
    plan = models.TextField(_("整改打算"), blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["item__order", "item__pk"]
        constraints = [models.UniqueConstraint(fields=["task", "item"], name="task_answer_unique_item")]

    @property
    def finding_key(self):
        return f"finding:{self.pk}"


class RiskCheck(models.Model):
    """A unit's self-inspection of one control measure of one of its risk points (or of the risk
    point itself while it has no measure): 落实到位? 有效? 发现的问题, 整改打算.

    The risk point and the measure are copied when the task opens (``schedules.registry``'s
    inspection rows, given by the app that keeps the measures), so editing or retiring them
    later never changes a self-inspection already under way or handed in; ``risk_point_id``
    and ``measure_id`` still name the originals, for the information a finding turns into."""

    task = models.ForeignKey(CampaignTask, on_delete=models.CASCADE, related_name="risk_checks")
    order = models.PositiveIntegerField(_("序号"), default=0)
    risk_point_id = models.PositiveIntegerField(_("风险点"), null=True, blank=True, db_index=True)
    risk_code = models.CharField(_("登记编号"), max_length=40)
    risk_title = models.CharField(_("风险点"), max_length=100)
    risk_level = models.PositiveSmallIntegerField(_("风险等级"), null=True, blank=True)
    post_name = models.CharField(_("岗位"), max_length=60, blank=True)
    measure_id = models.PositiveIntegerField(_("防控措施"), null=True, blank=True)
    measure_kind = models.CharField(_("措施类型"), max_length=20, blank=True)
    measure_text = models.TextField(_("防控措施"), blank=True)
    implemented = models.BooleanField(_("落实到位"), default=False)
    effective = models.BooleanField(_("有效"), default=False)
    problems = models.TextField(_("发现的问题"), blank=True)
    plan = models.TextField(_("整改打算"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("风险点自查")
        verbose_name_plural = _("风险点自查")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.risk_code} {self.measure_text[:30]}"

    @property
    def finding_key(self):
        return f"risk-finding:{self.pk}"


class PersonalCheckQuerySet(models.QuerySet):
    """A post holder's self-check is read by the holder, by the head of the unit and by the
    office of the bureau; colleagues and other units see none."""

    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = models.Q(person=user)
        if user.has_role(Role.UNIT_HEAD):
            q |= models.Q(task__unit_id__in=own_unit_ids(user))
        if user.has_role(Role.OFFICE):
            q |= models.Q(task__unit_id__in=bureau_unit_ids(user))
        return self.filter(q)


class PersonalCheck(models.Model):
    """One post holder's yearly self-check of 廉洁自律 and 履职情况 (work plan §三(二)5), part of
    the unit's self-inspection task; the holders are those of the unit's posts when it opened."""

    task = models.ForeignKey(CampaignTask, on_delete=models.CASCADE, related_name="personal_checks")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("岗位人员"), on_delete=models.PROTECT,
                               related_name="personal_checks")
    post_name = models.CharField(_("岗位"), max_length=60, blank=True)
    integrity = models.TextField(_("廉洁自律情况"), blank=True)
    duty = models.TextField(_("履职情况"), blank=True)
    has_problems = models.BooleanField(_("存在问题"), default=False)
    filled_at = models.DateTimeField(_("填写时间"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    objects = PersonalCheckQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["lock_version"])

    class Meta:
        verbose_name = _("个人廉洁自律、履职情况自查")
        verbose_name_plural = _("个人廉洁自律、履职情况自查")
        ordering = ["post_name", "person__username"]
        constraints = [models.UniqueConstraint(fields=["task", "person"], name="personal_check_unique_person")]

    def __str__(self):
        return f"{self.task} · {self.person}"

    def get_absolute_url(self):
        return reverse("schedules:personal_check", args=[self.pk])

    @property
    def filled(self):
        return self.filled_at is not None
