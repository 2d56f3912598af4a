import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from org.inputs import guard_text_fields
from org.models import Unit
from org.scoping import subtree_q
from org.widgets import quick_widgets

from .choices import STAGE_STATES, Stage


class ListFilterSet(django_filters.FilterSet):
    """Base of every list page's filters: knows the user, and styles its widgets compactly."""

    def in_unit(self, queryset, name, value):
        """A unit and the units under it (a brigade with its squads)."""
        return queryset.filter(**{f"{name}__in": Unit.objects.filter(subtree_q([value.pk]))}) if value else queryset

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = quick_widgets(guard_text_fields(super().form))
            for f in form.fields.values():
                widget = f.widget
                if isinstance(widget, forms.NullBooleanSelect):
                    widget.choices = [("unknown", _("全部")), ("true", _("是")), ("false", _("否"))]
                elif isinstance(f, forms.ModelChoiceField) and f.empty_label is not None:
                    f.empty_label = _("全部")
                widget.attrs["class"] = (
                    "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
                )
        return self._form


def stage_filter():
    """A list's filter by workflow stage (``review.choices.Stage``): a dashboard's figures per
    stage link to the list filtered by it."""

    def in_stage(queryset, name, value):
        return queryset.filter(status__in=STAGE_STATES[value]) if value else queryset

    return django_filters.ChoiceFilter(label=_("阶段"), choices=Stage.choices, method=in_stage)
