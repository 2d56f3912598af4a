"""Whose dashboard a panel belongs on, by role (the units each sees come from ``org.scoping``)."""

from org.choices import Role


def bureau_wide(user):
    """The director and bureau leadership, and the office: the whole bureau."""
    return user.has_role(Role.LEADERSHIP, Role.OFFICE)


def leading(user):
    """Those who read figures across units: bureau-wide readers and leaders in charge."""
    return bureau_wide(user) or user.has_role(Role.LEADER)


def office(user):
    return user.has_role(Role.OFFICE)


def in_unit(user):
    """Staff and unit heads, for their own unit."""
    return user.has_role(Role.STAFF, Role.UNIT_HEAD)


def anyone_scoped(user):
    return leading(user) or in_unit(user)
