from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_POST

from org.inputs import parse_ids

from .forms import EmailPreferenceForm
from .services import email_preference, email_preference_save, notifications_mark_read


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


class PreferencesView(View):
    """Which kinds of message the user also gets by email, and whether as a daily digest."""

    def get(self, request):
        pref = email_preference(request.user)
        form = EmailPreferenceForm(initial={"email_kinds": pref.email_kinds, "daily_digest": pref.daily_digest})
        return render(request, "notices/preferences.html", {"form": form})

    def post(self, request):
        form = EmailPreferenceForm(request.POST)
        if form.is_valid():
            email_preference_save(user=request.user, **form.cleaned_data)
            messages.success(request, _("邮件提醒设置已保存。"))
            return redirect("notices:preferences")
        return render(request, "notices/preferences.html", {"form": form})
