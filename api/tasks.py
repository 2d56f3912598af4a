"""Background work of the open-data app."""

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=3, default_retry_delay=30, time_limit=600, soft_time_limit=540)
def build_downloads(self, publication_id):
    """Build a released publication's bulk files (once)."""
    try:
        download = services.downloads_build(publication_id=publication_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            services.downloads_failed(publication_id=publication_id, error=exc)
            raise
        raise self.retry(exc=exc)
    return download.pk if download else None


def enqueue_downloads(publication_id):
    """The publication-release listener: runs after the release committed."""
    build_downloads.delay(publication_id)
