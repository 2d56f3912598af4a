"""Keyset ("seek") pagination: a page is the rows after (or before) the last row seen, in a
stable order that ends in a unique field, so page 12,000 costs what the first page costs (an
index range read) instead of sorting and skipping 300,000 rows as OFFSET does.

The request names the boundary row by a cursor, the values of the order fields of that row
(``after=`` for the next page, ``before=`` for the previous one; an empty ``before=`` is the
last page). A cursor that does not decode is ignored: the list opens on its first page.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP

from .inputs import BIGINT_MAX

MAX_CURSOR = 1000  # characters: a cursor is a few values, not a document


def _field(model, path):
    for name in path.split(LOOKUP_SEP)[:-1]:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(path.split(LOOKUP_SEP)[-1])


def _value(obj, path):
    for name in path.split(LOOKUP_SEP):
        obj = getattr(obj, name)
    return obj


def encode(values):
    raw = json.dumps([v if isinstance(v, (int, str)) or v is None else str(v) for v in values], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor, model, order):
    """The order fields' values a cursor names, or None when it names none."""
    if not cursor or len(cursor) > MAX_CURSOR:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(order):
            return None
        if any(not isinstance(v, (str, int)) or isinstance(v, str) and "\x00" in v for v in values):
            return None  # PostgreSQL refuses NUL in a string; a list or a map is no field's value
        if any(isinstance(v, int) and abs(v) > BIGINT_MAX for v in values):
            return None
        return [_field(model, path.lstrip("-")).to_python(v) for path, v in zip(order, values)]
    except (binascii.Error, ValueError, TypeError, ValidationError, FieldDoesNotExist, UnicodeDecodeError):
        return None


def _beyond(order, values, forward):
    """Rows strictly after (forward) or before the row with ``values`` in ``order``."""
    q = Q(pk__in=[])
    for i, path in enumerate(order):
        name = path.lstrip("-")
        ascending = not path.startswith("-")
        step = Q(**{f"{name}__{'gt' if ascending == forward else 'lt'}": values[i]})
        q |= Q(**{p.lstrip("-"): v for p, v in zip(order[:i], values[:i])}) & step
    return q


@dataclass
class KeysetPage:
    """One page of ``queryset`` in ``order`` (field paths, ``-`` for descending, the last one unique)."""

    rows: list
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    order: list = field(default_factory=list)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def _rows(queryset, limit):
    """The first ``limit`` rows, by a deferred join: the page's ids first, from the filtered
    table alone, then those rows with their related ones, so that the database joins 25 rows
    to their units and posts instead of every row that matches a keyword."""
    ids = list(queryset.values_list("pk", flat=True)[:limit])
    by_pk = queryset.order_by().in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


def keyset_page(queryset, *, order, per_page, after=None, before=None):
    """The page after the cursor ``after``, before ``before`` ("" = the last page), or the first."""
    order = list(order)
    model = queryset.model
    start = decode(after, model, order) if after else None
    end = decode(before, model, order) if before else None
    backwards = start is None and (end is not None or before == "")
    if backwards:
        reverse = [p[1:] if p.startswith("-") else f"-{p}" for p in order]
        qs = queryset.order_by(*reverse)
        if end is not None:
            qs = qs.filter(_beyond(order, end, forward=False))
        rows = _rows(qs, per_page + 1)
        more = len(rows) > per_page
        rows = rows[:per_page][::-1]
        has_previous, has_next = more, end is not None
    else:
        qs = queryset.order_by(*order)
        if start is not None:
            qs = qs.filter(_beyond(order, start, forward=True))
        rows = _rows(qs, per_page + 1)
        has_next = len(rows) > per_page
        rows = rows[:per_page]
        has_previous = start is not None
    key = lambda row: encode([_value(row, p.lstrip("-")) for p in order])  # noqa: E731
    return KeysetPage(rows=rows, has_next=has_next and bool(rows), has_previous=has_previous and bool(rows),
                      next_cursor=key(rows[-1]) if rows else "", previous_cursor=key(rows[0]) if rows else "", order=order)
