"""Dashboard figures kept for a while in the shared cache, so that a start page over a province's
data answers at once: each panel's figures are counted in the database as before, then kept for
``DASHBOARD_FRESH_SECONDS`` (the page says when they were counted, and offers to count again).

A snapshot belongs to what the figures depend on: the panel, the units the user sees and their
roles (the person too, for a ``personal`` panel), the selection (year, unit, dates, sort, today)
and the language. Two office members share one, as do the director and a deputy with the same
scope. The card each panel renders is kept with its figures. The periodic task ``dashboards.tasks.refresh_dashboards`` counts the default selection of
everyone who reads across units before their snapshot gets old, so a leader never waits.
"""

import datetime
import hashlib
import io
import pickle  # nosec B403 # our own figures, in our own cache, as Django's cache pickles

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation
from django.utils.functional import Promise

from org.choices import Role
from org.models import User
from org.scoping import visible_unit_ids

from . import audience


def _key(panel, user, selection):
    scope = ",".join(str(pk) for pk in sorted(visible_unit_ids(user)))
    parts = [
        panel.key, scope, ",".join(sorted(user.roles)), str(user.pk) if panel.personal else "",
        str(selection.round.pk if selection.round else ""), str(selection.unit.pk if selection.unit else ""),
        selection.date_from.isoformat(), selection.date_to.isoformat(), selection.sort, selection.query(sort=None),
        selection.today.isoformat(),
        translation.get_language() or "",
    ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    # Per database: test runs and a benchmark may share one Redis.
    return f"dashboard:{connection.settings_dict['NAME']}:v2:{digest}"  # v2: the figures packed


def _fresh_seconds():
    return settings.DASHBOARD_FRESH_SECONDS


class _Pickler(pickle.Pickler):
    """Labels translated now (the snapshot belongs to one language): a lazy label pickles as the
    function and arguments that make it, and unpickles by building a new lazy class apiece."""

    def reducer_override(self, obj):
        return (str, (str(obj),)) if isinstance(obj, Promise) else NotImplemented


def pack(figures):
    """``figures`` as kept: pickled bytes, read back only when asked for (``unpack``): the page
    needs only the cards, and a province's progress table is 3,000 dicts to rebuild."""
    if figures is None:
        return None
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(figures)
    return out.getvalue()


def unpack(packed):
    return None if packed is None else pickle.loads(packed)  # nosec B301 # written by ``pack``


def read(panels, user, selection):
    """{panel key: (packed figures, card, counted at)} of the snapshots still fresh (one cache
    read)."""
    if _fresh_seconds() <= 0:
        return {}
    keys = {_key(panel, user, selection): panel.key for panel in panels}
    oldest = timezone.now() - datetime.timedelta(seconds=_fresh_seconds())
    return {keys[k]: (v["figures"], v["card"], v["at"]) for k, v in cache.get_many(keys).items() if v["at"] >= oldest}


def write(computed, user, selection):
    """Keep ``computed`` ({panel: (figures, card, counted at)}), one cache write."""
    if _fresh_seconds() <= 0 or not computed:
        return
    cache.set_many({_key(panel, user, selection): {"figures": pack(figures), "card": card, "at": at}
                    for panel, (figures, card, at) in computed.items()}, timeout=2 * _fresh_seconds())


def readers():
    """Active users whose default dashboard is counted ahead: those who read across units."""
    return (User.objects.filter(is_active=True, groups__name__in=(Role.LEADERSHIP, Role.OFFICE, Role.LEADER))
            .distinct().order_by("pk"))


def refresh(users=None):
    """Count the default dashboard of ``users`` (default ``readers()``) afresh and keep it; each
    scope and set of roles once. Returns the number of dashboards counted."""
    from .registry import dashboard, panels_for
    from .selection import Selection

    if _fresh_seconds() <= 0:
        return 0
    seen, counted = set(), 0
    for user in users if users is not None else readers():
        if not audience.anyone_scoped(user):
            continue
        signature = (frozenset(visible_unit_ids(user)), user.roles)
        if signature in seen:
            continue
        seen.add(signature)
        shared = [panel for panel in panels_for(user) if not panel.personal]
        dashboard(user, Selection(user), fresh=True, panels=shared)
        counted += 1
    return counted
