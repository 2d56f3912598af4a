"""The project's own documents (see ``registry``): the paper forms of the programme."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from org.models import Post, Unit
from org.scoping import visible_unit_ids
from riskpoints.selectors import post_register, round_for_year, unit_table

from .registry import Document, register


def _unit(user, unit_id):
    return get_object_or_404(Unit.objects.filter(pk__in=visible_unit_ids(user)), pk=unit_id)


def unit_table_context(user, params, unit_id):
    unit = _unit(user, unit_id)
    context = unit_table(user, unit, round_for_year(user, params.get("year")))
    year = context["round"].year if context["round"] else ""
    return {**context, "unit_ids": [unit.pk], "filename": f"一览表-{unit.name}-{year}", "bureau": unit.bureau}


def post_register_context(user, params, post_id):
    post = get_object_or_404(Post.objects.filter(unit__in=visible_unit_ids(user)).select_related("unit"), pk=post_id)
    context = post_register(user, post, round_for_year(user, params.get("year")))
    year = context["round"].year if context["round"] else ""
    return {**context, "unit_ids": [post.unit_id], "filename": f"登记表-{post.unit.name}-{post.name}-{year}",
            "bureau": post.unit.bureau}


def archive_context(user, params, unit_id):
    """岗位廉政风险点档案 of a unit: every post's 登记表 with the unit's 一览表, as one booklet."""
    table = unit_table_context(user, params, unit_id)
    unit, round_ = table["unit"], table["round"]
    registers = [post_register(user, post, round_) for post in unit.posts.order_by("name")]
    return {**table, "registers": registers, "draft": table["draft"] or any(r["draft"] for r in registers),
            "item_count": table["item_count"] * 2, "filename": f"廉政风险点档案-{unit.name}-{round_.year if round_ else ''}"}


register(Document("unit_table", _("岗位权力行使廉政风险防控一览表"), "documents/unit_table.html", unit_table_context,
                  landscape=True))
register(Document("post_register", _("岗位廉政风险防控登记表"), "documents/post_register.html", post_register_context,
                  landscape=True))
register(Document("archive", _("岗位廉政风险点档案"), "documents/archive.html", archive_context))
