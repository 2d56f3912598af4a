"""The dashboard's per-row pieces, drawn in Python: a per-unit table repeats them on each of its
hundred-odd rows, where a template include or a loop per cell costs more than counting the
figures did. Every value is escaped (``html.escape``, as Django's ``escape``), then joined."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _e(value):
    return escape(str(value))


@register.simple_tag
def stacked_bar(parts):
    """One horizontal stacked bar of ``parts`` (from ``dashboards.charts.segments``: n, colour,
    label, x, width); a part of none is left out."""
    rects = "".join(f'<rect x="{_e(p["x"])}" y="0" width="{_e(p["width"])}" height="8" fill="{_e(p["colour"])}">'
                    f'<title>{_e(p["label"])} {_e(p["n"])}</title></rect>' for p in parts if p["n"])
    return mark_safe(  # nosec B703 B308 # every value escaped above
        f'<svg class="bar-chart" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-hidden="true">{rects}</svg>')


@register.simple_tag
def figure_cells(cells):
    """A row's figures as table cells, each linking to the rows it counts: ``cells`` [{n, url}]."""
    return mark_safe("".join(  # nosec B703 B308 # every value escaped
        f'<td class="text-end"><a href="{_e(c["url"])}">{_e(c["n"])}</a></td>' for c in cells))
