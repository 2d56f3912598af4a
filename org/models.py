"""Units, posts and users: the bottom layer every other app stands on."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import PostTier, Role, UnitKind

MAX_UNIT_DEPTH = 3  # 局 → 科室/局属单位/大队 → 中队


class Unit(models.Model):
    """A bureau, one of its sections or subordinate units, or a squad under those.

    The tree is at most three levels deep, so "this unit and everything under it" is a plain
    SQL condition (see ``org.scoping``) and one installation can hold several bureaus.
    """

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(_("编码"), max_length=20, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["order", "code"]

    LABEL_FIELDS = ("name",)  # what ``label_of`` labels a unit by (``org.widgets.LabelRows``)

    @staticmethod
    def label_of(name):
        return name

    def __str__(self):
        return self.label_of(self.name)

    @property
    def depth(self):
        return 1 if self.parent_id is None else self.parent.depth + 1

    def clean(self):
        if self.parent_id is None and self.kind != UnitKind.BUREAU:
            raise ValidationError({"parent": _("只有“局”可以没有上级单位。")})
        if self.parent_id is not None:
            if self.parent.depth >= MAX_UNIT_DEPTH:
                raise ValidationError({"parent": _("单位层级最多三级：局、科室/大队、中队。")})
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("上级单位不能是自己。")})

    @property
    def bureau(self):
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent
        return unit


class Post(models.Model):
    """A post (岗位) in a unit, with its tier: leadership, middle management or other key post.

    ``is_key`` marks the work plan's 关键岗位: a post holding 业务处置权 and 自由裁量权, whose
    risks the office watches first. The office (or an administrator) marks it.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="posts")
    name = models.CharField(_("岗位名称"), max_length=60)
    tier = models.CharField(_("岗位层次"), max_length=20, choices=PostTier.choices)
    duties = models.TextField(_("岗位职责"), blank=True)
    is_key = models.BooleanField(_("关键岗位"), default=False, db_index=True,
                                 help_text=_("掌握业务处置权和自由裁量权的岗位。"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["unit__order", "unit__code", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="post_unique_name_per_unit")]

    LABEL_FIELDS = ("unit__short_name", "unit__name", "name")  # what ``label_of`` labels a post by

    @staticmethod
    def label_of(unit_short_name, unit_name, name):
        return f"{unit_short_name or unit_name} · {name}"

    def __str__(self):
        return self.label_of(self.unit.short_name, self.unit.name, self.name)


class User(AbstractUser):
    """A person using the system: belongs to one unit and may hold one post there.

    Roles are groups named by ``Role`` values; a leader in charge also lists the units they
    oversee (``oversees``).
    """

    real_name = models.CharField(_("姓名"), max_length=40, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("岗位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="holders"
    )
    title = models.CharField(_("职务"), max_length=60, blank=True)
    oversees = models.ManyToManyField(
        Unit, verbose_name=_("分管单位"), blank=True, related_name="leaders_in_charge"
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["unit__order", "username"]

    def __str__(self):
        return self.display_name

    NAME_FIELDS = ("real_name", "first_name", "last_name", "username")  # what ``display_name`` is made of

    @property
    def display_name(self):
        return self.real_name or self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.post_id and self.post.unit_id != self.unit_id:
            raise ValidationError({"post": _("岗位必须属于该用户所在单位。")})

    @cached_property
    def roles(self):
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles):
        return any(role in self.roles for role in roles)

    @property
    def role_labels(self):
        return [label for value, label in Role.choices if value in self.roles]
