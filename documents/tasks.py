"""Background work of the documents app."""

from celery import shared_task

from .services import build_run


@shared_task(time_limit=1800, soft_time_limit=1740)
def run_document_build(build_id):
    """Build one long document (``DocumentBuild``). Not retried: a failure is shown with its
    reason on the build's page, where the user can ask again."""
    return build_run(build_id=build_id)
