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
        chosen = self.format_value(value)
        chosen = {chosen} if isinstance(chosen, str) else set(chosen)  # a yes/no drop-down formats one value

        def option(value, label):
            value = "" if value is None else value
            return f'<option value="{text(value)}"{" selected" if str(value) in chosen else ""}>{text(label)}</option>'

        parts = [f'<optgroup label="{text(value)}">{"".join(option(*choice) for choice in label)}</optgroup>'
                 if isinstance(label, (list, tuple)) else option(value, label) for value, label in self.choices]
        return joined((f'<select name="{text(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>', *parts, "</select>"))


class QuickNullBooleanSelect(QuickSelect, forms.NullBooleanSelect):
    """A yes/no/either drop-down (``forms.NullBooleanSelect``) written out as ``QuickSelect``."""


class QuickInput:
    """Mixed into an ``Input`` widget (text, number, date, hidden…): written out in Python as
    ``django/forms/widgets/input.html`` writes it, without two templates per field."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = "" if value is None else f' value="{text(value)}"'
        return joined((f'<input type="{text(self.input_type)}" name="{text(name)}"{shown}'
                       f'{flatatt(self.build_attrs(self.attrs, attrs))}>',))


# The widgets written out in Python, by the exact class they stand for (a subclass, or one given
# its own template, may draw itself otherwise and keeps Django's way).
_QUICK = {forms.Select: QuickSelect, forms.NullBooleanSelect: QuickNullBooleanSelect}
_QUICK.update({widget: type(f"Quick{widget.__name__}", (QuickInput, widget), {})
               for widget in (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.DateInput,
                              forms.HiddenInput)})


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


def quick_widgets(form):
    """Write the plain drop-downs and inputs of ``form`` out in Python (``QuickSelect``,
    ``QuickInput``; in place: a form's fields and widgets are its own copies), its model choices
    read as rows where the model can label one (``LabelRows``). Every form of the project goes
    through here (``org.inputs.TextGuardMixin``, ``review.filters.ListFilterSet``)."""
    for field in form.fields.values():
        quick = _QUICK.get(type(field.widget))
        if quick is None or "template_name" in vars(field.widget):
            continue
        field.widget.__class__ = quick  # the same state (choices, attrs, is_required), written faster
        if (isinstance(field.widget, QuickSelect) and isinstance(field, forms.ModelChoiceField)
                and hasattr(getattr(field.queryset, "model", None), "label_of")):
            field.iterator = _label_rows(field.iterator)
            field.widget.choices = field.choices
    return form
