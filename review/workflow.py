"""The review workflow, defined once for powers, risk points and control plans.

```
draft ─submit→ submitted ─unit review→ unit_approved ─leader approves→ leader_approved
      ─office accepts→ accepted ─office publishes→ published
any review step ─return (comment required)→ returned ─edit & resubmit→ submitted
published ─edit→ a new draft revision (the published revision stays public)
```

Who acts at each state is one table (``ACTORS``): a role and the unit set (from
``org.scoping``) in which that role acts. Both "may this user do this?" and "what waits for
this user?" are read from it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from org.choices import Role
from org.models import Unit
from org.scoping import bureau_unit_ids, editable_unit_ids, overseen_unit_ids, own_unit_ids, subtree_q

from . import registry
from .choices import Action, Status


@dataclass(frozen=True)
class Actor:
    roles: tuple
    unit_ids: callable  # user -> the unit ids in which these roles act

    def covers(self, user, unit_id):
        return user.has_role(*self.roles) and unit_id in self.unit_ids(user)

    def units(self, user):
        return self.unit_ids(user) if user.has_role(*self.roles) else frozenset()


EDITOR = Actor((Role.STAFF, Role.UNIT_HEAD), editable_unit_ids)
UNIT_HEAD = Actor((Role.UNIT_HEAD,), own_unit_ids)
LEADER = Actor((Role.LEADER,), overseen_unit_ids)
OFFICE = Actor((Role.OFFICE,), bureau_unit_ids)

# Who moves an item on from each state.
ACTORS = {
    Status.DRAFT: EDITOR,
    Status.RETURNED: EDITOR,
    Status.SUBMITTED: UNIT_HEAD,
    Status.UNIT_APPROVED: LEADER,
    Status.LEADER_APPROVED: OFFICE,
    Status.ACCEPTED: OFFICE,
    Status.PUBLISHED: EDITOR,
}

EDITABLE_STATES = (Status.DRAFT, Status.RETURNED, Status.PUBLISHED)
REVIEW_STATES = (Status.SUBMITTED, Status.UNIT_APPROVED, Status.LEADER_APPROVED, Status.ACCEPTED)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple
    target: str | None  # None: the state does not change (filing)
    comment_required: bool = False
    forbid_own: bool = False  # refused to the person who submitted the item
    notify_submitter: bool = False
    style: str = "primary"

    @property
    def label(self):
        return Action(self.action).label


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(Action.SUBMIT, (Status.DRAFT, Status.RETURNED), Status.SUBMITTED),
        Transition(Action.UNIT_APPROVE, (Status.SUBMITTED,), Status.UNIT_APPROVED,
                   forbid_own=True, notify_submitter=True, style="success"),
        Transition(Action.LEADER_APPROVE, (Status.UNIT_APPROVED,), Status.LEADER_APPROVED,
                   forbid_own=True, notify_submitter=True, style="success"),
        Transition(Action.ACCEPT, (Status.LEADER_APPROVED,), Status.ACCEPTED,
                   forbid_own=True, notify_submitter=True, style="success"),
        Transition(Action.FILE, (Status.ACCEPTED,), None, style="secondary"),
        Transition(Action.PUBLISH, (Status.ACCEPTED,), Status.PUBLISHED,
                   forbid_own=True, notify_submitter=True, style="success"),
        Transition(Action.RETURN, REVIEW_STATES, Status.RETURNED,
                   comment_required=True, notify_submitter=True, style="danger"),
    )
}


def refusal(user, item, transition):
    """Why ``user`` may not apply ``transition`` to ``item`` now, or ``None`` when they may."""
    if item.status not in transition.sources:
        return _("当前状态为“%(status)s”，不能执行“%(action)s”。") % {
            "status": item.get_status_display(), "action": transition.label,
        }
    if not ACTORS[item.status].covers(user, item.owner_unit_id):
        return _("您没有权限对该事项执行“%(action)s”。") % {"action": transition.label}
    if transition.forbid_own and item.submitted_by_id == user.pk:
        return _("不能审批自己提交的事项。")
    problems = registry.problems(item, transition.action)
    if problems:
        return _("请先修正：%(problems)s") % {"problems": "；".join(problems)}
    if transition.action == Action.PUBLISH and item.requires_filing and not item.filed_on:
        return _("公布前须先登记报市法制办、编办、公开办审核备案的情况。")
    return None


def delete_refusal(user, item):
    """Why ``user`` may not delete ``item``, or ``None``: only a draft that was never submitted
    (its first revision) goes, and only by an editor of its unit. Anything reviewed or public
    stays, so that its trail means something."""
    if item.status != Status.DRAFT or item.revision != 1 or item.submitted_at is not None:
        return _("只有从未提交过的草稿可以删除。")
    if not EDITOR.covers(user, item.owner_unit_id):
        return _("只有本单位的编辑人员可以删除该草稿。")
    return None


# What the person who acts next does at each review state.
NEXT_STEP = {
    Status.SUBMITTED: _("审核"),
    Status.UNIT_APPROVED: _("审批"),
    Status.LEADER_APPROVED: _("验收"),
    Status.ACCEPTED: _("公布"),
}


def waiting_for(item):
    """Who acts next on ``item``, as a sentence part ("规划执法大队 单位负责人（张三） 审核"),
    or ``None`` when the item waits for nobody's review."""
    if item.status not in NEXT_STEP:
        return None
    unit = item.unit
    if item.status == Status.SUBMITTED:
        who = _("%(unit)s 单位负责人") % {"unit": unit.name}
    elif item.status == Status.UNIT_APPROVED:
        who = _("分管领导")
    else:
        who = _("防控办")
    people = next_reviewers(item) if item.status in (Status.SUBMITTED, Status.UNIT_APPROVED) else []
    names = sorted({p.display_name for p in people})
    if names:
        who = f"{who}（{'、'.join(names)}）"
    return f"{who} {NEXT_STEP[item.status]}"


def next_reviewers(item):
    """The people who act next on ``item`` in review (never its submitter): the unit heads over
    its unit, then its leaders in charge, then the office of its bureau."""
    User = get_user_model()
    unit = item.unit
    ancestors = [u for u in (unit.pk, unit.parent_id, unit.parent.parent_id if unit.parent_id else None) if u]
    active = User.objects.filter(is_active=True).exclude(pk=item.submitted_by_id)
    if item.status == Status.SUBMITTED:
        people = active.filter(groups__name=Role.UNIT_HEAD, unit_id__in=ancestors)
    elif item.status == Status.UNIT_APPROVED:
        people = active.filter(groups__name=Role.LEADER, oversees__in=ancestors)
    elif item.status in (Status.LEADER_APPROVED, Status.ACCEPTED):
        people = active.filter(groups__name=Role.OFFICE, unit__in=Unit.objects.filter(subtree_q([unit.bureau.pk])).values("pk"))
    else:
        return []
    return list(people.distinct().order_by("pk"))


def available_transitions(user, item):
    return [t for t in TRANSITIONS.values() if refusal(user, item, t) is None]


def may_edit(user, item):
    return item.status in EDITABLE_STATES and EDITOR.covers(user, item.owner_unit_id)


def _pending_parts(user):
    """(status, units, whether the user's own submissions are left out) of each state the user
    acts on: returned drafts to fix in the units they edit, submissions to review (never their
    own)."""
    parts = []
    units = EDITOR.units(user)
    if units:
        parts.append((Status.RETURNED, units, False))
    for status in REVIEW_STATES:
        units = ACTORS[status].units(user)
        if units:
            parts.append((status, units, True))
    return parts


def pending_branches(user, unit_field="unit"):
    """``pending_q`` as its parts, one per state the user acts on (each a single status), so
    that a page can read each part in its own index order."""
    return [Q(status=status, **{f"{unit_field}__in": units}) & (~Q(submitted_by=user) if not_own else Q())
            for status, units, not_own in _pending_parts(user)]


def pending_states(user):
    """The states of ``pending_q``'s items."""
    return [status for status, _units, _not_own in _pending_parts(user)]


def pending_count(user, queryset, unit_field="unit", tallies=None):
    """How many items of ``queryset`` wait for ``user`` (``pending_q``), in one query, within
    the states the branches name (so that an index on the status answers).

    ``tallies``: (rows, count), the items kept counted by status and unit (as
    ``riskpoints.selectors.register_counted`` gives them): those add up, less the user's own
    submissions in the states they review, which an index on the submitter finds.
    """
    parts = _pending_parts(user)
    if not parts:
        return 0
    states = [status for status, _units, _not_own in parts]
    if tallies is None:
        return queryset.filter(status__in=states).aggregate(n=Count("pk", filter=pending_q(user, unit_field)))["n"]
    rows, count = tallies
    every, reviewed = Q(pk__in=[]), Q(pk__in=[])
    for status, units, not_own in parts:
        branch = Q(status=status, **{f"{unit_field}__in": units})
        every |= branch
        if not_own:
            reviewed |= branch
    total = rows.filter(status__in=states).aggregate(n=count(filter=every))["n"] or 0
    own = queryset.filter(reviewed, submitted_by=user).count() if any(not_own for *_p, not_own in parts) else 0
    return total - own


def pending_q(user, unit_field="unit"):
    """Items waiting for ``user`` to act: returned drafts to fix, submissions to review."""
    q = Q(pk__in=[])
    for branch in pending_branches(user, unit_field):
        q |= branch
    return q
