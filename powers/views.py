from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from org.imports import ImportStatusView as BaseImportStatusView
from org.inputs import parse_int
from org.sheets import xlsx_response
from review.printing import printed
from review.services import StaleEdit, WorkflowError
from review.views import CompileView, HistoryView, TransitionView, editable_or_new, review_context
from review.workflow import EDITOR

from .filters import PowerItemFilter
from .flowchart import FlowchartError, render_flow_svg
from .flows import flow_checks, flow_problems, statutory_total
from .hooks import detail_sections, step_legend, step_styles
from .forms import CatalogueImportForm, FlowEdgeForm, FlowStepForm, LegalBasisFormSet, PowerItemForm, legal_basis_rows
from .models import CatalogueImport, FlowEdge, FlowStep, LegalBasis, PowerItem
from .xlsx import COLUMNS as XLSX_COLUMNS, STEP_COLUMNS, catalogue_import_start, catalogue_workbook, template_workbook
from .services import (
    flow_edge_add, flow_edge_delete, flow_step_delete, flow_step_move, flow_step_save, power_create, power_update,
)


class PowerListView(FilterView):
    filterset_class = PowerItemFilter
    template_name = "powers/poweritem_list.html"
    paginate_by = settings.PAGINATE_BY

    def get_queryset(self):
        return PowerItem.objects.for_user(self.request.user).select_related("unit").order_by("code")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_create": bool(EDITOR.units(self.request.user))}


class PowerDetailView(DetailView):
    template_name = "powers/poweritem_detail.html"
    extra_context = {"transition_url_name": "powers:transition", "snapshot_template": "powers/snapshot.html"}

    def get_queryset(self):
        return PowerItem.objects.for_user(self.request.user).select_related("unit", "submitted_by").prefetch_related(
            Prefetch("posts"), Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("order", "pk"))
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **review_context(self.request.user, self.object),
                **flow_context(self.object, self.request.user),
                "power_sections": detail_sections(self.object, self.request.user)}


class PowerEditView(View):
    """Create (no pk) or edit a power item with its legal bases."""

    template_name = "powers/poweritem_form.html"

    def get_power(self, request, pk):
        return editable_or_new(request, PowerItem, pk)

    def render_form(self, request, power, form, formset):
        return render(request, self.template_name, {"object": power if power.pk else None, "form": form, "formset": formset})

    def get(self, request, pk=None):
        power = self.get_power(request, pk)
        form = PowerItemForm(instance=power, user=request.user)
        return self.render_form(request, power, form, LegalBasisFormSet(instance=power, prefix="bases"))

    def post(self, request, pk=None):
        power = self.get_power(request, pk)
        form = PowerItemForm(request.POST, instance=power, user=request.user)
        formset = LegalBasisFormSet(request.POST, instance=power, prefix="bases")
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("保存失败，请按提示修改后再提交。"))
            return self.render_form(request, power, form, formset)
        try:
            if power.pk:
                power = power_update(
                    power=power, actor=request.user, lock_version=form.cleaned_data["lock_version"],
                    data=form.cleaned_data, legal_bases=legal_basis_rows(formset),
                )
            else:
                power = power_create(actor=request.user, data=form.cleaned_data, legal_bases=legal_basis_rows(formset))
        except (StaleEdit, WorkflowError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "message", None) or str(exc))
            return self.render_form(request, power, form, formset)
        messages.success(request, _("已保存：%(power)s") % {"power": power})
        for advice in power.time_limit_warnings:
            messages.warning(request, advice)
        return redirect(power)


class PowerTransitionView(TransitionView):
    model = PowerItem


class PowerHistoryView(HistoryView):
    model = PowerItem
    children = ((LegalBasis, "power_id"), (FlowStep, "power_id"), (FlowEdge, "power_id"))


class PowerCompileView(CompileView):
    model = PowerItem


# --- the process flow -------------------------------------------------------------------------

def flow_context(power, user, snapshot=None):
    """The drawing, the statutory total and the rule breaches of a power's flow (of
    ``snapshot``, a frozen revision, else the current one), with the per-step markers that
    higher apps provide (risk points, for one)."""
    data = power.flow if snapshot is None else snapshot["flow"]
    title = str(power) if snapshot is None else (
        snapshot["name"] + (f"（{snapshot['sub_item']}）" if snapshot["sub_item"] else ""))
    styles = step_styles(power, user)
    context = {"flow": data, "flow_problems": flow_problems(data) if data["steps"] else [],
               "flow_legend": step_legend() if styles else [],
               "flow_total": statutory_total(data), "flow_svg": "", "flow_error": ""}
    try:
        # render_flow_svg escapes every text and attribute it writes.
        context["flow_svg"] = mark_safe(render_flow_svg(data, styles=styles, title=title))  # nosec B308 B703
    except FlowchartError as exc:
        context["flow_error"] = str(exc)
    return context


class FlowPrintView(View):
    """The flowchart and its table of steps as paper (the same template makes its PDF): the
    accepted or published revision, or the draft with its mark."""

    def get(self, request, pk):
        power = get_object_or_404(PowerItem.objects.for_user(request.user).select_related("unit", "published_record"), pk=pk)
        power_print, draft = printed(power)
        return render(request, "documents/flowchart.html", {
            "object": power, "power": power_print, "draft": draft,
            **flow_context(power, request.user, power_print)})


def render_editor(request, power, step_form=None, edge_form=None, editing=None):
    """The flow editor page; the operation views render it again when their form has errors."""
    return render(request, "powers/flow_editor.html", {
        "object": power, "editing": editing, **flow_context(power, request.user),
        **checklist_context(power.flow),
        "steps": power.steps.select_related("handler_unit", "handler_post").order_by("order", "pk"),
        "edges": power.edges.select_related("source", "target").order_by("pk"),
        "step_form": step_form or FlowStepForm(power=power, user=request.user, instance=editing),
        "edge_form": edge_form or FlowEdgeForm(power=power),
    })


def checklist_context(data):
    checks = flow_checks(data)
    return {"flow_checks": checks, "flow_missing": [c["label"] for c in checks if c["required"] and not c["ok"]]}


def flow_step_of(power, params):
    """The step of this flow that ``params`` names; 404 for any other value."""
    return get_object_or_404(power.steps, pk=parse_int(params.get("step")))


class FlowEditorView(View):
    """Edit a power's flow: the drawing with its checklist, the steps, the links and the step
    form. Every change is one of the POST-only operation views below."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, pk):
        power = editable_or_new(request, PowerItem, pk)
        editing = flow_step_of(power, request.GET) if request.GET.get("step") else None
        return render_editor(request, power, editing=editing)


class FlowOperationView(View):
    """One change of a flow: calls one service with the power's lock version (so a flow edited
    in two tabs refuses the stale one) and returns to the editor with a message."""

    http_method_names = ["post"]

    def post(self, request, pk):
        power = editable_or_new(request, PowerItem, pk)
        lock = parse_int(request.POST.get("lock_version"), min_value=0)  # None is refused as stale
        try:
            response = self.operate(request, power, lock)
        except WorkflowError as exc:
            messages.error(request, exc.message)
            response = None
        return response or redirect("powers:flow", power.pk)

    def operate(self, request, power, lock):
        """Change the flow and add a message; return a response only to show a form's errors."""
        raise NotImplementedError


class FlowStepSaveView(FlowOperationView):
    """Add a step (joined after the step the form names) or change one."""

    def operate(self, request, power, lock):
        editing = flow_step_of(power, request.POST) if request.POST.get("step") else None
        form = FlowStepForm(request.POST, power=power, user=request.user, instance=editing)
        if not form.is_valid():
            return render_editor(request, power, step_form=form, editing=editing)
        join = {} if editing else {"after": form.cleaned_data["after"], "label": form.cleaned_data["after_label"]}
        step = flow_step_save(power=power, actor=request.user, lock_version=lock, data=form.cleaned_data, step=editing, **join)
        if join.get("after"):
            messages.success(request, _("已添加环节“%(step)s”，接在“%(after)s”之后。") % {"step": step, "after": join["after"]})
        else:
            messages.success(request, _("已保存环节“%(step)s”。") % {"step": step})


class FlowStepDeleteView(FlowOperationView):
    def operate(self, request, power, lock):
        step = flow_step_of(power, request.POST)
        flow_step_delete(power=power, actor=request.user, lock_version=lock, step=step)
        messages.success(request, _("已删除环节“%(step)s”及其连线。") % {"step": step})


class FlowStepMoveView(FlowOperationView):
    offset = None  # -1 up, +1 down: set in the URL configuration

    def operate(self, request, power, lock):
        step = flow_step_of(power, request.POST)
        flow_step_move(power=power, actor=request.user, lock_version=lock, step=step, offset=self.offset)


class FlowEdgeAddView(FlowOperationView):
    def operate(self, request, power, lock):
        form = FlowEdgeForm(request.POST, power=power)
        if not form.is_valid():
            return render_editor(request, power, edge_form=form)
        flow_edge_add(power=power, actor=request.user, lock_version=lock, **{
            k: form.cleaned_data[k] for k in ("source", "target", "label")})
        messages.success(request, _("已添加连线。"))


class FlowEdgeDeleteView(FlowOperationView):
    def operate(self, request, power, lock):
        edge = get_object_or_404(power.edges, pk=parse_int(request.POST.get("edge")))
        flow_edge_delete(power=power, actor=request.user, lock_version=lock, edge=edge)
        messages.success(request, _("已删除连线。"))


# --- Excel ---------------------------------------------------------------------------------------

class ExportView(View):
    """The catalogue exactly as filtered on the list page, as .xlsx (the import's columns)."""

    def get(self, request):
        qs = PowerItem.objects.for_user(request.user).select_related("unit").prefetch_related(
            "legal_bases", "steps__out_edges")
        f = PowerItemFilter(data=request.GET, queryset=qs, user=request.user)
        return xlsx_response(catalogue_workbook(list(f.qs.order_by("code"))), f"power-catalogue-{timezone.localdate():%Y%m%d}.xlsx")


class ImportTemplateView(View):
    def get(self, request):
        return xlsx_response(template_workbook(), "power-catalogue-template.xlsx")


class ImportView(View):
    """Upload the bureau's catalogue sheet: it is queued for checking (both sheets, every row)
    and importing as drafts, and the user follows it on its page."""

    def page(self, request, form, status=200):
        if not EDITOR.units(request.user):
            raise PermissionDenied(_("您没有登记职权的权限。"))
        return render(request, "powers/import.html", {
            "form": form, "columns": XLSX_COLUMNS, "step_columns": STEP_COLUMNS,
            "recent": CatalogueImport.objects.filter(created_by=request.user)[:5]}, status=status)

    def get(self, request):
        return self.page(request, CatalogueImportForm())

    def post(self, request):
        self.page(request, None)  # the permission check first
        form = CatalogueImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form, status=400)
        return redirect(catalogue_import_start(actor=request.user, file=form.cleaned_data["file"]))


class ImportStatusView(BaseImportStatusView):
    """How a catalogue import is going; the page polls its progress until the import ends."""

    model = CatalogueImport
