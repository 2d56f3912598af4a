"""Publishing and withdrawing publications, and public opinions."""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.choices import Channel
from monitoring.services import information_record
from org.models import Unit
from org.scoping import subtree_q
from powers.choices import INTERNAL_CATEGORIES
from powers.models import PowerItem
from review.services import WorkflowError
from review.workflow import OFFICE
from riskpoints.choices import CarryDecision
from riskpoints.models import RiskPoint

from .exposure import public_power, public_risk
from .models import EntryKind, Publication, PublicationEntry, PublicationState, VisitorQuota


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
        latest = published.aggregate(y=Max("round__year"))["y"]
        published = published.filter(round__year=latest)
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
    return locked


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
    return locked


# --- public opinions (群众提) ----------------------------------------------------------------------

OPINION_LIMIT_PER_HOUR = 5


def visitor_key(ip):
    """A salted hash of the visitor's address: enough to rate-limit, not to identify."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def _quota_take(key):
    """Count one opinion against the visitor's hour; False when the hour's limit is reached."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    VisitorQuota.objects.filter(hour__lt=hour - timezone.timedelta(days=1)).delete()
    quota, _created = VisitorQuota.objects.get_or_create(key=key, hour=hour)
    return VisitorQuota.objects.filter(pk=quota.pk, count__lt=OPINION_LIMIT_PER_HOUR).update(count=F("count") + 1) == 1


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
