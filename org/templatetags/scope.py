"""Template filters that ask the one scoping home whether a user may open a unit's pages, so
that a menu never links to a page that answers 404."""

from django import template

from org.scoping import visible_unit_ids

register = template.Library()


@register.filter
def sees_unit(user, unit_id):
    return unit_id is not None and unit_id in visible_unit_ids(user)


@register.filter
def sees_any_unit(user):
    return bool(visible_unit_ids(user))


@register.filter
def sees(user, obj):
    """Whether ``user`` may open ``obj`` (a scoped model instance): show a link only then."""
    if obj is None:
        return False
    *path, last = obj.scope_unit_field.split("__")
    for name in path:
        obj = getattr(obj, name)
    return getattr(obj, f"{last}_id") in visible_unit_ids(user)
