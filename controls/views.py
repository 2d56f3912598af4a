from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from org.files import stored_file_response
from org.inputs import parse_int
from org.scoping import office_bureau, user_bureau
from review.services import WorkflowError
from review.views import editable_or_new
from review.workflow import OFFICE
from riskpoints.models import RiskPoint, Round
from riskpoints.selectors import current_round
from org.sheets import table_workbook, xlsx_response

from .filters import MeasureFilter
from .forms import ControlPlanForm, EvidenceForm, MeasureFormSet, RuleForm, bureau_people, measure_rows
from .models import ControlPlan, Evidence, Measure
from .choices import LAYER_FIELDS, Layer
from .selectors import measures_for
from .services import (
    LAYER_RULES, evidence_add, layers_default, measure_kind_warning, measure_progress, plan_save,
    responsibility_rules, responsibility_rules_save, round_open,
)


class PlanEditView(View):
    """Write or change a risk point's control plan (its measures) — part of the risk point."""

    template_name = "controls/plan_form.html"

    def get_risk(self, request, pk):
        return editable_or_new(request, RiskPoint, pk)

    def forms(self, request, risk, data=None):
        plan = ControlPlan.objects.filter(risk_point=risk).first() or ControlPlan(risk_point=risk)
        initial = {"risk_point": risk.pk}
        if data is None:  # empty layers start from who would normally stand there
            defaults = layers_default(risk)
            initial.update({name: defaults[layer].pk for layer, name in LAYER_FIELDS.items()
                            if defaults[layer] and not getattr(plan, name + "_id")})
        plan_form = ControlPlanForm(data, instance=plan if plan.pk else None, initial=initial, risk=risk)
        formset = MeasureFormSet(data, instance=plan, prefix="m",
                                 form_kwargs={"people": bureau_people(risk), "risk_kind": risk.kind})
        return plan_form, formset

    def render_page(self, request, risk, plan_form, formset):
        rules = responsibility_rules(risk.unit.bureau)
        plan = formset.instance
        warning = None
        if plan.pk and not plan_form.is_bound:
            warning = measure_kind_warning(risk, [m.kind for m in plan.measures.all()])
        return render(request, self.template_name, {
            "object": risk, "plan_form": plan_form, "formset": formset, "answering": rules[risk.level],
            "layer_rules": [(layer, LAYER_RULES[layer], plan_form[LAYER_FIELDS[layer]]) for layer in Layer],
            "kind_warning": warning,
        })

    def get(self, request, pk):
        risk = self.get_risk(request, pk)
        return self.render_page(request, risk, *self.forms(request, risk))

    def post(self, request, pk):
        risk = self.get_risk(request, pk)
        plan_form, formset = self.forms(request, risk, request.POST)
        if plan_form.is_valid() and formset.is_valid():
            if plan_form.cleaned_data["risk_point"].pk != risk.pk:
                raise PermissionDenied
            rows = measure_rows(formset)
            try:
                plan_save(risk=risk, actor=request.user, lock_version=plan_form.cleaned_data["lock_version"],
                          measures=rows, monitoring=plan_form.cleaned_data["monitoring"], layers=plan_form.layers())
            except (ValidationError, WorkflowError) as exc:
                for message in getattr(exc, "messages", None) or [exc.message]:
                    plan_form.add_error(None, message)
            else:
                messages.success(request, _("防控措施已保存。"))
                if warning := measure_kind_warning(risk, [row["kind"] for row in rows]):
                    messages.warning(request, warning)
                return redirect(risk)
        return self.render_page(request, risk, plan_form, formset)


class MeasureProgressView(View):
    """Report a measure's state, and add evidence, from the risk point's page."""

    http_method_names = ["post"]

    def post(self, request, pk):
        measure = get_object_or_404(Measure.objects.for_user(request.user).select_related("plan__risk_point__unit"), pk=pk)
        risk = measure.plan.risk_point
        try:
            if request.POST.get("state"):
                measure_progress(measure=measure, actor=request.user, state=request.POST["state"])
                messages.success(request, _("已更新落实情况。"))
            if request.FILES:
                form = EvidenceForm(request.POST, request.FILES)
                if form.is_valid():
                    evidence_add(measure=measure, actor=request.user, upload=form.cleaned_data["file"])
                    messages.success(request, _("佐证材料已上传。"))
                else:
                    messages.error(request, form.errors["file"][0])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(risk)


@method_decorator(login_not_required, name="dispatch")
class EvidenceView(View):
    """Serve an evidence file to those who may see its risk point, under its original name.

    Anyone else, signed in or not, gets 404: the address does not even confirm the file exists.
    """

    def get(self, request, stored_id):
        return stored_file_response(get_object_or_404(Evidence.objects.for_user(request.user), stored_id=stored_id))


class RulesView(View):
    """The office sets 分级负责: which of the three layers answers for a risk of each level."""

    def bureau(self, request):
        return office_bureau(request.user, _("只有防控办可以修改分级负责规则。"))

    def get(self, request):
        bureau = self.bureau(request)
        return render(request, "controls/rules.html", {"form": RuleForm(rules=responsibility_rules(bureau))})

    def post(self, request):
        bureau = self.bureau(request)
        form = RuleForm(request.POST, rules=responsibility_rules(bureau))
        if form.is_valid():
            responsibility_rules_save(actor=request.user, rules=form.rules())
            messages.success(request, _("分级负责规则已保存；此后保存和验收的防控方案按新规则检查。"))
            return redirect("controls:rules")
        return render(request, "controls/rules.html", {"form": form})


class RoundsView(View):
    """Yearly rounds; the office opens next year's, carrying accepted risk points over."""

    def get(self, request):
        bureau = user_bureau(request.user)
        rounds = Round.objects.filter(bureau=bureau).order_by("-year")
        return render(request, "controls/rounds.html", {
            "rounds": rounds, "is_office": bool(OFFICE.units(request.user)),
            "next_year": (rounds[0].year + 1) if rounds else timezone.localdate().year,
        })

    YEARS = (2000, 2100)

    def post(self, request):
        year = parse_int(request.POST.get("year"), min_value=self.YEARS[0], max_value=self.YEARS[1])
        if year is None:
            messages.error(request, _("请填写正确的年度（%(first)s 至 %(last)s 之间的四位数字）。") % {
                "first": self.YEARS[0], "last": self.YEARS[1]})
            return redirect("controls:rounds")
        try:
            new, carried = round_open(actor=request.user, year=year)
        except WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已开启 %(year)s 年度，结转 %(n)d 个风险点，请各单位逐项确认。") % {"year": new.year, "n": carried})
        return redirect("controls:rounds")


# --- the measures list -------------------------------------------------------------------------

def _measure_rows(user):
    return measures_for(user).select_related(
        "plan__risk_point__unit", "responsible", "supervisor").order_by("due_date", "pk")


class MeasureListView(FilterView):
    """Every measure in the user's scope, filtered (a dashboard's figures link here)."""

    filterset_class = MeasureFilter
    template_name = "controls/measure_list.html"
    paginate_by = settings.PAGINATE_BY

    def get_queryset(self):
        return _measure_rows(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user,
                "current_round": current_round(self.request.user)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


class MeasureExportView(View):
    """The measures list exactly as filtered, as .xlsx."""

    def get(self, request):
        f = MeasureFilter(data=request.GET, queryset=_measure_rows(request.user), user=request.user,
                          current_round=current_round(request.user))
        rows = [[m.plan.risk_point.code, m.plan.risk_point.title, m.plan.risk_point.unit.name,
                 m.plan.risk_point.get_level_display(), m.get_kind_display(), m.content, m.responsible.display_name,
                 m.supervisor.display_name if m.supervisor else "", m.due_date, m.get_state_display()]
                for m in f.qs]
        headers = [_("风险点编号"), _("风险点"), _("单位"), _("风险等级"), _("措施类型"), _("防控措施"), _("责任人"),
                   _("监督人"), _("完成期限"), _("落实情况")]
        return xlsx_response(table_workbook([str(h) for h in headers], rows, {str(_("防控措施")): 50}),
                             f"measures-{timezone.localdate():%Y%m%d}.xlsx")
