from django.shortcuts import render
from django.views.decorators.http import require_GET

from review.views import home_context

from .registry import dashboard
from .selection import Selection


@require_GET
def home(request):
    """The start page: the user's dashboard (the panels their role sees, for the year, unit and
    dates chosen in the query string), then what waits for their action. The figures may come
    from a snapshot a few minutes old (the page says when they were counted); ``refresh=1``
    counts them again."""
    selection = Selection(request.user, request.GET)
    return render(request, "dashboards/home.html", {
        **home_context(request.user),
        "selection": selection,
        "selection_query": selection.query(sort=None),
        "refresh_query": selection.query(refresh=1),
        "dashboard": dashboard(request.user, selection, fresh=request.GET.get("refresh") == "1"),
    })
