"""Background work of the risk register."""

from celery import shared_task

from .xlsx import register_import_run


@shared_task(time_limit=900, soft_time_limit=840)
def run_register_import(import_id):
    """Check and import one uploaded register sheet (``RegisterImport``); all or nothing.

    Not retried: the import claims its row first, and a failure is reported on the import's
    page for the user to upload again.
    """
    return register_import_run(import_id=import_id)


@shared_task(time_limit=900, soft_time_limit=840)
def run_register_export(export_id):
    """Write one queued register export (``RegisterExport``) to the shared storage.

    Not retried: a failure shows on the export's page and the user asks again.
    """
    from .exports import register_export_run

    return register_export_run(export_id=export_id)
