from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNIT_APPROVED = "unit_approved", _("单位已审定")
    LEADER_APPROVED = "leader_approved", _("分管领导已审批")
    ACCEPTED = "accepted", _("防控办已验收")
    PUBLISHED = "published", _("已公布")
    RETURNED = "returned", _("已退回")


# What paper prints without a 草稿 (draft) mark.
PRINTED_STATES = (Status.ACCEPTED, Status.PUBLISHED)

# Bootstrap colour of each status badge.
STATUS_COLOURS = {
    Status.DRAFT: "secondary",
    Status.SUBMITTED: "info",
    Status.UNIT_APPROVED: "primary",
    Status.LEADER_APPROVED: "primary",
    Status.ACCEPTED: "success",
    Status.PUBLISHED: "success",
    Status.RETURNED: "danger",
}


class Action(models.TextChoices):
    CREATE = "create", _("新建")
    REVISE = "revise", _("修订已公布内容")
    SUBMIT = "submit", _("提交审核")
    UNIT_APPROVE = "unit_approve", _("集体审定通过并报送")
    LEADER_APPROVE = "leader_approve", _("分管领导审批通过")
    ACCEPT = "accept", _("防控办验收")
    FILE = "file", _("登记报审备案")
    PUBLISH = "publish", _("公布")
    RETURN = "return", _("退回")
    ADJUST = "adjust", _("防控办调整")


class FilingBody(models.TextChoices):
    LEGAL = "legal", _("市法制办")
    ESTABLISHMENT = "establishment", _("市编办")
    OPENNESS = "openness", _("市政务公开办")


class Stage(models.TextChoices):
    """The workflow's states grouped as a dashboard counts them (and the lists filter them)."""

    DRAFTING = "drafting", _("起草中")
    REVIEWING = "reviewing", _("审核中")
    ACCEPTED = "accepted", _("已验收")
    PUBLISHED = "published", _("已公布")


STAGE_STATES = {
    Stage.DRAFTING: (Status.DRAFT, Status.RETURNED),
    Stage.REVIEWING: (Status.SUBMITTED, Status.UNIT_APPROVED, Status.LEADER_APPROVED),
    Stage.ACCEPTED: (Status.ACCEPTED,),
    Stage.PUBLISHED: (Status.PUBLISHED,),
}
