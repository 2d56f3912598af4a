"""Pages shared by every reviewable model: 待我处理, workflow steps, history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from org.inputs import parse_ids

from . import registry
from .choices import Action, Status
from .forms import TransitionForm, offer_publication
from .history import history_entries, history_page_records, history_union
from .services import WorkflowError, review_delete, review_trail, review_transition, review_transition_many
from .workflow import (
    EDITOR, OFFICE, TRANSITIONS, available_transitions, delete_refusal, may_edit, pending_branches, pending_count,
    refusal, waiting_for,
)


def review_context(user, item):
    """What a detail page needs to show an item's trail and the steps the user may take, why
    it was returned, who acts next, and whether and where the public sees it."""
    transitions = available_transitions(user, item)
    trail = list(review_trail(item))
    publisher = registry.publisher(type(item))
    forms = []
    for t in transitions:
        form = TransitionForm.for_action(t.action, prefix=t.action)
        if t.action == Action.PUBLISH:
            target = publisher.target(item) if publisher else None
            offer_publication(form, [target] if target else [])
        forms.append((t, form))
    returned = next((r for r in reversed(trail) if r.to_status == Status.RETURNED), None)
    may_delete = delete_refusal(user, item) is None
    return {
        "trail": trail,
        "may_edit": may_edit(user, item),
        "transitions": forms,
        "last_return": returned if item.status == Status.RETURNED else None,
        "waiting_for": waiting_for(item),
        # Never published: not public either, and no need to ask.
        "public_presence": publisher.presence(item) if publisher and item.published_record_id else None,
        "shows_presence": publisher is not None,
        "user_is_office": bool(OFFICE.units(user)),
        "delete_url": reverse(f"{item._meta.app_label}:delete", args=[item.pk]) if may_delete else "",
    }


def transition_message(item, transition):
    """What the user is told after a step: what happened, and who acts next or whether the
    public now sees the item."""
    message = _("已%(action)s：%(item)s") % {"action": transition.label, "item": item}
    who = waiting_for(item)
    if who and transition.action != Action.FILE:
        message = _("已%(action)s，等待 %(who)s：%(item)s") % {"action": transition.label, "who": who, "item": item}
    if transition.action == Action.PUBLISH:
        publisher = registry.publisher(type(item))
        presence = publisher.presence(item) if publisher else None
        if presence and presence["revision"] == item.revision:
            message += _("。公众现在可以在公示《%(pub)s》中看到。") % {"pub": presence["publication"]}
        else:
            message += _("。尚未公示：公众要在公示网站看到，须将其加入公示（公示管理）。")
    return message


PENDING_SHOWN = 50


def pending_first(queryset, branches, limit=PENDING_SHOWN):
    """The first ``limit`` items of ``queryset`` matching any of ``branches``, by submission time
    (then id), as ``filter(any branch).order_by("submitted_at", "pk")[:limit]`` would give
    them: each branch read in the order of the (status, submitted_at) index, stopping at
    ``limit``, and the reads merged; never a sort of every item waiting (60,000 at a
    province's office)."""
    nulls_last = connection.features.nulls_order_largest  # where the database puts "never submitted"

    def key(item):
        return ((item.submitted_at is None) == nulls_last, item.submitted_at, item.pk)

    items = [item for branch in branches for item in queryset.filter(branch).order_by("submitted_at", "pk")[:limit]]
    return sorted(items, key=key)[:limit]


def home_context(user):
    """What waits for ``user``'s action, per kind of item, their unread messages and the other
    apps' home panels: the top of the start page (the dashboard app renders it)."""
    groups = []
    for model in registry.reviewable_models():
        qs = model.objects.for_user(user).select_related("unit", "submitted_by")
        branches = pending_branches(user, model.scope_unit_field)
        count = pending_count(user, qs, model.scope_unit_field, tallies=registry.tallies(model, user)) if branches else 0
        groups.append({"model": model._meta, "items": pending_first(qs, branches) if count else [], "count": count})
    notes = user.notifications.filter(read_at__isnull=True)[:5]
    return {"groups": groups, "notes": notes, "panels": registry.home_panels(user)}


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
            item.refresh_from_db()
            messages.success(request, transition_message(item, TRANSITIONS[action]))
        return redirect(item)


class HistoryView(View):
    """Every recorded change of an item and of its child rows, newest first."""

    model = None
    children = ()  # (historical manager of the child model, lookup to the parent)
    template_name = "review/history.html"
    paginate_by = 30

    def get(self, request, pk):
        item = get_object_or_404(self.model.objects.for_user(request.user), pk=pk)
        sources = [item.history.all()] + [
            child_model.history.filter(**{lookup: item.pk})
            for child_model, lookup in (*self.children, *registry.history_children(self.model))
        ]
        page = Paginator(history_union(sources), self.paginate_by).get_page(request.GET.get("page"))
        page.object_list = history_entries(history_page_records(sources, page.object_list), title=self.entry_title)
        return render(request, self.template_name, {"object": item, "page_obj": page, "opts": self.model._meta})

    def entry_title(self, record):
        return str(record.instance_type._meta.verbose_name)


class CompileView(View):
    """The office's compiled catalogue (汇总编制): items bureau-wide that wait for the office,
    accepted, filed and published together, all or nothing. Publishing asks for confirmation
    on a page of its own, which also offers to add the items to their current publications."""

    model = None
    template_name = "review/compile.html"
    confirm_template_name = "review/compile_confirm.html"
    http_method_names = ["get", "post"]
    states = (Status.ACCEPTED,)  # the states listed
    actions = (Action.FILE, Action.PUBLISH)  # the batch steps offered

    def items(self, request):
        if not OFFICE.units(request.user):
            raise PermissionDenied(_("只有防控办可以汇总编制。"))
        return (
            self.model.objects.for_user(request.user).filter(status__in=self.states)
            .select_related("unit").order_by("status", "unit__order", "code")
        )

    def get(self, request):
        return render(request, self.template_name, {
            "items": self.items(request), "opts": self.model._meta, "actions": self.actions,
            "several_states": len(self.states) > 1,
            "file_form": TransitionForm.for_action(Action.FILE, prefix="file"),
        })

    def post(self, request):
        action = request.POST.get("action")
        if action not in self.actions:
            raise Http404
        chosen = list(self.items(request).filter(pk__in=parse_ids(request.POST.getlist("item"))))
        form = TransitionForm.for_action(action, request.POST, prefix="publish" if action == Action.PUBLISH else "file")
        if not chosen:
            messages.error(request, _("请至少选择一项。"))
        elif action == Action.PUBLISH and request.POST.get("confirmed") != "1":
            return self.confirm(request, chosen)
        elif form.is_valid():
            try:
                review_transition_many(items=chosen, action=action, actor=request.user, **form.cleaned_data)
            except WorkflowError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, self.done_message(chosen, TRANSITIONS[action]))
        return redirect(request.path)

    def confirm(self, request, chosen):
        """The step before publishing: what will be published, what is refused, and which
        current publications would get a new version."""
        transition = TRANSITIONS[Action.PUBLISH]
        publisher = registry.publisher(self.model)
        rows, targets = [], {}
        for item in chosen:
            target = publisher.target(item) if publisher else None
            if target is not None:
                targets.setdefault(target.pk, target)
            rows.append((item, refusal(request.user, item, transition), target))
        form = offer_publication(TransitionForm.for_action(Action.PUBLISH, prefix="publish"), list(targets.values()))
        return render(request, self.confirm_template_name, {
            "rows": rows, "form": form, "opts": self.model._meta, "refused": any(r for _i, r, _t in rows),
        })

    def done_message(self, chosen, transition):
        message = _("已对 %(n)d 项执行“%(action)s”。") % {"n": len(chosen), "action": transition.label}
        if transition.action != Action.PUBLISH:
            return message
        publisher = registry.publisher(self.model)
        shown = [p for p in (publisher.presence(i) for i in chosen) if p] if publisher else []
        titles = "、".join(sorted({f"《{p['publication']}》" for p in shown}))
        if len(shown) == len(chosen):
            return message + _("公众现在可以在公示%(titles)s中看到。") % {"titles": titles}
        return message + _("其中 %(n)d 项尚未公示：公众要在公示网站看到，须将其加入公示（公示管理）。") % {
            "n": len(chosen) - len(shown)}


class DeleteView(View):
    """Delete a draft that was never submitted, after a confirmation page."""

    model = None
    template_name = "review/confirm_delete.html"

    def get_item(self, request, pk):
        item = get_object_or_404(self.model.objects.for_user(request.user), pk=pk)
        reason = delete_refusal(request.user, item)
        if reason:
            raise PermissionDenied(reason)
        return item

    def get(self, request, pk):
        return render(request, self.template_name, {"object": self.get_item(request, pk), "opts": self.model._meta})

    def post(self, request, pk):
        item = self.get_item(request, pk)
        try:
            review_delete(item=item, actor=request.user)
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(item)
        messages.success(request, _("已删除草稿：%(item)s") % {"item": item})
        return redirect(f"{self.model._meta.app_label}:list")


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
