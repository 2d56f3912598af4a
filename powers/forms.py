from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from org.models import Post, Unit
from org.scoping import editable_unit_ids

from .models import LegalBasis, PowerItem


class LockedModelForm(forms.ModelForm):
    """A model form that carries the version it was opened at, so a stale save is refused."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


class PowerItemForm(LockedModelForm):
    class Meta:
        model = PowerItem
        fields = ["code", "category", "name", "sub_item", "unit", "posts", "content", "has_discretion"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "posts": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "code": {"unique": _("该职权编码已被其他职权事项使用，请换一个。")},
        }
        help_texts = {
            "code": _("如 CF-GH-001；全局唯一。"),
            "posts": _("只能选择行使单位的岗位。"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pk__in=editable_unit_ids(user))
        self.fields["unit"].queryset = units
        self.fields["posts"].queryset = Post.objects.filter(unit__in=units).select_related("unit")

    def clean(self):
        cleaned = super().clean()
        unit, posts = cleaned.get("unit"), cleaned.get("posts")
        if unit and posts:
            strays = [p.name for p in posts if p.unit_id != unit.pk]
            if strays:
                self.add_error("posts", _("以下岗位不属于行使单位：%(posts)s") % {"posts": "、".join(strays)})
        return cleaned


class LegalBasisForm(forms.ModelForm):
    class Meta:
        model = LegalBasis
        fields = ["law_name", "article", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


LegalBasisFormSet = inlineformset_factory(
    PowerItem, LegalBasis, form=LegalBasisForm, extra=1, can_delete=True,
    min_num=1, validate_min=True,
)


def legal_basis_rows(formset):
    """The formset's surviving rows as plain dicts for ``children_sync``."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({"id": form.instance.pk, **{k: data[k] for k in ("law_name", "article", "text")}})
    return rows
