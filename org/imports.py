"""Sheet imports that run in the background, shared by every app's all-or-nothing import.

An upload is kept in the default storage (which web processes and workers share) and a row of
a ``SheetImport`` model records how it goes; a task checks every row and, when none is wrong,
saves them all, then deletes the file. The app brings the model (with its ``file`` field and
the page's URL), the check and the save; this module brings the states, the progress and
capped errors, the run that always ends in a final state, and the status page
(``ImportStatusView`` with ``includes/import_progress.html``, which polls itself).
"""

import logging
import tempfile

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .jobs import BackgroundJob
from .sheets import check_upload

logger = logging.getLogger(__name__)


class ImportState(models.TextChoices):
    """Where an uploaded sheet stands; the last three are final."""

    QUEUED = "queued", gettext_lazy("排队等候")
    CHECKING = "checking", gettext_lazy("正在逐行检查")
    SAVING = "saving", gettext_lazy("正在写入")
    DONE = "done", gettext_lazy("已导入")
    REFUSED = "refused", gettext_lazy("有错误，未导入")
    FAILED = "failed", gettext_lazy("处理出错，未导入")


class SheetImport(BackgroundJob, models.Model):
    """One uploaded sheet and how its import went (abstract: each import has its own table).

    Only the first ``errors`` are kept with their row and column; ``error_summary`` counts every
    error by column and kind, so a sheet with 100,000 errors still makes a short page. A
    subclass declares ``file`` (a ``FileField``, blank) and ``get_absolute_url``, and names the
    page to upload again (``upload_url_name``), the fragment that tells what was imported
    (``done_template``, given ``job``), and for the status page its ``title`` and the list the
    import feeds (``list_url_name``, ``list_label``).
    """

    FINAL = (ImportState.DONE, ImportState.REFUSED, ImportState.FAILED)
    upload_url_name = None
    done_template = None
    title = list_url_name = list_label = None

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("上传人"), on_delete=models.CASCADE,
                                   related_name="+")
    filename = models.CharField(gettext_lazy("文件名"), max_length=255)
    state = models.CharField(gettext_lazy("状态"), max_length=20, choices=ImportState.choices, default=ImportState.QUEUED)
    rows_total = models.PositiveIntegerField(gettext_lazy("行数"), default=0)
    rows_checked = models.PositiveIntegerField(gettext_lazy("已检查行数"), default=0)
    created_count = models.PositiveIntegerField(gettext_lazy("新登记"), default=0)
    error_count = models.PositiveIntegerField(gettext_lazy("错误数"), default=0)
    error_row_count = models.PositiveIntegerField(gettext_lazy("有错误的行数"), default=0)
    errors = models.JSONField(gettext_lazy("错误（前若干条）"), default=list, blank=True)
    error_summary = models.JSONField(gettext_lazy("错误汇总"), default=list, blank=True)
    created_at = models.DateTimeField(gettext_lazy("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    @property
    def errors_left_off(self):
        return max(self.error_count - len(self.errors), 0)


class RowsRefused(Exception):
    """Raised by an import's ``save`` for rows found wrong only while saving (a loop in a flow):
    the import is refused with ``errors`` (``org.sheets.SheetErrors``), nothing saved."""

    def __init__(self, errors):
        super().__init__(str(errors.count))
        self.errors = errors


def _refused(errors):
    return {"state": ImportState.REFUSED, "error_count": errors.count, "errors": errors.listed,
            "error_row_count": len(errors.rows - {0}), "error_summary": errors.summary()}


def sheet_import_start(*, model, actor, file, task):
    """Keep an uploaded sheet in the shared storage and queue ``task`` (called with the import's
    id once the row is committed); returns the import, whose page shows how it goes."""
    check_upload(file)
    name = default_storage.save(model._meta.get_field("file").generate_filename(None, file.name), file)
    with transaction.atomic():
        job = model.objects.create(created_by=actor, file=name, filename=file.name[:255])
        transaction.on_commit(lambda: task.delay(job.pk))
    return job


def sheet_import_run(*, model, import_id, check, save, refusals=(PermissionDenied,)):
    """Check an uploaded sheet and, when no row is wrong, save every row; else nothing.

    ``check(file, actor=..., progress=...)`` returns ``(rows, SheetErrors)``; ``save(job, rows)``
    saves them in one transaction and returns the counts to record (``{"created_count": n}``), or
    raises ``RowsRefused`` for rows found wrong while saving.
    An exception of ``refusals`` refuses the import with its message. Runs once per import: a
    redelivered task finds it already claimed. Whatever happens, the import ends in a final
    state with a message, and its file is deleted. Returns the final state (None if claimed).
    """
    claimed = model.objects.filter(pk=import_id, state=ImportState.QUEUED).update(state=ImportState.CHECKING)
    if not claimed:
        return None
    job = model.objects.select_related("created_by__unit").get(pk=import_id)
    outcome = {"state": ImportState.FAILED}
    try:
        rows, errors = _check_stored(model, job, check)
        if errors:
            outcome = _refused(errors)
        else:
            model.objects.filter(pk=job.pk).update(state=ImportState.SAVING)
            outcome = {"state": ImportState.DONE, **save(job, rows)}
    except RowsRefused as exc:
        outcome = _refused(exc.errors)
    except refusals as exc:
        message = getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [])) or str(exc)
        outcome = {"state": ImportState.REFUSED, "error_count": 1, "errors": [(0, "", str(message))]}
    except SoftTimeLimitExceeded:
        outcome["errors"] = [(0, "", _("处理超时，文件未导入；请分成几个较小的文件导入。"))]
    except Exception:
        logger.exception("%s %s failed", model._meta.label, import_id)
        outcome["errors"] = [(0, "", _("处理时出错，文件未导入；请稍后重试，或联系系统管理员。"))]
    finally:
        if job.file:
            job.file.delete(save=False)
        model.objects.filter(pk=job.pk).update(file="", finished_at=timezone.now(), **outcome)
    return outcome["state"]


def _check_stored(model, job, check):
    def progress(checked, total):
        model.objects.filter(pk=job.pk).update(rows_checked=checked, rows_total=total)

    # A local copy: the storage may be remote, and openpyxl seeks around in the package.
    with tempfile.TemporaryFile() as local:
        with job.file.open("rb") as stored:
            for chunk in stored.chunks():
                local.write(chunk)
        return check(File(local), actor=job.created_by, progress=progress)


class ImportStatusView(View):
    """How one of the user's imports is going; the page polls its progress fragment
    (``includes/import_progress.html``) until the import ends."""

    model = None
    template_name = "imports/status.html"

    def get(self, request, pk):
        job = get_object_or_404(self.model.objects.filter(created_by=request.user), pk=pk)
        template = "includes/import_progress.html" if request.headers.get("HX-Request") else self.template_name
        return render(request, template, {"job": job})
