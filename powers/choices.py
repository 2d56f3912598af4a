from django.db import models
from django.utils.translation import gettext_lazy as _


class PowerCategory(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    LEVY = "levy", _("行政征收")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    OTHER = "other", _("其他行政权力")
    PERSONNEL = "personnel", _("人事管理")
    FINANCE = "finance", _("财务管理")
    PROCUREMENT = "procurement", _("物资采购")
    PROJECT = "project", _("项目审批")


INTERNAL_CATEGORIES = (
    PowerCategory.PERSONNEL, PowerCategory.FINANCE, PowerCategory.PROCUREMENT, PowerCategory.PROJECT,
)
