from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where risk information comes from (work plan §三(二)5 and §三(五))."""

    PUBLIC = "public", _("群众提（公示网站留言）")
    PETITION = "petition", _("信访举报投诉")
    EVALUATION = "evaluation", _("政风评议")
    EFFICIENCY = "efficiency", _("效能检查")
    CASE = "case", _("案件查处")
    AUDIT = "audit", _("责任审计")
    DEMOCRATIC_MEETING = "meeting", _("民主生活会")
    REPORT = "report", _("领导干部述职述廉")
    SURVEY = "survey", _("问卷调查")
    VISIT = "visit", _("访问服务对象")
    INSPECTION = "inspection", _("监督检查")
    CADRE_REVIEW = "cadre", _("干部考核")
    OPINION_ONLINE = "online", _("网络舆情")
    SELF_INSPECTION = "self", _("自查")


class Credibility(models.TextChoices):
    UNVERIFIED = "unverified", _("待核实")
    HIGH = "high", _("可信度高")
    MEDIUM = "medium", _("可信度一般")
    LOW = "low", _("可信度低")


class InfoState(models.TextChoices):
    NEW = "new", _("待研判")
    OBSERVING = "observing", _("存档观察")
    ASSESSED = "assessed", _("处置中")
    CLOSED = "closed", _("已办结")


INFO_STATE_COLOURS = {
    InfoState.NEW: "warning", InfoState.OBSERVING: "info", InfoState.ASSESSED: "primary", InfoState.CLOSED: "secondary",
}
OPEN_INFO_STATES = (InfoState.NEW, InfoState.OBSERVING, InfoState.ASSESSED)


class Outcome(models.TextChoices):
    """What an assessment (研判) decides (work plan §三(二)5)."""

    REJECT = "reject", _("不予采信")
    OBSERVE = "observe", _("存档观察")
    TASK = "task", _("责成单位制定防范措施")
    WARN = "warn", _("发出预警")
    ADJUST = "adjust", _("调整风险等级")


class TaskKind(models.TextChoices):
    NEW_RISK = "new_risk", _("查找新的风险点并制定措施")
    CHANGE_PLAN = "change_plan", _("修改已有风险点的防控措施")


class TaskState(models.TextChoices):
    OPEN = "open", _("待落实")
    DONE = "done", _("已落实")


class Target(models.TextChoices):
    PERSON = "person", _("个人")
    UNIT = "unit", _("单位")


class Method(models.TextChoices):
    """Warning methods (预警处置方式): four for a person, three for a unit."""

    HEART_TALK = "heart_talk", _("谈心疏导")
    CRITICISM = "criticism", _("批评教育")
    PETITION_TALK = "petition_talk", _("信访约谈")
    ADMONITION = "admonition", _("诫勉谈话")
    LEADER_ADMONITION = "leader_admonition", _("对责任领导诫勉谈话")
    LIFE_MEETING = "life_meeting", _("召开专题民主生活会")
    RECTIFY = "rectify", _("限期整改")


METHOD_TARGET = {
    Method.HEART_TALK: Target.PERSON, Method.CRITICISM: Target.PERSON, Method.PETITION_TALK: Target.PERSON,
    Method.ADMONITION: Target.PERSON, Method.LEADER_ADMONITION: Target.UNIT, Method.LIFE_MEETING: Target.UNIT,
    Method.RECTIFY: Target.UNIT,
}
# Methods carried out as a talk or a meeting: closing them needs its record.
RECORDED_METHODS = (Method.HEART_TALK, Method.PETITION_TALK, Method.ADMONITION, Method.LEADER_ADMONITION,
                    Method.LIFE_MEETING)


class Nature(models.TextChoices):
    SIGN = "sign", _("苗头性问题")
    TREND = "trend", _("倾向性问题")


class WarningState(models.TextChoices):
    ISSUED = "issued", _("已发出")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    REPORTED = "reported", _("整改待验收")
    CLOSED = "closed", _("已办结")


WARNING_STATE_COLOURS = {
    WarningState.ISSUED: "warning", WarningState.ACKNOWLEDGED: "info", WarningState.REPORTED: "primary",
    WarningState.CLOSED: "secondary",
}


class Verdict(models.TextChoices):
    PENDING = "pending", _("待验收")
    ACCEPTED = "accepted", _("验收通过")
    RETURNED = "returned", _("退回重报")


class AdjustMode(models.TextChoices):
    DIRECT = "direct", _("防控办直接调整")
    REQUESTED = "requested", _("督促单位调整")


class AdjustState(models.TextChoices):
    PENDING = "pending", _("待单位调整")
    DONE = "done", _("已调整")
    CANCELLED = "cancelled", _("已撤销")


class ProposalState(models.TextChoices):
    """Where a proposal of a risk point stands with the unit it was addressed to."""

    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    DECLINED = "declined", _("未采纳")


PROPOSAL_STATE_COLOURS = {
    ProposalState.PENDING: "warning", ProposalState.ACCEPTED: "success", ProposalState.DECLINED: "secondary",
}
