"""Reads of units and posts."""

from django.db.models import Count, Q

from .choices import PostTier


def key_post_counts(posts):
    """Of a (filtered) set of posts: how many (``total``), how many are 关键岗位 (``key``), and
    the 关键岗位 per tier (``by_tier``: [(label, n)]), in one query."""
    counts = posts.aggregate(total=Count("pk"), key=Count("pk", filter=Q(is_key=True)),
                             **{f"tier_{t}": Count("pk", filter=Q(is_key=True, tier=t)) for t in PostTier.values})
    return {"total": counts["total"], "key": counts["key"],
            "by_tier": [(label, counts[f"tier_{value}"]) for value, label in PostTier.choices]}
