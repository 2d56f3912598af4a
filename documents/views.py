from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from . import registry
from .models import DocumentBuild
from .pdf import pdf_response, render_pdf
from .services import build_latest, build_start, may_have, request_params


class DocumentPdfView(View):
    """A registered document as PDF, for the user's scope (out of scope: 404). A long one
    (over ``DOCUMENT_INLINE_LIMIT`` items) is built in the background: this page offers the
    last build of the same request and a button that asks for a new one."""

    key = None  # set in the URL configuration

    def long(self, request, document, kwargs):
        return document.count is not None and document.count(request.user, request.GET, **kwargs) > settings.DOCUMENT_INLINE_LIMIT

    def get(self, request, **kwargs):
        document = registry.get(self.key)
        if self.long(request, document, kwargs):
            params = request_params(request.GET, kwargs)
            return render(request, "documents/build_start.html", {
                "document": document, "latest": build_latest(user=request.user, key=document.key, params=params)})
        context = document.context(request.user, request.GET, **kwargs)
        key = context.get("cache_key")  # frozen content (a publication): laid out once, not per visitor
        data = cache.get(key) if key else None
        if data is None:
            data = render_pdf(request, document.template, context, landscape=document.landscape,
                              draft=context["draft"], bureau=context.get("bureau"))
            if key:
                cache.set(key, data, timeout=24 * 3600)
        return pdf_response(data, f"{context['filename']}.pdf")

    def post(self, request, **kwargs):
        document = registry.get(self.key)
        if document.count is None:
            raise Http404
        document.count(request.user, request.GET, **kwargs)  # out of scope: 404 before anything is queued
        build = build_start(actor=request.user, key=document.key, params=request_params(request.GET, kwargs))
        return redirect(build)


def _build_for(request, pk):
    """A build its requester follows, or a finished one the user may have; else 404."""
    build = get_object_or_404(DocumentBuild, pk=pk)
    if build.requested_by_id != request.user.pk and not may_have(request.user, build):
        raise Http404
    return build


class BuildView(View):
    """How a build is going; the page polls its progress fragment until the build ends."""

    def get(self, request, pk):
        build = _build_for(request, pk)
        template = "documents/_build_progress.html" if request.headers.get("HX-Request") else "documents/build.html"
        return render(request, template, {"build": build, "document": registry.get(build.key),
                                          "may_have": may_have(request.user, build)})


class BuildFileView(View):
    """The built file, only to a user who sees every unit in it (not even its requester once
    their scope shrank)."""

    def get(self, request, pk):
        build = _build_for(request, pk)
        if not may_have(request.user, build):
            raise PermissionDenied
        return FileResponse(build.file.open("rb"), content_type="application/pdf", filename=build.filename)
