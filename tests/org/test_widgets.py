"""``QuickSelect`` writes out the same drop-down as Django's ``Select``, only faster."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.test.html import parse_html

from org.models import Post, Unit
from org.widgets import QuickSelect, quick_widgets
from tests.factories import PostFactory


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


# --- model choices read as rows (``LabelRows``) ------------------------------------------------

class _Choices(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("pk"), empty_label="全部")
    post = forms.ModelChoiceField(queryset=Post.objects.select_related("unit").order_by("pk"), required=False)
    unit_by_code = forms.ModelChoiceField(queryset=Unit.objects.order_by("pk"), to_field_name="code")


@pytest.fixture
def posts(bureau):
    return [PostFactory(unit=bureau.a, name="审批岗"), PostFactory(unit=bureau.b, name="执法岗")]


@pytest.mark.django_db
def test_model_choices_read_as_rows_render_as_django_does(bureau, posts):
    Unit.objects.filter(pk=bureau.b.pk).update(short_name="东城")
    data = {"unit": bureau.a.pk, "post": posts[1].pk, "unit_by_code": "B"}
    plain, quick = _Choices(data), quick_widgets(_Choices(data))
    for name in ("unit", "post", "unit_by_code"):
        assert parse_html(str(quick[name])) == parse_html(str(plain[name])), name
    assert "东城 · 执法岗" in str(quick["post"])
    with CaptureQueriesContext(connection) as read:
        choices = [choice for choice in quick.fields["post"].choices]  # (``list()`` would count them first)
    [sql] = [q["sql"] for q in read.captured_queries]  # one fetch, no server-side cursor
    assert '"org_post"."duties"' not in sql and "CURSOR" not in sql  # the label's values, no instance
    assert [str(v) for v, _label in choices] == ["", str(posts[0].pk), str(posts[1].pk)]
    assert quick.is_valid() and quick.cleaned_data["post"] == posts[1]  # the choice is still a row
    assert quick.cleaned_data["unit_by_code"] == bureau.b


@pytest.mark.django_db
def test_a_field_labelled_its_own_way_keeps_its_labels(bureau):
    form = quick_widgets(_Choices())
    form.fields["unit"].label_from_instance = lambda unit: f"{unit.code}：{unit.name}"
    assert f'<option value="{bureau.a.pk}">A：规划执法大队</option>' in str(form["unit"])


@pytest.mark.django_db
def test_a_look_at_the_first_choice_reads_no_row(bureau, django_assert_num_queries):
    form = quick_widgets(_Choices())
    with django_assert_num_queries(0):
        assert next(iter(form.fields["unit"].choices)) == ("", "全部")


@pytest.mark.django_db
def test_django_filter_s_null_choice_comes_before_the_rows(bureau):
    import django_filters

    class Filters(django_filters.FilterSet):
        unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.order_by("pk"), null_label="未指定", empty_label="全部")

        class Meta:
            model = Post
            fields = []

    form = quick_widgets(Filters().form)
    assert [label for _v, label in form.fields["unit"].choices][:3] == ["全部", "未指定", bureau.ju.name]


# --- inputs and yes/no drop-downs --------------------------------------------------------------

class _Inputs(forms.Form):
    name = forms.CharField(max_length=20, required=False)
    n = forms.IntegerField(min_value=1, max_value=9, required=False)
    on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    mail = forms.EmailField(required=False)
    step = forms.IntegerField(widget=forms.HiddenInput, required=False)
    key = forms.NullBooleanField(required=False)
    drawn_my_way = forms.CharField(required=False, widget=forms.Textarea)


@pytest.mark.parametrize("data", [{}, {"name": '<b>"甲" & 乙</b>', "n": "3", "on": "2026-12-04", "mail": "a@b.cn",
                                       "step": "7", "key": "true"}, {"key": "false", "n": "x"}, {"key": "unknown"}])
def test_inputs_and_yes_no_drop_downs_render_as_django_does(data):
    plain, quick = _Inputs(data or None), quick_widgets(_Inputs(data or None))
    for name in plain.fields:
        assert parse_html(str(quick[name])) == parse_html(str(plain[name])), name
    assert type(quick.fields["name"].widget).__name__ == "QuickTextInput"
    assert type(quick.fields["drawn_my_way"].widget) is forms.Textarea  # no quick kind: Django's own


def test_a_widget_given_its_own_template_keeps_it():
    form = _Inputs()
    form.fields["name"].widget.template_name = "django/forms/widgets/textarea.html"
    assert "<textarea" in str(quick_widgets(form)["name"])
