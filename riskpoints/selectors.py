"""Reads of risk points with the user's scope."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.loader import get_template
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from org.inputs import parse_int, search_term
from org.keyset import keyset_page
from org.models import Post, Unit
from org.scoping import subtree_q, user_bureau
from org.search import keyword_q
from controls.choices import LAYER_FIELDS
from review.choices import PRINTED_STATES, STATUS_COLOURS


from .choices import LEVEL_COLOURS, CarryDecision, RiskLevel
from .models import RiskPoint, RiskTally, Round


def open_round(bureau):
    """The bureau's open round: the year the office opened last (``controls.services.round_open``).

    The one definition of "this year" in the programme: registrations and imports go into it,
    and registers, tables and flow markers show it by default. ``None`` until the office opens
    the first year.
    """
    return Round.objects.filter(bureau=bureau).order_by("-year").first() if bureau else None


def current_round(user):
    """The open round of the user's bureau."""
    return open_round(user_bureau(user))


def round_for_year(user, year):
    """The round of ``year`` in the user's bureau (a closed year stays printable), or the open
    round when no year is asked. A year the bureau never opened is a 404."""
    if year in (None, ""):
        return current_round(user)
    number = parse_int(year, min_value=1, max_value=9999)
    round_ = Round.objects.filter(bureau=user_bureau(user), year=number).first() if number else None
    if round_ is None:
        raise Http404(_("没有该年度。"))
    return round_


def bureau_rounds(user):
    """The years of the user's bureau, newest first, for a year selector."""
    bureau = user_bureau(user)
    return list(Round.objects.filter(bureau=bureau).order_by("-year")) if bureau else []


# The plan and its measures belong to the controls app above this one; pages here only read
# them through the relation, by name.
# What the pages of a risk point's plan show; they add the measures' evidence.
SHEET_PREFETCH = ("plan__measures__responsible", "plan__measures__supervisor",
                  "plan__direct_responsible", "plan__department_responsible", "plan__leader_responsible")
PLAN_PREFETCH = (*SHEET_PREFETCH, "plan__measures__evidence")


def table_rows(user, round_, **filters):
    """The risk points of the paper forms (一览表, 登记表) in ``round_``, in their order."""
    return (
        register_for(user).filter(round=round_, **filters)
        .order_by("post__name", "power__code", "level", "code")
    )


# The choice fields the paper forms show, labelled once per form (see ``sheet_rows``).
SHEET_LABELS = ("level", "status", "kind", "key_area", "found_by")
# The plan's person of each layer, keyed by the layer's value (``direct``, ``department``, ``leader``).
SHEET_LAYERS = {str(layer.value): f"plan__{field}_id" for layer, field in LAYER_FIELDS.items()}
# The columns of the paper forms, read as values: a form lists up to thousands of risk points.
SHEET_VALUES = ("pk", "title", "description", "importance", "discretion", "probability", "harm", "post_id",
                "power_id", "step__name", "plan__pk", *SHEET_LABELS, *SHEET_LAYERS.values())


def sheet_rows(rows):
    """The risk points of ``rows`` (a ``table_rows`` query) as the paper forms show them. One
    dict a row: the fields of ``SHEET_VALUES``, ``power`` (its name), ``step`` (its name), a
    ``<field>_label`` for each of ``SHEET_LABELS`` (translated once per form), ``status_colour``, the names of the plan's three layers
    (``direct``, ``department``, ``leader``; a dash where none is named or there is no plan yet)
    and ``measures`` (content, who carries it out, who supervises).

    Values instead of model instances, and the few powers and people read once each: a unit's
    一览表 lists thousands of rows, and building and rendering instances was most of its time.
    Names still come from the models (``str(power)``, ``display_name``)."""
    from controls.models import Measure  # the app above this one, read by name
    from powers.models import PowerItem

    rows_query, rows = rows, [dict(zip(SHEET_VALUES, values)) for values in rows.values_list(*SHEET_VALUES)]
    measures = {}
    measure_rows = list(
        Measure.objects.filter(plan__risk_point__in=rows_query.order_by().values("pk")).order_by("order", "pk")
        .values_list("plan_id", "content", "responsible_id", "supervisor_id")
    ) if any(row["plan__pk"] for row in rows) else []
    for measure in measure_rows:
        measures.setdefault(measure[0], []).append(measure)
    people = _people({row[f] for row in rows for f in SHEET_LAYERS.values()} |
                     {person for m in measure_rows for person in m[2:]})
    powers = {p.pk: str(p) for p in PowerItem.objects.filter(pk__in={row["power_id"] for row in rows} - {None})}
    labels = {name: {value: str(label) for value, label in RiskPoint._meta.get_field(name).flatchoices}
              for name in SHEET_LABELS}
    for row in rows:
        row["power"] = powers.get(row["power_id"], "")
        row["step"] = row["step__name"] or ""
        for name, names in labels.items():
            row[f"{name}_label"] = names.get(row[name], row[name])
        row["status_colour"] = STATUS_COLOURS[row["status"]]
        for layer, field in SHEET_LAYERS.items():
            row[layer] = people.get(row[field], "—")
        row["measures"] = [{"content": content, "responsible": people.get(responsible, ""),
                            "supervisor": people.get(supervisor, "")}
                           for _plan, content, responsible, supervisor in measures.get(row["plan__pk"], ())]
    return rows


def sheet_key(template_name, *shown):
    """What a page's ``{% cache %}`` keeps a drawn paper form under: a digest of everything the
    form is drawn from (``shown``: its headings and ``sheet_digest``), the language (the
    labels' and the template's) and the source of its template. A change to any of them draws
    the form anew, so a kept form is never stale; what it saves is drawing thousands of rows."""
    source = get_template(template_name).template.source
    return hashlib.blake2b(repr((get_language(), source, shown)).encode(), digest_size=16).hexdigest()


def _sheet_sources(rows):
    """The values a sheet of ``rows`` is drawn from by ``sheet_rows``: each row's columns with
    its order, post, power and the fields the people and power names are made of, and its
    measures'."""
    from controls.models import Measure  # the app above this one, read by name
    from powers.models import PowerItem

    def names(person):
        return [f"{person}__{field}" for field in get_user_model().NAME_FIELDS]

    people = [name for field in SHEET_LAYERS.values() for name in names(field.removesuffix("_id"))]
    row_values = rows.order_by().values(*SHEET_VALUES, "code", "power__code", "post__name", "post__tier", "post__is_key",
                             *(f"power__{field}" for field in PowerItem.NAME_FIELDS), *people)
    measures = Measure.objects.filter(plan__risk_point__in=rows.order_by().values("pk")).values(
        "plan_id", "order", "pk", "content", *names("responsible"), *names("supervisor"))
    return row_values, measures.order_by()


def sheet_digest(rows):
    """A digest of all a sheet of ``rows`` shows (``_sheet_sources``): on PostgreSQL made by the
    database in one query (an md5 of each source's rows as text, in the order of their ids:
    the sheet's order follows from the values), so that a kept sheet costs no read of its rows;
    elsewhere the values themselves."""
    sources = _sheet_sources(rows)
    if connection.vendor != "postgresql":
        return [list(source) for source in sources]
    parts, params = [], []
    for source in sources:
        try:
            sql, source_params = source.query.sql_with_params()
        except EmptyResultSet:  # ``none()``: no year opened yet
            parts.append("NULL")
            continue
        parts.append(f"(SELECT md5(string_agg(t::text, '|' ORDER BY t.pk)) FROM ({sql}) t)")  # nosec B608 # Django's SQL, parameters bound
        params.extend(source_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return cursor.fetchone()


def _people(ids):
    """{user id: display name} of ``ids``."""
    return {user.pk: user.display_name for user in get_user_model().objects.filter(pk__in=ids - {None})}


def is_draft_print(items):
    """Paper carries the 草稿 mark when any item on it (a model instance or a ``sheet_rows``
    row) is not yet accepted or published."""
    return any((item["status"] if isinstance(item, dict) else item.status) not in PRINTED_STATES for item in items)


def unit_table(user, unit, round_, rows=None, counts=None):
    """岗位权力行使廉政风险防控一览表 of ``unit``: its risk points grouped by post; ``rows``, when
    given, are some of ``table_rows`` (the page's 关键岗位 / 重点领域 filter), ``counts`` their
    ``level_counts`` (else counted here).

    ``groups`` is read only when the page draws the table: a kept drawing (``sheet_key``, a
    digest of what it shows made in the database) needs no row read back."""
    if rows is None:
        rows = table_rows(user, round_, unit=unit) if round_ else RiskPoint.objects.none()

    def groups():
        grouped = {}
        for risk in sheet_rows(rows):
            grouped.setdefault(risk["post_id"], []).append(risk)
        posts = Post.objects.in_bulk(set(grouped) - {None})
        return [(posts.get(post_id), risks) for post_id, risks in grouped.items()]

    counts = counts or level_counts(rows)
    return {"unit": unit, "round": round_, "groups": SimpleLazyObject(groups), "draft": bool(counts["unprinted"]),
            "item_count": counts["total"], "year_query": year_query(round_),
            "sheet_key": sheet_key("documents/_unit_table_sheet.html", unit.name, str(round_ or ""), sheet_digest(rows))}


def post_register(user, post, round_):
    """岗位廉政风险防控登记表 of ``post``."""
    rows = sheet_rows(table_rows(user, round_, post=post)) if round_ else []
    return {"post": post, "round": round_, "risks": rows, "draft": is_draft_print(rows), "item_count": len(rows),
            "holders": list(post.holders.filter(is_active=True)), "year_query": year_query(round_)}


def year_query(round_):
    """The query string that keeps a page's year in its links and PDF."""
    return f"?year={round_.year}" if round_ else ""


def asks_retired(data):
    """Whether a register's query asks for the risk points retired in the yearly reassessment
    (the 已撤销 filter): only then are they listed."""
    return data.get("carry") == CarryDecision.RETIRED


def register_for(user, model=RiskPoint, *, with_retired=False):
    """Risk points the user may see, without those retired in the yearly reassessment unless
    asked for (or, with ``model=RiskTally``, the tallies of those same rows)."""
    qs = model.objects.for_user(user)
    return qs if with_retired else without_retired(qs)


def register_counted(user, *, with_retired=False):
    """(rows, count) to count ``register_for(user)`` by its tally fields (round, unit, post,
    level, status, kind, carry decision, key area): on PostgreSQL its tallies (``RiskTally``)
    and ``count(filter=…)`` adding up their ``n``; elsewhere the risk points and ``Count``.
    The dashboards' per-unit, per-level and per-stage figures read a few thousand tallies
    instead of a province's 300,000 rows."""
    if connection.vendor == "postgresql":
        return (register_for(user, RiskTally, with_retired=with_retired),
                lambda **kw: Coalesce(Sum("n", **kw), 0))
    return register_for(user, with_retired=with_retired), lambda **kw: Count("pk", **kw)


def without_retired(qs):
    """Leave out the risk points retired in the yearly reassessment."""
    return qs.exclude(carry_decision=CarryDecision.RETIRED)


def unit_risks_in_force(unit):
    """The risk points that stand for ``unit`` (and the squads under it) this year: those of the
    bureau's open round, accepted or published (a published one being revised still stands),
    not retired. What a unit's yearly self-inspection goes through."""
    round_ = open_round(unit.bureau)
    if round_ is None:
        return RiskPoint.objects.none()
    rows = RiskPoint.objects.filter(round=round_).filter(
        Q(status__in=PRINTED_STATES) | Q(published_record__isnull=False))
    return without_retired(rows).filter(unit__in=Unit.objects.filter(subtree_q([unit.pk])))


def level_counts(queryset, count=None):
    """Counts of a (filtered) register by level (``l1``..``l3``), on 关键岗位 (``key_post``), in the
    重点领域 (``key_area``), not yet accepted or published (``unprinted``: a paper form of them is
    a draft) and in all (``total``), in one query. ``count`` adds up tallies."""
    count = count or (lambda **kw: Count("pk", **kw))
    counts = queryset.order_by().aggregate(
        **{f"l{lvl}": count(filter=Q(level=lvl)) for lvl in (1, 2, 3)},
        key_post=count(filter=Q(post__is_key=True)),
        key_area=count(filter=~Q(key_area="")),
        unprinted=count(filter=~Q(status__in=PRINTED_STATES)),
    )
    counts = {k: v or 0 for k, v in counts.items()}
    counts["total"] = counts["l1"] + counts["l2"] + counts["l3"]  # every level is one of three (a constraint)
    return counts


# Filters the tallies cannot answer: they need the rows themselves.
ROW_FILTERS = ("q", "power", "step", "importance", "discretion", "probability", "harm", "origin", "registered_from",
               "registered_to")


def register_counts(filterset, **scope):
    """``level_counts`` of a filtered register, read from the tallies the database keeps
    (``RiskTally``) when the filters are ones a tally has, else by counting the filtered rows.

    The register's own filters, already validated, filter the tallies: their fields have the risk
    point's names, so the rules of each filter live only in ``RiskPointFilter``. ``scope``: the
    fields the filter set's rows are narrowed to beyond the user's register (the 一览表's year
    and unit), for the tallies to be narrowed alike.
    """
    rows_needed = any(filterset.data.get(name) for name in ROW_FILTERS)
    if connection.vendor != "postgresql" or rows_needed or not (filterset.is_bound and filterset.is_valid()):
        return level_counts(filterset.qs)
    tallies = register_for(filterset.user, RiskTally, with_retired=asks_retired(filterset.data)).filter(**scope)
    for name, value in filterset.form.cleaned_data.items():
        if name != "ordering":  # orders rows, and a tally has no code to order by
            tallies = filterset.filters[name].filter(tallies, value)
    return level_counts(tallies, count=lambda **kw: Sum("n", **kw))


def search_q(term):
    """Risk points whose code, title or description contain ``term``, any case (the GIN index
    of migration 0005 serves it on PostgreSQL)."""
    return keyword_q(RiskPoint, ("code", "title", "description"), term)


def flow_step_styles(power, user):
    """Markers for the steps of ``power``'s flow that carry risk points visible to ``user``."""
    rows = (
        register_for(user).filter(power=power, step__isnull=False, round=current_round(user))
        .values("step_id").annotate(top=Min("level"), n=Count("pk"))
    )
    return {
        r["step_id"]: {
            "marker": LEVEL_COLOURS[r["top"]][1],
            "title": _("该环节有 %(n)d 个廉政风险点，最高%(level)s") % {"n": r["n"], "level": RiskLevel(r["top"]).label},
            "href": reverse("riskpoints:list") + f"?step={r['step_id']}",
        }
        for r in rows
    }


def register_page(filterset, params):
    """One keyset page of a filtered register, in the filter's order with the code last;
    ``from`` (a code) opens the register, in code order, at that code."""
    ordering = filterset.form.cleaned_data.get("ordering") if filterset.is_bound and filterset.is_valid() else None
    order = [filterset.filters["ordering"].get_ordering_value(p) for p in ordering or []][:1]
    order = [o for o in order if o.lstrip("-") != "code"] + [order[0] if order and order[0].lstrip("-") == "code" else "code"]
    rows = filterset.qs
    start = search_term(params.get("from"), max_length=40)
    if start and order == ["code"]:
        rows = rows.filter(code__gte=start)
    return keyset_page(rows, order=order, per_page=settings.PAGINATE_BY,
                       after=params.get("after"), before=params.get("before"))
