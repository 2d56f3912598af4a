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
    REPORT = "report", _("述职述廉")
    SURVEY = "survey", _("问卷调查")
    VISIT = "visit", _("访问服务对象")
    SELF_INSPECTION = "self", _("自查")
    OPINION_ONLINE = "online", _("网络舆情")


class InfoState(models.TextChoices):
    NEW = "new", _("待研判")
    ASSESSED = "assessed", _("已研判")
    CLOSED = "closed", _("已办结")


class ProposalState(models.TextChoices):
    """Where a proposal of a risk point stands with the unit it was addressed to."""

    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    DECLINED = "declined", _("未采纳")


PROPOSAL_STATE_COLOURS = {
    ProposalState.PENDING: "warning", ProposalState.ACCEPTED: "success", ProposalState.DECLINED: "secondary",
}
