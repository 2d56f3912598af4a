from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    SEPARATION = "separation", _("分权")
    DISCLOSURE = "disclosure", _("示权")
    CONTROL = "control", _("控权")
    PROCESS = "process", _("流程优化")
    SYSTEM = "system", _("制度建设")


class MeasureState(models.TextChoices):
    PLANNED = "planned", _("计划中")
    DONE = "done", _("已落实")
    EFFECTIVE = "effective", _("已评估有效")
    IMPROVE = "improve", _("需改进")


MEASURE_STATE_COLOURS = {
    MeasureState.PLANNED: "secondary", MeasureState.DONE: "primary",
    MeasureState.EFFECTIVE: "success", MeasureState.IMPROVE: "danger",
}


class Responsible(models.TextChoices):
    """Who may be the responsible person of a measure, by the risk's level (分级负责)."""

    BUREAU_LEADER = "bureau_leader", _("局领导")
    UNIT_HEAD = "unit_head", _("单位负责人")
    POST_HOLDER = "post_holder", _("岗位责任人")
    ANYONE = "anyone", _("不限")


# The work plan's 分级管理、分级负责、责任到人: 一级 a bureau leader, 二级 the unit head,
# 三级 the post holder. The office may change these per bureau.
DEFAULT_RESPONSIBLE = {1: Responsible.BUREAU_LEADER, 2: Responsible.UNIT_HEAD, 3: Responsible.POST_HOLDER}
