from celery import shared_task

from .xlsx import catalogue_import_run


@shared_task(time_limit=900, soft_time_limit=840)
def run_catalogue_import(import_id):
    """Check and import one uploaded power catalogue sheet (``CatalogueImport``); all or nothing.

    Not retried: the import claims its row first, and a failure is reported on the import's
    page for the user to upload again.
    """
    return catalogue_import_run(import_id=import_id)
