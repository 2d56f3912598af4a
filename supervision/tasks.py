from celery import shared_task

from .services import filings_check
from .xlsx import filing_import_run


@shared_task(soft_time_limit=3000, time_limit=3600)
def check_filings_daily(on_date=None):
    """The daily electronic check of open and recently closed filings (``on_date``: ISO date)."""
    import datetime

    return filings_check(on_date=datetime.date.fromisoformat(on_date) if on_date else None)


@shared_task(time_limit=900, soft_time_limit=840)
def run_filing_import(import_id):
    """Check and import one uploaded filings sheet (``FilingImport``); all or nothing.

    Not retried: the import claims its row first, and a failure is reported on the import's
    page for the user to upload again.
    """
    return filing_import_run(import_id=import_id)
