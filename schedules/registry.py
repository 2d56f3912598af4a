"""Dated items of every app, declared here so that one reminder run serves them all.

An app above this one declares each kind of deadline once, usually in a ``reminders.py``
loaded by its AppConfig.ready::

    from schedules.registry import Deadline, add_deadline_source

    def measure_deadlines(until, user=None):
        # every open item due on or before ``until`` (only ``user``'s own when given)
        for m in ...:
            yield Deadline(object_key=f"measure:{m.pk}", title=..., due_date=m.due_date,
                           url=..., bureau_id=..., responsible=(m.responsible,),
                           escalation=escalation_chain(unit), level=risk.level)

    add_deadline_source("controls.measure", label=_("防控措施"), items=measure_deadlines)

- ``kind``: a stable name; the reminder log's keys and the office's cadences refer to it.
- ``items(until, user=None)``: open items (not done, not closed) due on or before ``until``,
  overdue ones included; with ``user``, only those the user answers for. An item that is done
  must no longer be yielded: that is what stops its reminders.
- ``Deadline.escalation``: who is told when the item is overdue, step by step: first the unit
  head(s), then the leader in charge and the office (``schedules.people.escalation_chain``
  builds that default).

``add_phase_progress(code, progress)``: ``progress(phase, units)`` returns ``{unit_id: (done,
total)}`` for a programme phase (e.g. 清权确权: the unit's powers accepted of all its powers).

``add_answer_action(action)``: a button on a self-inspection finding (turned into risk
information by monitoring).
"""

from dataclasses import dataclass, field
from datetime import date

_sources = {}
_phase_progress = {}


@dataclass(frozen=True)
class Deadline:
    object_key: str  # unique within the kind, e.g. "measure:12"
    title: str
    due_date: date
    url: str
    bureau_id: int
    responsible: tuple  # users reminded before, on and after the due date
    escalation: tuple = ()  # (users told first when overdue, users told next)
    level: int | None = None  # the risk level, when the cadence depends on it
    unit_name: str = ""
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    items: callable


def add_deadline_source(kind, *, label, items):
    _sources[kind] = Source(kind=kind, label=label, items=items)


def deadline_sources():
    return list(_sources.values())


def source(kind):
    return _sources.get(kind)


def add_phase_progress(code, progress):
    _phase_progress[code] = progress


def phase_progress(code):
    return _phase_progress.get(code)


_answer_actions = []


def add_answer_action(action):
    """``action(user, answer)`` returns ``{"label", "url"}`` (a POST button on a campaign task's
    checklist line, e.g. 转为廉政风险信息) or ``None`` when it does not apply."""
    if action not in _answer_actions:
        _answer_actions.append(action)


def answer_actions(user, answer):
    return [shown for shown in (action(user, answer) for action in _answer_actions) if shown]
