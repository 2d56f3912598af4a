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
    """The old rule's kinds of person (kept for migration 0003, which reads them)."""

    BUREAU_LEADER = "bureau_leader", _("局领导")
    UNIT_HEAD = "unit_head", _("单位负责人")
    POST_HOLDER = "post_holder", _("岗位责任人")
    ANYONE = "anyone", _("不限")


class Layer(models.TextChoices):
    """The three layers that answer for a risk point (分级管理、分级负责、责任到人)."""

    DIRECT = "direct", _("直接责任人")
    DEPARTMENT = "department", _("部门责任人")
    LEADER = "leader", _("责任领导")


# Which layer answers for a risk of each level, by default: 一级 the leader in charge, 二级 the
# unit head, 三级 the post holder. The office may change these per bureau.
DEFAULT_ANSWERING = {1: Layer.LEADER, 2: Layer.DEPARTMENT, 3: Layer.DIRECT}

# The plan's field for each layer.
LAYER_FIELDS = {Layer.DIRECT: "direct_responsible", Layer.DEPARTMENT: "department_responsible",
                Layer.LEADER: "leader_responsible"}

# Work plan §三(二)4: 岗位职责 risks are met by 分权、示权、控权, 业务流程 risks by 流程优化, and
# 制度机制 risks by 制度建设. Keyed by ``riskpoints.choices.RiskKind`` values.
KINDS_FOR_RISK = {
    "duty": (MeasureKind.SEPARATION, MeasureKind.DISCLOSURE, MeasureKind.CONTROL),
    "process": (MeasureKind.PROCESS,),
    "system": (MeasureKind.SYSTEM,),
}
