"""Widgets that large lists need."""

from django import forms
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


def quick_selects(form):
    """Write every plain drop-down of ``form`` out with ``QuickSelect`` (in place; a form's fields
    and widgets are its own copies). Every form of the project goes through here
    (``org.inputs.TextGuardMixin``, ``review.filters.ListFilterSet``)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = QuickSelect  # the same state (choices, attrs, is_required), written faster
    return form
