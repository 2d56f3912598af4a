"""Draw a process flow as SVG: Graphviz ``dot`` lays it out, this module draws it.

We measure and wrap the Chinese labels ourselves and hand ``dot`` fixed box sizes, so the
boxes fit their text whatever fonts ``dot`` has; ``dot`` returns positions and edge splines
(``-Tplain``) and we write the SVG, so that the browser, the print page and the PDF show the
same drawing. Callers may style individual steps (``styles``: a marker colour, a title, a
link), which is how a higher layer shows, say, risk levels without this module knowing them.

The ``dot`` input is built by the ``graphviz`` package, which quotes; text is never quoted by
hand here. Every text is made one line first: ``-Tplain`` is read line by line, and a label with
a line break (stored before forms refused them, or frozen in a published snapshot) would
otherwise break the reading for good.
"""

import hashlib
import shlex
import shutil
import subprocess  # nosec B404 # runs Graphviz only, see _run_dot
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr  # nosec B406 # escapes our own SVG output, parses nothing

import graphviz
from django.core.cache import cache
from django.utils.translation import gettext as _

from org.inputs import single_line

NAME_SIZE, SMALL_SIZE, LABEL_SIZE = 14, 12, 12
LINE_GAP = 1.35
PAD_X, PAD_Y = 12, 9
MAX_NAME_EM = 9  # wrap step names after about nine Chinese characters
MIN_WIDTH = 96
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
DOT_TIMEOUT = 20


class FlowchartError(Exception):
    pass


def text_width(text, size):
    """A generous width estimate: CJK and full-width characters 1 em, others 0.62 em."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.62 for ch in text)


def wrap(text, size, max_em):
    text = single_line(text)
    limit = size * max_em
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch, size) > limit:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines or [""]


@dataclass
class Box:
    sid: int
    lines: list  # [(text, size, bold)]
    width: float
    height: float
    kind: str  # start, end, step
    x: float = 0
    y: float = 0


def _box(step, kind, both_limits=False):
    lines = [(t, NAME_SIZE, True) for t in wrap(step["name"], NAME_SIZE, MAX_NAME_EM)]
    if step.get("handler"):
        lines += [(t, SMALL_SIZE, False) for t in wrap(step["handler"], SMALL_SIZE, MAX_NAME_EM + 2)]
    time_limit = step.get("time_limit") or _("未设时限")
    if both_limits:
        # A flow with promises names each limit: the statutory one, which the total adds up,
        # and the bureau's promise where the step has one.
        lines.append((_("法定：%(t)s") % {"t": time_limit}, SMALL_SIZE, False))
        if step.get("promised_time_limit"):
            lines.append((_("承诺：%(t)s") % {"t": step["promised_time_limit"]}, SMALL_SIZE, False))
    else:
        lines.append((_("时限：%(t)s") % {"t": time_limit}, SMALL_SIZE, False))
    width = max(MIN_WIDTH, max(text_width(t, s) for t, s, _b in lines) + 2 * PAD_X)
    if kind != "step":
        width += 16  # room for the rounded ends
    height = sum(s * LINE_GAP for _t, s, _b in lines) + 2 * PAD_Y
    return Box(step["id"], lines, round(width, 1), round(height, 1), kind)


def edge_label(text):
    """An edge's label as drawn: one line, without surrounding blanks."""
    return single_line(text or "").strip()


def _dot_source(boxes, edges):
    graph = graphviz.Digraph(
        "flow",
        graph_attr={"rankdir": "TB", "nodesep": "0.45", "ranksep": "0.5", "splines": "spline"},
        node_attr={"shape": "box", "fixedsize": "true", "label": ""},
        edge_attr={"fontsize": str(LABEL_SIZE), "fontname": "Noto Sans CJK SC", "arrowsize": "0.8"},
    )
    for b in boxes.values():
        graph.node(f"s{b.sid}", width=f"{b.width / 72:.3f}", height=f"{b.height / 72:.3f}")
    for e in edges:
        label = edge_label(e["label"])
        # escape(): a backslash in a label is text, not one of dot's \N, \l ... sequences.
        graph.edge(f"s{e['source']}", f"s{e['target']}", **({"label": graphviz.escape(label)} if label else {}))
    return graph.source


def _run_dot(source):
    dot = shutil.which("dot")
    if not dot:
        raise FlowchartError(_("未安装流程图绘制组件 Graphviz（dot），请运行 scripts/install-system-deps.sh。"))
    try:
        # Fixed argument list, no shell; the graph (which holds user text, quoted) goes to stdin.
        done = subprocess.run([dot, "-Tplain"], input=source.encode(), capture_output=True, timeout=DOT_TIMEOUT, check=True)  # nosec B603
    except (subprocess.SubprocessError, OSError) as exc:
        raise FlowchartError(_("流程图排版失败：%(err)s") % {"err": exc}) from exc
    return done.stdout.decode()


def _layout(source):
    """Positions from ``dot -Tplain`` (points, y down), cached by the exact source."""
    key = "flowchart:" + hashlib.sha256(source.encode()).hexdigest()
    layout = cache.get(key)
    if layout is None:
        layout = {"nodes": {}, "edges": []}
        height = 0
        for line in _run_dot(source).split("\n"):  # not splitlines(): no other character ends a line
            parts = shlex.split(line)
            if not parts:
                continue
            if parts[0] == "graph":
                height = float(parts[3]) * 72
                layout["size"] = (float(parts[2]) * 72, height)
            elif parts[0] == "node":
                layout["nodes"][int(parts[1][1:])] = (float(parts[2]) * 72, height - float(parts[3]) * 72)
            elif parts[0] == "edge":
                n = int(parts[3])
                coords = [float(v) * 72 for v in parts[4 : 4 + 2 * n]]
                points = [(coords[i], height - coords[i + 1]) for i in range(0, len(coords), 2)]
                rest = parts[4 + 2 * n :]
                label = None
                if len(rest) >= 5:  # label x y style colour
                    label = (rest[0], float(rest[1]) * 72, height - float(rest[2]) * 72)
                layout["edges"].append({"source": int(parts[1][1:]), "target": int(parts[2][1:]), "points": points, "label": label})
        cache.set(key, layout, 24 * 3600)
    return layout


def render_flow_svg(data, styles=None, title=""):
    """The flow ``data`` (``models.flow_data`` or a snapshot's ``flow``) as an SVG string.

    ``styles`` maps step id → {"marker": CSS colour, "title": tooltip, "href": link}.
    Returns "" for a flow with no steps.
    """
    styles = styles or {}
    steps = data["steps"]
    if not steps:
        return ""
    incoming = {e["target"] for e in data["edges"]}
    outgoing = {e["source"] for e in data["edges"]}
    boxes = {}
    both_limits = any(s.get("promised_time_limit") for s in steps)
    for s in steps:
        kind = "start" if s["id"] not in incoming else "end" if s["id"] not in outgoing else "step"
        boxes[s["id"]] = _box(s, kind, both_limits)
    ids = set(boxes)
    edges = [e for e in data["edges"] if e["source"] in ids and e["target"] in ids]
    layout = _layout(_dot_source(boxes, edges))
    margin = 8
    width, height = layout["size"]
    missing = {s["id"] for s in steps if not s.get("immediate") and s.get("days") is None}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" role="img" '
        f'viewBox="{-margin} {-margin} {width + 2 * margin:.1f} {height + 2 * margin:.1f}" '
        f'width="{width + 2 * margin:.0f}" height="{height + 2 * margin:.0f}" font-family={quoteattr(FONT)}>',
        f"<title>{escape(single_line(title or _('权力运行流程图')))}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    ]
    for e in layout["edges"]:
        pts = e["points"]
        d = f"M{pts[0][0]:.1f},{pts[0][1]:.1f} " + " ".join(
            f"C{pts[i][0]:.1f},{pts[i][1]:.1f} {pts[i + 1][0]:.1f},{pts[i + 1][1]:.1f} {pts[i + 2][0]:.1f},{pts[i + 2][1]:.1f}"
            for i in range(1, len(pts) - 2, 3)
        )
        out.append(f'<path class="edge" d="{d}" fill="none" stroke="#444" stroke-width="1.2" marker-end="url(#arrow)"/>')
        if e["label"]:
            text, lx, ly = e["label"]
            w = text_width(text, LABEL_SIZE) + 8
            out.append(
                f'<g class="edge-label"><rect x="{lx - w / 2:.1f}" y="{ly - 9:.1f}" width="{w:.1f}" height="18" rx="3" fill="#fff" fill-opacity="0.9"/>'
                f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="{LABEL_SIZE}" text-anchor="middle" fill="#0b5394">{escape(text)}</text></g>'
            )
    for sid, box in boxes.items():
        cx, cy = layout["nodes"][sid]
        box.x, box.y = cx - box.width / 2, cy - box.height / 2
        style = styles.get(sid, {})
        radius = box.height / 2 if box.kind != "step" else 4
        fill = {"start": "#e8f4ea", "end": "#eef1f6", "step": "#ffffff"}[box.kind]
        stroke, dash = ("#d9822b", ' stroke-dasharray="5 3"') if sid in missing else ("#2f4f6f", "")
        parts = [f'<g class="step step-{box.kind}" data-step="{sid}">']
        if style.get("title"):
            parts.append(f"<title>{escape(single_line(style['title']))}</title>")
        parts.append(
            f'<rect class="step-box" x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
            f'rx="{radius:.1f}" fill="{fill}" stroke="{stroke}" stroke-width="1.4"{dash}/>'
        )
        y = box.y + PAD_Y
        for text, size, bold in box.lines:
            y += size * LINE_GAP
            weight = ' font-weight="bold"' if bold else ""
            colour = "#b45309" if (not bold and sid in missing and text.endswith(_("未设时限"))) else "#1f2937" if bold else "#4b5563"
            out_text = f'<text x="{cx:.1f}" y="{y - size * 0.3:.1f}" font-size="{size}" text-anchor="middle" fill="{colour}"{weight}>{escape(text)}</text>'
            parts.append(out_text)
        if style.get("marker"):
            mx, my = box.x + box.width - 2, box.y + 2
            parts.append(f'<circle class="step-marker" cx="{mx:.1f}" cy="{my:.1f}" r="8" fill="{style["marker"]}" stroke="#fff" stroke-width="2"/>')
        parts.append("</g>")
        group = "".join(parts)
        if style.get("href"):
            group = f'<a href={quoteattr(style["href"])}>{group}</a>'
        out.append(group)
    out.append("</svg>")
    return "\n".join(out)

