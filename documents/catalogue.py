"""The project's own documents (see ``registry``): the paper forms of the programme."""

from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from org.models import Post, Unit
from org.scoping import bureau_unit_ids, visible_unit_ids
from powers.choices import PowerCategory
from powers.filters import PowerItemFilter
from powers.models import PowerItem
from powers.views import flow_context
from public.models import EntryKind, Publication, PublicationState
from review.choices import PRINTED_STATES
from review.printing import printed
from review.workflow import OFFICE
from riskpoints.filters import RiskPointFilter
from riskpoints.selectors import (
    PLAN_PREFETCH, is_draft_print, post_register, register_for, round_for_year, unit_table,
)

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


def unit_risk_count(user, params, unit_id):
    return register_for(user).filter(unit=_unit(user, unit_id), round=round_for_year(user, params.get("year"))).count()


def archive_context(user, params, unit_id):
    """岗位廉政风险点档案 of a unit: every post's 登记表 with the unit's 一览表, as one booklet."""
    table = unit_table_context(user, params, unit_id)
    unit, round_ = table["unit"], table["round"]
    registers = [post_register(user, post, round_) for post in unit.posts.order_by("name")]
    return {**table, "registers": registers, "draft": table["draft"] or any(r["draft"] for r in registers),
            "item_count": table["item_count"] * 2, "filename": f"廉政风险点档案-{unit.name}-{round_.year if round_ else ''}"}


register(Document("unit_table", _("岗位权力行使廉政风险防控一览表"), "documents/unit_table.html", unit_table_context,
                  landscape=True, count=unit_risk_count))
register(Document("post_register", _("岗位廉政风险防控登记表"), "documents/post_register.html", post_register_context,
                  landscape=True))
register(Document("archive", _("岗位廉政风险点档案"), "documents/archive.html", archive_context, count=unit_risk_count))


# --- powers: the catalogue, each flowchart, the compiled submission ---------------------------

def _printed_powers(queryset):
    """``[(power, snapshot)]`` and whether any of them prints as a draft."""
    rows, draft = [], False
    for power in queryset.select_related("unit", "published_record"):
        snapshot, is_draft = printed(power)
        rows.append((power, snapshot))
        draft = draft or is_draft
    return rows, draft


def _scope_name(user, unit):
    """Whose catalogue it is: the unit chosen; with none, the bureau for a user who sees all of
    it, else the units the user's scope starts from (a unit's staff: their unit; a leader in
    charge: the units they oversee), so a unit's own rows never print under the bureau's name."""
    if unit:
        return unit.name
    if not user.unit_id:
        return ""
    visible = visible_unit_ids(user)
    if bureau_unit_ids(user) <= visible:
        return user.unit.bureau.name
    return "、".join(u.name for u in Unit.objects.filter(pk__in=visible).exclude(parent_id__in=visible))


def flowchart_context(user, params, power_id):
    power = get_object_or_404(PowerItem.objects.for_user(user).select_related("unit", "published_record"), pk=power_id)
    snapshot, draft = printed(power)
    return {"object": power, "power": snapshot, "draft": draft, "item_count": 1, "unit_ids": [power.unit_id],
            **flow_context(power, user, snapshot), "filename": f"流程图-{power.code}", "bureau": power.unit.bureau}


CATEGORY_ORDER = {value: i for i, value in enumerate(PowerCategory.values)}
# 行政许可、行政处罚、行政强制… as the catalogue lists them (not the alphabetical order of the stored values).
CATEGORY_RANK = Case(*(When(category=value, then=Value(i)) for value, i in CATEGORY_ORDER.items()),
                     default=Value(len(CATEGORY_ORDER)))


def _power_filter(user, params):
    queryset = PowerItem.objects.for_user(user).order_by("unit__order", CATEGORY_RANK, "code")
    return PowerItemFilter(data=params, queryset=queryset, user=user)


def power_catalogue_context(user, params):
    """职权目录 as the list is filtered (a unit's, or the bureau's with no unit chosen)."""
    filterset = _power_filter(user, params)
    unit = filterset.form.cleaned_data.get("unit") if filterset.is_valid() else None
    rows, draft = _printed_powers(filterset.qs)
    return {"rows": rows, "draft": draft, "scope_name": _scope_name(user, unit), "item_count": len(rows),
            "unit_ids": sorted({p.unit_id for p, _s in rows}), "filename": f"职权目录-{_scope_name(user, unit)}"}


def _accepted_powers(user):
    return PowerItem.objects.for_user(user).filter(status__in=PRINTED_STATES).order_by("category", "unit__order", "code")


def submission_context(user, params):
    """The compiled catalogue for 报审备案: every accepted power of the bureau with its flowchart,
    a summary table per category, the date and the bureau."""
    rows, _draft = _printed_powers(_accepted_powers(user))
    rows.sort(key=lambda row: CATEGORY_ORDER.get(row[1]["category"], len(CATEGORY_ORDER)))  # as the catalogue lists them
    entries, categories = [], {}
    for power, snapshot in rows:
        context = flow_context(power, user, snapshot)
        entries.append({"power": snapshot, "pk": power.pk, "flow_svg": context["flow_svg"],
                        "flow_total": context["flow_total"], "flow_error": context["flow_error"]})
        categories.setdefault(snapshot["category_label"], []).append(snapshot)
    return {"entries": entries, "categories": list(categories.items()), "draft": False,
            "scope_name": _scope_name(user, None), "item_count": len(entries),
            "unit_ids": sorted({p.unit_id for p, _s in rows}), "filename": f"职权目录及流程图-报审备案-{_scope_name(user, None)}"}


register(Document("flowchart", _("权力运行流程图"), "documents/flowchart.html", flowchart_context))
register(Document("powers", _("职权目录"), "documents/power_catalogue.html", power_catalogue_context, landscape=True,
                  count=lambda user, params: _power_filter(user, params).qs.count()))
register(Document("submission", _("职权目录及权力运行流程图（报审备案）"), "documents/submission.html", submission_context,
                  # each power fills a few pages with its flowchart and steps
                  count=lambda user, params: 5 * _accepted_powers(user).count()))


# --- the risk-point catalogue ------------------------------------------------------------------

def _risk_filter(user, params, round_):
    queryset = register_for(user).select_related("unit", "post", "power", "step").prefetch_related(
        *PLAN_PREFETCH).order_by("unit__order", "unit__code", "level", "code")
    return RiskPointFilter(data=params, queryset=queryset, user=user, current_round=round_)


def risk_catalogue_context(user, params):
    """廉政风险点目录 of a year, as the register is filtered (the bureau's, or one unit's)."""
    round_ = round_for_year(user, params.get("year"))
    filterset = _risk_filter(user, params, round_)
    valid = filterset.is_valid()
    unit = filterset.form.cleaned_data.get("unit") if valid else None
    round_ = (filterset.form.cleaned_data.get("round") if valid else None) or round_
    rows = list(filterset.qs)
    return {"rows": rows, "round": round_, "draft": is_draft_print(rows), "scope_name": _scope_name(user, unit),
            "item_count": len(rows), "unit_ids": sorted({r.unit_id for r in rows}),
            "filename": f"廉政风险点目录-{_scope_name(user, unit)}-{round_.year if round_ else ''}"}


register(Document("risks", _("廉政风险点目录"), "documents/risk_catalogue.html", risk_catalogue_context, landscape=True,
                  count=lambda user, params: _risk_filter(user, params, round_for_year(user, params.get("year"))).qs.count()))


# --- a publication as published (also on the public site) -------------------------------------

def publication_context(user, params, publication_id):
    """A 公示 as published: what its frozen entries show. The office reads any it released;
    everyone else (the public) the current ones."""
    if user.is_authenticated and OFFICE.units(user):
        publications = Publication.objects.for_user(user).exclude(state=PublicationState.DRAFT)
    else:
        publications = Publication.objects.current()
    publication = get_object_or_404(publications.select_related("bureau"), pk=publication_id)
    entries = list(publication.entries.select_related("unit").order_by("kind", "unit__order", "code"))
    return {"publication": publication, "powers": [e for e in entries if e.kind == EntryKind.POWER],
            "risks": [e for e in entries if e.kind == EntryKind.RISK], "draft": False, "item_count": len(entries),
            "unit_ids": [publication.bureau_id], "bureau": publication.bureau, "filename": f"公示-{publication.title}",
            "cache_key": f"documents:publication:{publication.pk}:{publication.state}:{get_language()}:{timezone.localdate()}"}


register(Document("publication", _("公示"), "documents/publication.html", publication_context, landscape=True))
