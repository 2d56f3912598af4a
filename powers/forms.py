from django import forms
from django.core.validators import MinValueValidator
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from org.inputs import MAX_FORMSET_ROWS, GuardedForm, GuardedModelForm
from org.models import Post, Unit
from org.scoping import bureau_unit_ids, editable_unit_ids
from org.sheets import SheetField
from review.forms import LockedForm, LockedModelForm

from .limits import limit_errors
from .models import CATALOGUE_FIELDS, FlowStep, LegalBasis, PowerItem


class PowerItemForm(LockedModelForm):
    class Meta:
        model = PowerItem
        fields = ["code", "category", "name", "sub_item", "unit", "posts", "content", "has_discretion", *CATALOGUE_FIELDS]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "posts": forms.CheckboxSelectMultiple,
            "duties": forms.Textarea(attrs={"rows": 3}),
            "accountability": forms.Textarea(attrs={"rows": 3}),
            "fee_basis": forms.Textarea(attrs={"rows": 2}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
            "statutory_days": forms.NumberInput(attrs={"min": 1}),
            "promised_days": forms.NumberInput(attrs={"min": 1}),
        }
        error_messages = {
            "code": {"unique": _("该职权编码已被其他职权事项使用，请换一个。")},
        }
        help_texts = {
            "code": _("如 CF-GH-001；全局唯一。"),
            "posts": _("只能选择行使单位的岗位。"),
            "legal_body": _("依法享有该职权的机关，如本局全称。"),
            "handling_body": _("具体承办的科室或大队。"),
            "duties": _("按环节列明，如：立案责任、调查取证责任、审理责任、告知责任、决定责任、送达责任、执行责任。"),
            "accountability": _("工作人员不履行或不正确履行上述责任时应当追究责任的情形。"),
            "statutory_days": _("法律法规规定的办理期限；没有规定的留空。"),
            "promised_days": _("向社会承诺的办理期限，不能超过法定时限，宜比法定时限至少缩短三分之一。"),
            "fee_basis": _("收费的，写明收费依据及标准。"),
            "supervision_phone": _("如 12319 或局纪检监察组电话。"),
            "remarks": _("与职权目录一并公开；内部说明请写在审核意见中。"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pk__in=editable_unit_ids(user))
        self.fields["unit"].queryset = units
        self.fields["posts"].queryset = Post.objects.filter(unit__in=units).select_related("unit")
        for field in ("statutory_days", "promised_days"):
            self.fields[field].validators.append(MinValueValidator(1, _("时限至少为 1 个工作日。")))
        if not self.instance.pk and not self.is_bound and user.unit_id and not self.initial.get("legal_body"):
            self.initial["legal_body"] = user.unit.bureau.name  # most powers are the bureau's own
        if not self.instance.pk and not self.is_bound and not self.initial.get("unit") and user.unit_id in editable_unit_ids(user):
            self.initial["unit"] = user.unit_id  # a new power is most often the user's own unit's

    def clean(self):
        cleaned = super().clean()
        for error in limit_errors(statutory=cleaned.get("statutory_days"), promised=cleaned.get("promised_days")):
            self.add_error("promised_days", error)
        if cleaned.get("charges_fee") and not cleaned.get("fee_basis"):
            self.add_error("fee_basis", _("收费的事项须写明收费依据及标准。"))
        unit, posts = cleaned.get("unit"), cleaned.get("posts")
        if unit and posts:
            strays = [p.name for p in posts if p.unit_id != unit.pk]
            if strays:
                self.add_error("posts", _("以下岗位不属于行使单位：%(posts)s") % {"posts": "、".join(strays)})
        return cleaned


class LegalBasisForm(GuardedModelForm):
    class Meta:
        model = LegalBasis
        fields = ["law_name", "article", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class BaseLegalBasisFormSet(BaseInlineFormSet):
    default_error_messages = {"too_few_forms": _("请至少填写一条法律依据（法律法规名称必填）。")}


LegalBasisFormSet = inlineformset_factory(
    PowerItem, LegalBasis, form=LegalBasisForm, formset=BaseLegalBasisFormSet, extra=0, can_delete=True,
    min_num=1, validate_min=True, max_num=MAX_FORMSET_ROWS, absolute_max=MAX_FORMSET_ROWS, validate_max=True,
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


class FlowStepForm(LockedModelForm):
    """A step of the flow. A new step also says which step it follows (the last one unless the
    user picks another, or none), so a straight flow needs no separate link. The version
    carried is the power's (``lock_item``), not the step's."""

    after = forms.ModelChoiceField(
        label=_("接在哪个环节之后"), queryset=FlowStep.objects.none(), required=False, empty_label=_("（不连接，稍后在“连线”中添加）"),
        help_text=_("默认接在最后一个环节之后；分支可改选其他环节，或先不连接。"),
    )
    after_label = forms.CharField(label=_("该连线的条件/分支（可选）"), max_length=30, required=False,
                                  widget=forms.TextInput(attrs={"list": "edge-labels"}))

    class Meta:
        model = FlowStep
        fields = ["name", "handler_unit", "handler_post", "handler_text", "immediate", "time_limit_days", "promised_days",
                  "conditions", "procedure", "party_rights", "supervision", "note"]
        widgets = {"conditions": forms.Textarea(attrs={"rows": 2}), "procedure": forms.Textarea(attrs={"rows": 2}),
                   "party_rights": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "handler_unit": _("可选本局任一单位，如听证由法制科承办。"),
            "time_limit_days": _("法律法规规定的办理时限，计入流程的法定时限合计；即时办结的环节勾选“即时办结”。"),
            "promised_days": _("可选；不能超过法定时限，宜比法定时限至少缩短三分之一。"),
            "party_rights": _("如：陈述、申辩权，要求听证权，申请行政复议或提起行政诉讼的权利。"),
        }

    def __init__(self, *args, power, user, **kwargs):
        super().__init__(*args, lock_item=power, **kwargs)
        # Any unit of the bureau may handle a step (a hearing is held by 法制科), not only the
        # editor's own; the bureau's set is the one door to those units.
        units = Unit.objects.filter(pk__in=bureau_unit_ids(user))
        self.fields["handler_unit"].queryset = units
        self.fields["handler_post"].queryset = Post.objects.filter(unit__in=units).select_related("unit")
        for field in ("time_limit_days", "promised_days"):
            self.fields[field].min_value = 1
            self.fields[field].widget.attrs["min"] = 1
        if self.instance.pk:
            del self.fields["after"], self.fields["after_label"]  # links of an existing step: the 连线 card
        else:
            steps = power.steps.order_by("order", "pk")
            self.fields["after"].queryset = steps
            if not self.is_bound:
                self.initial["after"] = steps.last()

    def clean(self):
        cleaned = super().clean()
        immediate = cleaned.get("immediate")
        if immediate and cleaned.get("time_limit_days"):
            self.add_error("time_limit_days", _("即时办结的环节不需要再填写时限。"))
        if immediate and cleaned.get("promised_days"):
            self.add_error("promised_days", _("即时办结的环节不需要再填写时限。"))
        for field in ("time_limit_days", "promised_days"):
            if cleaned.get(field) == 0:
                self.add_error(field, _("时限至少为 1 个工作日；当场办结请勾选“即时办结”。"))
        for error in limit_errors(statutory=cleaned.get("time_limit_days"), promised=cleaned.get("promised_days")):
            self.add_error("promised_days", error)
        unit, post = cleaned.get("handler_unit"), cleaned.get("handler_post")
        if unit and post and post.unit_id != unit.pk:
            self.add_error("handler_post", _("承办岗位必须属于承办单位。"))
        if not (unit or post or cleaned.get("handler_text")):
            self.add_error("handler_unit", _("请填写承办单位、岗位或人员中的至少一项。"))
        if cleaned.get("after_label") and not cleaned.get("after"):
            self.add_error("after_label", _("不连接时无需填写条件/分支。"))
        return cleaned


class FlowEdgeForm(LockedForm):
    source = forms.ModelChoiceField(label=_("从环节"), queryset=FlowStep.objects.none())
    target = forms.ModelChoiceField(label=_("到环节"), queryset=FlowStep.objects.none())
    label = forms.CharField(label=_("条件/分支（可选）"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"list": "edge-labels"}))

    def __init__(self, *args, power, **kwargs):
        super().__init__(*args, lock_item=power, **kwargs)
        # Any step id is accepted here so that a link to another flow gets the service's
        # message rather than a generic "invalid choice".
        self.fields["source"].queryset = FlowStep.objects.all()
        self.fields["target"].queryset = FlowStep.objects.all()
        self.fields["source"].choices = self.fields["target"].choices = [("", "---------")] + [
            (s.pk, s.name) for s in power.steps.order_by("order", "pk")
        ]


class CatalogueImportForm(GuardedForm):
    file = SheetField(help_text=_("不超过 20 MB；第一张表为职权目录，名为“流程环节”的表为流程环节（可无）。"))
