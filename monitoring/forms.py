from django import forms
from django.utils.translation import gettext_lazy as _

from org.files import FilesField
from org.inputs import GuardedForm, GuardedModelForm
from org.models import Post, Unit, User
from org.scoping import bureau_unit_ids, subtree_q
from powers.models import PowerItem
from riskpoints.choices import RiskLevel
from riskpoints.models import RiskPoint

from .authority import issuable_methods, target_unit_ids
from .choices import AdjustMode, Channel, Nature, Outcome, TaskKind, Verdict
from .models import RiskInformation, RiskProposal, WarningRecord
from .services import information_units, proposal_channels, proposal_target_ids


class ProposalForm(GuardedModelForm):
    """Propose a risk point to a unit. The choices are what the user may use: their channels,
    the units those reach, the powers they see and the posts of the bureau (the service checks
    that the post belongs to the chosen unit)."""

    class Meta:
        model = RiskProposal
        fields = ["found_by", "target_unit", "power", "post", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"post": _("可不填；填写时须为所提单位的岗位。"), "power": _("可不填。")}

    def __init__(self, *args, user, information=None, **kwargs):
        super().__init__(*args, **kwargs)
        channels = proposal_channels(user, public=information is not None)
        self.fields["found_by"].choices = [(fb.value, fb.label) for fb in channels]
        targets = set().union(*(proposal_target_ids(user, fb) for fb in channels)) if channels else set()
        self.fields["target_unit"].queryset = Unit.objects.filter(pk__in=targets, parent__isnull=False)
        self.fields["power"].queryset = PowerItem.objects.for_user(user).order_by("code")
        self.fields["power"].label_from_instance = lambda p: f"{p.code} {p.name}"
        self.fields["post"].queryset = Post.objects.filter(unit__in=bureau_unit_ids(user)).select_related("unit")


class ProposalDeclineForm(GuardedForm):
    reason = forms.CharField(label=_("不采纳的理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


# --- information, assessment, tasks, warnings, adjustments ------------------------------------

def _people(user):
    return User.objects.filter(unit__in=bureau_unit_ids(user), is_active=True).select_related("unit").order_by("unit__code", "username")


class InformationForm(GuardedModelForm):
    files = FilesField(label=_("附件"))

    class Meta:
        model = RiskInformation
        fields = ["channel", "received_on", "source_reference", "content", "reporter", "contact", "concerns_unit",
                  "concerns_person", "concerns_power", "concerns_risk", "credibility"]
        widgets = {"content": forms.Textarea(attrs={"rows": 5}), "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(v, l) for v, l in Channel.choices if v != Channel.PUBLIC]
        self.fields["concerns_unit"].queryset = Unit.objects.filter(pk__in=information_units(user))
        self.fields["concerns_person"].queryset = _people(user)
        self.fields["concerns_person"].label_from_instance = lambda u: f"{u.display_name}（{u.unit.name}）"
        self.fields["concerns_power"].queryset = PowerItem.objects.for_user(user).order_by("code")
        self.fields["concerns_power"].label_from_instance = lambda p: f"{p.code} {p.name}"
        self.fields["concerns_risk"].queryset = RiskPoint.objects.for_user(user).order_by("code")
        self.fields["concerns_risk"].label_from_instance = lambda r: f"{r.code} {r.title}"


class AssessForm(GuardedForm):
    outcome = forms.ChoiceField(label=_("研判结论"), choices=[(Outcome.REJECT, Outcome.REJECT.label),
                                                          (Outcome.OBSERVE, Outcome.OBSERVE.label)])
    reasoning = forms.CharField(label=_("研判理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ReasoningForm(GuardedForm):
    reasoning = forms.CharField(label=_("研判理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000,
                                required=False, help_text=_("从风险信息作出时必填：为什么这样处置。"))


class TaskForm(ReasoningForm):
    unit = forms.ModelChoiceField(label=_("责成单位"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("任务类型"), choices=TaskKind.choices)
    risk_point = forms.ModelChoiceField(label=_("需修改措施的风险点"), queryset=RiskPoint.objects.none(), required=False,
                                        help_text=_("任务类型为修改已有措施时必填。"))
    instruction = forms.CharField(label=_("要求"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    due_date = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=bureau_unit_ids(user), parent__isnull=False)
        self.fields["risk_point"].queryset = RiskPoint.objects.for_user(user).order_by("code")
        self.fields["risk_point"].label_from_instance = lambda r: f"{r.code} {r.title}"


class TaskCompleteForm(GuardedForm):
    risk = forms.ModelChoiceField(label=_("落实的风险点"), queryset=RiskPoint.objects.none())
    answer = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, task, user, **kwargs):
        super().__init__(*args, **kwargs)
        qs = RiskPoint.objects.for_user(user).filter(subtree_q([task.unit_id], "unit__")).order_by("-created_at")
        if task.kind == TaskKind.CHANGE_PLAN:
            qs = qs.filter(pk=task.risk_point_id)
        else:
            qs = qs.filter(created_at__gte=task.created_at)
        self.fields["risk"].queryset = qs
        self.fields["risk"].label_from_instance = lambda r: f"{r.code} {r.title}"


class WarningForm(ReasoningForm):
    method = forms.ChoiceField(label=_("处置方式"))
    person = forms.ModelChoiceField(label=_("预警人员"), queryset=User.objects.none(), required=False,
                                    help_text=_("谈心疏导、批评教育、信访约谈、诫勉谈话的对象是个人。"))
    unit = forms.ModelChoiceField(label=_("预警单位"), queryset=Unit.objects.none(), required=False,
                                  help_text=_("对责任领导诫勉谈话、召开专题民主生活会、限期整改的对象是单位。"))
    nature = forms.ChoiceField(label=_("问题性质"), choices=Nature.choices)
    reason = forms.CharField(label=_("预警事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    requirement = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                                  required=False, help_text=_("限期整改必填。"))
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text=_("限期整改必填。"))
    risk_points = forms.ModelMultipleChoiceField(label=_("涉及风险点"), queryset=RiskPoint.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        methods = issuable_methods(user)
        self.fields["method"].choices = [(m.value, m.label) for m in methods]
        units = set().union(*(target_unit_ids(user, m) for m in methods)) if methods else set()
        self.fields["person"].queryset = _people(user).filter(unit__in=units)
        self.fields["person"].label_from_instance = lambda u: f"{u.display_name}（{u.unit.name}）"
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=units, parent__isnull=False)
        self.fields["risk_points"].queryset = RiskPoint.objects.for_user(user).order_by("code")
        self.fields["risk_points"].label_from_instance = lambda r: f"{r.code} {r.title}"
        self.fields["risk_points"].widget.attrs["size"] = 6


class WarningRecordForm(GuardedModelForm):
    class Meta:
        model = WarningRecord
        fields = ["held_at", "place", "participants", "content", "statement"]
        widgets = {"held_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "content": forms.Textarea(attrs={"rows": 5}), "statement": forms.Textarea(attrs={"rows": 3})}


class ReportForm(GuardedForm):
    content = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000)
    files = FilesField(label=_("佐证材料"))


class VerifyForm(GuardedForm):
    verdict = forms.ChoiceField(label=_("验收结论"), choices=[(Verdict.ACCEPTED, Verdict.ACCEPTED.label),
                                                         (Verdict.RETURNED, Verdict.RETURNED.label)])
    comment = forms.CharField(label=_("验收意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False)


class CloseForm(GuardedForm):
    note = forms.CharField(label=_("办结意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class AdjustForm(ReasoningForm):
    mode = forms.ChoiceField(label=_("方式"), choices=AdjustMode.choices, widget=forms.RadioSelect,
                             help_text=_("已验收或已公布的风险点由防控办直接调整；其余由单位在编辑中调整（督促调整）。"))
    to_level = forms.TypedChoiceField(label=_("调整为"), choices=RiskLevel.choices, coerce=int)
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ConfigForm(GuardedForm):
    prefix = forms.CharField(label=_("文号前缀"), max_length=12,
                             help_text=_("用于风险信息编号和预警通知书文号，例如“城执”。"))


class LookupForm(GuardedForm):
    reference = forms.CharField(label=_("编号"), max_length=30)
    code = forms.CharField(label=_("查询码"), max_length=20)
