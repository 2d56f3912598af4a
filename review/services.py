"""State changes of reviewable items: transitions and guarded edits.

Views, commands, tasks and tests all go through these functions; each runs in one
transaction on a locked row and leaves a trail record.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from notices.models import NoticeKind
from notices.services import notification_send

from . import registry
from .choices import Action, Status
from .models import ReviewRecord
from .workflow import (
    EDITOR, NEXT_STEP, OFFICE, TRANSITIONS, delete_refusal, may_edit, next_reviewers, refusal,
)


class WorkflowError(Exception):
    """A refused transition or edit; the message is shown to the user as it is."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class StaleEdit(WorkflowError):
    pass


def _record(*, item, action, actor, from_status, comment="", **fields):
    latest = item.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return ReviewRecord.objects.create(
        content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
        object_id=item.pk, revision=item.revision, action=action, actor=actor,
        from_status=from_status, to_status=item.status, comment=comment,
        snapshot=registry.snapshot(item), history_id=latest, **fields,
    )


def _save(item, *, actor, reason, update_fields=None):
    item._history_user = actor
    item._change_reason = str(reason)
    item.save(update_fields=update_fields)


def review_transition(*, item, action, actor, comment="", meeting_date=None, filed_on=None,
                      filing_reference="", filing_bodies=(), to_publication=False):
    """Apply one workflow step to ``item`` as ``actor``; return the trail record.

    ``to_publication`` (publishing only): also add the item to the current publication of its
    unit, through the model's publisher (``registry.set_publisher``), in the same transaction.
    Raises ``WorkflowError`` (and changes nothing) when the step is not allowed now.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(_("未知的操作。"))
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        reason = refusal(actor, locked, transition)
        if reason:
            raise WorkflowError(reason)
        if transition.comment_required and not comment:
            raise WorkflowError(_("退回时必须填写退回意见。"), field="comment")
        extra = {}
        if action == Action.UNIT_APPROVE:
            if not meeting_date:
                raise WorkflowError(_("请填写集体审定的日期。"), field="meeting_date")
            extra["meeting_date"] = meeting_date
        if action == Action.FILE:
            if not filed_on or not filing_reference.strip() or not filing_bodies:
                raise WorkflowError(_("请填写备案日期、文号和报审机关。"))
            locked.filed_on, locked.filing_reference = filed_on, filing_reference.strip()
            extra.update(filing_bodies=list(filing_bodies), filing_reference=locked.filing_reference)
        from_status = locked.status
        if transition.target:
            locked.status = transition.target
        if action == Action.SUBMIT:
            locked.submitted_by, locked.submitted_at = actor, timezone.now()
        locked.lock_version += 1
        _save(locked, actor=actor, reason=transition.label)
        record = _record(item=locked, action=action, actor=actor, from_status=from_status, comment=comment, **extra)
        if action == Action.PUBLISH:
            # A pointer to the frozen content, not content itself: no history row needed.
            type(locked).objects.filter(pk=locked.pk).update(published_record=record)
            locked.published_record = record
            if to_publication:
                _add_to_publication([locked], actor)
        if transition.notify_submitter and locked.submitted_by_id and locked.submitted_by_id != actor.pk:
            _notify_submitter(locked, record)
        if from_status != locked.status and locked.status in NOTIFY_NEXT:
            _notify_next_reviewers(locked, record)
    item.refresh_from_db()
    return record


def _add_to_publication(items, actor):
    publisher = registry.publisher(type(items[0]))
    if publisher is not None:
        publisher.add(actor=actor, items=items)


def _notify_submitter(item, record):
    verb = record.get_action_display()
    subject = _("您提交的%(kind)s“%(name)s”：%(verb)s") % {
        "kind": item._meta.verbose_name, "name": str(item), "verb": verb,
    }
    body = _("%(actor)s 于 %(when)s 执行了“%(verb)s”。") % {
        "actor": record.actor.display_name,
        "when": timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M"), "verb": verb,
    }
    if record.comment:
        body += "\n" + _("意见：%(comment)s") % {"comment": record.comment}
    notification_send(
        recipient=item.submitted_by, subject=subject, body=body, url=item.get_absolute_url(),
        key=f"review:{record.pk}", kind=NoticeKind.REVIEW,
    )


# The states whose reviewers are told that an item waits for them (the office is not told of
# what it accepted itself).
NOTIFY_NEXT = (Status.SUBMITTED, Status.UNIT_APPROVED, Status.LEADER_APPROVED)


def _notify_next_reviewers(item, record):
    """Tell whoever acts next that the item waits for them (提交给我审核)."""
    subject = _("待您%(step)s：%(unit)s 的%(kind)s“%(name)s”") % {
        "step": NEXT_STEP[item.status], "unit": item.unit.name, "kind": item._meta.verbose_name, "name": str(item)}
    body = _("%(actor)s 执行了“%(verb)s”。") % {"actor": record.actor.display_name, "verb": record.get_action_display()}
    for person in next_reviewers(item):
        if person.pk == record.actor_id:
            continue
        notification_send(recipient=person, subject=subject, body=body, url=item.get_absolute_url(),
                          key=f"review-next:{record.pk}:{person.pk}", kind=NoticeKind.REVIEW)


def review_create(*, item, actor):
    """Save a new item as a draft of ``actor``'s, checking they may create it in its unit."""
    if not EDITOR.covers(actor, item.owner_unit_id):
        raise PermissionDenied(_("您不能在该单位下新建事项。"))
    with transaction.atomic():
        item.status = Status.DRAFT
        _save(item, actor=actor, reason=Action.CREATE.label)
        _record(item=item, action=Action.CREATE, actor=actor, from_status="")
    return item


def review_begin_edit(*, item, actor, lock_version):
    """Lock ``item`` for an edit by ``actor``; call inside ``transaction.atomic()``.

    Refuses an edit that the user may not make now, and a form that was opened before someone
    else saved (its ``lock_version`` is stale). Returns the locked row to change.
    """
    locked = type(item).objects.select_for_update().get(pk=item.pk)
    if not may_edit(actor, locked):
        raise WorkflowError(_("该事项当前状态为“%(status)s”，您不能修改。") % {"status": locked.get_status_display()})
    if lock_version is None or int(lock_version) != locked.lock_version:
        raise StaleEdit(_("保存失败：在您编辑期间，该事项已被他人修改。请重新打开后再修改，您的输入未保存。"))
    return locked


def review_finish_edit(*, item, actor):
    """Save an edited item: bump its lock, and turn a published item into a new draft revision.

    The (possibly changed) owning unit must still be one the actor edits.
    """
    if not EDITOR.covers(actor, item.owner_unit_id):
        raise PermissionDenied(_("您不能把事项移到该单位。"))
    revising = item.status == Status.PUBLISHED
    from_status = item.status
    if revising:
        item.status, item.revision = Status.DRAFT, item.revision + 1
    item.lock_version += 1
    _save(item, actor=actor, reason=Action.REVISE.label if revising else _("修改"))
    if revising:
        _record(item=item, action=Action.REVISE, actor=actor, from_status=from_status)
    return item


def review_office_change(*, item, actor, comment, change):
    """The office changes an item at its own stage (accepted or published), e.g. a risk level.

    ``change(locked)`` edits the locked row and returns the problems that the unit must fix
    (empty: none). A published item becomes revision n+1, so that the public keeps the frozen
    revision until this one is published; without problems the item waits, accepted, for the
    office to publish it, and with problems it is returned to its unit with them as the comment.
    """
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        if not OFFICE.covers(actor, locked.owner_unit_id):
            raise PermissionDenied(_("只有防控办可以直接调整。"))
        if locked.status not in (Status.ACCEPTED, Status.PUBLISHED):
            raise WorkflowError(_("该事项当前状态为“%(status)s”，由所在单位修改：请督促单位调整。") % {
                "status": locked.get_status_display()})
        from_status = locked.status
        problems = change(locked)
        if locked.status == Status.PUBLISHED:
            locked.revision += 1
        locked.status = Status.RETURNED if problems else Status.ACCEPTED
        if problems:
            comment = "；".join([comment, *map(str, problems)])
        locked.lock_version += 1
        _save(locked, actor=actor, reason=Action.ADJUST.label)
        record = _record(item=locked, action=Action.ADJUST, actor=actor, from_status=from_status, comment=comment)
    item.refresh_from_db()
    return record, problems


def review_trail(item):
    return (
        ReviewRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(item, for_concrete_model=False), object_id=item.pk
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def children_sync(*, parent, manager, rows, fields, actor):
    """Make ``manager`` (a parent's reverse relation) hold exactly ``rows``.

    Each row is a dict of ``fields`` plus an optional ``id`` of an existing child. Unchanged
    children are left alone, changed ones updated, missing ones deleted and new ones created,
    so that the children's own history shows only real changes.
    """
    existing = {child.pk: child for child in manager.all()}
    keep = set()
    for order, row in enumerate(rows):
        child = existing.get(row.get("id")) or manager.model(**{manager.field.name: parent})
        values = {name: row[name] for name in fields}
        if "order" in {f.name for f in manager.model._meta.fields}:
            values["order"] = order
        if child.pk is None or any(getattr(child, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(child, k, v)
            child._history_user = actor
            child.save()
        keep.add(child.pk)
    for pk, child in existing.items():
        if pk not in keep:
            child._history_user = actor
            child.delete()


def review_transition_many(*, items, action, actor, to_publication=False, **fields):
    """Apply one step to several items at once, all or nothing (the office's compiled catalogue).

    Raises ``WorkflowError`` naming the first item refused; then none of them has changed.
    With ``to_publication``, published items are added to their current publications once all
    are published: one new version per publication, not one per item.
    """
    with transaction.atomic():
        records = []
        for item in items:
            try:
                records.append(review_transition(item=item, action=action, actor=actor, **fields))
            except WorkflowError as exc:
                raise WorkflowError(f"{item}：{exc.message}", field=exc.field) from exc
        if action == Action.PUBLISH and to_publication and items:
            _add_to_publication(list(items), actor)
    return records


def review_delete(*, item, actor):
    """Delete a draft that was never submitted (its first revision), as one of its unit's
    editors. Its change history keeps the deletion, with who did it; its trail stays."""
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        reason = delete_refusal(actor, locked)
        if reason:
            raise WorkflowError(reason)
        locked._history_user = actor
        locked._change_reason = _("删除草稿")
        try:
            with transaction.atomic():
                locked.delete()
        except ProtectedError as exc:
            raise WorkflowError(_("该草稿已被其他记录引用（如风险点涉及该职权），不能删除。")) from exc
    return locked
