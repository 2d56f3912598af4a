"""Widgets that large lists need."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A drop-down written out in Python, the same HTML as ``forms.Select``.

    Django renders every ``<option>`` through a template, about half a millisecond each: the
    register's filters over a province's 121 units and 240 posts spent 200 ms a page there.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            html = format_html_join("", '<option value="{}"{}>{}</option>', (
                (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])  # nosec B703 B308
                for option in options))
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group, html) if group else html)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), mark_safe("".join(parts)))  # nosec B703 B308
