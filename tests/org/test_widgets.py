"""``QuickSelect`` writes out the same drop-down as Django's ``Select``, only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from org.models import Unit
from org.widgets import QuickSelect


def same_as_select(field, value, attrs=None):
    """The same elements, attributes and text (as ``assertHTMLEqual`` compares them)."""
    quick = QuickSelect(attrs=field.widget.attrs, choices=field.widget.choices)
    return parse_html(quick.render("f", value, attrs)) == parse_html(field.widget.render("f", value, attrs))


CHOICES = [("", "全部"), (1, "一级"), (2, "二<级>"), (4, '"引" \'号\''), ("组", [(3, "三级"), ("x&y", "甲 & 乙")])]


@pytest.mark.parametrize("value", [None, "", 1, "1", 2, 3, "x&y", "missing"])
def test_choices_grouped_or_not_render_as_select_does(value):
    assert same_as_select(forms.ChoiceField(choices=CHOICES), value, {"id": "id_f", "class": "form-select"})


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", [False, True])
def test_a_model_choice_renders_as_select_does(bureau, chosen):
    field = forms.ModelChoiceField(queryset=Unit.objects.order_by("pk"), empty_label="全部")
    assert same_as_select(field, bureau.a.pk if chosen else None, {"id": "id_unit", "required": True})
