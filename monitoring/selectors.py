from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from org.choices import Role

from .models import RiskInformation


def information_for(user):
    """Risk information the user may read: the office and leadership of the bureau only, as it
    names who reported what (contacts, public opinions)."""
    if not user.has_role(Role.OFFICE, Role.LEADERSHIP):
        raise PermissionDenied(_("只有防控办和局领导可以查看廉政风险信息。"))
    return RiskInformation.objects.for_user(user).select_related("concerns_unit", "concerns_risk", "concerns_power")
