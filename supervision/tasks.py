from celery import shared_task

from .services import filings_check


@shared_task(soft_time_limit=3000, time_limit=3600)
def check_filings_daily(on_date=None):
    """The daily electronic check of open and recently closed filings (``on_date``: ISO date)."""
    import datetime

    return filings_check(on_date=datetime.date.fromisoformat(on_date) if on_date else None)
