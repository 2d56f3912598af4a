"""Directory login (LDAP / Active Directory): the hooks django-python3-ldap calls.

The directory checks the password; the application keeps its own users, units and roles. On
every directory login the user's name and mail are refreshed from the directory, and their
unit from the department attribute (``LDAP_DEPARTMENT_ATTRIBUTE``): the department is looked
up in ``LDAP_DEPARTMENT_UNITS`` (department → unit code), else taken as a unit code or a unit
name itself. A department that names no unit leaves the unit as it was. A user signing in for
the first time gets the staff role (科室/单位工作人员); anything more is given in the app.
``LDAP_ACTIVE_FILTER`` keeps disabled directory accounts out (for Active Directory:
``(!(userAccountControl:1.2.840.113556.1.4.803:=2))``).
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Q
from django_python3_ldap.utils import format_search_filters

from .choices import Role
from .models import Unit

logger = logging.getLogger(__name__)


def department_unit(department):
    """The unit a directory department maps to, or None."""
    department = (department or "").strip()
    if not department:
        return None
    code = settings.LDAP_DEPARTMENT_UNITS.get(department, department)
    return Unit.objects.filter(Q(code=code) | Q(name=department)).order_by("-code").first()


def sync_user(user, ldap_attributes, **_kwargs):
    values = ldap_attributes.get(settings.LDAP_DEPARTMENT_ATTRIBUTE) or []
    department = values[0] if isinstance(values, (list, tuple)) and values else values
    unit = department_unit(str(department) if department else "")
    if unit is None:
        logger.warning("directory user %s: department %r maps to no unit", user.username, department)
    elif user.unit_id != unit.pk:
        user.unit, user.post = unit, None  # a post belongs to the old unit
        user.save(update_fields=["unit", "post"])
    if not user.groups.exists():
        user.groups.add(Group.objects.get_or_create(name=Role.STAFF)[0])


def search_filters(ldap_fields):
    filters = format_search_filters(ldap_fields)
    if settings.LDAP_ACTIVE_FILTER:
        filters.append(settings.LDAP_ACTIVE_FILTER)
    return filters
