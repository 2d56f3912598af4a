"""Changes to units and posts that are not plain administration."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import Post
from .scoping import bureau_unit_ids


KEY_POST_REFUSAL = _("只有防控办可以标记关键岗位。")


def may_mark_key_posts(user):
    """Who marks 关键岗位 (each in their own bureau): the office, or an administrator."""
    return user.has_role(Role.OFFICE, Role.ADMIN)


def posts_mark_key(*, post_ids, actor, is_key):
    """The office (or an administrator) of the posts' bureau marks them as 关键岗位 (posts with
    业务处置权 and 自由裁量权) or takes the mark off, all or none; the register and the 一览表
    filter and count by it. Each post that changes keeps a history record. Returns the number
    of posts changed."""
    post_ids = set(post_ids)
    if not may_mark_key_posts(actor):
        raise PermissionDenied(KEY_POST_REFUSAL)
    with transaction.atomic():
        posts = list(Post.objects.select_for_update().filter(pk__in=post_ids, unit__in=bureau_unit_ids(actor)))
        if len(posts) != len(post_ids):
            raise PermissionDenied(_("只能标记本局的岗位。"))
        changed = [p for p in posts if p.is_key != is_key]
        for post in changed:
            post.is_key = is_key
            post._history_user = actor
            post.save(update_fields=["is_key"])
    return len(changed)


def post_mark_key(*, post, actor, is_key):
    """One post marked or unmarked (``posts_mark_key``)."""
    posts_mark_key(post_ids=[post.pk], actor=actor, is_key=is_key)
    post.is_key = is_key
    return post
