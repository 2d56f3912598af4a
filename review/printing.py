"""What paper shows of a reviewable item: the accepted or published content, or a marked draft."""

from . import registry
from .choices import PRINTED_STATES


def printed(item):
    """``(snapshot, draft)`` of ``item`` as documents print it.

    An accepted or published item prints as it is. An item edited since it was published
    prints its published revision (frozen in the trail), so a later edit never changes paper
    until it is itself accepted. Anything else prints as it is, marked as a draft.
    """
    if item.status in PRINTED_STATES:
        return registry.snapshot(item), False
    if item.published_record_id:
        return item.published_record.snapshot, False
    return registry.snapshot(item), True
