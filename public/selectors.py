"""What the public pages read: entries of current publications, newest copy of each item."""

from django.db.models import Exists, Max, OuterRef

from .models import Publication, PublicationEntry


def current_entries(kind, today=None):
    """One entry per item: its copy in the newest current publication that includes it."""
    current = Publication.objects.current(today)
    newer = PublicationEntry.objects.filter(
        kind=kind, code=OuterRef("code"), publication__in=current,
        publication__published_at__gt=OuterRef("publication__published_at"),
    )
    return (
        PublicationEntry.objects.filter(kind=kind, publication__in=current)
        .exclude(Exists(newer)).select_related("unit", "publication")
    )


def last_change():
    """When anything the public sees last changed (for Last-Modified / ETag)."""
    stamps = Publication.objects.aggregate(p=Max("published_at"), w=Max("withdrawn_at"))
    values = [v for v in stamps.values() if v]
    return max(values) if values else None
