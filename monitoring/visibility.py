"""Who reads warnings, and which parts of them: the one place, like the public exposure rule.

- A warning is read by the office and bureau leadership of its bureau, the leader in charge of
  its unit, the head of its unit (or of a unit above it), and — for a person's warning — the
  person concerned. Other staff, even of the same unit, never see it; it never reaches the
  public site.
- The information a warning rests on, and who reported it, stay with those who read
  information (``RiskInformation.objects.for_user``); the person concerned sees the warning's
  own reason and record, not its sources. Reporters and their contacts are the office's alone.
"""

from django.db.models import Q

from org.choices import Role
from org.scoping import bureau_unit_ids, overseen_unit_ids, own_unit_ids

from .models import RiskInformation, RiskWarning


def _managed_unit_ids(user):
    """Units whose warnings ``user`` reads by their position (not as the person warned)."""
    units = set()
    if user.has_role(Role.OFFICE, Role.LEADERSHIP):
        units |= set(bureau_unit_ids(user))
    if user.has_role(Role.LEADER):
        units |= set(overseen_unit_ids(user))
    if user.has_role(Role.UNIT_HEAD):
        units |= set(own_unit_ids(user))
    return units


def warnings_for(user):
    if not (user.is_authenticated and user.is_active):
        return RiskWarning.objects.none()
    return RiskWarning.objects.filter(Q(unit__in=_managed_unit_ids(user)) | Q(person=user))


def sees_sources(user, warning):
    """Whether ``user`` sees the information behind ``warning`` (never the person warned)."""
    return warning.person_id != user.pk and user.pk is not None and bool(_managed_unit_ids(user))


def sources_for(user, warning):
    if not sees_sources(user, warning):
        return RiskInformation.objects.none()
    return warning.information.filter(pk__in=RiskInformation.objects.for_user(user).values("pk"))


def sees_reporter(user):
    """Who reported a piece of information, and how to reach them: the office only."""
    return user.has_role(Role.OFFICE)
