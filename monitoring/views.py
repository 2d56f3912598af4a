from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from org.inputs import parse_int
from review.services import WorkflowError
from riskpoints.choices import FindingLevel, FoundBy
from riskpoints.forms import RiskPointForm
from riskpoints.models import RiskPoint
from riskpoints.views import RiskEditView
from schedules.models import CampaignTask, RiskCheck, TaskAnswer

from .choices import ProposalState
from .forms import ProposalDeclineForm, ProposalForm
from .models import RiskProposal
from .selectors import information_for, proposals_waiting
from .services import (
    information_from_finding, information_from_risk_check, proposal_accept, proposal_channels, proposal_create,
    proposal_decline, proposal_may_answer,
)


# --- proposals of risk points ------------------------------------------------------------------

def _proposals(user):
    return RiskProposal.objects.for_user(user).select_related(
        "proposer", "target_unit", "power", "post", "risk_point", "answered_by")


class ProposalListView(View):
    """Proposals addressed to the user's units and those the user made; 待处理 first for a unit
    that must answer."""

    def get(self, request):
        qs = _proposals(request.user)
        show = request.GET.get("show")
        if show == "todo":
            qs = qs & proposals_waiting(request.user)
        elif show == "mine":
            qs = qs.filter(proposer=request.user)
        else:
            show = None
        page = Paginator(qs, 25).get_page(request.GET.get("page"))
        return render(request, "monitoring/proposal_list.html", {
            "page_obj": page, "show": show, "may_propose": bool(proposal_channels(request.user)),
            "todo_count": proposals_waiting(request.user).count(),
        })


class ProposalCreateView(View):
    """Propose a risk point to a unit; with ``?information=<id>`` the office turns a piece of
    risk information (a public opinion) into a proposal (群众提)."""

    def information(self, request):
        raw = request.GET.get("information")
        if raw is None:
            return None
        pk = parse_int(raw)
        if pk is None:
            raise Http404
        return get_object_or_404(information_for(request.user), pk=pk)

    def form(self, request, information, data=None):
        initial = {}
        if information is not None:
            initial = {"found_by": FoundBy.PUBLIC, "target_unit": information.concerns_unit_id,
                       "power": information.concerns_power_id, "description": information.content}
        form = ProposalForm(data, user=request.user, information=information, initial=initial)
        if not form.fields["found_by"].choices:
            raise PermissionDenied(_("您没有提出风险点建议的权限：领导、评审专家、其他单位和防控办可以提出。"))
        return form

    def render_form(self, request, form, information):
        return render(request, "monitoring/proposal_form.html", {"form": form, "information": information})

    def get(self, request):
        information = self.information(request)
        return self.render_form(request, self.form(request, information), information)

    def post(self, request):
        information = self.information(request)
        form = self.form(request, information, request.POST)
        if form.is_valid():
            try:
                proposal = proposal_create(actor=request.user, information=information, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, " ".join(getattr(exc, "messages", None) or [str(exc)]))
            else:
                messages.success(request, _("已向%(unit)s提出风险点建议，等待该单位处理。") % {"unit": proposal.target_unit})
                return redirect(proposal)
        return self.render_form(request, form, information)


class ProposalDetailView(View):
    def get(self, request, pk):
        proposal = get_object_or_404(_proposals(request.user), pk=pk)
        may_answer = proposal.state == ProposalState.PENDING and proposal_may_answer(request.user, proposal)
        return render(request, "monitoring/proposal_detail.html", {
            "object": proposal, "may_answer": may_answer, "side_first": may_answer,
            "decline_form": ProposalDeclineForm(),
            "sees_risk": proposal.risk_point_id and RiskPoint.objects.for_user(request.user).filter(pk=proposal.risk_point_id).exists(),
        })


def _answerable(request, pk):
    """The proposal if the user may answer it: 404 outside their scope, 403 in scope but not
    one of the target unit's staff or heads."""
    proposal = get_object_or_404(_proposals(request.user), pk=pk)
    if not proposal_may_answer(request.user, proposal):
        raise PermissionDenied(_("只有%(unit)s的工作人员或负责人可以处理这条建议。") % {"unit": proposal.target_unit})
    return proposal


class ProposalAcceptView(RiskEditView):
    """Accept a proposal into the register: the risk form, pre-filled from the proposal (unit,
    post, power, how it was found, the risk and how it shows itself); saving registers the risk
    point and links it to the proposal."""

    def initial(self, proposal):
        initial = {"unit": proposal.target_unit_id, "found_by": proposal.found_by, "title": proposal.title,
                   "description": proposal.description,
                   # A proposal without a post is a risk of the unit's work (部门层面) until the unit says otherwise.
                   "finding_level": FindingLevel.POST if proposal.post_id else FindingLevel.DEPARTMENT}
        initial.update({k: v for k, v in (("post", proposal.post_id), ("power", proposal.power_id)) if v})
        return initial

    def pending(self, request, proposal):
        if proposal.state != ProposalState.PENDING:
            messages.error(request, _("这条建议已处理（%(state)s）。") % {"state": proposal.get_state_display()})
            return False
        return True

    def get(self, request, pk):
        proposal = _answerable(request, pk)
        if not self.pending(request, proposal):
            return redirect(proposal)
        messages.info(request, _("根据%(who)s的建议（%(how)s）登记风险点：请核对单位、岗位和表现形式，评定等级后保存。") % {
            "who": proposal.proposer.display_name, "how": proposal.get_found_by_display()})
        form = RiskPointForm(instance=RiskPoint(), user=request.user, initial=self.initial(proposal))
        return self.render_form(request, RiskPoint(), form)

    def post(self, request, pk):
        proposal = _answerable(request, pk)
        if not self.pending(request, proposal):
            return redirect(proposal)
        form = RiskPointForm(request.POST, instance=RiskPoint(), user=request.user)
        if not form.is_valid():
            messages.error(request, _("保存失败，请按提示修改后再提交。"))
            return self.render_form(request, RiskPoint(), form)
        try:
            risk = proposal_accept(proposal=proposal, actor=request.user, data=form.cleaned_data)
        except (WorkflowError, PermissionDenied, ValidationError) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", None) or [getattr(exc, "message", None) or str(exc)]))
            return self.render_form(request, RiskPoint(), form)
        messages.success(request, _("已采纳建议并登记风险点 %(code)s（草稿），提出人已收到通知。") % {"code": risk.code})
        return redirect(risk)


class ProposalDeclineView(View):
    """The unit answers why it does not take the proposal into its register."""

    http_method_names = ["post"]

    def post(self, request, pk):
        proposal = _answerable(request, pk)
        form = ProposalDeclineForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(proposal)
        try:
            proposal_decline(proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"])
        except (WorkflowError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [exc.message]))
        else:
            messages.success(request, _("已答复不采纳，提出人已收到通知。"))
        return redirect(proposal)


def _finding_done(request, info):
    if info.already:
        messages.info(request, _("该问题已登记为廉政风险信息 %(ref)s，不会重复登记。") % {"ref": info.reference})
    else:
        messages.success(request, _("已登记为廉政风险信息 %(ref)s。") % {"ref": info.reference})
    return redirect(info)


@require_POST
def information_from_finding_view(request, pk):
    """POST: a self-inspection finding of a task in the user's scope becomes risk information."""
    answer = get_object_or_404(TaskAnswer.objects.select_related("task__campaign__bureau", "task__unit", "item")
                               .filter(task__in=CampaignTask.objects.for_user(request.user)), pk=pk)
    try:
        info = information_from_finding(actor=request.user, answer=answer)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(answer.task)
    return _finding_done(request, info)


@require_POST
def information_from_risk_check_view(request, pk):
    """POST: a problem found with a risk point's measure in a self-inspection of the user's
    scope becomes risk information about that risk point."""
    check = get_object_or_404(RiskCheck.objects.select_related("task__campaign__bureau", "task__unit")
                              .filter(task__in=CampaignTask.objects.for_user(request.user)), pk=pk)
    try:
        info = information_from_risk_check(actor=request.user, check=check)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(check.task)
    return _finding_done(request, info)
