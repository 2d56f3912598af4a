"""Documents built in the background and kept for a while."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from org.jobs import BackgroundJob


class BuildState(models.TextChoices):
    QUEUED = "queued", _("排队等候")
    RUNNING = "running", _("正在生成")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


def _build_file_name(instance, filename):
    return f"documents/{uuid.uuid4().hex}.pdf"


class DocumentBuild(BackgroundJob, models.Model):
    """One request for a long document (a bureau-wide catalogue, a unit's 档案), built by a task.

    ``params`` and ``scope`` say what was asked and for which set of visible units, so that the
    same request by someone with the same scope finds it again. ``content_hash`` fingerprints
    the rendered content with its stylesheets (``pdf.layout_digest``): a rebuild whose content
    and layout did not change reuses the kept file.
    ``unit_ids`` are the units whose items the file holds; it is served only to a user who
    sees every one of them.
    """

    FINAL = (BuildState.DONE, BuildState.FAILED)

    key = models.CharField(_("文档"), max_length=40)
    params = models.JSONField(_("参数"), default=dict)
    scope = models.CharField(_("范围"), max_length=64, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE,
                                     related_name="+")
    state = models.CharField(_("状态"), max_length=20, choices=BuildState.choices, default=BuildState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    content_hash = models.CharField(_("内容摘要"), max_length=64, blank=True, db_index=True)
    file = models.FileField(_("文件"), upload_to=_build_file_name, max_length=200, blank=True)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    unit_ids = models.JSONField(_("涉及单位"), default=list)
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("文档生成")
        verbose_name_plural = _("文档生成")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["key", "scope", "created_at"])]

    def __str__(self):
        return self.filename or self.key

    def get_absolute_url(self):
        return reverse("documents:build", args=[self.pk])
