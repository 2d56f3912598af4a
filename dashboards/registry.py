"""The dashboard: a set of panels that the apps contribute, so that each adds its own without
touching the others (the way ``review.registry`` lets higher apps plug into review).

An app declares a ``Panel`` and calls ``add_panel(panel)`` in its ``AppConfig.ready()``:

- ``key``: unique name (a second panel with the same key replaces the first);
- ``title``: the card's heading; ``template``: renders the card body with ``panel`` (what
  ``compute`` returned), ``selection`` and ``user`` in its context;
- ``shows_to(user)``: whether the user's dashboard has the panel at all (see ``audience``);
- ``compute(user, selection)``: the panel's figures, read in the user's scope (start from
  ``Model.objects.for_user(user)`` and ``selection.scope(qs, field)``), aggregated in the
  database with a fixed number of queries whatever the data; ``None`` hides the panel;
- ``order``: position on the page (smaller first); ``wide``: full width, else half.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    compute: callable
    shows_to: callable
    order: int = 100
    wide: bool = False


_panels = {}


def add_panel(panel):
    _panels[panel.key] = panel


def panels_for(user):
    return sorted((p for p in _panels.values() if p.shows_to(user)), key=lambda p: (p.order, p.key))


def dashboard(user, selection):
    """[(panel, figures)] of the user's dashboard, in order; hidden panels left out."""
    shown = ((panel, panel.compute(user, selection)) for panel in panels_for(user))
    return [(panel, figures) for panel, figures in shown if figures is not None]
