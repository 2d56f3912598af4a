"""The one place that decides which units a user may see, edit and review.

Every scoped query in the project starts from these sets (through ``ScopedQuerySet.for_user``
or the review workflow's role table); nothing re-implements them per view. The sets are
computed once per user object and kept on it for the rest of the request.

- staff and unit heads: their own unit and the units under it;
- a leader in charge: the units they oversee and the units under those;
- the risk-control office, bureau leadership and administrators: their whole bureau;
- a review expert (评审专家, 专家评): their whole bureau, read only — they assess the register,
  so they read what it stands on (powers, flows, risk points, plans); no editing, reviewing or
  office set includes them, so every write stays refused.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from .choices import Role
from .models import Unit


def subtree_q(unit_ids, prefix=""):
    """Units in ``unit_ids`` and all units below them (the tree is at most three deep)."""
    unit_ids = list(unit_ids)
    return (
        Q(**{f"{prefix}pk__in": unit_ids})
        | Q(**{f"{prefix}parent_id__in": unit_ids})
        | Q(**{f"{prefix}parent__parent_id__in": unit_ids})
    )


def _cached(user, key, compute):
    cache = user.__dict__.setdefault("_unit_scope_cache", {})
    if key not in cache:
        cache[key] = frozenset(compute()) if user.is_authenticated and user.is_active else frozenset()
    return cache[key]


def _subtree_ids(roots):
    roots = [r for r in roots if r is not None]
    if not roots:
        return []
    return Unit.objects.filter(subtree_q(roots)).values_list("pk", flat=True)


def own_unit_ids(user):
    """The user's unit and the units under it."""
    return _cached(user, "own", lambda: _subtree_ids([user.unit_id]))


def overseen_unit_ids(user):
    """Units a leader in charge oversees, with the units under them."""
    return _cached(
        user, "overseen",
        lambda: _subtree_ids(user.oversees.values_list("pk", flat=True)) if user.has_role(Role.LEADER) else [],
    )


def bureau_unit_ids(user):
    """Every unit of the user's bureau."""
    return _cached(user, "bureau", lambda: _subtree_ids([user.unit.bureau.pk]) if user.unit_id else [])


def user_bureau(user):
    """The bureau the user works in (None for a user without a unit)."""
    return user.unit.bureau if user.is_authenticated and user.unit_id else None


def office_bureau(user, refusal):
    """The bureau whose risk-control office ``user`` is; anyone else is refused with ``refusal``."""
    bureau = user_bureau(user)
    if bureau is None or not user.has_role(Role.OFFICE):
        raise PermissionDenied(refusal)
    return bureau


def editable_unit_ids(user):
    """Units whose drafts the user may create, edit and submit."""
    return own_unit_ids(user) if user.has_role(Role.STAFF, Role.UNIT_HEAD) else frozenset()


def visible_unit_ids(user):
    """Units whose records the user may read at all; a user with no role sees nothing."""
    def compute():
        ids = set(overseen_unit_ids(user))
        if user.has_role(Role.STAFF, Role.UNIT_HEAD):
            ids |= own_unit_ids(user)
        if user.has_role(Role.OFFICE, Role.LEADERSHIP, Role.ADMIN, Role.EXPERT):
            ids |= bureau_unit_ids(user)
        return ids

    return _cached(user, "visible", compute)


class ScopedQuerySet(models.QuerySet):
    """A queryset whose model says through ``scope_unit_field`` which unit owns a row."""

    def for_user(self, user):
        field = self.model.scope_unit_field
        return self.filter(**{f"{field}__in": visible_unit_ids(user)})

    def editable_by(self, user):
        field = self.model.scope_unit_field
        return self.filter(**{f"{field}__in": editable_unit_ids(user)})
