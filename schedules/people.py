"""Who answers for a unit when something is overdue: its head first, then the leader in charge
of it and the risk-control office of its bureau."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from org.choices import Role
from org.models import Unit
from org.scoping import subtree_q


class EscalationChains:
    """``chains(unit)`` → ``(heads, leaders and office)``, computed once per unit for one run."""

    def __init__(self):
        self._cache = {}

    def __call__(self, unit):
        if unit.pk not in self._cache:
            self._cache[unit.pk] = escalation_chain(unit)
        return self._cache[unit.pk]


def escalation_chain(unit):
    User = get_user_model()
    ancestors = [u for u in (unit.pk, unit.parent_id, unit.parent.parent_id if unit.parent_id else None) if u]
    active = User.objects.filter(is_active=True)
    heads = unit_heads(unit)
    bureau = unit.bureau
    bureau_units = Unit.objects.filter(subtree_q([bureau.pk])).values("pk")
    above = tuple(
        active.filter(Q(groups__name=Role.LEADER, oversees__in=ancestors)
                      | Q(groups__name=Role.OFFICE, unit__in=bureau_units)).distinct().order_by("pk")
    )
    return heads, above


def office_of(bureau_id):
    User = get_user_model()
    units = Unit.objects.filter(subtree_q([bureau_id])).values("pk")
    return tuple(User.objects.filter(is_active=True, groups__name=Role.OFFICE, unit__in=units).distinct())


def unit_heads(unit):
    """The unit's head(s), or its parent's when it has none (a squad answers through its brigade)."""
    User = get_user_model()
    active = User.objects.filter(is_active=True, groups__name=Role.UNIT_HEAD)
    heads = tuple(active.filter(unit_id=unit.pk).distinct())
    if not heads and unit.parent_id:
        heads = tuple(active.filter(unit_id=unit.parent_id).distinct())
    return heads
