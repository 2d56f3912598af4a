from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from org.inputs import parse_ids

from .services import notifications_mark_read


@require_GET
def inbox(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"page_obj": page})


@require_POST
def mark_read(request):
    # No id marks everything read; ids that are not ids mark nothing.
    raw = request.POST.getlist("id")
    ids = parse_ids(raw) if raw else None
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("notices:inbox")
