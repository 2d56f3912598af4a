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

``add_finding_actions(actions)``: the buttons on a self-inspection's findings (monitoring turns
them into risk information), asked once per task page for all its findings.

``set_inspection_rows(rows)``: ``rows(unit)`` lists what a unit's self-inspection covers, one
dict per control measure of each of its current risk points (the app that keeps the measures
declares it); a task copies them when it opens.
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


def read_rows(queryset, user):
    """A deadline source's rows: a reminder run's (everyone's, ``user`` None) read in chunks
    through a server-side cursor; one person's few, for their start page, in one fetch."""
    return queryset.iterator(chunk_size=2000) if user is None else queryset


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


_finding_actions = []


def add_finding_actions(actions):
    """``actions(user, task, findings)`` returns ``{finding.finding_key: {"label", "url"}}`` for
    a POST button on a finding (a checklist answer or a risk check with 发现的问题), or
    ``{"done": label, "url"}`` once it was acted on; one call per page, however many findings."""
    if actions not in _finding_actions:
        _finding_actions.append(actions)


def finding_actions(user, task, findings):
    """``{finding_key: [action, ...]}`` of every registered action."""
    found = {}
    for actions in _finding_actions:
        for key, shown in actions(user, task, findings).items():
            found.setdefault(key, []).append(shown)
    return found


# Keys of a row of ``inspection_rows``: the risk point (id, code, title, level, post name) and
# the measure (id, kind label, text); the measure ones are empty for a risk point without one.
INSPECTION_ROW_KEYS = ("risk_point_id", "risk_code", "risk_title", "risk_level", "post_name",
                       "measure_id", "measure_kind", "measure_text")
_inspection_rows = []


def set_inspection_rows(rows):
    _inspection_rows[:] = [rows]


def inspection_rows(unit):
    return list(_inspection_rows[0](unit)) if _inspection_rows else []
