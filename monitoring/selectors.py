from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from org.choices import Role
from review.workflow import EDITOR

from .choices import ProposalState
from .models import RiskInformation, RiskProposal


def information_for(user):
    """Risk information the user may read: the office and leadership of the bureau only, as it
    names who reported what (contacts, public opinions)."""
    if not user.has_role(Role.OFFICE, Role.LEADERSHIP):
        raise PermissionDenied(_("只有防控办和局领导可以查看廉政风险信息。"))
    return RiskInformation.objects.for_user(user).select_related("concerns_unit", "concerns_risk", "concerns_power")


def proposals_waiting(user):
    """Pending proposals addressed to units whose register the user keeps: theirs to answer."""
    return RiskProposal.objects.for_user(user).filter(state=ProposalState.PENDING, target_unit__in=EDITOR.units(user))


def proposals_panel(user):
    """The start page's line for proposals waiting for the user's unit (none: no line)."""
    count = proposals_waiting(user).count() if EDITOR.units(user) else 0
    if not count:
        return None
    return {"title": _("风险点建议"), "count": count, "url": reverse("monitoring:proposal_list") + "?show=todo"}
