"""The dashboard's per-row pieces, drawn in Python (``org.markup``): a per-unit table repeats
them on each of its hundred-odd rows, where a template include or a loop per cell costs more
than counting the figures did."""

from django import template

from org.markup import joined, text

register = template.Library()


@register.simple_tag
def stacked_bar(parts):
    """One horizontal stacked bar of ``parts`` (from ``dashboards.charts.segments``: n, colour,
    label, x, width); a part of none is left out."""
    return joined((
        '<svg class="bar-chart" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-hidden="true">',
        *(f'<rect x="{text(p["x"])}" y="0" width="{text(p["width"])}" height="8" fill="{text(p["colour"])}">'
          f'<title>{text(p["label"])} {text(p["n"])}</title></rect>' for p in parts if p["n"]),
        "</svg>"))


@register.simple_tag
def figure_cells(cells):
    """A row's figures as table cells, each linking to the rows it counts: ``cells`` [{n, url}]."""
    return joined(f'<td class="text-end"><a href="{text(c["url"])}">{text(c["n"])}</a></td>' for c in cells)
