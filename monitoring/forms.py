from django import forms
from django.utils.translation import gettext_lazy as _

from org.inputs import GuardedForm, GuardedModelForm
from org.models import Post, Unit
from org.scoping import bureau_unit_ids
from powers.models import PowerItem

from .models import RiskProposal
from .services import proposal_channels, proposal_target_ids


class ProposalForm(GuardedModelForm):
    """Propose a risk point to a unit. The choices are what the user may use: their channels,
    the units those reach, the powers they see and the posts of the bureau (the service checks
    that the post belongs to the chosen unit)."""

    class Meta:
        model = RiskProposal
        fields = ["found_by", "target_unit", "power", "post", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"post": _("可不填；填写时须为所提单位的岗位。"), "power": _("可不填。")}

    def __init__(self, *args, user, information=None, **kwargs):
        super().__init__(*args, **kwargs)
        channels = proposal_channels(user, public=information is not None)
        self.fields["found_by"].choices = [(fb.value, fb.label) for fb in channels]
        targets = set().union(*(proposal_target_ids(user, fb) for fb in channels)) if channels else set()
        self.fields["target_unit"].queryset = Unit.objects.filter(pk__in=targets, parent__isnull=False)
        self.fields["power"].queryset = PowerItem.objects.for_user(user).order_by("code")
        self.fields["power"].label_from_instance = lambda p: f"{p.code} {p.name}"
        self.fields["post"].queryset = Post.objects.filter(unit__in=bureau_unit_ids(user)).select_related("unit")


class ProposalDeclineForm(GuardedForm):
    reason = forms.CharField(label=_("不采纳的理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


