"""Rules of a process flow, on plain data (see ``models.flow_data``).

A flow is a directed acyclic graph: exactly one start step (no incoming link), at least one
end step (no outgoing link), every step reachable from the start, links only between steps of
the same flow. Loops are not allowed: a return for correction (补正) is drawn as a forward
branch (需补正 → 补正材料 → 审查), so that every path has a finite statutory time and the
"longest path" total means something.
"""

from collections import defaultdict, deque

from django.utils.translation import gettext as _

from .limits import promise_cap, promise_too_long


def _graph(data):
    steps = {s["id"]: s for s in data["steps"]}
    out, indegree = defaultdict(list), {sid: 0 for sid in steps}
    for e in data["edges"]:
        if e["source"] in steps and e["target"] in steps:
            out[e["source"]].append(e["target"])
            indegree[e["target"]] += 1
    return steps, out, indegree


def flow_checks(data):
    """The flow's rules one by one, as the editor's checklist shows them while a flow is drawn.

    Each check is ``{"key", "label", "ok", "required", "problems"}``: ``label`` names what the
    flow needs (短语, e.g. "结束环节"), ``problems`` says what breaks it, naming the steps.
    Required checks block submission (``flow_problems``); the others are advice.
    """
    steps, out, indegree = _graph(data)

    def check(key, label, problems, ok=None, required=True):
        return {"key": key, "label": label, "problems": problems, "required": required,
                "ok": not problems if ok is None else ok}

    if not steps:
        return [check("steps", _("至少一个环节"), [_("尚未绘制权力运行流程图：请至少添加一个环节。")])] + [
            check(key, label, [], ok=False) for key, label in (
                ("start", _("唯一的起始环节")), ("end", _("结束环节")), ("reachable", _("各环节都能从起始环节到达")))]
    checks = [check("steps", _("至少一个环节"), [])]
    foreign = []
    for e in data["edges"]:
        if e["source"] not in steps or e["target"] not in steps or e["source_power"] != e["target_power"]:
            name = steps.get(e["source"], steps.get(e["target"], {})).get("name", "?")
            foreign.append(_("环节“%(step)s”的连线指向了其他职权的流程。") % {"step": name})
    if foreign:  # only ever shown when broken: the editor cannot draw such a link
        checks.append(check("foreign", _("连线只在本流程之内"), foreign))
    starts = [sid for sid, n in indegree.items() if n == 0]
    start_problems = []
    if len(starts) != 1:
        if starts:
            names = "、".join(steps[s]["name"] for s in starts)
            start_problems.append(_("流程只能有一个起始环节，现在有 %(n)d 个：%(names)s。") % {"n": len(starts), "names": names})
        else:
            start_problems.append(_("流程没有起始环节（每个环节都有连线指向它）。"))
    checks.append(check("start", _("唯一的起始环节"), start_problems))
    checks.append(check("end", _("结束环节"), [] if any(not out[sid] for sid in steps) else [
        _("流程没有结束环节（每个环节都有后续连线）。")]))
    cycle = _cycle(steps, out)
    if cycle:  # likewise: the editor refuses a link that closes a loop
        checks.append(check("acyclic", _("没有回路"), [
            _("环节“%(step)s”处形成了回路：%(path)s。流程图不允许回路，补正等情形请画成向前的分支。") % {
                "step": steps[cycle[0]]["name"], "path": " → ".join(steps[s]["name"] for s in cycle)}]))
    unreachable = []
    if len(starts) == 1:
        reached = _reachable(starts[0], out)
        unreachable = [_("环节“%(step)s”从起始环节无法到达。") % {"step": step["name"]}
                       for sid, step in steps.items() if sid not in reached]
    checks.append(check("reachable", _("各环节都能从起始环节到达"), unreachable, ok=len(starts) == 1 and not unreachable))
    untimed = [s["name"] for s in data["steps"] if not s.get("immediate") and s.get("days") is None]
    checks.append(check("time_limits", _("各环节的法定时限"), [
        _("未设时限的环节：%(names)s。") % {"names": "、".join(untimed)}] if untimed else [], required=False))
    advice = [w for s in data["steps"] for w in _step_limit_warnings(s)]
    if advice:
        checks.append(check("promised", _("承诺时限比法定时限缩短三分之一"), advice, required=False))
    return checks


def _step_limit_warnings(step):
    statutory, promised = step.get("days"), step.get("promised_days")
    if not promise_too_long(statutory=statutory, promised=promised):
        return []
    return [_("“%(step)s”承诺 %(p)d 日，宜不超过 %(max)d 个工作日（法定 %(s)d 日）。") % {
        "step": step["name"], "p": promised, "max": promise_cap(statutory), "s": statutory}]


def flow_problems(data):
    """Every rule the flow breaks, each message naming the step concerned."""
    return [p for c in flow_checks(data) if c["required"] for p in c["problems"]]


def has_cycle(data):
    steps, out, _indegree = _graph(data)
    return _cycle(steps, out) is not None


def _reachable(start, out):
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in out[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _cycle(steps, out):
    """One cycle as a list of step ids, or ``None``."""
    colour = dict.fromkeys(steps, 0)  # 0 new, 1 on the current path, 2 done
    for root in steps:
        if colour[root]:
            continue
        path, stack = [], [(root, iter(out[root]))]
        colour[root] = 1
        path.append(root)
        while stack:
            node, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour[nxt] == 1:
                return path[path.index(nxt):] + [nxt]
            elif colour[nxt] == 0:
                colour[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(out[nxt])))
    return None


def topological_order(data):
    steps, out, indegree = _graph(data)
    indegree = dict(indegree)
    queue = deque(sid for sid in steps if indegree[sid] == 0)
    order = []
    while queue:
        sid = queue.popleft()
        order.append(sid)
        for nxt in out[sid]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    return order


def statutory_total(data):
    """The longest sum of time limits along a path from the start to an end, in working days.

    Steps marked 即时 count 0; steps without a time limit count 0 and are listed in
    ``missing`` so the page can flag them. ``None`` when the flow has a loop.
    """
    steps, out, _indegree = _graph(data)
    order = topological_order(data)
    if len(order) != len(steps):
        return {"days": None, "missing": []}
    best = {}
    for sid in reversed(order):
        own = steps[sid]["days"] or 0
        best[sid] = own + max((best[n] for n in out[sid]), default=0)
    missing = [s["name"] for s in data["steps"] if not s["immediate"] and s["days"] is None]
    return {"days": max(best.values(), default=0), "missing": missing}
