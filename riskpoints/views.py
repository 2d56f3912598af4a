from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from org.choices import Role
from org.inputs import parse_int, search_term
from org.models import Post, Unit
from org.scoping import office_bureau, user_bureau, visible_unit_ids
from org.services import post_mark_key
from review.services import WorkflowError
from review.history import display_value
from review.choices import Action, Status
from review.views import CompileView, DeleteView, HistoryView, TransitionView, editable_or_new, review_context
from review.workflow import EDITOR, OFFICE

from .choices import FACTORS, ExportState
from .exports import export_filter, export_in_request, register_export_start
from .filters import RiskPointFilter
from .forms import ImportForm, RiskPointForm, RubricForm
from .models import AssessmentRubric, RegisterExport, RegisterImport, RiskPoint
from .paper import unit_table_rows
from .selectors import current_round, register_counts, register_for, register_page
from .services import risk_carry_decide, risk_create, risk_update, rubric_for, rubric_save
from .xlsx import COLUMNS, register_import_start, register_workbook, template_workbook, xlsx_response

# The plan and its measures belong to the controls app above this one; pages here only read
# them through the relation, by name.
PLAN_PREFETCH = ("plan__measures__responsible", "plan__measures__supervisor", "plan__measures__evidence",
                 "plan__direct_responsible", "plan__department_responsible", "plan__leader_responsible")


class RiskListView(FilterView):
    """The risk register (廉政风险点登记), filtered, counted by level.

    Pages are read by keyset (``org.keyset``) in the chosen order with the code last, and the
    counts come from the database's tallies (``register_counts``): no page scans the register.
    """

    filterset_class = RiskPointFilter
    template_name = "riskpoints/riskpoint_list.html"

    def get_queryset(self):
        return register_for(self.request.user).select_related("unit", "post", "power", "step").order_by("code")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user,
                "current_round": current_round(self.request.user)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = register_counts(context["filter"])
        context["page"] = register_page(context["filter"], self.request.GET)
        context["may_create"] = bool(EDITOR.units(self.request.user))
        context["is_office"] = bool(OFFICE.units(self.request.user))
        return context


class RiskDetailView(DetailView):
    template_name = "riskpoints/riskpoint_detail.html"
    extra_context = {"transition_url_name": "riskpoints:transition", "snapshot_template": "riskpoints/snapshot.html"}

    def get_queryset(self):
        return RiskPoint.objects.for_user(self.request.user).select_related(
            "unit", "post", "power", "step", "round", "submitted_by", "previous").prefetch_related(*PLAN_PREFETCH)

    def get_context_data(self, **kwargs):
        risk = self.object
        factors = [(FACTORS[name][0], value, FACTORS[name][1][value]) for name, value in risk.factors.items()]
        return {
            **super().get_context_data(**kwargs), **review_context(self.request.user, risk),
            "factors": factors, "plan": getattr(risk, "plan", None), "measure_states": measure_states(),
            "changes_since_last_year": changes_since(risk.previous, risk) if risk.previous_id else [],
        }


def measure_states():
    """The states a measure can be in, read through the relation (the model lives above us)."""
    plan = RiskPoint._meta.get_field("plan").related_model
    return plan._meta.get_field("measures").related_model._meta.get_field("state").choices


def changes_since(old, new):
    """Field by field, what a carried-over risk point changed against last year's."""
    names = ("post", "power", "step", "kind", "title", "description", "importance", "discretion",
             "probability", "harm", "level", "level_reason")
    changes = []
    for field in (RiskPoint._meta.get_field(name) for name in names):
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before != after:
            changes.append((field.verbose_name, display_value(RiskPoint, field.name, before),
                            display_value(RiskPoint, field.name, after)))
    return changes


class RiskEditView(View):
    template_name = "riskpoints/riskpoint_form.html"

    def get_risk(self, request, pk):
        return editable_or_new(request, RiskPoint, pk)

    def render_form(self, request, risk, form):
        return render(request, self.template_name, {"object": risk if risk.pk else None, "form": form})

    def get(self, request, pk=None):
        risk = self.get_risk(request, pk)
        initial = {k: parse_int(request.GET.get(k)) for k in ("power", "step", "unit", "post")}
        initial = {k: v for k, v in initial.items() if v is not None}
        return self.render_form(request, risk, RiskPointForm(instance=risk, user=request.user, initial=initial))

    def post(self, request, pk=None):
        risk = self.get_risk(request, pk)
        form = RiskPointForm(request.POST, instance=risk, user=request.user)
        if not form.is_valid():
            messages.error(request, _("保存失败，请按提示修改后再提交。"))
            return self.render_form(request, risk, form)
        try:
            if risk.pk:
                risk = risk_update(risk=risk, actor=request.user, lock_version=form.cleaned_data["lock_version"], data=form.cleaned_data)
            else:
                risk = risk_create(actor=request.user, data=form.cleaned_data)
        except (WorkflowError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "message", None) or str(exc))
            return self.render_form(request, risk, form)
        messages.success(request, _("已保存：%(risk)s（%(level)s）") % {"risk": risk, "level": risk.get_level_display()})
        return redirect(risk)


def _user_rubric(user):
    bureau = user_bureau(user)
    return rubric_for(bureau) if bureau else AssessmentRubric()


class SuggestionView(View):
    """The level the bureau's rubric suggests for four grades, as the form's fragment (htmx):
    the page asks here instead of repeating the rule in JavaScript."""

    def get(self, request):
        factors = [parse_int(request.GET.get(name), max_value=3) for name in FACTORS]
        level = _user_rubric(request.user).suggest(*factors) if None not in factors else None
        return render(request, "riskpoints/_suggestion.html", {"level": level})


class PowerOptionsView(View):
    """The risk form's power drop-down for a search term (htmx), from the same form."""

    def get(self, request):
        form = RiskPointForm(user=request.user, initial={"power": parse_int(request.GET.get("power"))},
                             power_search=search_term(request.GET.get("power_q")))
        return render(request, "riskpoints/_power_field.html", {"form": form})


class PowerStepsView(View):
    """The chosen power's steps and what its category suggests (htmx), from the same form."""

    def get(self, request):
        form = RiskPointForm(user=request.user, initial={"power": parse_int(request.GET.get("power"))})
        return render(request, "riskpoints/_step_field.html", {"form": form})


class PostKeyView(View):
    """The office marks a post as a 关键岗位 or takes the mark off."""

    http_method_names = ["post"]

    def post(self, request, post_id):
        post = get_object_or_404(Post.objects.filter(unit__in=visible_unit_ids(request.user)), pk=post_id)
        post_mark_key(post=post, actor=request.user, is_key=request.POST.get("is_key") == "1")
        messages.success(request, _("已标为关键岗位。") if post.is_key else _("已取消关键岗位标记。"))
        return redirect("riskpoints:post_register", post.pk)


class RiskCarryView(View):
    """The unit confirms a carried-over risk point: unchanged from last year, or retired."""

    http_method_names = ["post"]

    def post(self, request, pk):
        risk = get_object_or_404(RiskPoint.objects.for_user(request.user), pk=pk)
        try:
            risk_carry_decide(risk=risk, actor=request.user, decision=request.POST.get("decision"),
                              lock_version=parse_int(request.POST.get("lock_version"), min_value=0))
        except (WorkflowError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, _("已确认。"))
        return redirect(risk)


class RiskTransitionView(TransitionView):
    model = RiskPoint


class RiskHistoryView(HistoryView):
    model = RiskPoint


class RiskCompileView(CompileView):
    """The office accepts and publishes risk points (each with its control plan) many at once."""

    model = RiskPoint
    states = (Status.LEADER_APPROVED, Status.ACCEPTED)
    actions = (Action.ACCEPT, Action.PUBLISH)


class RiskDeleteView(DeleteView):
    model = RiskPoint


# --- the paper forms as print-friendly pages ---------------------------------------------------

PAPER_LABELS = ("level", "status", "kind", "key_area", "found_by")
# What the paper forms show of a risk point: loading only these makes a unit's 2,500 rows
# half as costly to build.
PAPER_FIELDS = ("code", "title", "description", "unit", "post", "power", "step", "importance", "discretion",
                "probability", "harm")


def _table_rows(user, **filters):
    """The rows of a paper form, with what each cell shows worked out once per value: a
    choice's label looked up per cell cost two seconds for a unit's 2,500 risk points, and a
    risk point without a plan raised inside the template's loop. ``risk.labels[name]`` is
    the label of a choice field, ``risk.paper_plan`` the plan or None."""
    round_ = current_round(user)
    rows = list(
        register_for(user).filter(round=round_, **filters)
        .select_related("post", "power", "step").prefetch_related(*PLAN_PREFETCH)
        .only(*PAPER_FIELDS, *PAPER_LABELS, "post__name", "post__tier", "post__is_key", "post__unit_id",
              "power__code", "power__name", "power__sub_item", "step__name")
        .order_by("post__name", "power__code", "level", "code"))
    labels = {name: {value: str(label) for value, label in RiskPoint._meta.get_field(name).flatchoices}
              for name in PAPER_LABELS}
    for risk in rows:
        risk.paper_plan = getattr(risk, "plan", None)
        risk.labels = {name: labels[name].get(getattr(risk, name), "") for name in PAPER_LABELS}
    return rows, round_


class UnitTableView(View):
    """岗位权力行使廉政风险防控一览表 of one unit: post → powers → risks → measures."""

    def get(self, request, unit_id):
        unit = get_object_or_404(Unit.objects.filter(pk__in=visible_unit_ids(request.user)), pk=unit_id)
        rows, round_ = _table_rows(request.user, unit=unit)
        groups = {}
        for risk in rows:
            groups.setdefault(risk.post, []).append(risk)
        return render(request, "riskpoints/unit_table.html", {
            "unit": unit, "round": round_, "rows": unit_table_rows(groups.items()),
            "units": Unit.objects.filter(pk__in=visible_unit_ids(request.user)),
        })


class MyTableView(View):
    """The menu's 一览表: the user's own unit when they may see it, else the first unit in their
    scope (a leader in charge sits in the bureau but sees only the units they oversee)."""

    def get(self, request):
        visible = visible_unit_ids(request.user)
        if request.user.unit_id in visible:
            return redirect("riskpoints:unit_table", request.user.unit_id)
        first = Unit.objects.filter(pk__in=visible).order_by("order", "code").first()
        if first is None:
            raise PermissionDenied(_("您的账号没有可查看的单位。"))
        return redirect("riskpoints:unit_table", first.pk)


class PostRegisterView(View):
    """岗位廉政风险防控登记表 of one post."""

    def get(self, request, post_id):
        post = get_object_or_404(Post.objects.filter(unit__in=visible_unit_ids(request.user)).select_related("unit"), pk=post_id)
        rows, round_ = _table_rows(request.user, post=post)
        return render(request, "riskpoints/post_register.html", {
            "post": post, "round": round_, "risks": rows, "holders": post.holders.filter(is_active=True),
            "may_mark_key": request.user.has_role(Role.OFFICE, Role.ADMIN),
        })


class RubricView(View):
    """The office sets how the four factors suggest a level."""

    def get_rubric(self, request):
        return rubric_for(office_bureau(request.user, _("只有防控办可以修改评定标准。")))

    def get(self, request):
        rubric = self.get_rubric(request)
        return render(request, "riskpoints/rubric.html", {"form": RubricForm(instance=rubric), "factors": FACTORS})

    def post(self, request):
        rubric = self.get_rubric(request)
        form = RubricForm(request.POST, instance=rubric)
        if form.is_valid():
            rubric_save(actor=request.user, values={f: form.cleaned_data[f] for f in RubricForm.Meta.fields})
            messages.success(request, _("评定标准已保存；此后登记或修改的风险点按新标准给出建议等级。"))
            return redirect("riskpoints:rubric")
        return render(request, "riskpoints/rubric.html", {"form": form, "factors": FACTORS})



# --- Excel ---------------------------------------------------------------------------------------

class ExportView(View):
    """The register exactly as filtered on the list page, as .xlsx: a short list at once, a
    long one (``exports.IN_REQUEST_MAX``) built in the background after the user confirms."""

    def get(self, request):
        f = export_filter(request.user, request.GET)
        if export_in_request(f):
            return xlsx_response(register_workbook(f.qs.order_by("code")), f"risk-register-{timezone.localdate():%Y%m%d}.xlsx")
        return render(request, "riskpoints/export_confirm.html", {"total": register_counts(f)["total"]})

    def post(self, request):
        job = register_export_start(actor=request.user, query=request.GET.urlencode())
        return redirect(job)


class ExportStatusView(View):
    """How a background export is going; when it is ready, the link to download it."""

    def get(self, request, pk):
        job = get_object_or_404(RegisterExport.objects.filter(created_by=request.user), pk=pk)
        template = "riskpoints/_export_progress.html" if request.headers.get("HX-Request") else "riskpoints/export_status.html"
        return render(request, template, {"job": job})


class ExportDownloadView(View):
    """The finished workbook, to the user who asked for it only."""

    def get(self, request, pk):
        job = get_object_or_404(RegisterExport.objects.filter(created_by=request.user, state=ExportState.DONE), pk=pk)
        return FileResponse(job.file.open("rb"), as_attachment=True,
                            filename=f"risk-register-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.xlsx")


class TemplateView(View):
    def get(self, request):
        return xlsx_response(template_workbook(), "risk-register-template.xlsx")


def _may_import(request):
    if not EDITOR.units(request.user):
        raise PermissionDenied(_("您没有登记廉政风险点的权限。"))


class ImportView(View):
    """Upload a sheet: it is queued for checking and import, and the user follows it on its page."""

    template_name = "riskpoints/import.html"

    def render_page(self, request, form, status=200):
        recent = RegisterImport.objects.filter(created_by=request.user)[:5]
        return render(request, self.template_name, {"form": form, "columns": COLUMNS, "recent": recent}, status=status)

    def get(self, request):
        _may_import(request)
        return self.render_page(request, ImportForm())

    def post(self, request):
        _may_import(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        job = register_import_start(actor=request.user, file=form.cleaned_data["file"])
        return redirect(job)


class ImportStatusView(View):
    """How an import is going; the page polls its progress fragment until the import ends."""

    def get(self, request, pk):
        job = get_object_or_404(RegisterImport.objects.filter(created_by=request.user), pk=pk)
        template = "riskpoints/_import_progress.html" if request.headers.get("HX-Request") else "riskpoints/import_status.html"
        return render(request, template, {"job": job})
