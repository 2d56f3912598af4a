"""How apps above the public site learn that a publication was released, without it importing them.

``on_release(listener)``: ``listener(publication_id)`` runs after the transaction that released
the publication (a first release or a new version) has committed, so that it never sees a
release that was rolled back. The open-data app builds the bulk downloads this way.

``add_links(provider)``: links shown on the public pages of a record (see below).
"""

from django.db import transaction

_listeners = []


def on_release(listener):
    if listener not in _listeners:
        _listeners.append(listener)


def released(publication):
    for listener in _listeners:
        transaction.on_commit(lambda listener=listener: listener(publication.pk))


_link_providers = []


def add_links(provider):
    """``provider(obj)`` returns links to show with a public record: ``obj`` is a publication
    entry or a publication; each link is ``{"label", "url"}`` (the same record in the open-data
    API, its downloads)."""
    if provider not in _link_providers:
        _link_providers.append(provider)


def links(obj):
    return [link for provider in _link_providers for link in provider(obj)]
