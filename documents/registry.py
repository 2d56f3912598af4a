"""The documents the project prints, by key: what each one reads and how it is laid out.

Another app adds its own with ``register(Document(...))`` in its ``AppConfig.ready`` (the
warning notices do). A document's ``context(user, params, **url_kwargs)`` reads with the
user's scope (a record out of scope is a 404) and returns the template's context plus:

- ``item_count``: how many items it prints;
- ``unit_ids``: the units whose items it holds (a kept file is served only to a user who sees
  every one of them);
- ``draft``: whether anything on it is not yet accepted or published (the 草稿 watermark);
- ``filename``: the download's name, without ``.pdf``;
- ``cache_key`` (optional): for frozen content, the PDF is laid out once per key and day.
"""

from dataclasses import dataclass
from typing import Callable

from django.http import Http404


@dataclass(frozen=True)
class Document:
    key: str
    title: object
    template: str
    context: Callable
    landscape: bool = False
    # count(user, params, **url_kwargs): how many items, read cheaply; over the limit the PDF
    # is built in the background. None: always built while the user waits (a single item).
    count: Callable | None = None


_documents = {}


def register(document):
    _documents[document.key] = document
    return document


def get(key):
    try:
        return _documents[key]
    except KeyError:
        raise Http404(key) from None


def documents():
    return list(_documents.values())
