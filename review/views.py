"""Pages shared by every reviewable model: 待我处理, workflow steps, history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from org.inputs import parse_ids

from . import registry
from .choices import Action, Status
from .forms import TransitionForm
from .history import history_entries
from .services import WorkflowError, review_trail, review_transition, review_transition_many
from .workflow import EDITOR, OFFICE, TRANSITIONS, available_transitions, may_edit, pending_q


def review_context(user, item):
    """What a detail page needs to show an item's trail and the steps the user may take."""
    transitions = available_transitions(user, item)
    return {
        "trail": review_trail(item),
        "may_edit": may_edit(user, item),
        "transitions": [(t, TransitionForm.for_action(t.action, prefix=t.action)) for t in transitions],
    }


@require_GET
def home(request):
    """The user's start page: what waits for their action, per kind of item."""
    user = request.user
    groups = []
    for model in registry.reviewable_models():
        qs = (
            model.objects.for_user(user)
            .filter(pending_q(user, model.scope_unit_field))
            .select_related("unit", "submitted_by")
            .order_by("submitted_at", "pk")
        )
        groups.append({"model": model._meta, "items": qs[:50], "count": qs.count()})
    notes = user.notifications.filter(read_at__isnull=True)[:5]
    return render(request, "review/home.html", {"groups": groups, "notes": notes})


class TransitionView(View):
    """POST one workflow step for an item in the user's scope, then go back to the item."""

    model = None
    http_method_names = ["post"]

    def post(self, request, pk, action):
        item = get_object_or_404(self.model.objects.for_user(request.user), pk=pk)
        if action not in TRANSITIONS:
            raise Http404
        form = TransitionForm.for_action(action, request.POST, prefix=action)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors[0])
            return redirect(item)
        try:
            review_transition(item=item, action=action, actor=request.user, **form.cleaned_data)
        except WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已%(action)s：%(item)s") % {"action": TRANSITIONS[action].label, "item": item})
        return redirect(item)


class HistoryView(View):
    """Every recorded change of an item and of its child rows, newest first."""

    model = None
    children = ()  # (historical manager of the child model, lookup to the parent)
    template_name = "review/history.html"

    def get(self, request, pk):
        item = get_object_or_404(self.model.objects.for_user(request.user), pk=pk)
        records = list(item.history.select_related("history_user").order_by("-history_date", "-history_id")[:200])
        for child_model, lookup in (*self.children, *registry.history_children(self.model)):
            records += list(
                child_model.history.filter(**{lookup: item.pk}).select_related("history_user")
                .order_by("-history_date", "-history_id")[:200]
            )
        records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
        page = Paginator(history_entries(records, title=self.entry_title), 30).get_page(request.GET.get("page"))
        return render(request, self.template_name, {"object": item, "page_obj": page, "opts": self.model._meta})

    def entry_title(self, record):
        return str(record.instance_type._meta.verbose_name)


class CompileView(View):
    """The office's compiled catalogue (汇总编制): accepted items bureau-wide, filed and published
    together."""

    model = None
    template_name = "review/compile.html"
    http_method_names = ["get", "post"]

    def items(self, request):
        if not OFFICE.units(request.user):
            raise PermissionDenied(_("只有防控办可以汇总编制。"))
        return (
            self.model.objects.for_user(request.user).filter(status=Status.ACCEPTED)
            .select_related("unit").order_by("unit__order", "code")
        )

    def get(self, request):
        return render(request, self.template_name, {
            "items": self.items(request), "opts": self.model._meta,
            "file_form": TransitionForm.for_action(Action.FILE, prefix="file"),
        })

    def post(self, request):
        action = request.POST.get("action")
        if action not in (Action.FILE, Action.PUBLISH):
            raise Http404
        chosen = list(self.items(request).filter(pk__in=parse_ids(request.POST.getlist("item"))))
        form = TransitionForm.for_action(action, request.POST, prefix="file")
        if not chosen:
            messages.error(request, _("请至少选择一项。"))
        elif form.is_valid():
            try:
                review_transition_many(items=chosen, action=action, actor=request.user, **form.cleaned_data)
            except WorkflowError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已对 %(n)d 项执行“%(action)s”。") % {"n": len(chosen), "action": TRANSITIONS[action].label})
        return redirect(request.path)


def editable_or_new(request, model, pk=None):
    """The item ``pk`` if the user may edit it now — 404 outside their scope, 403 in scope but
    not editable (state or role) — or, without ``pk``, a new item if they may create any."""
    kind = model._meta.verbose_name
    if pk is None:
        if not EDITOR.units(request.user):
            raise PermissionDenied(_("您没有新建%(kind)s的权限。") % {"kind": kind})
        return model()
    item = get_object_or_404(model.objects.for_user(request.user), pk=pk)
    if not may_edit(request.user, item):
        raise PermissionDenied(_("该%(kind)s当前状态为“%(status)s”，您不能修改。") % {
            "kind": kind, "status": item.get_status_display()})
    return item
