"""Changes to units and posts that are not plain administration."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import Role
from .models import Post
from .scoping import bureau_unit_ids


def post_mark_key(*, post, actor, is_key):
    """The office (or an administrator) of the post's bureau marks it as a 关键岗位 (a post with
    业务处置权 and 自由裁量权) or takes the mark off; the register filters and counts by it."""
    if not actor.has_role(Role.OFFICE, Role.ADMIN) or post.unit_id not in bureau_unit_ids(actor):
        raise PermissionDenied(_("只有防控办可以标记关键岗位。"))
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.is_key != is_key:
            locked.is_key = is_key
            locked._history_user = actor
            locked.save(update_fields=["is_key"])
    post.is_key = is_key
    return post
