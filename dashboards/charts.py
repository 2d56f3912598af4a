"""Geometry of the dashboard's SVG charts, as plain functions over figures (no database): the
templates under ``templates/dashboards/charts/`` draw what these return."""

HEAT_STEPS = 5


def heat(n, top):
    """The colour step (0 = none … 5 = the most) of a heat-map cell holding ``n`` of at most ``top``."""
    if not n or not top:
        return 0
    return max(1, min(HEAT_STEPS, -(-n * HEAT_STEPS // top)))


def segments(parts, scale):
    """A stacked bar: ``parts`` [{"n", ...}] laid end to end on 0–100, ``scale`` being the
    figure that fills the whole width. Each part gets ``x`` and ``width`` (percent)."""
    x, out = 0.0, []
    for part in parts:
        width = 100.0 * part["n"] / scale if scale else 0.0
        out.append({**part, "x": round(x, 2), "width": round(width, 2)})
        x += width
    return out


COLUMN_HEIGHT = 50  # the plot's height in the chart's units; each point is 10 units wide


def columns(points, height=COLUMN_HEIGHT):
    """A column chart: ``points`` [{"label", "n", ...}] as bars of a ``height``-unit plot, each
    with ``x``, ``y``, ``h`` and ``width`` in a viewBox as wide as 10 units per point."""
    top = max((p["n"] for p in points), default=0)
    out = []
    for i, point in enumerate(points):
        h = round(height * point["n"] / top, 2) if top else 0
        out.append({**point, "x": i * 10 + 1.5, "width": 7, "h": h, "y": round(height - h, 2)})
    return out
