"""The dashboard: a set of panels that the apps contribute, so that each adds its own without
touching the others (the way ``review.registry`` lets higher apps plug into review).

An app declares a ``Panel`` and calls ``add_panel(panel)`` in its ``AppConfig.ready()``:

- ``key``: unique name (a second panel with the same key replaces the first);
- ``title``: the card's heading; ``template``: renders the card body with ``panel`` (what
  ``compute`` returned), ``selection``, ``selection_query`` and ``user`` in its context (nothing
  else: the rendered card is kept with the figures);
- ``shows_to(user)``: whether the user's dashboard has the panel at all (see ``audience``);
- ``compute(user, selection)``: the panel's figures, read in the user's scope (start from
  ``Model.objects.for_user(user)`` and ``selection.scope(qs, field)``), aggregated in the
  database with a fixed number of queries whatever the data; ``None`` hides the panel;
- ``order``: position on the page (smaller first); ``wide``: full width, else half;
- ``personal``: the figures are the user's own (their deadlines), not only their scope's: kept
  for them alone (see ``snapshots``).
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from . import snapshots


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    compute: callable
    shows_to: callable
    order: int = 100
    wide: bool = False
    personal: bool = False


_panels = {}


def add_panel(panel):
    _panels[panel.key] = panel


def panels_for(user):
    return sorted((p for p in _panels.values() if p.shows_to(user)), key=lambda p: (p.order, p.key))


class Dashboard:
    """The panels shown, in order, hidden ones left out: ``cards`` [(panel, its rendered card
    body)] for the page; iterated, [(panel, figures)], the figures of a kept panel read back
    only then (``snapshots.unpack``); ``counted_at``: when the oldest of the figures was counted."""

    counted_at = None

    def __init__(self):
        self.cards = []
        self._figures = []

    def add(self, panel, figures, card, at, *, packed):
        self._figures.append((panel, figures, packed))
        self.cards.append((panel, card))
        self.counted_at = min(at, self.counted_at or at)

    def __len__(self):
        return len(self.cards)

    def __iter__(self):
        return ((panel, snapshots.unpack(f) if packed else f) for panel, f, packed in self._figures)


def render_card(panel, figures, user, selection):
    """A panel's card body: its template over its figures and the selection (nothing else of
    the request, so that the snapshot can keep it). ``selection_query``: for links that change
    one parameter of the page, such as a table's sort."""
    return render_to_string(panel.template, {"panel": figures, "selection": selection, "user": user,
                                             "selection_query": selection.query(sort=None)})


def dashboard(user, selection, *, fresh=False, panels=None):
    """The user's dashboard for ``selection``: each panel's figures and card from a fresh
    snapshot, else counted and rendered now and kept (``fresh``: count every panel now).
    ``panels``: only these."""
    panels = panels_for(user) if panels is None else panels
    kept = {} if fresh else snapshots.read(panels, user, selection)
    now = timezone.now()
    counted = {}
    for panel in panels:
        if panel.key not in kept:
            figures = panel.compute(user, selection)
            card = render_card(panel, figures, user, selection) if figures is not None else ""
            counted[panel] = (figures, card, now)
    snapshots.write(counted, user, selection)
    result = Dashboard()
    for panel in panels:
        packed = panel.key in kept
        figures, card, at = kept[panel.key] if packed else counted[panel]
        if figures is not None:
            result.add(panel, figures, card, at, packed=packed)
    return result
