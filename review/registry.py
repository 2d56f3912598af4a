"""Hooks by which the apps above the review layer plug into it without it importing them.

- ``register(model)``: a reviewable model, listed on shared pages (待我处理).
- ``add_guard(model, action, check)``: ``check(item)`` returns messages that refuse ``action``
  (e.g. "submit" needs a valid flow, "accept" needs a control plan).
- ``add_snapshot_part(model, key, part)``: ``part(item)`` adds ``key`` to what a review record
  freezes (e.g. a risk point's control plan, owned by a higher app).
- ``add_history_child(model, child, lookup)``: the item's history page also lists the changes
  of ``child`` rows whose ``lookup`` is the item's id (a risk point's measures).
- ``set_tallies(model, tallies)``: ``tallies(user)`` gives (rows, count) that count the items the
  user sees by status and unit without reading them (a risk point's ``RiskTally``), for the
  start page's 待我处理 counts (``workflow.pending_count``).
- ``add_home_panel(panel)``: ``panel(user)`` returns what else waits for the user on the start
  page (``{"title", "count", "url"}``), or ``None`` (a unit's risk-point proposals).
- ``set_publisher(model, target=, add=, presence=)``: how a published item reaches the public
  (the publications app): ``target(item)`` names where publishing would add the item, or
  ``None``; ``add(actor=, items=)`` adds just-published items there, inside the publishing
  transaction; ``presence(item)`` says where the public sees the item now, or ``None``.
"""

from types import SimpleNamespace

from collections import defaultdict

_models = []
_guards = defaultdict(list)
_snapshot_parts = defaultdict(list)
_history_children = defaultdict(list)
_publishers = {}
_home_panels = []
_tallies = {}


def register(model):
    if model not in _models:
        _models.append(model)
    return model


def reviewable_models():
    return list(_models)


def add_guard(model, action, check):
    if check not in _guards[(model, action)]:
        _guards[(model, action)].append(check)


def problems(item, action):
    return [message for check in _guards[(type(item), action)] for message in check(item)]


def add_snapshot_part(model, key, part):
    _snapshot_parts[model] = [(k, p) for k, p in _snapshot_parts[model] if k != key] + [(key, part)]


def snapshot(item):
    data = item.snapshot()
    for key, part in _snapshot_parts[type(item)]:
        data[key] = part(item)
    return data


def add_history_child(model, child, lookup):
    if (child, lookup) not in _history_children[model]:
        _history_children[model].append((child, lookup))


def history_children(model):
    return list(_history_children[model])


def set_publisher(model, *, target, add, presence):
    _publishers[model] = SimpleNamespace(target=target, add=add, presence=presence)


def publisher(model):
    """The model's publisher (see ``set_publisher``), or ``None`` when nothing publishes it."""
    return _publishers.get(model)


def set_tallies(model, tallies):
    _tallies[model] = tallies


def tallies(model, user):
    """(rows, count) of ``set_tallies`` for ``user``, or None: count the items themselves."""
    return _tallies[model](user) if model in _tallies else None


def add_home_panel(panel):
    if panel not in _home_panels:
        _home_panels.append(panel)


def home_panels(user):
    return [shown for shown in (panel(user) for panel in _home_panels) if shown]
