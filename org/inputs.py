"""What the project accepts from a request: ids and integers, and free text.

Bad input must end as a message or an ignored filter, never as a server error, so:

- every id or integer read from GET/POST (outside a form field) goes through ``parse_int`` or
  ``parse_ids``: only ASCII digits count (``str.isdigit()`` and ``int()`` also accept '²', '①'
  or '١'), and nothing beyond PostgreSQL's bigint reaches a query;
- every form's text fields refuse control characters (PostgreSQL refuses NUL outright, and a
  line break in a flowchart label broke the drawing), and its choices of a row by id take ASCII
  digits only, as ``parse_int`` does: forms inherit ``GuardedForm`` or ``GuardedModelForm``, or
  call ``guard_text_fields`` on a form they do not define;
- a search term from a query string goes through ``search_term``: a bad character is not worth
  an error message in a search box, so it is replaced.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .widgets import quick_widgets

BIGINT_MAX = 2**63 - 1

_ASCII_INT = re.compile(r"[0-9]{1,19}")
# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators (which
# ``str.splitlines()`` breaks on). A multi-line text keeps its line breaks and tabs.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_IN_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

SEARCH_TERM_MAX = 100
# Rows of an inline formset (legal bases, measures): a forged TOTAL_FORMS would otherwise make
# one request build and render Django's default cap of 2,000 rows.
MAX_FORMSET_ROWS = 50


def parse_int(value, *, min_value=1, max_value=BIGINT_MAX):
    """``value`` (a string from GET/POST, or None) as an int within the bounds, else None.

    The default bounds are those of an id: positive and within bigint.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not _ASCII_INT.fullmatch(value):
        return None
    number = int(value)
    return number if min_value <= number <= max_value else None


def parse_ids(values):
    """The valid ids among ``values`` (a ``getlist``); the others are dropped."""
    return [n for n in map(parse_int, values) if n is not None]


def single_line(text):
    """``text`` with every control character (line breaks included) turned into a space."""
    return _CONTROL.sub(" ", text)


def search_term(value, max_length=SEARCH_TERM_MAX):
    """A query-string search term made safe to filter with: one line, trimmed, bounded."""
    return single_line(value or "")[:max_length].strip()


@deconstructible
class ControlCharacterValidator:
    """Refuse control characters; a multi-line text may hold line breaks and tabs."""

    def __init__(self, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        pattern = _CONTROL_IN_MULTILINE if self.multiline else _CONTROL
        if value and pattern.search(str(value)):
            if self.multiline:
                message = _("内容含有不可见的控制字符（如从其他软件粘贴带入的字符），请删除后再提交。")
            else:
                message = _("此项只能填写一行文字，不能包含换行、制表符或其他不可见的控制字符。")
            raise ValidationError(message, code="control_characters")

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline


def _ascii_id_choice(field):
    """A choice of one row by its integer id takes ASCII digits only (Django hands the value to
    ``int()``, which reads '１' or '①' as a number and picks a row nobody chose)."""
    to_python = field.to_python

    def strict(value):
        if isinstance(value, str) and value.strip() and not _ASCII_INT.fullmatch(value.strip()):
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")
        return to_python(value)

    field.to_python = strict


def _by_integer_id(field):
    return (type(field) is forms.ModelChoiceField and not field.to_field_name
            and field.queryset.model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"))


def guard_text_fields(form):
    """Make every text field of ``form`` refuse control characters, and every choice of a row by
    id refuse anything but ASCII digits (in place; a form's fields are its own copies). Django's
    NUL check is replaced, so a NUL gets one message, ours."""
    for field in form.fields.values():
        if _by_integer_id(field):
            _ascii_id_choice(field)
        if isinstance(field, forms.CharField):
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators = [
                v for v in field.validators if not isinstance(v, (ProhibitNullCharactersValidator, ControlCharacterValidator))
            ] + [ControlCharacterValidator(multiline=multiline)]
            if field.max_length is not None and not any(isinstance(v, MaxLengthValidator) for v in field.validators):
                # A max_length set after the field was built (Django's login form does so) has
                # no validator of its own.
                field.validators.append(MaxLengthValidator(field.max_length))
    return form


class TextGuardMixin:
    """For every form of the project: text fields refuse control characters (and drop-downs and
    inputs are written out quickly, ``org.widgets.quick_widgets``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quick_widgets(guard_text_fields(self))


class GuardedForm(TextGuardMixin, forms.Form):
    pass


class GuardedModelForm(TextGuardMixin, forms.ModelForm):
    pass
