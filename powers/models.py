"""The power catalogue (职权目录): every power the bureau exercises, with its legal bases."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Post, Unit
from org.scoping import ScopedQuerySet
from review.models import Reviewable

from .choices import PowerCategory

code_validator = RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9\-_.]*$", _("编码只能包含字母、数字、连字符、下划线和点。"))


class PowerItem(Reviewable):
    """One power (职权事项): what it is, who exercises it and on what legal basis.

    It goes through review as a whole; its legal bases are part of what is approved.
    """

    requires_filing = True

    code = models.CharField(_("职权编码"), max_length=40, unique=True, validators=[code_validator])
    category = models.CharField(_("职权类别"), max_length=20, choices=PowerCategory.choices, db_index=True)
    name = models.CharField(_("职权名称"), max_length=200)
    sub_item = models.CharField(_("子项名称"), max_length=200, blank=True)
    content = models.TextField(_("职权内容"))
    unit = models.ForeignKey(Unit, verbose_name=_("行使单位"), on_delete=models.PROTECT, related_name="powers")
    posts = models.ManyToManyField(Post, verbose_name=_("责任岗位"), blank=True, related_name="powers")
    has_discretion = models.BooleanField(_("有自由裁量权"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
        related_name="+", null=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[posts], excluded_fields=["lock_version", "updated_at"])

    class Meta:
        verbose_name = _("职权事项")
        verbose_name_plural = _("职权事项")
        ordering = ["code"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.name}（{self.sub_item}）" if self.sub_item else self.name

    def get_absolute_url(self):
        return reverse("powers:detail", args=[self.pk])

    def snapshot(self):
        return {
            "code": self.code,
            "category": self.category,
            "category_label": str(self.get_category_display()),
            "name": self.name,
            "sub_item": self.sub_item,
            "content": self.content,
            "unit": {"id": self.unit_id, "name": self.unit.name},
            "posts": [{"id": p.pk, "name": p.name} for p in self.posts.order_by("pk")],
            "has_discretion": self.has_discretion,
            "legal_bases": [
                {"law": b.law_name, "article": b.article, "text": b.text} for b in self.legal_bases.all()
            ],
        }


class LegalBasis(models.Model):
    """One legal basis of a power: a law or regulation, the article, and what it provides."""

    power = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="legal_bases")
    law_name = models.CharField(_("法律法规名称"), max_length=200)
    article = models.CharField(_("条款"), max_length=100, blank=True)
    text = models.TextField(_("条文内容"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "power__unit"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法律依据")
        verbose_name_plural = _("法律依据")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.law_name}{self.article}"
