from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("节假日（休息）")
    WORKDAY = "workday", _("调休（上班）")


class CampaignKind(models.TextChoices):
    SELF_INSPECTION = "self", _("年度自查")
    ASSESSMENT = "assessment", _("检查考核")
    SUMMARY = "summary", _("年度总结")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SCHEDULED = "scheduled", _("待开启")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class TaskState(models.TextChoices):
    OPEN = "open", _("待填报")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


class PhaseCode(models.TextChoices):
    """The work plan's timeline (§三)."""

    MOBILISE = "mobilise", _("动员部署")
    POWERS = "powers", _("清权确权")
    RISKS = "risks", _("查找廉政风险点")
    PUBLISH = "publish", _("公示廉政风险点")
    MEASURES = "measures", _("制定防控措施")
    HANDLING = "handling", _("处置纠正问题")
    SUMMARY = "summary", _("总结工作")
    ASSESSMENT = "assessment", _("检查考核")


CAMPAIGN_STATE_COLOURS = {
    CampaignState.DRAFT: "secondary", CampaignState.SCHEDULED: "info",
    CampaignState.OPEN: "primary", CampaignState.CLOSED: "success",
}
TASK_STATE_COLOURS = {
    TaskState.OPEN: "warning", TaskState.SUBMITTED: "primary",
    TaskState.RETURNED: "danger", TaskState.ACCEPTED: "success",
}
