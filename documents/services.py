"""Building long documents in the background, keeping them, and who may have them."""

import hashlib
import json
import logging
from datetime import timedelta
from urllib.parse import urlencode

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from org.scoping import visible_unit_ids

from . import registry
from .models import BuildState, DocumentBuild
from .pdf import html_to_pdf, layout_digest, render_html

logger = logging.getLogger(__name__)


def request_params(query, url_kwargs):
    """What a document request asks, as plain data: the query's pairs and the URL's ids."""
    pairs = sorted([key, value] for key, values in query.lists() for value in values)
    return {"query": pairs, "kwargs": {k: int(v) for k, v in sorted(url_kwargs.items())}}


def fingerprint(user, key, params):
    """One request by one scope: the same document asked by users who see the same units."""
    data = {"key": key, "params": params, "units": sorted(visible_unit_ids(user))}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def may_have(user, build):
    """A built file goes only to a user who sees every unit whose items are in it."""
    return build.state == BuildState.DONE and set(build.unit_ids) <= set(visible_unit_ids(user))


def build_latest(*, user, key, params):
    return DocumentBuild.objects.filter(scope=fingerprint(user, key, params), key=key).first()


def build_start(*, actor, key, params):
    """Queue a build of document ``key`` for ``actor``; returns the ``DocumentBuild``."""
    registry.get(key)  # an unknown document is a 404 before anything is stored
    from .tasks import run_document_build  # the task module imports this one

    with transaction.atomic():
        build = DocumentBuild.objects.create(key=key, params=params, scope=fingerprint(actor, key, params),
                                             requested_by=actor)
        transaction.on_commit(lambda: run_document_build.delay(build.pk))
    return build


def _progress(build, percent, **fields):
    DocumentBuild.objects.filter(pk=build.pk).update(progress=percent, **fields)


def build_run(*, build_id):
    """Read, lay out and keep one document; runs once per build (a redelivered task finds it
    claimed). A content hash equal to an earlier build's reuses that file. Whatever happens,
    the build ends done or failed with its reason."""
    claimed = DocumentBuild.objects.filter(pk=build_id, state=BuildState.QUEUED).update(state=BuildState.RUNNING)
    if not claimed:
        return None
    build = DocumentBuild.objects.select_related("requested_by__unit").get(pk=build_id)
    outcome = {"state": BuildState.FAILED}
    try:
        document = registry.get(build.key)
        query = QueryDict(urlencode(build.params["query"]))
        context = document.context(build.requested_by, query, **build.params["kwargs"])
        _progress(build, 20, unit_ids=context["unit_ids"], filename=f"{context['filename']}.pdf")
        html, extra = render_html(build.requested_by, document.template, context, landscape=document.landscape,
                                  draft=context["draft"], bureau=context.get("bureau"))
        digest = layout_digest(html, extra)
        _progress(build, 40, content_hash=digest)
        kept = (DocumentBuild.objects.filter(key=build.key, content_hash=digest, state=BuildState.DONE)
                .exclude(file="").exclude(pk=build.pk).first())
        if kept:
            outcome.update(file=kept.file.name, page_count=kept.page_count)
        else:
            data, pages = html_to_pdf(html, extra, pages=True)
            build.file.save(f"{build.pk}.pdf", ContentFile(data), save=False)
            outcome.update(file=build.file.name, page_count=pages)
        outcome.update(state=BuildState.DONE, progress=100)
    except Http404:
        outcome["error"] = _("所要的内容已删除，或已不在您的范围内。")
    except SoftTimeLimitExceeded:
        outcome["error"] = _("生成超时：文档太长。请按单位或类别筛选后分别生成。")
    except Exception as exc:
        logger.exception("document build %s failed", build_id)
        outcome["error"] = _("生成时出错（%(kind)s），请稍后重试；仍不行请联系系统管理员。") % {"kind": type(exc).__name__}
    finally:
        DocumentBuild.objects.filter(pk=build.pk).update(finished_at=timezone.now(), **outcome)
        builds_purge()
    return outcome["state"]


def builds_purge(*, now=None):
    """Forget builds older than ``DOCUMENT_KEEP_DAYS``; a file goes when no build keeps it."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.DOCUMENT_KEEP_DAYS)
    old = list(DocumentBuild.objects.filter(created_at__lt=cutoff))
    names = {b.file.name for b in old if b.file}
    DocumentBuild.objects.filter(pk__in=[b.pk for b in old]).delete()
    from django.core.files.storage import default_storage

    for name in names - set(DocumentBuild.objects.filter(file__in=names).values_list("file", flat=True)):
        default_storage.delete(name)
