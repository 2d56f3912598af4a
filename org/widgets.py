"""Widgets that large lists need."""

import copy
import itertools
from functools import cache

from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.forms.utils import flatatt

from .markup import joined, text


class QuickSelect(forms.Select):
    """A drop-down written out in Python from its choices: the elements of ``forms.Select``.

    Django renders every ``<option>`` through a template and builds a context for each, about
    half a millisecond apiece: the register's filters over a province's 121 units and 240
    posts spent 200 ms a page there.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))

        def option(value, label):
            value = "" if value is None else value
            return f'<option value="{text(value)}"{" selected" if str(value) in chosen else ""}>{text(label)}</option>'

        parts = [f'<optgroup label="{text(value)}">{"".join(option(*choice) for choice in label)}</optgroup>'
                 if isinstance(label, (list, tuple)) else option(value, label) for value, label in self.choices]
        return joined((f'<select name="{text(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>', *parts, "</select>"))


class LabelRows:
    """Mixed into a ``ModelChoiceIterator``: the choices of a model that labels a row of values
    (``LABEL_FIELDS`` and ``label_of``, which its ``__str__`` also uses) are read as those values
    in one fetch, no model instance built per option: a province's 121 units and 240 posts with
    their units were 600 instances a register page, read through a server-side cursor.

    The choices before the rows (the empty one, django-filter's null one) come from the iterator
    itself; a field given its own ``label_from_instance``, or choosing by another field than the
    id, gets its choices as Django builds them.
    """

    def __iter__(self):
        field, model = self.field, self.queryset.model
        if field.to_field_name or getattr(field.label_from_instance, "__func__", None) is not forms.ModelChoiceField.label_from_instance:
            return super().__iter__()
        lead = copy.copy(self)
        lead.queryset = self.queryset.none()
        return itertools.chain(super(LabelRows, lead).__iter__(), self._rows(model))

    def _rows(self, model):  # read when reached: a look at the first choice reads no row
        for pk, *parts in self.queryset.values_list("pk", *model.LABEL_FIELDS):
            yield ModelChoiceIteratorValue(pk, None), model.label_of(*parts)


@cache
def _label_rows(iterator):
    return type(f"LabelRows{iterator.__name__}", (LabelRows, iterator), {})


def quick_selects(form):
    """Write every plain drop-down of ``form`` out with ``QuickSelect`` (in place; a form's fields
    and widgets are its own copies), its model choices read as rows where the model can label one
    (``LabelRows``). Every form of the project goes through here (``org.inputs.TextGuardMixin``,
    ``review.filters.ListFilterSet``)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = QuickSelect  # the same state (choices, attrs, is_required), written faster
            if isinstance(field, forms.ModelChoiceField) and hasattr(getattr(field.queryset, "model", None), "label_of"):
                field.iterator = _label_rows(field.iterator)
                field.widget.choices = field.choices
    return form
