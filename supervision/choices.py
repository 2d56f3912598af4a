from django.db import models
from django.utils.translation import gettext_lazy as _

from powers.choices import PowerCategory

# Powers whose discretion is bounded by a benchmark table (裁量基准): a power of these categories
# marked as carrying discretion is not accepted without one.
BENCHMARK_CATEGORIES = (PowerCategory.PENALTY, PowerCategory.LICENSING, PowerCategory.COERCION)


# The degrees of violation (违法程度) every bureau starts with, mildest first: (code, name, order).
# The office keeps its own list from there (``ViolationDegree``).
DEFAULT_DEGREES = [("minor", _("轻微"), 1), ("general", _("一般"), 2), ("serious", _("较重"), 3), ("severe", _("严重"), 4)]


class FineBasis(models.TextChoices):
    NONE = "none", _("不处罚款")
    AMOUNT = "amount", _("罚款金额（元）")
    PERCENT = "percent", _("按工程造价（货值）的百分比")


class KeyRuleKind(models.TextChoices):
    CATEGORY = "category", _("按职权类别")
    LEVEL = "level", _("按风险点等级")
    POWER = "power", _("逐项指定")


class Light(models.TextChoices):
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


LIGHT_COLOURS = {Light.GREEN: "success", Light.YELLOW: "warning", Light.RED: "danger"}


class FindingKind(models.TextChoices):
    """What the electronic check (电子监察) finds in a filing, and the card it shows."""

    LATE = "late", _("超过法定时限")
    SKIPPED = "skipped", _("跳过流程环节")
    ORDER = "order", _("办理顺序与流程不符")
    OUT_OF_RANGE = "range", _("处罚超出裁量基准")
    UNSTATED = "unstated", _("未写明适用情节")


FINDING_LIGHTS = {
    FindingKind.LATE: Light.RED, FindingKind.SKIPPED: Light.RED, FindingKind.OUT_OF_RANGE: Light.RED,
    FindingKind.ORDER: Light.YELLOW, FindingKind.UNSTATED: Light.YELLOW,
}


class MatterKind(models.TextChoices):
    """三重一大事项."""

    DECISION = "decision", _("重大决策")
    APPOINTMENT = "appointment", _("重要干部任免")
    PROJECT = "project", _("重大项目安排")
    FUNDS = "funds", _("大额度资金使用")


class Quorum(models.TextChoices):
    HALF = "half", _("应到会成员过半数")
    TWO_THIRDS = "two_thirds", _("应到会成员三分之二以上")


class Vote(models.TextChoices):
    FOR = "for", _("同意")
    AGAINST = "against", _("不同意")
    ABSTAIN = "abstain", _("弃权")


class BreachKind(models.TextChoices):
    """A rule of procedure (议事规则) a 三重一大 record did not follow."""

    NO_MEETING = "no_meeting", _("未经集体讨论决定")
    QUORUM = "quorum", _("到会人数不足")
    LEADER_NOT_LAST = "leader_not_last", _("主要负责人未末位表态")
    NO_CONSULTATION = "no_consultation", _("会前未征求意见")
    NO_LEGAL_REVIEW = "no_legal_review", _("未经合法性审查")
    SILENT_MEMBER = "silent_member", _("到会成员未逐一表态")
    NOT_PASSED = "not_passed", _("赞成票未超过应到会成员半数")
