"""What a dashboard shows: the year (round), the unit (within the user's scope) and the date
range, read from the query string so that a selection can be bookmarked and shared; and the
units the dashboard's tables have a row for."""

import datetime
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.inputs import GuardedForm
from org.models import Unit
from org.scoping import subtree_q, user_bureau, visible_unit_ids
from riskpoints.models import Round
from riskpoints.selectors import open_round

MAX_MONTHS = 36


def month_start(day, back=0):
    """The first day of the month ``back`` months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


class SelectionForm(GuardedForm):
    round = forms.ModelChoiceField(label=_("年度"), queryset=Round.objects.none(), required=False, empty_label=None)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部"))
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)  # a table's order, see ``order``

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.filter(bureau=user_bureau(user))
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=visible_unit_ids(user))
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
            if (end.year * 12 + end.month) - (start.year * 12 + start.month) >= MAX_MONTHS:
                raise forms.ValidationError(_("日期范围最长 %(n)d 个月。") % {"n": MAX_MONTHS})
        return data


class Selection:
    """The dashboard's selection for one user; a field the user got wrong keeps its default."""

    def __init__(self, user, data=None):
        self.user = user
        self.form = SelectionForm(data or None, user=user)
        valid = self.form.is_valid()
        cleaned = self.form.cleaned_data if valid else {
            name: value for name, value in getattr(self.form, "cleaned_data", {}).items()
            if name not in self.form.errors}
        if not valid and "__all__" in self.form.errors:
            cleaned.pop("date_from", None), cleaned.pop("date_to", None)
        self.today = timezone.localdate()
        self.round = cleaned.get("round") or open_round(user_bureau(user))
        self.unit = cleaned.get("unit")
        self.date_to = cleaned.get("date_to") or self.today
        self.date_from = cleaned.get("date_from") or month_start(self.date_to, back=11)
        self.sort = cleaned.get("sort") or ""

    def order(self, rows, keys, figure):
        """``rows`` sorted by the column the page asked for (``sort=key`` or ``sort=-key``, one of
        ``keys``; ``figure(row, key)`` reads it), else as they are; with the header links' next
        sorts: {key: the ``sort`` value its header link sets}."""
        key = self.sort.lstrip("-")
        descending = self.sort.startswith("-")
        if key in keys:
            rows = sorted(rows, key=lambda row: figure(row, key), reverse=descending)
        return rows, {k: (k if (k == key and descending) else f"-{k}") for k in keys}

    @cached_property
    def previous_round(self):
        if self.round is None:
            return None
        return Round.objects.filter(bureau_id=self.round.bureau_id, year=self.round.year - 1).first()

    @cached_property
    def unit_ids(self):
        """The units the figures count: the user's scope, within the chosen unit."""
        visible = visible_unit_ids(self.user)
        if self.unit is None:
            return visible
        return visible & frozenset(Unit.objects.filter(subtree_q([self.unit.pk])).values_list("pk", flat=True))

    def scope(self, queryset, field="unit"):
        """``queryset`` (already ``for_user``) narrowed to the chosen unit and the units under it."""
        return queryset if self.unit is None else queryset.filter(**{f"{field}__in": self.unit_ids})

    @cached_property
    def months(self):
        """The first day of every month of the date range."""
        first, last = month_start(self.date_from), month_start(self.date_to)
        count = (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1
        return [month_start(last, back=n) for n in reversed(range(count))]

    # --- the rows of the per-unit tables ----------------------------------------------------

    @cached_property
    def _units(self):
        return {u["pk"]: u for u in Unit.objects.filter(pk__in=self.unit_ids).values(
            "pk", "parent_id", "name", "short_name", "order", "code")}

    @cached_property
    def rows(self):
        """The units the per-unit tables list: the tops of the selection (the units whose parent
        is outside it), a bureau replaced by the units directly under it. Each row counts its
        unit and the units under it, as the lists' unit filter does."""
        units = self._units
        tops = [u for u in units.values() if u["parent_id"] not in units]
        rows = []
        for top in tops:
            if top["parent_id"] is None:
                rows += [u for u in units.values() if u["parent_id"] == top["pk"]]
            else:
                rows.append(top)
        return sorted(rows, key=lambda u: (u["order"], u["code"]))

    @cached_property
    def row_of(self):
        """Each unit id of the selection → the id of the row that counts it (none for a bureau's
        own records, which only the totals count)."""
        row_ids = {r["pk"] for r in self.rows}
        result = {}
        for pk in self._units:
            unit = pk
            while unit is not None and unit not in row_ids:
                unit = self._units[unit]["parent_id"] if unit in self._units else None
            if unit is not None:
                result[pk] = unit
        return result

    def per_row(self, grouped, key="unit_id"):
        """Sum figures grouped by unit in the database (``values(key).annotate(...)``) into the
        rows: {row id: {figure: n}}. Loops over units, never over records."""
        totals = {r["pk"]: {} for r in self.rows}
        for group in grouped:
            row = self.row_of.get(group[key])
            if row is None:
                continue
            for name, value in group.items():
                if name != key:
                    totals[row][name] = totals[row].get(name, 0) + (value or 0)
        return totals

    # --- links -------------------------------------------------------------------------------

    def params(self, **extra):
        """The query string of a list filtered as this selection (the chosen year and unit),
        with ``extra`` added or overriding them (``None`` leaves a parameter out)."""
        params = {"round": self.round.pk if self.round else None, "unit": self.unit.pk if self.unit else None}
        params.update(extra)
        return {k: v for k, v in params.items() if v is not None}

    def link(self, url_name, **extra):
        # A per-unit table links each of its cells (a few thousand): each list's path is looked
        # up once, and each parameter's ``name=value`` encoded once (as ``urlencode`` would).
        paths = self.__dict__.setdefault("_paths", {})
        pairs = self.__dict__.setdefault("_pairs", {})
        if url_name not in paths:
            paths[url_name] = reverse(url_name)
        query = []
        for pair in self.params(**extra).items():
            if pair not in pairs:
                pairs[pair] = urlencode((pair,))
            query.append(pairs[pair])
        return f"{paths[url_name]}?{'&'.join(query)}"

    def query(self, **changes):
        """This page's own query string with ``changes`` (``None`` drops a parameter), for links
        on the page."""
        data = {k: v for k, v in self.form.data.items() if k in self.form.fields and v}
        data.update(changes)
        return urlencode({k: v for k, v in data.items() if v is not None})
