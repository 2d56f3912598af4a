from django import forms
from django.utils.translation import gettext_lazy as _

from org.inputs import GuardedForm

from .choices import Action, FilingBody


class TransitionForm(GuardedForm):
    """The fields a workflow step may ask for; the service decides which are required."""

    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    meeting_date = forms.DateField(label=_("集体审定日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    filed_on = forms.DateField(label=_("备案日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    filing_reference = forms.CharField(label=_("备案文号"), required=False, max_length=100)
    filing_bodies = forms.MultipleChoiceField(
        label=_("报审备案机关"), required=False, choices=FilingBody.choices, widget=forms.CheckboxSelectMultiple
    )

    # Which fields each action shows.
    FIELDS = {
        Action.UNIT_APPROVE: ("meeting_date", "comment"),
        Action.FILE: ("filed_on", "filing_reference", "filing_bodies"),
        Action.RETURN: ("comment",),
    }

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
