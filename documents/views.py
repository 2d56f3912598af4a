from django.views import View

from . import registry
from .pdf import pdf_response, render_pdf


class DocumentPdfView(View):
    """A registered document as PDF, for the user's scope (out of scope: 404)."""

    key = None  # set in the URL configuration

    def get(self, request, **kwargs):
        document = registry.get(self.key)
        context = document.context(request.user, request.GET, **kwargs)
        data = render_pdf(request, document.template, context, landscape=document.landscape,
                          draft=context["draft"], bureau=context.get("bureau"))
        return pdf_response(data, f"{context['filename']}.pdf")
