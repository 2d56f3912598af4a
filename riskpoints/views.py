from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from org.imports import ImportStatusView as BaseImportStatusView
from org.inputs import parse_ids, parse_int, search_term
from org.models import Post, Unit
from org.scoping import bureau_unit_ids, office_bureau, user_bureau, visible_unit_ids
from org.selectors import key_post_counts
from org.services import KEY_POST_REFUSAL, may_mark_key_posts, post_mark_key, posts_mark_key
from review.services import WorkflowError
from review.history import display_value
from review.choices import Action, Status
from review.views import CompileView, DeleteView, HistoryView, TransitionView, editable_or_new, review_context
from review.workflow import EDITOR, OFFICE

from .choices import FACTORS, ExportState
from .exports import export_filter, export_in_request, register_export_start
from .filters import PostFilter, RiskPointFilter
from .forms import ImportForm, RiskPointForm, RubricForm
from .models import AssessmentRubric, RegisterExport, RegisterImport, RiskPoint
from .selectors import (
    PLAN_PREFETCH, asks_retired, bureau_rounds, current_round, post_register, register_counts, register_for, register_page,
    round_for_year, table_rows, unit_table,
)
from .services import risk_carry_decide, risk_create, risk_update, rubric_for, rubric_save
from .xlsx import COLUMNS, posts_workbook, register_import_start, register_workbook, template_workbook, xlsx_response



def _asks_retired(request):
    return asks_retired(request.GET)


class RiskListView(FilterView):
    """The risk register (廉政风险点登记), filtered, counted by level.

    Pages are read by keyset (``org.keyset``) in the chosen order with the code last, and the
    counts come from the database's tallies (``register_counts``): no page scans the register.
    """

    filterset_class = RiskPointFilter
    template_name = "riskpoints/riskpoint_list.html"

    def get_queryset(self):
        return register_for(self.request.user, with_retired=_asks_retired(self.request)).select_related(
            "unit", "post", "power", "step").order_by("code")

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


class KeyPostsMixin:
    """The office's (or an administrator's) view of the bureau's posts, filtered as asked."""

    def dispatch(self, request, *args, **kwargs):
        if not may_mark_key_posts(request.user):
            raise PermissionDenied(KEY_POST_REFUSAL)
        return super().dispatch(request, *args, **kwargs)

    def posts(self):
        return Post.objects.filter(unit__in=bureau_unit_ids(self.request.user)).select_related("unit")

    def filter_kwargs(self):
        return {"user": self.request.user, "unit_ids": bureau_unit_ids(self.request.user)}

    def filtered(self):
        return PostFilter(data=self.request.GET, queryset=self.posts(), **self.filter_kwargs())


class KeyPostListView(KeyPostsMixin, FilterView):
    """关键岗位: the bureau's posts with checkboxes; the office marks or unmarks many at once."""

    filterset_class = PostFilter
    template_name = "riskpoints/key_posts.html"
    paginate_by = settings.PAGINATE_BY

    def get_queryset(self):
        return self.posts()

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), **self.filter_kwargs()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "counts": key_post_counts(kwargs["filter"].qs)}

    def post(self, request):
        ids = set(parse_ids(request.POST.getlist("post")))
        op = request.POST.get("op")
        if op not in ("mark", "unmark"):
            messages.error(request, _("请选择“标为关键岗位”或“取消关键岗位标记”。"))
        elif not ids:
            messages.error(request, _("请先勾选岗位。"))
        else:
            if self.posts().filter(pk__in=ids).count() != len(ids):
                raise Http404
            changed = posts_mark_key(post_ids=ids, actor=request.user, is_key=op == "mark")
            if not changed:
                messages.info(request, _("所选岗位都已是关键岗位，没有改变。") if op == "mark"
                              else _("所选岗位都不是关键岗位，没有改变。"))
            else:
                messages.success(request, (_("已将 %(n)d 个岗位标为关键岗位。") if op == "mark"
                                           else _("已取消 %(n)d 个岗位的关键岗位标记。")) % {"n": changed})
        return redirect(request.get_full_path())


class KeyPostExportView(KeyPostsMixin, View):
    """The 关键岗位 page's posts exactly as filtered, as .xlsx."""

    def get(self, request):
        return xlsx_response(posts_workbook(self.filtered().qs), f"key-posts-{timezone.localdate():%Y%m%d}.xlsx")


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
# The same templates make the PDFs (the documents app), so screen and paper show one form.

class UnitTableView(View):
    """岗位权力行使廉政风险防控一览表 of one unit: post → powers → risks → measures."""

    def get(self, request, unit_id):
        unit = get_object_or_404(Unit.objects.filter(pk__in=visible_unit_ids(request.user)), pk=unit_id)
        # The register's own filters, of which the table offers 关键岗位 and 重点领域 (the year is chosen apart).
        round_ = round_for_year(request.user, request.GET.get("year"))
        table_filter = RiskPointFilter(
            data={k: request.GET[k] for k in ("key_post", "key_area") if k in request.GET}, user=request.user,
            queryset=table_rows(request.user, round_, unit=unit) if round_ else RiskPoint.objects.none(), current_round=None)
        counts = register_counts(table_filter, round=round_, unit=unit)
        return render(request, "documents/unit_table.html", {
            **unit_table(request.user, unit, round_, rows=table_filter.qs, counts=counts), "filter": table_filter,
            "counts": counts,
            "units": Unit.objects.filter(pk__in=visible_unit_ids(request.user)), "years": bureau_rounds(request.user),
            "posts": unit.posts.order_by("name"),
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
        return render(request, "documents/post_register.html", {
            **post_register(request.user, post, round_for_year(request.user, request.GET.get("year"))),
            "years": bureau_rounds(request.user), "may_mark_key": may_mark_key_posts(request.user),
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
        f = export_filter(request.user, request.GET, with_retired=_asks_retired(request))
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


class ImportStatusView(BaseImportStatusView):
    """How an import is going; the page polls its progress fragment until the import ends."""

    model = RegisterImport
