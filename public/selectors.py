"""What the public pages read: entries of current publications, newest copy of each item."""

import hashlib

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from org.models import Unit
from org.search import keyword_q

from .models import CurrentEntriesMark, EntryKind, Publication, PublicationEntry


def _newest_current(kind, today=None):
    """One entry per item: its copy in the newest current publication that includes it (an
    anti-join of all entries against all entries: seconds at a province's 300,000)."""
    current = Publication.objects.current(today)
    newer = PublicationEntry.objects.filter(
        kind=kind, code=OuterRef("code"), publication__in=current,
        publication__published_at__gt=OuterRef("publication__published_at"),
    )
    return PublicationEntry.objects.filter(kind=kind, publication__in=current).exclude(Exists(newer))


def _mark_key():
    # Per database: test runs and a benchmark may share one Redis.
    return f"public:current-entries:{connection.settings_dict['NAME']}"


def _stamp():
    """What the current set depends on: which publications are current today, and when any
    was last published, withdrawn or replaced. A new day usually changes neither, and then
    costs no refresh."""
    ids = ",".join(str(pk) for pk in Publication.objects.current().order_by("pk").values_list("pk", flat=True))
    s = Publication.objects.aggregate(p=Max("published_at"), w=Max("withdrawn_at"), s=Max("superseded_at"))
    return hashlib.sha256(f"{ids}|{s['p']}|{s['w']}|{s['s']}".encode()).hexdigest()


def current_entries_refresh():
    """Mark the entries the public sees today (``PublicationEntry.current``), with their unit's
    order. Publishing, renewing and withdrawing call it in their transaction; the first public
    read of a new day, or after a change made some other way, calls it too."""
    with transaction.atomic():
        mark, _created = CurrentEntriesMark.objects.select_for_update().get_or_create(pk=1)
        stamp = _stamp()
        if mark.stamp != stamp:
            for kind in EntryKind.values:
                ids = _newest_current(kind).values("pk")
                PublicationEntry.objects.filter(kind=kind, current=True).exclude(pk__in=ids).update(current=False)
                PublicationEntry.objects.filter(kind=kind, current=False, pk__in=ids).update(current=True)
            unit_order = Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("order")[:1])
            PublicationEntry.objects.filter(current=True).exclude(unit_order=unit_order).update(unit_order=unit_order)
            counts = {kind: {} for kind in EntryKind.values}
            for kind, unit, n in (PublicationEntry.objects.filter(current=True).values_list("kind", "unit")
                                  .annotate(n=Count("pk")).order_by()):
                counts[kind][str(unit)] = n
            mark.stamp, mark.counts = stamp, counts
            mark.save()
    # Set even inside a caller's transaction: if that rolls back, the publications' change
    # rolls back with the flags, which then still match them.
    cache.set(_mark_key(), f"{timezone.localdate():%Y%m%d}", 24 * 3600)


def current_entries(kind, today=None):
    """One entry per item: its copy in the newest current publication that includes it.

    Today's set is read from the materialised flag (an indexed read); another day's is worked
    out. The shared cache remembers the day the flags were last refreshed, so a page checks
    freshness without a query; after midnight the first read refreshes them.
    """
    if today is not None and today != timezone.localdate():
        return _newest_current(kind, today).select_related("unit", "publication")
    _refreshed()
    return PublicationEntry.objects.filter(kind=kind, current=True).select_related("unit", "publication")


def current_unit_counts(kind):
    """{unit id: today's current entries of ``kind``}, as counted when the flags were set."""
    _refreshed()
    counts = CurrentEntriesMark.objects.filter(pk=1).values_list("counts", flat=True).first() or {}
    return {int(unit): n for unit, n in counts.get(kind, {}).items()}


def _refreshed():
    if cache.get(_mark_key()) != f"{timezone.localdate():%Y%m%d}":
        current_entries_refresh()


def entry_keyword_q(term):
    """Entries whose search text or unit's name contains ``term``. The text is looked up in the
    GIN index of migration 0006 on PostgreSQL; the units are read first (a few rows), so that
    the two branches stay index scans the database can combine."""
    found = keyword_q(PublicationEntry, ("search_text",), term)
    units = list(Unit.objects.filter(name__icontains=term).values_list("pk", flat=True))
    return found | Q(unit_id__in=units) if units else found


def last_change():
    """When anything the public sees last changed (for Last-Modified / ETag)."""
    stamps = Publication.objects.aggregate(p=Max("published_at"), w=Max("withdrawn_at"))
    values = [v for v in stamps.values() if v]
    return max(values) if values else None
