from django.db import models
from django.utils.translation import gettext_lazy as _

from org.imports import ImportState  # noqa: F401  (shared by every background import; imported from here too)
from powers.choices import INTERNAL_CATEGORIES, PowerCategory


class FindingLevel(models.TextChoices):
    POST = "post", _("岗位")
    DEPARTMENT = "department", _("部门")
    UNIT = "unit", _("单位")


class RiskKind(models.TextChoices):
    DUTY = "duty", _("岗位职责")
    PROCESS = "process", _("业务流程")
    SYSTEM = "system", _("制度机制")


class FoundBy(models.TextChoices):
    SELF = "self", _("自己找")
    PUBLIC = "public", _("群众提")
    MUTUAL = "mutual", _("相互帮")
    LEADER = "leader", _("领导点")
    EXPERT = "expert", _("专家评")
    ORGANISATION = "organisation", _("组织审")


class RiskLevel(models.IntegerChoices):
    FIRST = 1, _("一级")
    SECOND = 2, _("二级")
    THIRD = 3, _("三级")


# Badge colour and the hex used on flowchart markers, per level.
LEVEL_COLOURS = {1: ("danger", "#dc3545"), 2: ("warning", "#f0ad4e"), 3: ("info", "#3b82c4")}


class KeyArea(models.TextChoices):
    """The work plan's 重点领域 (§三(二)4), where control measures matter most."""

    NONE = "", _("（非重点领域）")
    APPROVAL = "approval", _("行政审批")
    PENALTY = "penalty", _("行政处罚")
    INVESTMENT = "investment", _("政府投资项目")
    PUBLIC_RESOURCE = "public_resource", _("公共资源交易")
    SPECIAL_FUNDS = "special_funds", _("专项资金管理使用")


# What a power's category suggests when a risk point is registered on it. The work plan's 一级
# names the important powers (行政许可、行政处罚、项目审批、人事、财务、物资采购): directly
# exercising one is importance 3 (高); every other power is still a power (2, 中); a risk on no
# power gets no suggestion. The mapping lives here, not in powers: powers do not know risks.
IMPORTANT_CATEGORIES = frozenset({PowerCategory.LICENSING, PowerCategory.PENALTY, *INTERNAL_CATEGORIES})
CATEGORY_IMPORTANCE = {category: 3 if category in IMPORTANT_CATEGORIES else 2 for category in PowerCategory.values}
CATEGORY_KEY_AREA = {
    PowerCategory.LICENSING: KeyArea.APPROVAL,
    PowerCategory.PENALTY: KeyArea.PENALTY,
    PowerCategory.PROJECT: KeyArea.INVESTMENT,
    PowerCategory.PROCUREMENT: KeyArea.PUBLIC_RESOURCE,
    PowerCategory.FINANCE: KeyArea.SPECIAL_FUNDS,
}


class CarryDecision(models.TextChoices):
    NEW = "", _("本年新增")
    PENDING = "pending", _("待确认")
    UNCHANGED = "unchanged", _("无变化")
    CHANGED = "changed", _("有变化")
    RETIRED = "retired", _("已撤销")


# The four assessment factors and what each grade means, written from the work plan's
# criteria (§三(二)2: 权力的重要程度、自由裁量权的大小、腐败现象发生的概率及危害程度).
FACTORS = {
    "importance": (_("权力重要程度"), {
        3: _("高：直接行使行政许可、行政处罚、项目审批，或人事、财务、物资采购等重要权力"),
        2: _("中：行使部分许可、处罚权，或参与人、财、物管理"),
        1: _("低：基本没有许可、处罚权，较少或基本不掌握人、财、物管理权"),
    }),
    "discretion": (_("自由裁量空间"), {
        3: _("大：幅度宽、可选项多（如罚款幅度、是否立案、是否许可），缺少细化基准"),
        2: _("中：有一定裁量余地，但有裁量基准或集体决定约束"),
        1: _("小：按固定标准和程序办理，基本没有裁量余地"),
    }),
    "probability": (_("发生概率"), {
        3: _("高：风险发生机率高，或近年发生过同类问题"),
        2: _("较高：在一定条件下可能发生"),
        1: _("较小：发生机率较小"),
    }),
    "harm": (_("危害程度"), {
        3: _("严重：可能造成严重损害后果，有可能触犯法律、构成犯罪"),
        2: _("较严重：可能违纪违规，受到党纪政纪处分"),
        1: _("一般：可能造成不良社会影响"),
    }),
}
FACTOR_NAMES = tuple(FACTORS)
GRADES = [(3, _("高")), (2, _("中")), (1, _("低"))]
# The two heat maps of the dashboards: each crosses one factor (its rows) with another (its columns).
HEATMAPS = (("probability", "harm"), ("importance", "discretion"))


class ExportState(models.TextChoices):
    """Where a register export built in the background stands; the last two are final."""

    QUEUED = "queued", _("排队等候")
    RUNNING = "running", _("正在生成")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成出错")
