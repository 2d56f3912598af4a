"""Pages of risk information, its assessment, tasks to units, warnings and level adjustments.
Thin: every rule is in ``monitoring.handling``, ``monitoring.authority`` and
``monitoring.visibility``."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from org.choices import Role
from org.files import stored_file_response
from org.inputs import parse_int
from org.scoping import office_bureau
from review.services import WorkflowError
from review.views import HistoryView
from review.workflow import OFFICE
from riskpoints.models import RiskPoint
from org.sheets import table_workbook, xlsx_response

from documents.pdf import pdf_response, render_pdf

from . import handling
from .authority import ISSUERS, ISSUER_WORDS, issuable_methods
from .choices import METHOD_TARGET, RECORDED_METHODS, AdjustMode, AdjustState, InfoState, Outcome
from .filters import AdjustmentFilter, InformationFilter, TaskFilter, WarningFilter
from .forms import (
    AdjustForm, AssessForm, CloseForm, ConfigForm, InformationForm, ReportForm, TaskCompleteForm, TaskForm,
    VerifyForm, WarningForm, WarningRecordForm,
)
from .models import (
    Assessment, InformationFile, LevelAdjustment, MonitoringConfig, RectificationReport, ReportFile, RiskInformation,
    RiskWarning, UnitTask, WarningRecord,
)
from .selectors import finding_task, information_for, information_open, warnings_waiting
from .services import information_create, information_units, config_save, reference_prefix
from .visibility import sees_reporter, sources_for, warnings_for


def _errors(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return getattr(exc, "message", None) or str(exc)


def _form_errors(form, exc):
    """Put a service's refusal on the form: by field where it names one, else at the top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, _errors(exc))


def _act(request, obj, call, success):
    """Run one POSTed step; a refusal becomes a message and changes nothing."""
    try:
        call()
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, success)
    return redirect(obj)


class ExportingFilterView(FilterView):
    """A filtered list that also answers ``?export=xlsx`` with exactly the filtered rows."""

    paginate_by = settings.PAGINATE_BY
    export_name = "list"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            self.object_list = self.get_filterset(self.get_filterset_class()).qs
            headers, rows = self.export_rows(self.object_list)
            return xlsx_response(table_workbook(headers, rows), f"{self.export_name}-{timezone.localdate():%Y%m%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        return {**super().get_context_data(**kwargs), "export_query": query.urlencode()}


def _d(value, fmt="%Y-%m-%d"):
    return value.strftime(fmt) if value else ""


# --- information -------------------------------------------------------------------------------

class InformationListView(ExportingFilterView):
    filterset_class = InformationFilter
    template_name = "monitoring/info_list.html"
    export_name = "risk-information"

    def get_queryset(self):
        return information_for(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_record": bool(information_units(self.request.user)),
                "is_office": self.request.user.has_role(Role.OFFICE)}

    def export_rows(self, qs):
        reporter = sees_reporter(self.request.user)
        headers = [_("编号"), _("来源渠道"), _("收到日期"), _("来源文号"), _("涉及单位"), _("涉及人员"), _("涉及风险点"),
                   _("内容"), _("可信程度"), _("状态"), _("研判意见")] + ([_("反映人"), _("联系方式")] if reporter else [])
        rows = [[i.reference, i.get_channel_display(), _d(i.received_on), i.source_reference, str(i.concerns_unit or ""),
                 i.concerns_person.display_name if i.concerns_person else "", i.concerns_risk.code if i.concerns_risk else "",
                 i.content, i.get_credibility_display(), i.get_state_display(), i.assessment]
                + ([i.reporter, i.contact] if reporter else []) for i in qs]
        return [str(h) for h in headers], rows


class InformationCreateView(View):
    def form(self, request, data=None, files=None):
        if not information_units(request.user):
            raise PermissionDenied(_("只有防控办和单位负责人可以登记廉政风险信息。"))
        return InformationForm(data, files, user=request.user, initial={"received_on": timezone.localdate()})

    def get(self, request):
        return render(request, "monitoring/info_form.html", {"form": self.form(request)})

    def post(self, request):
        form = self.form(request, request.POST, request.FILES)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "files"}
            try:
                info = information_create(actor=request.user, data=data, uploads=form.cleaned_data["files"])
            except (ValidationError, PermissionDenied) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已登记风险信息 %(ref)s，等待防控办研判。") % {"ref": info.reference})
                return redirect(info)
        return render(request, "monitoring/info_form.html", {"form": form}, status=400)


class InformationDetailView(View):
    def get(self, request, pk):
        info = get_object_or_404(information_for(request.user).prefetch_related("files"), pk=pk)
        is_office = OFFICE.covers(request.user, info.bureau_id)
        return render(request, "monitoring/info_detail.html", {
            "object": info, "is_office": is_office, "sees_reporter": sees_reporter(request.user),
            "may_propose": is_office, "side_first": is_office and info.is_open, "assess_form": AssessForm() if is_office and info.state in (InfoState.NEW, InfoState.OBSERVING) else None,
            "assessments": info.assessments.select_related("assessed_by"),
            "proposals": info.proposals.select_related("target_unit"),
            "tasks": info.tasks.select_related("unit"),
            "warnings": warnings_for(request.user).filter(information=info).select_related("unit", "person"),
            "adjustments": info.adjustments.select_related("risk_point"),
            "finding_task": finding_task(info, request.user),
        })


class InformationAssessView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        info = get_object_or_404(information_for(request.user), pk=pk)
        form = AssessForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择研判结论并写明理由。"))
            return redirect(info)
        return _act(request, info, lambda: handling.assess(info=info, actor=request.user, **form.cleaned_data),
                    _("已研判：%(outcome)s。") % {"outcome": Outcome(form.cleaned_data["outcome"]).label})


class OpenInformationView(InformationListView):
    """定期研判评估: every piece still open, oldest first, with how many days it has waited."""

    template_name = "monitoring/info_open.html"
    export_name = "risk-information-open"

    def get_queryset(self):
        return information_open(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}

    def export_rows(self, qs):
        headers, rows = super().export_rows(qs)
        return [str(_("已等待（天）")), *headers], [[i.days_waiting, *row] for i, row in zip(qs, rows, strict=True)]


class InformationFileView(View):
    def get(self, request, stored_id):
        if not request.user.has_role(Role.OFFICE, Role.LEADERSHIP, Role.LEADER, Role.UNIT_HEAD):
            raise Http404
        readable = RiskInformation.objects.for_user(request.user)
        return stored_file_response(get_object_or_404(InformationFile, stored_id=stored_id, information__in=readable))


class ReportFileView(View):
    def get(self, request, stored_id):
        return stored_file_response(get_object_or_404(ReportFile, stored_id=stored_id,
                                                report__warning__in=warnings_for(request.user)))


def _information_from(request, office_only=True):
    """The piece of information a task, warning or adjustment answers (``?information=<id>``)."""
    raw = request.GET.get("information")
    if raw is None:
        return None
    pk = parse_int(raw)
    if pk is None:
        raise Http404
    info = get_object_or_404(information_for(request.user), pk=pk)
    if office_only and not OFFICE.covers(request.user, info.bureau_id):
        raise PermissionDenied(_("只有防控办可以研判风险信息。"))
    if not info.is_open:
        raise PermissionDenied(_("这条信息已办结。"))
    return info


class _FromInformationView(View):
    template_name = ""

    def render_form(self, request, form, information, status=200, **extra):
        return render(request, self.template_name, {"form": form, "information": information, **extra}, status=status)

    def initial(self, information):
        if information is None:
            return {}
        return {"unit": information.concerns_unit_id, "risk_point": information.concerns_risk_id}


# --- tasks ---------------------------------------------------------------------------------------

class TaskCreateView(_FromInformationView):
    template_name = "monitoring/task_form.html"

    def get(self, request):
        info = _information_from(request)
        if info is None:
            raise Http404
        return self.render_form(request, TaskForm(user=request.user, initial=self.initial(info)), info)

    def post(self, request):
        info = _information_from(request)
        if info is None:
            raise Http404
        form = TaskForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                task = handling.task_assign(info=info, actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied, WorkflowError) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已责成%(unit)s落实，该单位已收到通知。") % {"unit": task.unit})
                return redirect(task)
        return self.render_form(request, form, info, status=400)


class TaskListView(ExportingFilterView):
    filterset_class = TaskFilter
    template_name = "monitoring/task_list.html"
    export_name = "risk-tasks"

    def get_queryset(self):
        return UnitTask.objects.for_user(self.request.user).select_related("unit", "risk_point", "result_risk", "information")

    def export_rows(self, qs):
        headers = [_("单位"), _("任务类型"), _("要求"), _("完成期限"), _("状态"), _("落实的风险点"), _("落实情况")]
        return [str(h) for h in headers], [
            [str(t.unit), t.get_kind_display(), t.instruction, _d(t.due_date), t.get_state_display(),
             t.result_risk.code if t.result_risk else "", t.answer] for t in qs]


class TaskDetailView(View):
    def get(self, request, pk, form=None):
        task = get_object_or_404(UnitTask.objects.for_user(request.user).select_related("unit", "risk_point", "result_risk"), pk=pk)
        may_answer = handling.task_may_answer(request.user, task)
        return render(request, "monitoring/task_detail.html", {
            "side_first": may_answer,
            "object": task, "form": form or (TaskCompleteForm(task=task, user=request.user) if may_answer else None),
            "sees_information": information_for_or_none(request.user, task.information_id),
        }, status=400 if form else 200)

    def post(self, request, pk):
        task = get_object_or_404(UnitTask.objects.for_user(request.user), pk=pk)
        form = TaskCompleteForm(request.POST, task=task, user=request.user)
        if form.is_valid():
            try:
                handling.task_complete(task=task, actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied, WorkflowError) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已报告落实情况，防控办已收到通知。"))
                return redirect(task)
        return self.get(request, pk, form=form)


def information_for_or_none(user, pk):
    """The information of ``pk`` if the user reads information at all and this one."""
    if not pk or not user.has_role(Role.OFFICE, Role.LEADERSHIP, Role.LEADER, Role.UNIT_HEAD):
        return None
    return RiskInformation.objects.for_user(user).filter(pk=pk).first()


# --- warnings ------------------------------------------------------------------------------------

def _warnings(user):
    return warnings_for(user).select_related("unit", "person", "issued_by")


class WarningListView(ExportingFilterView):
    filterset_class = WarningFilter
    template_name = "monitoring/warning_list.html"
    export_name = "warnings"

    def get_queryset(self):
        if self.request.GET.get("waiting") == "1":
            return warnings_waiting(self.request.user).select_related("unit", "person", "issued_by")
        return _warnings(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_issue": bool(issuable_methods(self.request.user)),
                "waiting": self.request.GET.get("waiting") == "1", "today": timezone.localdate()}

    def export_rows(self, qs):
        headers = [_("文号"), _("处置方式"), _("预警对象"), _("单位"), _("问题性质"), _("预警事由"), _("发出日期"),
                   _("整改期限"), _("状态"), _("已逾期")]
        return [str(h) for h in headers], [
            [w.number, w.get_method_display(), w.target_label, str(w.unit), w.get_nature_display(), w.reason,
             _d(w.issued_on), _d(w.deadline), w.get_state_display(), _("是") if w.overdue else ""] for w in qs]


class WarningCreateView(_FromInformationView):
    template_name = "monitoring/warning_form.html"

    def context(self):
        return {"authority": [(m, METHOD_TARGET[m], ISSUER_WORDS[m]) for m in ISSUERS]}

    def form(self, request, info, data=None):
        if not issuable_methods(request.user):
            raise PermissionDenied(_("您没有发出预警的权限（按管理权限，由单位负责人、分管领导、防控办或局领导作出）。"))
        initial = self.initial(info)
        if info is not None:
            initial.update(person=info.concerns_person_id, risk_points=[info.concerns_risk_id] if info.concerns_risk_id else [])
        return WarningForm(data, user=request.user, initial=initial)

    def get(self, request):
        info = _information_from(request)
        return self.render_form(request, self.form(request, info), info, **self.context())

    def post(self, request):
        info = _information_from(request)
        form = self.form(request, info, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            reasoning = data.pop("reasoning")
            if info is not None and not reasoning.strip():
                form.add_error("reasoning", _("请写明研判理由。"))
            else:
                try:
                    warning = handling.warning_issue(
                        actor=request.user, information=[info] if info else [],
                        reasoning=reasoning if info else None, **data)
                except (ValidationError, PermissionDenied, WorkflowError) as exc:
                    _form_errors(form, exc)
                else:
                    messages.success(request, _("已发出%(number)s，对象已收到签收通知。") % {"number": warning.number})
                    return redirect(warning)
        return self.render_form(request, form, info, status=400, **self.context())


class WarningDetailView(View):
    def get(self, request, pk):
        warning = get_object_or_404(_warnings(request.user).prefetch_related(
            Prefetch("reports", queryset=RectificationReport.objects.select_related("submitted_by", "verified_by")
                     .prefetch_related("files")), "risk_points"), pk=pk)
        user = request.user
        handles = handling.may_handle(user, warning)
        record = WarningRecord.objects.filter(warning=warning).first()
        pending = next((r for r in warning.reports.all() if r.verdict == "pending"), None)
        risks = RiskPoint.objects.for_user(user).filter(pk__in=[r.pk for r in warning.risk_points.all()])
        acts = handles or handling.may_acknowledge(user, warning) or handling.may_report(user, warning)
        return render(request, "monitoring/warning_detail.html", {
            "side_first": acts and warning.state != "closed",
            "object": warning, "record": record, "sources": sources_for(user, warning), "risks": risks,
            "may_acknowledge": handling.may_acknowledge(user, warning),
            "record_form": WarningRecordForm(instance=record) if handles and warning.method in RECORDED_METHODS
            and warning.state != "closed" else None,
            "report_form": ReportForm() if handling.may_report(user, warning) else None,
            "verify_form": VerifyForm() if handles and pending else None, "pending_report": pending,
            "close_form": CloseForm() if handles and handling.close_refusal(warning) is None else None,
            "close_refusal": handling.close_refusal(warning) if handles else None,
        })


def _warning(request, pk):
    return get_object_or_404(warnings_for(request.user), pk=pk)


class WarningAcknowledgeView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        warning = _warning(request, pk)
        return _act(request, warning, lambda: handling.warning_acknowledge(warning=warning, actor=request.user),
                    _("已签收。"))


class WarningRecordView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        warning = _warning(request, pk)
        form = WarningRecordForm(request.POST, instance=WarningRecord.objects.filter(warning=warning).first())
        if not form.is_valid():
            messages.error(request, _("记录未保存：") + " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(warning)
        return _act(request, warning, lambda: handling.warning_record_save(warning=warning, actor=request.user,
                                                                          data=form.cleaned_data), _("记录已保存。"))


class WarningReportView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        warning = _warning(request, pk)
        form = ReportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("报告未提交：") + " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(warning)
        return _act(request, warning, lambda: handling.report_submit(
            warning=warning, actor=request.user, content=form.cleaned_data["content"], uploads=form.cleaned_data["files"]),
            _("整改报告已提交，等待验收。"))


class WarningVerifyView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        warning = _warning(request, pk)
        report = warning.reports.filter(verdict="pending").first()
        form = VerifyForm(request.POST)
        if report is None or not form.is_valid():
            messages.error(request, _("没有待验收的整改报告，或未选择验收结论。"))
            return redirect(warning)
        return _act(request, warning, lambda: handling.report_verify(report=report, actor=request.user, **form.cleaned_data),
                    _("已验收。"))


class WarningCloseView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        warning = _warning(request, pk)
        form = CloseForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写办结意见。"))
            return redirect(warning)
        return _act(request, warning, lambda: handling.warning_close(warning=warning, actor=request.user,
                                                                    note=form.cleaned_data["note"]), _("预警已办结。"))


class WarningNoticeView(View):
    """The notice (廉政风险预警通知书 / 整改通知书) as a print-ready A4 page, or (``pdf``) its PDF."""

    pdf = False

    def get(self, request, pk):
        warning = get_object_or_404(_warnings(request.user), pk=pk)
        context = {"object": warning, "bureau": warning.bureau}
        if not self.pdf:
            return render(request, "monitoring/warning_notice.html", context)
        data = render_pdf(request, "monitoring/warning_notice_pdf.html", context, bureau=warning.bureau)
        return pdf_response(data, f"{warning.number}.pdf")


# --- level adjustments -----------------------------------------------------------------------------

class AdjustmentListView(ExportingFilterView):
    filterset_class = AdjustmentFilter
    template_name = "monitoring/adjustment_list.html"
    export_name = "level-adjustments"

    def get_queryset(self):
        return LevelAdjustment.objects.for_user(self.request.user).select_related(
            "risk_point__unit", "requested_by", "done_by", "information")

    def export_rows(self, qs):
        headers = [_("风险点"), _("单位"), _("方式"), _("原等级"), _("调整为"), _("调整理由"), _("状态"),
                   _("防控措施须按分级负责调整"), _("提出时间")]
        return [str(h) for h in headers], [
            [a.risk_point.code, str(a.risk_point.unit), a.get_mode_display(), a.from_level, a.to_level, a.reason,
             a.get_state_display(), a.plan_problems, _d(a.created_at, "%Y-%m-%d %H:%M")] for a in qs]


class AdjustmentCreateView(View):
    """The office adjusts a risk point's level (``/adjust/<risk id>/``), from a piece of
    information or on its own; 督促调整 asks the unit to do it."""

    def risk(self, request, risk_pk):
        risk = get_object_or_404(RiskPoint.objects.for_user(request.user).select_related("unit"), pk=risk_pk)
        if not OFFICE.covers(request.user, risk.unit.bureau.pk):
            raise PermissionDenied(_("只有防控办可以调整风险等级。"))
        return risk

    def render_form(self, request, risk, form, info, status=200):
        return render(request, "monitoring/adjustment_form.html",
                      {"form": form, "risk": risk, "information": info}, status=status)

    def get(self, request, risk_pk):
        risk = self.risk(request, risk_pk)
        info = _information_from(request)
        direct = risk.status in ("accepted", "published")
        form = AdjustForm(initial={"mode": AdjustMode.DIRECT if direct else AdjustMode.REQUESTED})
        return self.render_form(request, risk, form, info)

    def post(self, request, risk_pk):
        risk = self.risk(request, risk_pk)
        info = _information_from(request)
        form = AdjustForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            call = handling.adjust_level if data["mode"] == AdjustMode.DIRECT else handling.adjust_request
            try:
                adjustment = call(risk=risk, actor=request.user, to_level=data["to_level"], reason=data["reason"],
                                  information=info)
            except (ValidationError, PermissionDenied, WorkflowError) as exc:
                _form_errors(form, exc)
            else:
                if adjustment.plan_flagged:
                    messages.warning(request, _("等级已调整；按分级负责防控措施须调整，风险点已退回单位：%(p)s") % {
                        "p": adjustment.plan_problems})
                elif adjustment.state == AdjustState.PENDING:
                    messages.success(request, _("已督促单位调整，单位已收到通知。"))
                else:
                    messages.success(request, _("等级已调整，待防控办公布后对外生效。"))
                return redirect(risk)
        return self.render_form(request, risk, form, info, status=400)


class AdjustmentConfirmView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        adjustment = get_object_or_404(LevelAdjustment.objects.for_user(request.user), pk=pk)
        return _act(request, adjustment.risk_point,
                    lambda: handling.adjust_confirm(adjustment=adjustment, actor=request.user), _("已确认调整。"))


class AdjustmentCancelView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        adjustment = get_object_or_404(LevelAdjustment.objects.for_user(request.user), pk=pk)
        return _act(request, adjustment.risk_point,
                    lambda: handling.adjust_cancel(adjustment=adjustment, actor=request.user), _("已撤销督促调整。"))


class ConfigView(View):
    def get(self, request, form=None):
        bureau = office_bureau(request.user, _("只有防控办可以修改文号前缀。"))
        form = form or ConfigForm(initial={"prefix": reference_prefix(bureau)})
        return render(request, "monitoring/config.html", {"form": form, "bureau": bureau,
                                                          "saved": MonitoringConfig.objects.filter(bureau=bureau).exists()})

    def post(self, request):
        form = ConfigForm(request.POST)
        if form.is_valid():
            try:
                config_save(actor=request.user, prefix=form.cleaned_data["prefix"])
            except ValidationError as exc:
                _form_errors(form, exc)
                return self.get(request, form=form)
            messages.success(request, _("文号前缀已保存：此后的编号使用新前缀，已有编号不变。"))
            return redirect("monitoring:config")
        return self.get(request, form=form)



class InformationHistoryView(HistoryView):
    """Changes of a piece of information: the office only, as they name who reported it."""

    model = RiskInformation
    children = ((Assessment, "information_id"), (InformationFile, "information_id"))

    def get(self, request, pk):
        if not sees_reporter(request.user):
            raise PermissionDenied(_("只有防控办可以查看风险信息的修改记录。"))
        return super().get(request, pk)


class WarningHistoryView(HistoryView):
    model = RiskWarning
    children = ((WarningRecord, "warning_id"), (RectificationReport, "warning_id"))
