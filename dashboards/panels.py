"""The dashboard's own panels, read across every reviewable kind of item (``review.registry``):
the office's work queues, what was returned and waits longest, and the review backlog by stage
and age. One query per kind of item and panel, whatever the data."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review import registry as review_registry
from review.choices import Action, Status
from review.models import ReviewRecord

from . import audience
from .registry import Panel

# Who an item waits for at each review state, as the backlog names it.
WAITING_AT = ((Status.SUBMITTED, _("单位负责人审核")), (Status.UNIT_APPROVED, _("分管领导审批")),
              (Status.LEADER_APPROVED, _("防控办验收")))
AGES = ((7, _("7 天以内")), (30, _("8–30 天")), (None, _("30 天以上")))


def _kinds(user, selection):
    """(model, its items in the selection) for every reviewable kind; yearly kinds (those with a
    round) within the chosen year."""
    for model in review_registry.reviewable_models():
        qs = selection.scope(model.objects.for_user(user), model.scope_unit_field)
        if any(f.name == "round" for f in model._meta.fields):
            if selection.round is None:
                continue
            qs = qs.filter(round=selection.round)
        yield model, qs


def _records(model, **filters):
    # The content type by id (cached per process), so that the per-item lookup is one index probe.
    return ReviewRecord.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"),
                                       **filters)


def _list(model, selection, **params):
    return selection.link(f"{model._meta.app_label}:list", **params)


def queues(user, selection):
    """The office's work: submissions to accept, items to file, items to publish.

    Counted by status (and filing) with ``COUNT(*)``, so that a register's (round, unit, status)
    index answers without reading the rows."""
    out = []
    for model, qs in _kinds(user, selection):
        filing = model.requires_filing
        qs = qs.filter(status__in=(Status.LEADER_APPROVED, Status.ACCEPTED))
        if filing:
            qs = qs.annotate(filed=ExpressionWrapper(Q(filed_on__isnull=False), output_field=BooleanField()))
        counts = {(g["status"], g.get("filed")): g["n"]
                  for g in qs.values("status", *(["filed"] if filing else [])).annotate(n=Count("*"))}

        def n(status, filed=None):
            return sum(v for (s, f), v in counts.items() if s == status and filed in (None, f))

        rows = [(_("待验收"), n(Status.LEADER_APPROVED), _list(model, selection, status=Status.LEADER_APPROVED))]
        if filing:
            rows.append((_("待登记报审备案"), n(Status.ACCEPTED, False),
                         _list(model, selection, status=Status.ACCEPTED, filed="false")))
        rows.append((_("待公布"), n(Status.ACCEPTED, True if filing else None),
                     _list(model, selection, status=Status.ACCEPTED, filed="true" if filing else None)))
        out.append({"title": model._meta.verbose_name, "rows": rows})
    return {"kinds": out}


def returned(user, selection):
    """Returned items, those waiting longest first, with who returned them and why."""
    items, counts = [], []
    for model, qs in _kinds(user, selection):
        latest = _records(model, action=Action.RETURN).order_by("-created_at", "-pk")
        qs = qs.filter(status=Status.RETURNED)
        rows = list(qs.annotate(
            returned_at=Subquery(latest.values("created_at")[:1]), return_comment=Subquery(latest.values("comment")[:1]),
            returned_by=Subquery(latest.values("actor__real_name")[:1]),
        ).select_related("unit").order_by("returned_at", "pk")[:10])
        items += [(model._meta.verbose_name, row) for row in rows]
        counts.append((model._meta.verbose_name, _list(model, selection, status=Status.RETURNED)))
    items.sort(key=lambda pair: (pair[1].returned_at is None, pair[1].returned_at or timezone.now()))
    return {"items": items[:10], "lists": counts, "now": timezone.now()}


def backlog(user, selection):
    """Items in review by who they wait for and for how long (since they reached that state).

    An item has waited less than N days when a record of the trail brought it to its state
    within the last N days (the latest such record is then that recent too): so each age is a
    count of the items with, or without, such a record, found by a semi-join on the trail's
    index rather than by the latest record looked up for every item. Items without any record
    (loaded, not reviewed) count as the oldest."""
    now = timezone.now()
    kinds = []
    for model, qs in _kinds(user, selection):
        qs = qs.filter(status__in=[s for s, _l in WAITING_AT])

        def reached_since(days):
            return Exists(_records(model, to_status=OuterRef("status"),
                                   created_at__gte=now - datetime.timedelta(days=days)))

        # ``within[days]``: items that reached their state within ``days`` (7 ⊂ 30).
        counts = {g["status"]: g for g in qs.values("status").annotate(n=Count("*"))}  # by the status index alone
        within = {g["status"]: g for g in qs.filter(reached_since(AGES[1][0])).values("status").annotate(
            d30=Count("pk"), d7=Count("pk", filter=Q(reached_since(AGES[0][0]))))}
        rows = []
        for status, label in WAITING_AT:
            n = counts.get(status, {}).get("n", 0)
            d7, d30 = (within.get(status, {}).get(k, 0) for k in ("d7", "d30"))
            rows.append({"label": label, "n": n, "url": _list(model, selection, status=status),
                         "ages": [d7, d30 - d7, n - d30]})
        kinds.append({"title": model._meta.verbose_name, "rows": rows})
    return {"kinds": kinds, "ages": [label for _d, label in AGES]}


PANELS = (
    Panel("office_queues", _("防控办工作队列"), "dashboards/panels/queues.html", queues, audience.office, order=5),
    Panel("returned", _("已退回、等待修改的事项"), "dashboards/panels/returned.html", returned, audience.anyone_scoped,
          order=18),
    Panel("review_backlog", _("审核积压（按环节和等待时间）"), "dashboards/panels/backlog.html", backlog, audience.leading,
          order=22),
)
