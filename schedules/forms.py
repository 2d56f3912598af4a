from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from org.files import FilesField
from org.inputs import GuardedForm, GuardedModelForm, guard_text_fields
from review.forms import LockedForm

from .choices import CampaignKind
from .models import Cadence, CalendarDay, Campaign, ChecklistItem, Phase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_CHECKLIST_LINES = 50


class CampaignForm(GuardedModelForm):
    """A new campaign. Its checklist (自查) or scoring sheet (检查考核) is one line per item,
    ``内容`` or ``内容|分值``; left empty, the kind's default list is used."""

    checklist = forms.CharField(
        label=_("检查内容 / 评分表"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项；检查考核写“内容|分值”。留空则使用默认内容。"))
    schedule = forms.BooleanField(label=_("到开始日期自动开启"), required=False, initial=True)

    class Meta:
        model = Campaign
        fields = ["title", "year", "kind", "units", "opens_on", "due_on"]
        widgets = {"opens_on": DATE, "due_on": DATE, "units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["year"].min_value = 2000
        self.fields["year"].widget.attrs.update(min=2000, max=2100)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("请填写 2000 到 2100 之间的年度。"))
        return year

    def clean_checklist(self):
        lines = [line.strip() for line in self.cleaned_data["checklist"].splitlines() if line.strip()]
        if len(lines) > MAX_CHECKLIST_LINES:
            raise forms.ValidationError(_("检查内容最多 %(n)s 项。") % {"n": MAX_CHECKLIST_LINES})
        rows = []
        for n, line in enumerate(lines, 1):
            text, _sep, score = line.partition("|")
            text = text.strip()
            if not text or len(text) > 200:
                raise forms.ValidationError(_("第 %(n)s 行：内容须为 1 到 200 个字。") % {"n": n})
            score = score.strip()
            if score and not (score.isascii() and score.isdigit() and int(score) <= 1000):
                raise forms.ValidationError(_("第 %(n)s 行：分值须为 0 到 1000 的整数。") % {"n": n})
            rows.append((text, int(score) if score else 0))
        return rows

    def clean(self):
        data = super().clean()
        if data.get("kind") == CampaignKind.ASSESSMENT and any(score == 0 for _t, score in data.get("checklist") or []):
            self.add_error("checklist", _("检查考核的每一项都要有分值（内容|分值）。"))
        return data


FINDING_FIELDS = ("implemented", "effective", "problems", "plan")


class TaskFillForm(LockedForm):
    """A unit's answers: one group of fields per checklist line and per measure of its risk
    points (``checks``, prefixed ``r``), and its summary."""

    summary = forms.CharField(label=_("书面总结 / 自查情况"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    files = FilesField(label=_("添加附件"))

    def __init__(self, *args, answers=(), checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.answers, self.checks = list(answers), list(checks)
        for prefix, rows in (("", self.answers), ("r", self.checks)):
            for a in rows:
                self.fields[f"{prefix}implemented_{a.pk}"] = forms.BooleanField(
                    label=_("落实到位"), required=False, initial=a.implemented)
                self.fields[f"{prefix}effective_{a.pk}"] = forms.BooleanField(label=_("有效"), required=False, initial=a.effective)
                self.fields[f"{prefix}problems_{a.pk}"] = forms.CharField(
                    label=_("发现的问题"), required=False, max_length=2000, initial=a.problems,
                    widget=forms.Textarea(attrs={"rows": 2}))
                self.fields[f"{prefix}plan_{a.pk}"] = forms.CharField(
                    label=_("整改打算"), required=False, max_length=2000, initial=a.plan,
                    widget=forms.Textarea(attrs={"rows": 2}))
        guard_text_fields(self)

    def rows(self):
        return [(a, [self[f"{f}_{a.pk}"] for f in FINDING_FIELDS]) for a in self.answers]

    def check_rows(self):
        return [(c, [self[f"r{f}_{c.pk}"] for f in FINDING_FIELDS]) for c in self.checks]

    def answers_data(self):
        return {a.pk: {f: self.cleaned_data[f"{f}_{a.pk}"] for f in FINDING_FIELDS} for a in self.answers}

    def checks_data(self):
        return {c.pk: {f: self.cleaned_data[f"r{f}_{c.pk}"] for f in FINDING_FIELDS} for c in self.checks}


class PersonalCheckForm(LockedForm):
    """A post holder's own self-check: 廉洁自律情况, 履职情况, and whether a problem exists."""

    integrity = forms.CharField(label=_("廉洁自律情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("遵守廉洁从政规定、收受礼品礼金、亲属经商办企业等情况。"))
    duty = forms.CharField(label=_("履职情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("岗位职责履行、防控措施执行、自由裁量权行使等情况。"))
    has_problems = forms.BooleanField(label=_("存在问题"), required=False,
                                      help_text=_("有需要整改的问题时勾选，并在上面写明。"))


class ChecklistItemForm(GuardedModelForm):
    """One line of a campaign's checklist or scoring sheet, as the office edits it."""

    class Meta:
        model = ChecklistItem
        fields = ["text", "max_score"]

    def __init__(self, *args, scored=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.scored = scored
        self.fields["max_score"].widget.attrs.update(min=1 if scored else 0, max=1000)
        if not scored:
            self.fields["max_score"].help_text = _("自查和年度总结不打分，填 0。")

    def clean_max_score(self):
        score = self.cleaned_data["max_score"]
        if self.scored and not score:
            raise forms.ValidationError(_("检查考核的每一项都要有分值。"))
        return score


class TaskScoreForm(LockedForm):
    """The office's score of one unit against the sheet."""

    comment = forms.CharField(label=_("考核意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, answers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = list(answers)
        for a in self.answers:
            self.fields[f"score_{a.pk}"] = forms.DecimalField(
                label=a.item.text, min_value=0, max_value=a.item.max_score, max_digits=6, decimal_places=1,
                initial=a.score, help_text=_("满分 %(n)s") % {"n": a.item.max_score})

    def scores(self):
        try:
            return {a.pk: Decimal(self.cleaned_data[f"score_{a.pk}"]) for a in self.answers}
        except (InvalidOperation, TypeError):
            return {}


class TaskReviewForm(GuardedForm):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("accept", _("通过")), ("return", _("退回"))])
    comment = forms.CharField(label=_("意见（退回时必填）"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class PhaseForm(GuardedModelForm):
    class Meta:
        model = Phase
        fields = ["starts_on", "ends_on", "deliverable"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "deliverable": forms.Textarea(attrs={"rows": 3})}


class CalendarDayForm(GuardedModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": DATE}


class CadenceForm(GuardedModelForm):
    class Meta:
        model = Cadence
        fields = ["kind", "level", "before", "on_due_day", "overdue_every", "escalate_head_after",
                  "escalate_office_after", "working_days"]

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(label=_("事项类型"), choices=kinds)


class ScheduleForm(GuardedForm):
    """One beat entry's crontab, as the office edits it."""

    minute = forms.CharField(label=_("分（*/5 为每 5 分钟）"), max_length=5)
    hour = forms.CharField(label=_("时（* 为每小时）"), max_length=5)
    day_of_month = forms.CharField(label=_("日（* 为每天）"), max_length=5)
    month_of_year = forms.CharField(label=_("月（* 为每月）"), max_length=5)
    enabled = forms.BooleanField(label=_("启用"), required=False)

    def _part(self, name, low, high):
        """A crontab field: ``*``, every n (``*/n``) or one number from ``low`` to ``high``."""
        value = self.cleaned_data[name].strip()
        step = value[2:] if value.startswith("*/") else None
        if value == "*" or (step is not None and step.isascii() and step.isdigit() and 1 <= int(step) <= high) or (
                value.isascii() and value.isdigit() and low <= int(value) <= high):
            return value
        raise forms.ValidationError(_("请填写 *、*/n 或 %(low)s 到 %(high)s 的数字。") % {"low": low, "high": high})

    def clean_minute(self):
        return self._part("minute", 0, 59)

    def clean_hour(self):
        return self._part("hour", 0, 23)

    def clean_day_of_month(self):
        return self._part("day_of_month", 1, 31)

    def clean_month_of_year(self):
        return self._part("month_of_year", 1, 12)
