"""Publishing and withdrawing publications, and public opinions."""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from monitoring.choices import Channel, InfoState
from monitoring.services import information_lookup, information_record
from org.models import Unit
from org.scoping import subtree_q
from powers.choices import INTERNAL_CATEGORIES
from powers.models import PowerItem
from review.services import WorkflowError
from review.workflow import OFFICE
from riskpoints.choices import CarryDecision
from riskpoints.models import RiskPoint

from . import hooks
from .exposure import public_power, public_risk
from .models import EntryKind, Publication, PublicationEntry, PublicationState, VisitorQuota
from .selectors import current_entries, current_entries_refresh


def _require_office(actor, bureau):
    if bureau.pk not in OFFICE.units(actor):
        raise PermissionDenied(_("只有防控办可以管理公示。"))


def publication_save(*, actor, publication, units=()):
    """Create or change a draft publication."""
    bureau = actor.unit.bureau if actor.unit_id else None
    if bureau is None:
        raise PermissionDenied(_("只有防控办可以管理公示。"))
    _require_office(actor, bureau)
    if publication.pk and publication.state != PublicationState.DRAFT:
        raise WorkflowError(_("已发布的公示不能再修改；如需更正，请撤回后另行发布。"))
    if publication.ends_on and publication.ends_on < publication.starts_on:
        raise WorkflowError(_("公示结束日期不能早于开始日期。"))
    with transaction.atomic():
        publication.bureau = bureau
        publication.created_by_id = publication.created_by_id or actor.pk
        publication._history_user = actor
        publication.save()
        publication.units.set([u for u in units if u.pk in OFFICE.units(actor)])
    return publication


def _scope_units(publication):
    roots = [publication.bureau.pk] if publication.all_units else list(publication.units.values_list("pk", flat=True))
    return Unit.objects.filter(subtree_q(roots)) if roots else Unit.objects.none()


def _published_power_snapshots(power_ids):
    """The published snapshot of each power in ``power_ids`` that has one: what the public may
    see of a power that another item links to."""
    rows = PowerItem.objects.filter(pk__in=power_ids, published_record__isnull=False).values_list(
        "pk", "published_record__snapshot")
    return dict(rows)


def _entries(publication):
    units = _scope_units(publication)
    if publication.include_powers:
        powers = PowerItem.objects.filter(unit__in=units, published_record__isnull=False).select_related("published_record")
        for p in powers.iterator(chunk_size=1000):
            data = public_power(p.published_record.snapshot)
            if data["category"] in INTERNAL_CATEGORIES and not publication.include_internal_powers:
                continue
            yield PublicationEntry(
                publication=publication, kind=EntryKind.POWER, code=data["code"], unit_id=p.unit_id,
                category=data["category"], title=data["name"] + (f"（{data['sub_item']}）" if data["sub_item"] else ""),
                search_text=" ".join([data["code"], data["name"], data["sub_item"] or "", data["content"]]),
                revision=p.published_record.revision, data=data,
            )
    if publication.include_risks:
        published = RiskPoint.objects.filter(unit__in=units, published_record__isnull=False).exclude(
            carry_decision=CarryDecision.RETIRED)
        # Each unit's newest published round: one unit publishing next year's register must
        # not take the other units' current registers off the public site.
        newer = published.filter(unit=OuterRef("unit"), round__year__gt=OuterRef("round__year"))
        published = published.exclude(Exists(newer))
        powers = _published_power_snapshots(published.exclude(power=None).values("power"))
        for r in published.select_related("published_record").iterator(chunk_size=1000):
            data = public_risk(r.published_record.snapshot, powers.get(r.power_id))
            yield PublicationEntry(
                publication=publication, kind=EntryKind.RISK, code=data["code"], unit_id=r.unit_id,
                level=data["level"], title=data["title"],
                search_text=" ".join([data["code"], data["title"], data["description"]]),
                revision=r.published_record.revision, data=data,
            )


def publication_publish(*, actor, publication):
    """Freeze what the public will see: the public part of each covered item's published
    revision at this moment. Later revisions reach the public only with a later publication."""
    _require_office(actor, publication.bureau)
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.state != PublicationState.DRAFT:
            raise WorkflowError(_("该公示已发布或已撤回。"))
        PublicationEntry.objects.bulk_create(_entries(locked), batch_size=1000)
        if not locked.entries.exists():
            raise WorkflowError(_("公示范围内没有已公布的职权或风险点，无法发布。"))
        locked.state, locked.published_by, locked.published_at = PublicationState.PUBLISHED, actor, timezone.now()
        locked._history_user = actor
        locked.save()
        current_entries_refresh()
        hooks.released(locked)
    return locked


def publication_preview(publication):
    """What publishing ``publication`` now would freeze, per unit: ``[(unit, powers, risks)]``
    and the totals. Counted from the very entries ``publication_publish`` would write."""
    counts = {}
    for entry in _entries(publication):
        row = counts.setdefault(entry.unit_id, {EntryKind.POWER: 0, EntryKind.RISK: 0})
        row[entry.kind] += 1
    units = Unit.objects.filter(pk__in=counts).order_by("order", "code")
    rows = [(u, counts[u.pk][EntryKind.POWER], counts[u.pk][EntryKind.RISK]) for u in units]
    return rows, {kind: sum(row[kind] for row in counts.values()) for kind in EntryKind.values}


def publication_renew(*, actor, publication):
    """Release a new version of a current publication: the same title, scope, contents and
    period, frozen from the items' published revisions now. It replaces the old version,
    which leaves the current set and is kept, as 已更新, in the archive."""
    _require_office(actor, publication.bureau)
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.state != PublicationState.PUBLISHED:
            raise WorkflowError(_("只有发布中的公示可以更新。"))
        new = Publication(
            bureau=locked.bureau, previous=locked, created_by=actor,
            **{f: getattr(locked, f) for f in ("title", "all_units", "include_powers", "include_risks",
                                               "include_internal_powers", "starts_on", "ends_on")})
        new._history_user = actor
        new.save()
        new.units.set(locked.units.all())
        locked.state, locked.superseded_at = PublicationState.SUPERSEDED, timezone.now()
        locked._history_user = actor
        locked._change_reason = _("发布新版本")
        locked.save()
        return publication_publish(actor=actor, publication=new)


# --- an item's way to the public: which publication shows it ---------------------------------

# What each reviewable model is called in a publication, and the switch that includes it.
KINDS = {PowerItem: (EntryKind.POWER, "include_powers"), RiskPoint: (EntryKind.RISK, "include_risks")}


def _covering(item, publications):
    """Of ``publications``, those whose scope and contents take in ``item``, newest first."""
    kind, switch = KINDS[type(item)]
    unit = item.unit
    ancestors = [u for u in (unit.pk, unit.parent_id, unit.parent.parent_id if unit.parent_id else None) if u]
    qs = publications.filter(bureau=unit.bureau, **{switch: True}).filter(
        Q(all_units=True) | Q(units__in=ancestors)).distinct()
    if kind == EntryKind.POWER and item.category in INTERNAL_CATEGORIES:
        qs = qs.filter(include_internal_powers=True)
    return qs.order_by("-published_at", "-pk")


def publication_target(item):
    """The current publication that publishing ``item`` would add it to (a new version of it),
    or ``None`` when no current publication covers the item's unit."""
    return _covering(item, Publication.objects.current()).first()


def publication_add(*, actor, items):
    """After publishing ``items``: release a new version of each current publication that
    covers one of them, once per publication. Returns the new versions. Runs in the caller's
    transaction (a publish), so that the whole step is all or nothing."""
    targets = {}
    for item in items:
        target = publication_target(item)
        if target is not None:
            targets.setdefault(target.pk, target)
    return [publication_renew(actor=actor, publication=_newest_version(pub)) for pub in targets.values()]


def _newest_version(publication):
    """``publication``, or the version that replaced it while this transaction waited for its
    lock (two offices publishing at once both add to the same current publication)."""
    while True:
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        newer = Publication.objects.filter(previous=locked).first()
        if locked.state != PublicationState.SUPERSEDED or newer is None:
            return locked
        publication = newer


def public_presence(item):
    """Where the public sees ``item`` now: ``{"publication", "revision", "since", "url"}`` of
    its copy in the newest current publication, or ``None`` (尚未公示)."""
    kind, _switch = KINDS[type(item)]
    entry = current_entries(kind).filter(code=item.code).order_by("-publication__published_at").first()
    if entry is None:
        return None
    pub = entry.publication
    return {"publication": pub, "revision": entry.revision, "since": pub.published_at, "starts_on": pub.starts_on,
            "url": reverse("public:power" if kind == EntryKind.POWER else "public:risk", args=[entry.code])}


def publication_withdraw(*, actor, publication, reason):
    _require_office(actor, publication.bureau)
    if not (reason or "").strip():
        raise WorkflowError(_("撤回公示须说明原因。"))
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.state != PublicationState.PUBLISHED:
            raise WorkflowError(_("只有已发布的公示可以撤回。"))
        locked.state, locked.withdrawn_by, locked.withdrawn_at = PublicationState.WITHDRAWN, actor, timezone.now()
        locked.withdraw_reason = reason.strip()
        locked._history_user = actor
        locked.save()
        current_entries_refresh()
    return locked


# --- public opinions (群众提) ----------------------------------------------------------------------

OPINION_LIMIT_PER_HOUR = 5


def visitor_key(ip):
    """A salted hash of the visitor's address: enough to rate-limit, not to identify."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


LOOKUP_LIMIT_PER_HOUR = 10


def _quota_take(key, limit=OPINION_LIMIT_PER_HOUR):
    """Count one use against the visitor's hour; False when the hour's limit is reached."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    VisitorQuota.objects.filter(hour__lt=hour - timezone.timedelta(days=1)).delete()
    quota, _created = VisitorQuota.objects.get_or_create(key=key, hour=hour)
    return VisitorQuota.objects.filter(pk=quota.pk, count__lt=limit).update(count=F("count") + 1) == 1


def opinion_submit(*, entry, text, contact, ip):
    """Record a visitor's opinion on a published item as risk information (channel 群众提)."""
    key = visitor_key(ip)
    pub = entry.publication
    concerns = {"concerns_unit": entry.unit}
    if entry.kind == EntryKind.RISK:
        concerns["concerns_risk"] = RiskPoint.objects.filter(code=entry.code).first()
    else:
        concerns["concerns_power"] = PowerItem.objects.filter(code=entry.code).first()
    subject = f"【{entry.get_kind_display()} {entry.code} {entry.title}】"
    with transaction.atomic():
        if not _quota_take(key):
            raise WorkflowError(_("提交过于频繁，请一小时后再试。"))
        return information_record(bureau=pub.bureau, channel=Channel.PUBLIC, content=f"{subject}\n{text.strip()}",
                                  contact=contact.strip(), source_key=key, **concerns)


# What a visitor reads of their own opinion: its state in words, never its content or handling.
LOOKUP_STATES = {
    InfoState.NEW: _lazy("已受理，等待研判"),
    InfoState.OBSERVING: _lazy("已研判，存档观察"),
    InfoState.ASSESSED: _lazy("已研判，正在处置"),
    InfoState.CLOSED: _lazy("已办结"),
}


def opinion_lookup(*, reference, code, ip):
    """The state of a visitor's opinion for its reference and secret code; every try counts
    against the visitor's hour, so that codes cannot be guessed."""
    with transaction.atomic():
        if not _quota_take(visitor_key(f"lookup:{ip}"), LOOKUP_LIMIT_PER_HOUR):
            raise WorkflowError(_("查询过于频繁，请一小时后再试。"))
    info = information_lookup(reference, code)
    if info is None:
        return None
    return {"reference": info.reference, "received_on": info.received_on, "state": LOOKUP_STATES[info.state]}
