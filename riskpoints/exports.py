"""The register as a workbook: a short list in the request, a whole register in the background.

A province's register (300,000 rows) built in a web request took minutes and gigabytes and
ended in a timeout. Above ``IN_REQUEST_MAX`` rows the list page's export is queued instead: a
worker writes the workbook row by row (``xlsx.register_workbook_stream``, rows read from a
server-side cursor in chunks) into the shared storage, and the user downloads it from the
export's page when it is ready.
"""

import logging
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from .choices import ExportState
from .filters import RiskPointFilter
from .models import RegisterExport
from .selectors import asks_retired, current_round, register_counts, register_for
from .xlsx import register_workbook_stream

logger = logging.getLogger(__name__)

IN_REQUEST_MAX = 2000
CHUNK = 2000


def export_filter(user, data, *, with_retired=False):
    """The register as the list page filters it with ``data``, loaded for the sheet."""
    rows = register_for(user, with_retired=with_retired).select_related("unit", "post", "power", "step", "round").prefetch_related(
        "plan__measures__responsible")
    return RiskPointFilter(data=data, queryset=rows, user=user, current_round=current_round(user))


def export_in_request(filterset):
    """Whether the filtered register is short enough to build while the user waits."""
    return register_counts(filterset)["total"] <= IN_REQUEST_MAX


def register_export_start(*, actor, query):
    """Queue an export of the register filtered by the list page's ``query`` string."""
    from .tasks import run_register_export  # the task module imports this one

    with transaction.atomic():
        job = RegisterExport.objects.create(created_by=actor, query=query[:2000])
        transaction.on_commit(lambda: run_register_export.delay(job.pk))
    return job


def register_export_run(*, export_id):
    """Build one queued export; a second delivery of the same task finds it claimed."""
    if not RegisterExport.objects.filter(pk=export_id, state=ExportState.QUEUED).update(state=ExportState.RUNNING):
        return None
    job = RegisterExport.objects.select_related("created_by").get(pk=export_id)
    try:
        query = QueryDict(job.query)
        rows = export_filter(job.created_by, query, with_retired=asks_retired(query)).qs.order_by("code").iterator(chunk_size=CHUNK)
        with tempfile.TemporaryFile() as out:
            count = register_workbook_stream(rows, out)
            out.seek(0)
            name = default_storage.save(RegisterExport._meta.get_field("file").generate_filename(job, "x.xlsx"), File(out))
    except Exception:
        logger.exception("register export %s failed", export_id)
        RegisterExport.objects.filter(pk=export_id).update(state=ExportState.FAILED, finished_at=timezone.now())
        raise
    RegisterExport.objects.filter(pk=export_id).update(state=ExportState.DONE, rows=count, file=name,
                                                       finished_at=timezone.now())
    return count
