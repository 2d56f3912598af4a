from django import forms
from django.utils.translation import gettext_lazy as _

from org.inputs import GuardedForm, GuardedModelForm

from .choices import Action, FilingBody


class LockedForm(GuardedForm):
    """Carries the version of the reviewable item it was opened at: ``review_begin_edit`` refuses
    a save from a stale form (a missing or garbled version counts as stale). The item is
    ``lock_item`` or, for a model form, its instance."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, lock_item=None, **kwargs):
        super().__init__(*args, **kwargs)
        item = lock_item if lock_item is not None else getattr(self, "instance", None)
        if getattr(item, "lock_version", None) is not None and not self.is_bound:
            self.initial["lock_version"] = item.lock_version


class LockedModelForm(LockedForm, GuardedModelForm):
    pass


class TransitionForm(GuardedForm):
    """The fields a workflow step may ask for; the service decides which are required."""

    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    meeting_date = forms.DateField(label=_("集体审定日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    filed_on = forms.DateField(label=_("备案日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    filing_reference = forms.CharField(label=_("备案文号"), required=False, max_length=100)
    filing_bodies = forms.MultipleChoiceField(
        label=_("报审备案机关"), required=False, choices=FilingBody.choices, widget=forms.CheckboxSelectMultiple
    )
    to_publication = forms.BooleanField(label=_("同时加入本单位的现行公示"), required=False, initial=True)

    # Which fields each action shows.
    FIELDS = {
        Action.UNIT_APPROVE: ("meeting_date", "comment"),
        Action.FILE: ("filed_on", "filing_reference", "filing_bodies"),
        Action.RETURN: ("comment",),
        Action.PUBLISH: ("to_publication", "comment"),
    }
    note = ""  # a sentence shown under the fields (where publishing takes the item)

    @classmethod
    def for_action(cls, action, *args, **kwargs):
        form = cls(*args, **kwargs)
        shown = cls.FIELDS.get(action, ("comment",))
        for name in list(form.fields):
            if name not in shown:
                del form.fields[name]
        if action == Action.RETURN:
            form.fields["comment"].label = _("退回意见（必填）")
        return form


def offer_publication(form, targets):
    """Word a publish form's "add to the current publication" choice for ``targets`` (the
    current publications the items would join, from the model's publisher); without any,
    drop the choice and say how the public gets to see the items."""
    if "to_publication" not in form.fields:
        return form
    if targets:
        titles = "、".join(f"《{t}》" for t in targets)
        form.fields["to_publication"].label = _("同时加入现行公示%(titles)s") % {"titles": titles}
        form.note = _("勾选后将发布该公示的新版本（标题、范围、公示期不变），替换当前版本，公众随即可以看到；"
                      "不勾选则只公布，公众要等下一次发布公示才能看到。")
    else:
        del form.fields["to_publication"]
        form.note = _("本单位目前没有发布中的公示：公布后，须在“公示管理”中新建并发布公示，公众才能看到。")
    return form
