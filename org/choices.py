from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("局")
    SECTION = "section", _("机关科室")
    DIRECT = "direct", _("局属单位")
    BRIGADE = "brigade", _("执法大队")
    SQUAD = "squad", _("中队")


class PostTier(models.TextChoices):
    LEADERSHIP = "leadership", _("领导岗位")
    MIDDLE = "middle", _("中层岗位")
    KEY = "key", _("其他重要岗位")


class Role(models.TextChoices):
    """A role is a Django group of this name; a user may hold several."""

    STAFF = "staff", _("科室/单位工作人员")
    UNIT_HEAD = "unit_head", _("单位负责人")
    LEADER = "leader", _("分管领导")
    OFFICE = "office", _("防控办")
    LEADERSHIP = "leadership", _("局领导")
    ADMIN = "admin", _("系统管理员")
    EXPERT = "expert", _("评审专家")
