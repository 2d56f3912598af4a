"""Pages of electronic supervision. Rules are in ``services``, reads in ``selectors``."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from org.imports import ImportStatusView
from org.inputs import parse_int
from org.scoping import editable_unit_ids, user_bureau
from powers.models import PowerItem
from review.services import StaleEdit, WorkflowError
from review.forms import LockedForm
from review.history import history_entries, history_page_records, history_union
from review.views import HistoryView, editable_or_new
from review.workflow import EDITOR, OFFICE, may_edit
from riskpoints.xlsx import xlsx_response

from .choices import BreachKind, MatterKind
from .filters import FilingFilter, MatterFilter
from .forms import (
    BenchmarkImportForm, DegreeForm, FilingEditForm, FilingForm, KeyRuleForm, MatterEditForm, MatterForm,
    MemberFormSet, ProcedureRuleForm, UploadForm, benchmark_formset, benchmark_rows, member_rows,
)
from .models import Filing, FilingImport, FilingStep, KeyPowerRule, Matter, MeetingMember, ViolationDegree
from .selectors import (
    filing_stats, filings_for, fileable_powers, key_powers_for, matters_for, penalty_spread,
)
from .services import (
    CORRECTION_DAYS, MATTER_CORRECTION_DAYS, benchmark_save, benchmark_snapshot, degree_add, degree_delete,
    degree_update, degrees_for, degrees_in_use, filing_create, filing_refusal,
    filing_update, key_rule_add, key_rule_delete, matter_create, matter_refusal, matter_update, needs_benchmark,
    procedure_rule, procedure_rule_save,
)
from .xlsx import (
    benchmark_import, benchmark_workbook, filing_import_start, filing_template, filing_workbook, key_power_workbook,
    matter_workbook,
)

REFUSED = (StaleEdit, WorkflowError, PermissionDenied, ValidationError)


RECENT_CHANGES = 10  # changes shown on a record's page; its history page has them all


def recent_changes(sources):
    """The last few changes of a record and its child rows, for its page (``includes/history_table.html``)."""
    return history_entries(history_page_records(sources, list(history_union(sources)[:RECENT_CHANGES])),
                           title=lambda record: str(record.instance_type._meta.verbose_name))


def _message(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return getattr(exc, "message", None) or str(exc)


# --- benchmarks: part of the power ------------------------------------------------------------

def benchmark_section(power, user):
    """The benchmark card on the power's page (``powers.hooks.add_detail_section``)."""
    rows = benchmark_snapshot(power)
    if not rows and not needs_benchmark(power):
        return None
    return {"template": "supervision/_benchmark_section.html", "rows": rows, "needs": needs_benchmark(power),
            "may_edit": may_edit(user, power)}


class BenchmarkEditView(View):
    """Edit a power's benchmark table: an edit of the power (a published one starts its next revision)."""

    template_name = "supervision/benchmark_form.html"

    def render_form(self, request, power, form, formset, upload=None):
        return render(request, self.template_name, {
            "object": power, "form": form, "formset": formset,
            "upload": upload or BenchmarkImportForm(lock_item=power)})

    def get(self, request, pk):
        power = editable_or_new(request, PowerItem, pk)
        return self.render_form(request, power, LockedForm(lock_item=power), benchmark_formset(power))

    def post(self, request, pk):
        power = editable_or_new(request, PowerItem, pk)
        form = LockedForm(request.POST, lock_item=power)
        formset = benchmark_formset(power, request.POST)
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("保存失败，请按提示修改后再提交。"))
            return self.render_form(request, power, form, formset)
        try:
            benchmark_save(power=power, actor=request.user, lock_version=form.cleaned_data["lock_version"],
                           rows=benchmark_rows(formset))
        except REFUSED as exc:
            form.add_error(None, _message(exc))
            return self.render_form(request, power, form, formset)
        messages.success(request, _("已保存裁量基准：%(power)s") % {"power": power})
        return redirect(power)


class BenchmarkImportView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        power = editable_or_new(request, PowerItem, pk)
        upload = BenchmarkImportForm(request.POST, request.FILES, lock_item=power)
        if upload.is_valid():
            try:
                benchmark_import(actor=request.user, power=power, lock_version=upload.cleaned_data["lock_version"],
                                 file=upload.cleaned_data["file"])
            except REFUSED as exc:
                for message in (exc.messages if isinstance(exc, ValidationError) else [_message(exc)]):
                    upload.add_error(None, message)
            else:
                messages.success(request, _("已从 Excel 导入裁量基准：%(power)s") % {"power": power})
                return redirect(power)
        response = BenchmarkEditView().render_form(
            request, power, LockedForm(lock_item=power), benchmark_formset(power), upload)
        response.status_code = 400
        return response


class BenchmarkExportView(View):
    def get(self, request, pk):
        power = get_object_or_404(PowerItem.objects.for_user(request.user), pk=pk)
        return xlsx_response(benchmark_workbook(power.benchmark_rows.all()), f"benchmark-{power.code}.xlsx")


# --- degrees of violation: the office's list -----------------------------------------------------

class DegreesView(View):
    """The office keeps its bureau's degrees of violation (违法程度): name, order, description.
    One form per degree and one to add; a degree in use shows no delete button (and is refused)."""

    template_name = "supervision/degrees.html"

    def render_page(self, request, bound_pk=None, bound=None, status=200):
        degrees = list(degrees_for(user_bureau(request.user)))
        used = degrees_in_use(degrees)
        rows = [(d, bound if bound_pk == d.pk else DegreeForm(instance=d, prefix=f"d{d.pk}"), d.pk in used) for d in degrees]
        add = bound if bound is not None and bound_pk is None else DegreeForm(
            prefix="new", initial={"order": max((d.order for d in degrees), default=0) + 1})
        return render(request, self.template_name, {"rows": rows, "add": add}, status=status)

    def get(self, request):
        _office_only(request.user)
        return self.render_page(request)

    def post(self, request):
        _office_only(request.user)
        raw = request.POST.get("degree")
        degree = None
        if raw:
            pk = parse_int(raw)
            if pk is None:
                raise Http404
            degree = get_object_or_404(ViolationDegree.objects.filter(bureau=user_bureau(request.user)), pk=pk)
        form = DegreeForm(request.POST, instance=degree, prefix=f"d{degree.pk}" if degree else "new")
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in ("name", "order", "description")}
            try:
                if degree is None:
                    saved = degree_add(actor=request.user, **values)
                else:
                    saved = degree_update(actor=request.user, degree=degree, **values)
            except REFUSED as exc:
                form.add_error(None, _message(exc))
            else:
                messages.success(request, _("已保存违法程度：%(n)s") % {"n": saved.name})
                return redirect("supervision:degrees")
        return self.render_page(request, degree.pk if degree else None, form, status=400)


class DegreeDeleteView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        _office_only(request.user)
        degree = get_object_or_404(ViolationDegree.objects.filter(bureau=user_bureau(request.user)), pk=pk)
        try:
            degree_delete(actor=request.user, degree=degree)
        except REFUSED as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("已删除违法程度：%(n)s") % {"n": degree.name})
        return redirect("supervision:degrees")


# --- key powers ----------------------------------------------------------------------------------

def _office_only(user):
    if not OFFICE.units(user):
        raise PermissionDenied(_("只有防控办可以进行此操作。"))


class KeyPowerListView(View):
    def get(self, request):
        powers = key_powers_for(request.user).order_by("code")
        if request.GET.get("format") == "xlsx":
            return xlsx_response(key_power_workbook(powers), f"key-powers-{timezone.localdate():%Y%m%d}.xlsx")
        bureau = user_bureau(request.user)
        # Every unit of the bureau may read which powers are key; only the office changes it.
        rules = KeyPowerRule.objects.filter(bureau=bureau).select_related("power") if bureau else []
        is_office = bool(OFFICE.units(request.user))
        return render(request, "supervision/key_powers.html", {
            "page_obj": Paginator(powers, settings.PAGINATE_BY).get_page(request.GET.get("page")),
            "rules": rules, "is_office": is_office, "form": KeyRuleForm(user=request.user) if is_office else None})


class KeyRuleAddView(View):
    http_method_names = ["post"]

    def post(self, request):
        _office_only(request.user)
        form = KeyRuleForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                rule = key_rule_add(actor=request.user, **{k: form.cleaned_data[k] for k in ("kind", "category", "level", "power")})
                messages.success(request, _("已标定重点权力：%(rule)s") % {"rule": rule})
            except REFUSED as exc:
                messages.error(request, _message(exc))
        else:
            messages.error(request, _("请完整选择标定方式和对象。"))
        return redirect("supervision:key_powers")


class KeyRuleDeleteView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        _office_only(request.user)
        rule = get_object_or_404(KeyPowerRule.objects.for_user(request.user), pk=pk)
        key_rule_delete(actor=request.user, rule=rule)
        messages.success(request, _("已取消标定：%(rule)s") % {"rule": rule})
        return redirect("supervision:key_powers")


# --- filings -----------------------------------------------------------------------------------------

class FilingListView(FilterView):
    filterset_class = FilingFilter
    template_name = "supervision/filing_list.html"
    paginate_by = settings.PAGINATE_BY

    def get_queryset(self):
        return filings_for(self.request.user).order_by("-opened_on", "-pk")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            f = FilingFilter(data=request.GET, queryset=self.get_queryset(), user=request.user)
            return xlsx_response(filing_workbook(f.qs), f"filings-{timezone.localdate():%Y%m%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_file": bool(editable_unit_ids(self.request.user))}


class FilingCreateView(View):
    """Choose a key power, then fill in a form that follows its published flow."""

    def power(self, request):
        raw = request.GET.get("power")
        if raw is None:
            return None
        pk = parse_int(raw)
        if pk is None:
            raise Http404
        return get_object_or_404(fileable_powers(request.user).select_related("published_record"), pk=pk)

    def render_form(self, request, power, form):
        return render(request, "supervision/filing_form.html", {
            "power": power, "form": form, "powers": None if power else fileable_powers(request.user).order_by("code")})

    def get(self, request):
        if not editable_unit_ids(request.user):
            raise PermissionDenied(_("只有承办单位的工作人员可以备案。"))
        power = self.power(request)
        return self.render_form(request, power, FilingForm(user=request.user, power=power) if power else None)

    def post(self, request):
        power = self.power(request)
        if power is None:
            raise Http404
        form = FilingForm(request.POST, user=request.user, power=power)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("step_")}
            try:
                filing = filing_create(actor=request.user, power=power, data=data, done=form.done())
            except REFUSED as exc:
                for message in (exc.messages if isinstance(exc, ValidationError) else [_message(exc)]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("已备案：%(case)s") % {"case": filing})
                return redirect(filing)
        return self.render_form(request, power, form)


class FilingDetailView(View):
    def get(self, request, pk):
        filing = get_object_or_404(filings_for(request.user).select_related("filed_by", "flow_record"), pk=pk)
        flow = filing.flow_record.snapshot.get("flow") or {"steps": []}
        done = {s.step_id: s for s in filing.steps.all()}
        findings = list(filing.findings.select_related("information"))
        holding = [f for f in findings if f.resolved_on is None]
        return render(request, "supervision/filing_detail.html", {"side_first": True,
            "object": filing, "findings": findings, "holding": holding,
            "may_correct": filing_refusal(request.user, filing) is None, "correction_days": CORRECTION_DAYS,
            "changes": recent_changes(filing_history_sources(filing)),
            "steps": [{"name": s["name"], "limit": s.get("time_limit", ""), "done": done.get(s["id"]),
                       "findings": [f for f in holding if f.step_id == s["id"]]} for s in flow["steps"]]})


def filing_history_sources(filing):
    return [filing.history.all(), FilingStep.history.filter(filing_id=filing.pk)]


class FilingEditView(View):
    """The handling unit corrects a filing (open, or closed within ``CORRECTION_DAYS``); the
    filing is checked again on saving. Another unit's filing is not found; a reader is refused."""

    template_name = "supervision/filing_form.html"

    def filing(self, request, pk):
        filing = get_object_or_404(filings_for(request.user).select_related("flow_record"), pk=pk)
        refusal = filing_refusal(request.user, filing)
        if refusal:
            raise PermissionDenied(refusal)
        return filing

    def render_form(self, request, filing, form, status=200):
        return render(request, self.template_name, {"object": filing, "power": filing.power, "form": form,
                                                    "correction_days": CORRECTION_DAYS}, status=status)

    def get(self, request, pk):
        filing = self.filing(request, pk)
        return self.render_form(request, filing, FilingEditForm(user=request.user, filing=filing))

    def post(self, request, pk):
        filing = self.filing(request, pk)
        form = FilingEditForm(request.POST, user=request.user, filing=filing)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("step_") and k != "lock_version"}
            try:
                filing = filing_update(actor=request.user, filing=filing, lock_version=form.cleaned_data["lock_version"],
                                       data=data, done=form.done())
            except REFUSED as exc:
                for message in (exc.messages if isinstance(exc, ValidationError) else [_message(exc)]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("已更正备案：%(case)s，并已重新检查。") % {"case": filing})
                return redirect(filing)
        return self.render_form(request, filing, form, status=400)


class FilingHistoryView(HistoryView):
    """Who changed what in a filing and its step dates (the check's findings show on the filing)."""

    model = Filing
    children = ((FilingStep, "filing_id"),)


def _may_file(request):
    if not editable_unit_ids(request.user):
        raise PermissionDenied(_("只有承办单位的工作人员可以备案。"))


class FilingImportView(View):
    """Upload a sheet of cases: it is queued for checking and filing, and the user follows it on its page."""

    template_name = "supervision/filing_import.html"

    def render_page(self, request, form, status=200):
        recent = FilingImport.objects.filter(created_by=request.user)[:5]
        return render(request, self.template_name, {"form": form, "recent": recent}, status=status)

    def get(self, request):
        if request.GET.get("format") == "xlsx":
            return xlsx_response(filing_template(), "filings-template.xlsx")
        _may_file(request)
        return self.render_page(request, UploadForm())

    def post(self, request):
        _may_file(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        return redirect(filing_import_start(actor=request.user, file=form.cleaned_data["file"]))


class FilingImportStatusView(ImportStatusView):
    """How a filings import is going; the page polls its progress until the import ends."""

    model = FilingImport


class FilingStatsView(View):
    def get(self, request):
        filings = filings_for(request.user)
        f = FilingFilter(data=request.GET, queryset=filings, user=request.user)
        rows = list(filing_stats(f.qs))
        for row in rows:
            row["on_time_rate"] = round(100 * (row["cases"] - row["late"]) / row["cases"], 1) if row["cases"] else None
        spread = list(penalty_spread(f.qs))
        for row in spread:
            row["degree_label"] = row["degree__name"] or "—"
        return render(request, "supervision/filing_stats.html", {"filter": f, "rows": rows, "spread": spread})


# --- 三重一大 ------------------------------------------------------------------------------------------

class MatterListView(FilterView):
    filterset_class = MatterFilter
    template_name = "supervision/matter_list.html"
    paginate_by = settings.PAGINATE_BY

    def get_queryset(self):
        return matters_for(self.request.user).order_by("-decided_on", "-pk")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            f = MatterFilter(data=request.GET, queryset=self.get_queryset(), user=request.user)
            return xlsx_response(matter_workbook(f.qs), f"matters-{timezone.localdate():%Y%m%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_create": bool(EDITOR.units(self.request.user)),
                "is_office": bool(OFFICE.units(self.request.user))}


class MatterCreateView(View):
    def check(self, request):
        if not EDITOR.units(request.user):
            raise PermissionDenied(_("只有本单位的工作人员或负责人可以登记三重一大事项。"))

    def render_form(self, request, form, formset):
        return render(request, "supervision/matter_form.html", {"form": form, "formset": formset})

    def get(self, request):
        self.check(request)
        return self.render_form(request, MatterForm(user=request.user), MemberFormSet(prefix="members"))

    def post(self, request):
        self.check(request)
        form = MatterForm(request.POST, user=request.user)
        formset = MemberFormSet(request.POST, prefix="members")
        if form.is_valid() and formset.is_valid():
            try:
                matter = matter_create(actor=request.user, data=form.cleaned_data, members=member_rows(formset))
            except REFUSED as exc:
                for message in (exc.messages if isinstance(exc, ValidationError) else [_message(exc)]):
                    form.add_error(None, message)
            else:
                count = matter.breaches.count()
                if count:
                    messages.warning(request, _("已登记。有 %(n)d 项不符合议事规则，已作为廉政风险信息报防控办。") % {"n": count})
                else:
                    messages.success(request, _("已登记：%(m)s") % {"m": matter})
                return redirect(matter)
        else:
            messages.error(request, _("保存失败，请按提示修改后再提交。"))
        return self.render_form(request, form, formset)


class MatterDetailView(View):
    def get(self, request, pk):
        matter = get_object_or_404(matters_for(request.user).select_related("filed_by"), pk=pk)
        rule = procedure_rule(matter.unit.bureau, matter.kind)
        return render(request, "supervision/matter_detail.html", {
            "object": matter, "rule": rule,
            "members": sorted(matter.members.all(), key=lambda m: (m.speaking_order is None, m.speaking_order or 0, m.order)),
            "breaches": matter.breaches.select_related("information"), "breach_kinds": BreachKind,
            "may_correct": matter_refusal(request.user, matter) is None, "correction_days": MATTER_CORRECTION_DAYS,
            "changes": recent_changes(matter_history_sources(matter))})


def matter_history_sources(matter):
    return [matter.history.all(), MeetingMember.history.filter(matter_id=matter.pk)]


class MatterEditView(View):
    """The unit corrects a 三重一大 record (within ``MATTER_CORRECTION_DAYS`` of registering it);
    it is checked again against the rules of procedure on saving."""

    def matter(self, request, pk):
        matter = get_object_or_404(matters_for(request.user), pk=pk)
        refusal = matter_refusal(request.user, matter)
        if refusal:
            raise PermissionDenied(refusal)
        return matter

    def render_form(self, request, matter, form, formset, status=200):
        return render(request, "supervision/matter_form.html", {
            "object": matter, "form": form, "formset": formset, "correction_days": MATTER_CORRECTION_DAYS}, status=status)

    def get(self, request, pk):
        matter = self.matter(request, pk)
        return self.render_form(request, matter, MatterEditForm(instance=matter, user=request.user),
                                MemberFormSet(instance=matter, prefix="members"))

    def post(self, request, pk):
        matter = self.matter(request, pk)
        form = MatterEditForm(request.POST, instance=matter, user=request.user)
        formset = MemberFormSet(request.POST, instance=matter, prefix="members")
        if form.is_valid() and formset.is_valid():
            try:
                matter = matter_update(actor=request.user, matter=matter, lock_version=form.cleaned_data["lock_version"],
                                       data=form.cleaned_data, members=member_rows(formset))
            except REFUSED as exc:
                for message in (exc.messages if isinstance(exc, ValidationError) else [_message(exc)]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("已更正：%(m)s，并已按议事规则重新检查。") % {"m": matter})
                return redirect(matter)
        else:
            messages.error(request, _("保存失败，请按提示修改后再提交。"))
        return self.render_form(request, Matter.objects.get(pk=matter.pk), form, formset, status=400)


class MatterHistoryView(HistoryView):
    """Who changed what in a 三重一大 record and its members (the breaches show on the record)."""

    model = Matter
    children = ((MeetingMember, "matter_id"),)


class ProcedureRulesView(View):
    """The office sets the rules of procedure of each kind of matter."""

    def forms(self, request, data=None, kind=None):
        bureau = user_bureau(request.user)
        return [(value, label, ProcedureRuleForm(data if value == kind else None, instance=procedure_rule(bureau, value),
                                                 prefix=value)) for value, label in MatterKind.choices]

    def get(self, request):
        _office_only(request.user)
        return render(request, "supervision/procedure_rules.html", {"forms": self.forms(request)})

    def post(self, request):
        _office_only(request.user)
        kind = request.POST.get("kind")
        if kind not in MatterKind.values:
            raise Http404
        forms = self.forms(request, request.POST, kind)
        form = next(f for value, _label, f in forms if value == kind)
        if form.is_valid():
            procedure_rule_save(actor=request.user, kind=kind, data=form.cleaned_data)
            messages.success(request, _("已保存议事规则：%(k)s") % {"k": MatterKind(kind).label})
            return redirect("supervision:procedure_rules")
        return render(request, "supervision/procedure_rules.html", {"forms": forms}, status=400)
