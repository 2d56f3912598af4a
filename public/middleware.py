"""A missing page on the public site is answered by the public site's own 404 page.

Visitors never see the internal layout (its menu and sign-in) or, with DEBUG on, Django's
technical page listing the URL patterns: any ``Http404`` under ``/public/`` — an unknown code,
a withdrawn publication, an unknown address (the URLconf's catch-all) — ends here.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

PREFIX = "/public/"


class PublicNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and request.path.startswith(PREFIX):
            return render(request, "public/404.html", status=404)
        return None


@login_not_required
def not_found(request, rest=""):
    """The URLconf's catch-all under /public/: an unknown address is a public 404 too."""
    raise Http404
