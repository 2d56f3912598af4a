"""Who may issue which warning to whom (按照管理权限): the one table, and the checks read from it.

| method | target | issued by |
| --- | --- | --- |
| 谈心疏导, 批评教育 | a person | the head of the person's unit, the leader in charge of it, the office, bureau leadership |
| 信访约谈, 诫勉谈话 | a person | the leader in charge of the person's unit, the office, bureau leadership |
| 对责任领导诫勉谈话 | a unit (its leader in charge) | the office, bureau leadership |
| 召开专题民主生活会, 限期整改 | a unit | the leader in charge of the unit, the office, bureau leadership |

Each role reaches only its own units: a unit head the staff of their unit and the units under
it (not other unit heads: they are managed one level up), a leader in charge the units they
oversee, the office and leadership their bureau. Nobody warns themselves, and bureau leaders
(分管领导, 局领导) are managed by the city, not warned in the bureau's own system.
"""

from django.utils.translation import gettext as _

from org.choices import Role
from org.scoping import bureau_unit_ids, overseen_unit_ids, own_unit_ids

from .choices import METHOD_TARGET, Method, Target

ISSUERS = {
    Method.HEART_TALK: (Role.UNIT_HEAD, Role.LEADER, Role.OFFICE, Role.LEADERSHIP),
    Method.CRITICISM: (Role.UNIT_HEAD, Role.LEADER, Role.OFFICE, Role.LEADERSHIP),
    Method.PETITION_TALK: (Role.LEADER, Role.OFFICE, Role.LEADERSHIP),
    Method.ADMONITION: (Role.LEADER, Role.OFFICE, Role.LEADERSHIP),
    Method.LEADER_ADMONITION: (Role.OFFICE, Role.LEADERSHIP),
    Method.LIFE_MEETING: (Role.LEADER, Role.OFFICE, Role.LEADERSHIP),
    Method.RECTIFY: (Role.LEADER, Role.OFFICE, Role.LEADERSHIP),
}

# The units each issuing role reaches.
REACH = {
    Role.UNIT_HEAD: own_unit_ids,
    Role.LEADER: overseen_unit_ids,
    Role.OFFICE: bureau_unit_ids,
    Role.LEADERSHIP: bureau_unit_ids,
}

ISSUER_WORDS = {
    Method.HEART_TALK: _("单位负责人、分管领导、防控办或局领导"),
    Method.CRITICISM: _("单位负责人、分管领导、防控办或局领导"),
    Method.PETITION_TALK: _("分管领导、防控办或局领导"),
    Method.ADMONITION: _("分管领导、防控办或局领导"),
    Method.LEADER_ADMONITION: _("防控办或局领导"),
    Method.LIFE_MEETING: _("分管领导、防控办或局领导"),
    Method.RECTIFY: _("分管领导、防控办或局领导"),
}


def _roles_reaching(user, method, unit_id):
    return [role for role in ISSUERS[method] if user.has_role(role) and unit_id in REACH[role](user)]


def target_unit_ids(user, method):
    """The units whose people (or which themselves) ``user`` may warn by ``method``."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    return frozenset().union(*(REACH[role](user) for role in ISSUERS[method] if user.has_role(role)))


def issuable_methods(user):
    return [m for m in Method if target_unit_ids(user, m)]


def issue_refusal(user, method, *, person=None, unit=None):
    """Why ``user`` may not warn ``person`` (or ``unit``) by ``method``; ``None`` when they may."""
    if method not in ISSUERS:
        return _("未知的处置方式。")
    label = Method(method).label
    rule = _("“%(method)s”由%(who)s按管理权限作出。") % {"method": label, "who": ISSUER_WORDS[method]}
    if METHOD_TARGET[method] == Target.PERSON:
        if person is None:
            return _("“%(method)s”的对象是个人，请选择预警人员。") % {"method": label}
        if person.pk == user.pk:
            return _("不能对本人发出预警。")
        if person.has_role(Role.LEADER, Role.LEADERSHIP):
            return _("局领导班子成员由上级按管理权限处置，不在本局预警范围。")
        roles = _roles_reaching(user, method, person.unit_id)
        if roles == [Role.UNIT_HEAD] and person.has_role(Role.UNIT_HEAD):
            return _("单位负责人由分管领导或防控办按管理权限处置。") + rule
    else:
        if unit is None:
            return _("“%(method)s”的对象是单位，请选择单位。") % {"method": label}
        if unit.parent_id is None:
            return _("预警的对象是局属的科室或单位，不是局本身。")
        roles = _roles_reaching(user, method, unit.pk)
    if not roles:
        return _("您没有对该对象作出“%(method)s”的权限。") % {"method": label} + rule
    return None
