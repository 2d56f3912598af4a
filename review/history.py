"""Field-level change history for any model tracked by django-simple-history."""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import IntegerField, Value

HIDDEN_FIELDS = {"lock_version", "updated_at", "created_at", "published_record", "submitted_at"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    record: object
    title: str
    changes: list = field(default_factory=list)

    @property
    def kind(self):
        return {"+": "created", "~": "changed", "-": "deleted"}[self.record.history_type]


def display_value(model, name, value):
    """A field's stored value as a person reads it (choice label, yes/no, related name)."""
    if value is None or value == "":
        return "—"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if isinstance(f, models.ForeignKey):
        try:
            return str(f.related_model._default_manager.get(pk=value))
        except ObjectDoesNotExist:
            return f"#{value}"
    if isinstance(f, models.ManyToManyField):
        ids = [row[f.m2m_reverse_field_name()] for row in value]
        return "、".join(str(o) for o in f.related_model._default_manager.filter(pk__in=ids)) or "—"
    return str(value)


def history_entries(records, title=str):
    """Turn historical records (newest first) into entries listing each field's old → new."""
    entries = []
    for record in records:
        entry = Entry(record=record, title=title(record))
        previous = record.prev_record
        if previous is not None and record.history_type == "~":
            model = record.instance_type
            # Non-editable fields (state, filing) are history too: name every tracked field.
            names = {f.name for f in record.tracked_fields} | {f.name for f in record._history_m2m_fields}
            delta = record.diff_against(previous, included_fields=names - HIDDEN_FIELDS - {"id"})
            for change in delta.changes:
                entry.changes.append(Change(
                    label=str(model._meta.get_field(change.field).verbose_name),
                    old=display_value(model, change.field, change.old),
                    new=display_value(model, change.field, change.new),
                ))
            if not entry.changes and not record.history_change_reason:
                continue
        entries.append(entry)
    return entries


def history_union(sources):
    """Every record of several historical querysets (an item's and its child rows'), newest
    first, as (date, id, source index) rows: paged by the database, however long the history."""
    rows = [qs.order_by().values_list("history_date", "history_id", Value(i, output_field=IntegerField()))
            for i, qs in enumerate(sources)]
    union = rows[0].union(*rows[1:], all=True) if len(rows) > 1 else rows[0]
    return union.order_by("-history_date", "-history_id")


def history_page_records(sources, rows):
    """The historical records of one page of ``history_union`` rows, in the page's order."""
    wanted = {}
    for _date, history_id, index in rows:
        wanted.setdefault(index, []).append(history_id)
    found = {}
    for index, ids in wanted.items():
        for record in sources[index].filter(history_id__in=ids).select_related("history_user"):
            found[(index, record.history_id)] = record
    return [found[(index, history_id)] for _date, history_id, index in rows if (index, history_id) in found]
