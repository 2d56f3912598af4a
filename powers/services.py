"""Creating and editing power items. Workflow steps go through ``review.services``."""

from django.db import transaction

from review.services import children_sync, review_begin_edit, review_create, review_finish_edit

from .models import PowerItem

POWER_FIELDS = ("code", "category", "name", "sub_item", "content", "unit", "has_discretion")
LEGAL_BASIS_FIELDS = ("law_name", "article", "text")


def power_create(*, actor, data, legal_bases):
    """Create a power item as a draft of ``actor``'s unit scope, with its legal bases."""
    power = PowerItem(created_by=actor, **{f: data[f] for f in POWER_FIELDS})
    with transaction.atomic():
        review_create(item=power, actor=actor)
        power.posts.set(data.get("posts", []))
        children_sync(parent=power, manager=power.legal_bases, rows=legal_bases, fields=LEGAL_BASIS_FIELDS, actor=actor)
    return power


def power_update(*, power, actor, lock_version, data, legal_bases):
    """Save an edit of ``power``; refused when stale, not editable now, or moved out of scope."""
    with transaction.atomic():
        locked = review_begin_edit(item=power, actor=actor, lock_version=lock_version)
        for field in POWER_FIELDS:
            setattr(locked, field, data[field])
        review_finish_edit(item=locked, actor=actor)
        locked.posts.set(data.get("posts", []))
        children_sync(parent=locked, manager=locked.legal_bases, rows=legal_bases, fields=LEGAL_BASIS_FIELDS, actor=actor)
    return locked

