from celery import shared_task


@shared_task(soft_time_limit=240, time_limit=300)
def refresh_dashboards():
    """Count the default dashboard of everyone who reads across units and keep it (see
    ``dashboards.snapshots``); returns the number of dashboards counted."""
    from .snapshots import refresh

    return refresh()
