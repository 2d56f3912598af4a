"""The 一览表's rows written out in Python.

A unit of a province's installation has 2,500 risk points; Django's template engine spent
about half a millisecond a row resolving its variables, so the table took over a second to
draw. These functions write the same cells, escaped by ``format_html``, in a tenth of that.
The cells are those of ``templates/riskpoints/unit_table.html``'s header, in its order.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

DASH = "—"


def _measures(plan, words):
    measures = list(plan.measures.all()) if plan is not None else []
    if not measures:
        return format_html('<span class="text-danger">{}</span>', words["none"])
    return format_html_join("", '<div>{}. {} <span class="text-muted">（{}：{}{}）</span></div>', (
        (i, m.content, words["does"], m.responsible.display_name,
         format_html("；{}：{}", words["checks"], m.supervisor.display_name) if m.supervisor_id else "")
        for i, m in enumerate(measures, 1)))


def _layers(plan):
    """The plan's three layers of responsibility (直接责任人, 部门责任人, 责任领导), as
    ``controls/_layer_cells.html`` shows them."""
    if plan is None:
        return mark_safe("<td>—</td>" * 3)  # nosec B703 B308 # a constant
    return format_html_join("", '<td class="small text-nowrap">{}</td>', (
        (person.display_name if person else DASH,) for _layer, person in plan.layers))


def unit_table_rows(groups):
    """The ``<tr>`` of every risk point of ``groups`` [(post or None, [risk, …])], each risk
    prepared by ``views._table_rows`` (``labels``, ``paper_plan``)."""
    words = {"key_post": _("关键岗位"), "no_post": _("（部门/单位层面）"), "key_area": _("重点领域"), "none": _("未制定"),
             "does": _("落实"), "checks": _("监督")}
    rows = []
    for post, risks in groups:
        if post is not None:
            key = format_html("<br>{}", words["key_post"]) if post.is_key else ""
            head = format_html('{}<div class="small fw-normal text-muted">{}{}</div>', post.name, post.get_tier_display(), key)
        else:
            head = words["no_post"]
        for index, risk in enumerate(risks):
            first = format_html('<th scope="rowgroup" rowspan="{}" class="fw-semibold">{}</th>', len(risks), head) if index == 0 else ""
            area = (format_html('<div class="text-muted key-area">{}：{}</div>', words["key_area"], risk.labels["key_area"])
                    if risk.key_area else "")
            rows.append(format_html(
                '<tr>{}<td class="small">{}</td><td class="small">{}</td><td class="small"><strong>{}</strong><div>{}</div>{}'
                '<span class="d-print-none"><span class="badge text-bg-{}">{}</span></span></td>'
                '<td class="text-nowrap">{}</td><td class="small">{}</td>{}</tr>',
                first, risk.power or DASH, risk.step.name if risk.step_id else DASH, risk.title, risk.description, area,
                risk.status_colour, risk.labels["status"], risk.labels["level"], _measures(risk.paper_plan, words),
                _layers(risk.paper_plan)))
    return mark_safe("\n".join(rows))  # nosec B703 B308 # each row built by format_html
