"""What the public API reads: the public site's own selections, and nothing else.

Records come from ``public.selectors.current_entries`` (one copy per item, from the newest
current publication) or from the entries of one current publication; both were written by
``public.services`` through ``public/exposure.py``. A publication that is not current — ended,
withdrawn, replaced or not yet started — shows its description only, as on the archive page.
"""

import datetime

from django.core.cache import cache
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q
from django.utils import timezone

from public.models import EntryKind, Publication, PublicationEntry, PublicationState
from public.selectors import current_entries, last_change


def public_publications(today=None):
    """Every released publication, newest first, with whether it is current."""
    today = today or timezone.localdate()
    current = Publication.objects.current(today).values("pk")
    return (
        Publication.objects.exclude(state=PublicationState.DRAFT)
        .select_related("bureau")
        .prefetch_related("units", "download__files")
        .annotate(
            current=ExpressionWrapper(Q(pk__in=current), output_field=BooleanField()),
        )
        .order_by("-published_at", "-pk")
    )


def publication_counts(publications):
    """``{pk: {"powers": n, "risks": n}}`` for released ``publications``. A release freezes its
    entries, so the counts never change: they are counted once (one query for those missing)
    and kept in the shared cache."""
    keys = {f"api-publication-counts:{p.pk}": p.pk for p in publications}
    found = cache.get_many(keys)
    counts = {keys[k]: v for k, v in found.items()}
    missing = [pk for k, pk in keys.items() if k not in found]
    if missing:
        fresh = {pk: {"powers": 0, "risks": 0} for pk in missing}
        rows = (PublicationEntry.objects.filter(publication__in=missing).order_by()
                .values_list("publication", "kind").annotate(n=Count("pk")))
        for pk, kind, n in rows:
            fresh[pk]["powers" if kind == EntryKind.POWER else "risks"] = n
        cache.set_many({f"api-publication-counts:{pk}": v for pk, v in fresh.items()}, None)
        counts.update(fresh)
    return counts


def current_publication(pk, today=None):
    """The publication ``pk`` while it is current, else None."""
    return Publication.objects.current(today).filter(pk=pk).first()


def public_items(kind, publication=None):
    """Current copies of every public item of ``kind``, or the entries of one current
    ``publication``. Each row has its unit and publication loaded."""
    if publication is None:
        return current_entries(kind)
    return publication.entries.filter(kind=kind).select_related("unit", "publication")


def public_power_codes(codes):
    """Of ``codes``, those of powers the public can open now (one query)."""
    return set(current_entries(EntryKind.POWER).filter(code__in=set(codes)).values_list("code", flat=True))


def public_last_modified(now=None):
    """When what the public API shows last changed: a release or withdrawal, or the start of the
    day on which a publication began or ended (what is current changes at midnight too)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    released = Publication.objects.exclude(state=PublicationState.DRAFT)
    bounds = released.aggregate(
        started=Max("starts_on", filter=Q(starts_on__lte=today)),
        ended=Max("ends_on", filter=Q(ends_on__lt=today)),
    )
    days = [bounds["started"], bounds["ended"] and bounds["ended"] + datetime.timedelta(days=1)]
    stamps = [last_change()] + [timezone.make_aware(datetime.datetime.combine(d, datetime.time.min)) for d in days if d]
    stamps = [s for s in stamps if s]
    return max(stamps) if stamps else None


def public_units():
    """Units with current public items, with how many of each kind (a query per kind)."""
    rows = {}
    for kind, key in ((EntryKind.POWER, "powers"), (EntryKind.RISK, "risks")):
        counts = (current_entries(kind).order_by().values_list("unit_id", "unit__name", "unit__order", "unit__code")
                  .annotate(n=Count("pk")))
        for unit_id, name, order, code, n in counts:
            row = rows.setdefault(unit_id, {"id": unit_id, "name": name, "powers": 0, "risks": 0, "_key": (order, code)})
            row[key] = n
    return [{k: v for k, v in row.items() if k != "_key"} for row in sorted(rows.values(), key=lambda r: r["_key"])]
