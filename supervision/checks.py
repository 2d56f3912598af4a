"""The electronic checks (电子监察) as pure functions over plain data, no database.

A filing is checked against the flow it followed (the ``flow`` of a published power snapshot:
steps with ``id``, ``name``, ``days``, ``immediate``; edges with ``source`` and ``target``) and
the benchmark row it chose; a 三重一大 matter against its rules of procedure.
"""

import math
from collections import deque
from decimal import Decimal

from django.utils.translation import gettext as _

from .choices import BreachKind, FindingKind, FineBasis, MatterKind, Quorum, Vote
from .workdays import add_workdays, workdays_between


def _graph(flow):
    ids = {s["id"] for s in flow["steps"]}
    succ = {i: [] for i in ids}
    pred = {i: [] for i in ids}
    for e in flow["edges"]:
        if e["source"] in ids and e["target"] in ids:
            succ[e["source"]].append(e["target"])
            pred[e["target"]].append(e["source"])
    return succ, pred


def _path_between(succ, a, b):
    """The steps strictly between ``a`` and ``b`` on a shortest path, or None if b is unreachable."""
    back, queue = {a: None}, deque([a])
    while queue:
        node = queue.popleft()
        for nxt in succ[node]:
            if nxt not in back:
                back[nxt] = node
                if nxt == b:
                    path, cur = [], back[b]
                    while cur != a:
                        path.append(cur)
                        cur = back[cur]
                    return path[::-1]
                queue.append(nxt)
    return None


def step_deadline(step, start, calendar):
    """The last day ``step`` may be done on when it may start on ``start``; None without a limit."""
    if step.get("immediate"):
        return start
    if step.get("days") is None:
        return None
    return add_workdays(start, step["days"], calendar)


def filing_findings(*, flow, opened_on, done, closed, today, calendar, benchmark=None, fine_amount=None,
                    base_amount=None, stated_conditions="", needs_benchmark=False):
    """What is wrong with one filing: a list of ``(kind, step_id, message)``.

    ``done`` maps step ids to the date each was done. A step's limit runs from the latest done
    step before it in the flow (from ``opened_on`` for a first step). An open case whose next
    step is past its limit today is late too.
    """
    steps = {s["id"]: s for s in flow["steps"]}
    position = {s["id"]: i for i, s in enumerate(flow["steps"])}
    succ, pred = _graph(flow)
    found = []
    taken = sorted((sid for sid in done if sid in steps), key=lambda sid: (done[sid], position[sid]))

    for sid in taken:
        starts = [done[p] for p in pred[sid] if p in done]
        start = max(starts) if starts else opened_on
        deadline = step_deadline(steps[sid], start, calendar)
        if deadline is not None and done[sid] > deadline:
            over = workdays_between(deadline, done[sid], calendar)
            found.append((FindingKind.LATE, sid, _(
                "环节“%(step)s”于 %(done)s 办理，时限 %(limit)s，应在 %(deadline)s 前办理，超出 %(over)d 个工作日。") % {
                "step": steps[sid]["name"], "done": done[sid].isoformat(), "limit": steps[sid].get("time_limit") or _("即时"),
                "deadline": deadline.isoformat(), "over": over}))
    if not closed:
        for sid in taken:
            following = succ[sid]
            if not following or any(n in done for n in following):
                continue
            deadlines = [(step_deadline(steps[n], done[sid], calendar), n) for n in following]
            deadlines = [(d, n) for d, n in deadlines if d is not None]
            if deadlines and all(d < today for d, _n in deadlines):
                deadline, nxt = max(deadlines, key=lambda pair: pair[0])
                found.append((FindingKind.LATE, nxt, _(
                    "“%(prev)s”之后的环节“%(step)s”应在 %(deadline)s 前办理，至今未办理。") % {
                    "prev": steps[sid]["name"], "step": steps[nxt]["name"], "deadline": deadline.isoformat()}))

    if taken:
        first = taken[0]
        if pred[first]:
            found.append((FindingKind.SKIPPED, first, _("案件从环节“%(step)s”开始，跳过了之前的环节。") % {"step": steps[first]["name"]}))
        for a, b in zip(taken, taken[1:]):
            if b in succ[a]:
                continue
            between = _path_between(succ, a, b)
            if between:
                found.append((FindingKind.SKIPPED, between[0], _("“%(a)s”到“%(b)s”之间跳过了：%(skipped)s。") % {
                    "a": steps[a]["name"], "b": steps[b]["name"], "skipped": "、".join(steps[s]["name"] for s in between)}))
            else:
                found.append((FindingKind.ORDER, b, _("环节“%(b)s”办理在“%(a)s”之后，流程图中没有这样的顺序。") % {
                    "a": steps[a]["name"], "b": steps[b]["name"]}))
        last = taken[-1]
        if closed and succ[last]:
            found.append((FindingKind.SKIPPED, succ[last][0], _("案件在环节“%(step)s”后办结，未走完流程。") % {"step": steps[last]["name"]}))

    found.extend(penalty_findings(benchmark=benchmark, fine_amount=fine_amount, base_amount=base_amount,
                                  stated_conditions=stated_conditions, needs_benchmark=needs_benchmark))
    return found


def fine_range(benchmark, base_amount=None):
    """The fine range (low, high) in yuan that ``benchmark`` allows; a percentage is taken of
    ``base_amount``. None when the row sets no fine, or the base is unknown."""
    basis = benchmark.get("fine_basis")
    low, high = (Decimal(v) if v not in (None, "") else None for v in (benchmark.get("fine_min"), benchmark.get("fine_max")))
    if basis == FineBasis.NONE:
        return Decimal(0), Decimal(0)
    if basis == FineBasis.PERCENT:
        if base_amount is None:
            return None
        low = None if low is None else base_amount * low / 100
        high = None if high is None else base_amount * high / 100
    return low, high


def penalty_findings(*, benchmark, fine_amount, base_amount, stated_conditions, needs_benchmark):
    if not benchmark:
        if needs_benchmark:
            return [(FindingKind.UNSTATED, None, _("处罚案件未选择适用的裁量基准（违法情形和程度）。"))]
        return []
    found, unstated = [], []
    if benchmark.get("conditions") and not (stated_conditions or "").strip():
        unstated.append(_("选择了“%(c)s（%(d)s）”，但未写明案件符合该档次的哪些情节（适用条件：%(cond)s）。") % {
            "c": benchmark["circumstance"], "d": benchmark.get("degree_label", ""), "cond": benchmark["conditions"]})
    if benchmark.get("fine_basis") == FineBasis.PERCENT and base_amount is None and fine_amount is not None:
        unstated.append(_("罚款按工程造价（货值）的百分比计算，但未填写工程造价（货值）。"))
    if unstated:
        found.append((FindingKind.UNSTATED, None, " ".join(unstated)))
    limits = fine_range(benchmark, base_amount)
    if limits is not None and fine_amount is not None:
        low, high = limits
        if (low is not None and fine_amount < low) or (high is not None and fine_amount > high):
            found.append((FindingKind.OUT_OF_RANGE, None, _(
                "罚款 %(fine)s 元超出“%(c)s（%(d)s）”的裁量幅度 %(low)s–%(high)s 元。") % {
                "fine": f"{fine_amount:,.2f}", "c": benchmark["circumstance"], "d": benchmark.get("degree_label", ""),
                "low": "—" if low is None else f"{low:,.2f}", "high": "—" if high is None else f"{high:,.2f}"}))
    return found


def quorum_needed(quorum, total):
    return total // 2 + 1 if quorum == Quorum.HALF else math.ceil(total * 2 / 3)


def matter_breaches(*, rule, kind, amount, meeting_date, consulted, legal_reviewed, members):
    """The rules of procedure a 三重一大 matter broke: a list of ``(kind, message)``.

    ``rule`` is a dict of the ProcedureRule fields; ``members`` dicts with ``name``,
    ``is_main_leader``, ``present``, ``speaking_order``, ``opinion`` and ``vote``.
    """
    found = []
    needs_meeting = not (kind == MatterKind.FUNDS and rule.get("meeting_from") is not None and amount is not None
                         and amount < rule["meeting_from"])
    if not needs_meeting and meeting_date is None:
        return []  # below the amount the rules cover: not a 三重一大 matter
    if meeting_date is None:
        if needs_meeting:
            found.append((BreachKind.NO_MEETING, _("该事项属于“三重一大”，未经会议集体讨论就作出了决定。")
                          if kind != MatterKind.FUNDS else
                          _("金额 %(a)s 元，达到须集体决定的标准，未经会议集体讨论。") % {"a": f"{amount or 0:,.2f}"}))
    else:
        total = len(members)
        present = [m for m in members if m["present"]]
        need = quorum_needed(rule["quorum"], total)
        if len(present) < need:
            found.append((BreachKind.QUORUM, _("应到会 %(t)d 人，实到 %(p)d 人，少于议事规则要求的 %(n)d 人。") % {
                "t": total, "p": len(present), "n": need}))
        if rule["leader_last"]:
            leader = next((m for m in present if m["is_main_leader"]), None)
            orders = [m["speaking_order"] for m in present if m["speaking_order"] is not None]
            if leader is not None and (leader["speaking_order"] is None or leader["speaking_order"] < max(orders)):
                found.append((BreachKind.LEADER_NOT_LAST, _("主要负责人%(name)s在第 %(n)s 位发言，不是末位表态。") % {
                    "name": leader["name"], "n": leader["speaking_order"] or "?"}))
        silent = [m["name"] for m in present if not (m["opinion"] or "").strip()]
        if silent:
            found.append((BreachKind.SILENT_MEMBER, _("以下到会成员没有记录表态意见：%(names)s。") % {"names": "、".join(silent)}))
        votes_for = sum(1 for m in present if m["vote"] == Vote.FOR)
        if total and votes_for * 2 <= total:
            found.append((BreachKind.NOT_PASSED, _("同意 %(f)d 票，未超过应到会成员 %(t)d 人的半数。") % {"f": votes_for, "t": total}))
    if rule["consultation"] and not consulted:
        found.append((BreachKind.NO_CONSULTATION, _("议事规则要求会前征求意见，记录中没有征求意见。")))
    if rule["legal_review"] and not legal_reviewed:
        found.append((BreachKind.NO_LEGAL_REVIEW, _("议事规则要求合法性审查，记录中没有合法性审查。")))
    return found
