"""Handling risk information (处置纠正问题, work plan §三(二)5 and §三(五)): assessment, tasks
to units, warnings and their handling, level adjustments. Views, commands and tests call these;
each checks who acts, runs in one transaction and leaves history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from controls.services import plan_acceptance_problems
from notices.services import notification_send
from org.choices import Role
from org.files import files_store
from org.models import Unit, User
from org.scoping import subtree_q
from review.services import WorkflowError, review_office_change
from review.workflow import EDITOR, OFFICE
from riskpoints.choices import RiskLevel
from riskpoints.models import RiskPoint

from .authority import issue_refusal
from .choices import (
    METHOD_TARGET, RECORDED_METHODS, AdjustMode, AdjustState, InfoState, Method, Outcome, ProposalState, TaskKind,
    TaskState, Target,
    Verdict, WarningState,
)
from .models import (
    Assessment, LevelAdjustment, RectificationReport, ReportFile, RiskInformation, RiskWarning,
    UnitTask, WarningRecord,
)
from .services import next_number, reference_prefix


def _save(obj, actor, reason=""):
    obj._history_user = actor
    if reason:
        obj._change_reason = str(reason)
    obj.save()
    return obj


def _office_guard(actor, bureau_id, refusal):
    if not OFFICE.covers(actor, bureau_id):
        raise PermissionDenied(refusal)


def _unit_people(unit, *roles):
    return User.objects.filter(is_active=True, unit=unit, groups__name__in=roles).distinct()


def _notify(people, *, subject, url, key, body=""):
    for person in people:
        notification_send(recipient=person, subject=subject, body=body, url=url, key=f"{key}-{person.pk}")


# --- assessment (研判) -----------------------------------------------------------------------

def _locked_open(info):
    locked = RiskInformation.objects.select_for_update().get(pk=info.pk)
    if locked.state == InfoState.CLOSED:
        raise WorkflowError(_("这条信息已办结，不能再研判。"))
    return locked


def _assessed(locked, actor, outcome, reasoning, state):
    reasoning = (reasoning or "").strip()
    if not reasoning:
        raise ValidationError({"reasoning": _("请写明研判理由。")})
    Assessment.objects.create(information=locked, outcome=outcome, reasoning=reasoning, assessed_by=actor)
    locked.state, locked.assessment, locked.assessed_at = state, reasoning, timezone.now()
    if state == InfoState.CLOSED:
        locked.closed_at = timezone.now()
    _save(locked, actor, Outcome(outcome).label)


def assess(*, info, actor, outcome, reasoning):
    """不予采信 (closes it) or 存档观察 (keeps it open for a later assessment)."""
    _office_guard(actor, info.bureau_id, _("只有防控办可以研判风险信息。"))
    states = {Outcome.REJECT: InfoState.CLOSED, Outcome.OBSERVE: InfoState.OBSERVING}
    if outcome not in states:
        raise ValidationError(_("该研判结论须通过对应的表单作出（责成单位、发出预警或调整等级）。"))
    with transaction.atomic():
        locked = _locked_open(info)
        if locked.state == InfoState.ASSESSED:
            raise WorkflowError(_("这条信息正在处置中：任务、预警和督促调整完成后自动办结。"))
        _assessed(locked, actor, outcome, reasoning, states[outcome])


def information_settle(info_ids, actor):
    """Close each piece of information whose every task, warning and adjustment is done."""
    for info in RiskInformation.objects.select_for_update().filter(pk__in=info_ids, state=InfoState.ASSESSED):
        open_items = (info.tasks.filter(state=TaskState.OPEN).exists()
                      or info.warnings.exclude(state=WarningState.CLOSED).exists()
                      or info.adjustments.filter(state=AdjustState.PENDING).exists()
                      or info.proposals.filter(state=ProposalState.PENDING).exists())
        if not open_items:
            info.state, info.closed_at = InfoState.CLOSED, timezone.now()
            _save(info, actor, _("处置完毕"))


# --- tasks to units (责成单位制定防范措施) ----------------------------------------------------

def task_assign(*, info, actor, unit, kind, instruction, due_date, reasoning, risk_point=None):
    _office_guard(actor, info.bureau_id, _("只有防控办可以责成单位制定防范措施。"))
    if unit.bureau.pk != info.bureau_id or unit.parent_id is None:
        raise ValidationError({"unit": _("请选择本局的一个单位。")})
    if kind == TaskKind.CHANGE_PLAN:
        if risk_point is None:
            raise ValidationError({"risk_point": _("修改防控措施须指明风险点。")})
        if not Unit.objects.filter(subtree_q([unit.pk]), pk=risk_point.unit_id).exists():
            raise ValidationError({"risk_point": _("风险点须属于所责成的单位。")})
    else:
        risk_point = None
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("完成期限不能早于今天。")})
    with transaction.atomic():
        locked = _locked_open(info)
        _assessed(locked, actor, Outcome.TASK, reasoning, InfoState.ASSESSED)
        task = _save(UnitTask(bureau=unit.bureau, information=locked, unit=unit, kind=kind, risk_point=risk_point,
                              instruction=instruction.strip(), due_date=due_date, issued_by=actor), actor)
        _notify(_unit_people(unit, Role.UNIT_HEAD, Role.STAFF), url=task.get_absolute_url(), key=f"task-{task.pk}",
                subject=_("防控办责成%(unit)s%(kind)s，期限 %(due)s") % {
                    "unit": unit.name, "kind": task.get_kind_display(), "due": f"{due_date:%Y-%m-%d}"},
                body=task.instruction)
    return task


def task_may_answer(user, task):
    return task.state == TaskState.OPEN and EDITOR.covers(user, task.unit_id)


def task_complete(*, task, actor, risk, answer):
    """The unit answers the task with the risk point that carries it out."""
    answer = (answer or "").strip()
    with transaction.atomic():
        locked = UnitTask.objects.select_for_update().get(pk=task.pk)
        if not task_may_answer(actor, locked):
            raise PermissionDenied(_("只有%(unit)s的工作人员或负责人可以落实这项任务。") % {"unit": locked.unit})
        if not answer:
            raise ValidationError({"answer": _("请说明落实情况。")})
        if risk is None or not Unit.objects.filter(subtree_q([locked.unit_id]), pk=risk.unit_id).exists():
            raise ValidationError({"risk": _("请选择本单位落实任务的风险点。")})
        if locked.kind == TaskKind.CHANGE_PLAN and risk.pk != locked.risk_point_id:
            raise ValidationError({"risk": _("这项任务要求修改风险点“%(risk)s”的防控措施。") % {"risk": locked.risk_point}})
        if locked.kind == TaskKind.NEW_RISK and risk.created_at < locked.created_at:
            raise ValidationError({"risk": _("请选择交办后新登记的风险点。")})
        locked.state, locked.result_risk, locked.answer = TaskState.DONE, risk, answer
        locked.done_by, locked.done_at = actor, timezone.now()
        _save(locked, actor, _("已落实"))
        information_settle([locked.information_id], actor)
        _notify([locked.issued_by], url=locked.get_absolute_url(), key=f"task-{locked.pk}-done",
                subject=_("%(unit)s已落实防范任务（%(risk)s）") % {"unit": locked.unit.name, "risk": risk.code}, body=answer)
    return locked


# --- warnings (预警处置) ----------------------------------------------------------------------

def _warning_number(bureau, method, today):
    kind = "rectify" if method == Method.RECTIFY else "warning"
    word = "整改" if method == Method.RECTIFY else "廉预"  # part of the stored 文号: never translated
    return f"{reference_prefix(bureau)}{word}〔{today.year}〕{next_number(bureau, kind, today.year)}号"


def warning_issue(*, actor, method, nature, reason, person=None, unit=None, deadline=None, requirement="",
                  information=(), risk_points=(), reasoning=None):
    """Issue a warning under the authority table; with ``reasoning`` it is the assessment
    (发出预警) of each piece of ``information``."""
    if METHOD_TARGET.get(method) == Target.PERSON:
        unit = person.unit if person is not None else None
    else:
        person = None
    if refusal := issue_refusal(actor, method, person=person, unit=unit):
        raise PermissionDenied(refusal)
    if not receivers_for(method, person=person, unit=unit):
        raise ValidationError(_("%(unit)s没有可以签收的%(who)s，无法发出“%(method)s”。") % {
            "unit": unit, "method": Method(method).label,
            "who": _("分管领导") if method == Method.LEADER_ADMONITION else _("单位负责人")})
    if method == Method.RECTIFY:
        if deadline is None:
            raise ValidationError({"deadline": _("限期整改须规定整改期限。")})
        if deadline < timezone.localdate():
            raise ValidationError({"deadline": _("整改期限不能早于今天。")})
        if not (requirement or "").strip():
            raise ValidationError({"requirement": _("限期整改须写明整改要求。")})
    else:
        deadline = None
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请写明预警事由。")})
    bureau = unit.bureau
    for risk in risk_points:
        if risk.unit.bureau.pk != bureau.pk:
            raise ValidationError({"risk_points": _("风险点须属于本局。")})
    today = timezone.localdate()
    with transaction.atomic():
        infos = []
        for info in information:
            if info.bureau_id != bureau.pk:
                raise ValidationError(_("风险信息须属于本局。"))
            locked = _locked_open(info)
            if reasoning is not None:
                _office_guard(actor, info.bureau_id, _("只有防控办可以研判风险信息。"))
                _assessed(locked, actor, Outcome.WARN, reasoning, InfoState.ASSESSED)
            infos.append(locked)
        warning = _save(RiskWarning(
            bureau=bureau, number=_warning_number(bureau, method, today), target=METHOD_TARGET[method], person=person,
            unit=unit, method=method, nature=nature, reason=reason.strip(), requirement=(requirement or "").strip(),
            deadline=deadline, issued_by=actor, issued_on=today), actor)
        warning.information.set(infos)
        warning.risk_points.set(risk_points)
        _notify(warning_receivers(warning), url=warning.get_absolute_url(), key=f"warning-{warning.pk}",
                subject=_("%(number)s：%(method)s，请签收") % {"number": warning.number, "method": warning.get_method_display()})
    return warning


def _leaders_of(unit):
    """The leaders in charge of ``unit`` (they oversee it or a unit above it)."""
    above = [u for u in (unit.pk, unit.parent_id, unit.parent.parent_id if unit.parent_id else None) if u]
    return User.objects.filter(is_active=True, groups__name=Role.LEADER, oversees__in=above).distinct()


def receivers_for(method, *, person=None, unit=None):
    """Who acknowledges a warning: the person warned; for 对责任领导诫勉谈话 the unit's leaders in
    charge; else the heads of the unit warned (of the unit above, for a squad with no head)."""
    if METHOD_TARGET[method] == Target.PERSON:
        return [person]
    if method == Method.LEADER_ADMONITION:
        return list(_leaders_of(unit))
    heads = list(_unit_people(unit, Role.UNIT_HEAD))
    if not heads and unit.parent_id and unit.parent.parent_id:
        heads = list(_unit_people(unit.parent, Role.UNIT_HEAD))
    return heads


def warning_receivers(warning):
    return receivers_for(warning.method, person=warning.person, unit=warning.unit)


def may_acknowledge(user, warning):
    return warning.state == WarningState.ISSUED and user in warning_receivers(warning)


def may_handle(user, warning):
    """The issuer and the office of the bureau record talks, verify reports and close."""
    return warning.issued_by_id == user.pk or OFFICE.covers(user, warning.bureau_id)


def may_report(user, warning):
    """The heads who acknowledged for the unit also report its rectification."""
    return (warning.is_rectification and warning.state == WarningState.ACKNOWLEDGED
            and user in warning_receivers(warning))


def _locked_warning(warning):
    return RiskWarning.objects.select_for_update().get(pk=warning.pk)


def warning_acknowledge(*, warning, actor):
    with transaction.atomic():
        locked = _locked_warning(warning)
        if not may_acknowledge(actor, locked):
            raise PermissionDenied(_("只有预警对象（个人本人或单位负责人）可以签收，且只能签收一次。"))
        locked.state, locked.acknowledged_by, locked.acknowledged_at = WarningState.ACKNOWLEDGED, actor, timezone.now()
        _save(locked, actor, _("签收"))
        _notify([locked.issued_by], url=locked.get_absolute_url(), key=f"warning-{locked.pk}-ack",
                subject=_("%(number)s已由%(who)s签收") % {"number": locked.number, "who": actor.display_name})
    return locked


def warning_record_save(*, warning, actor, data):
    """The record of the talk or meeting a warning was carried out by."""
    with transaction.atomic():
        locked = _locked_warning(warning)
        if not may_handle(actor, locked):
            raise PermissionDenied(_("只有发出人和防控办可以填写谈话（会议）记录。"))
        if locked.method not in RECORDED_METHODS:
            raise ValidationError(_("“%(method)s”不需要谈话（会议）记录。") % {"method": locked.get_method_display()})
        if locked.state == WarningState.CLOSED:
            raise WorkflowError(_("预警已办结，记录不能再修改。"))
        record = WarningRecord.objects.filter(warning=locked).first() or WarningRecord(warning=locked)
        for field in ("held_at", "place", "participants", "content", "statement"):
            setattr(record, field, data.get(field) or "")
        record.recorded_by = actor
        _save(record, actor)
    return record


def report_submit(*, warning, actor, content, uploads=()):
    """The unit reports its rectification, with evidence; the office verifies it."""
    content = (content or "").strip()
    with transaction.atomic():
        locked = _locked_warning(warning)
        if not may_report(actor, locked):
            raise PermissionDenied(_("整改报告由被要求整改单位的负责人在签收后提交，验收期间不能重复提交。"))
        if not content:
            raise ValidationError({"content": _("请填写整改情况。")})
        report = _save(RectificationReport(warning=locked, content=content, submitted_by=actor), actor)
        files_store(ReportFile, "report", report, actor, uploads)
        locked.state = WarningState.REPORTED
        _save(locked, actor, _("提交整改报告"))
        _notify([locked.issued_by], url=locked.get_absolute_url(), key=f"report-{report.pk}",
                subject=_("%(unit)s提交了%(number)s的整改报告，请验收") % {"unit": locked.unit.name, "number": locked.number})
    return report


def report_verify(*, report, actor, verdict, comment):
    """验收通过 closes the 限期整改; 退回重报 (with a reason) sends the unit back to work."""
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = _locked_warning(report.warning)
        report = RectificationReport.objects.select_for_update().get(pk=report.pk)
        if not may_handle(actor, locked):
            raise PermissionDenied(_("只有发出人和防控办可以验收整改报告。"))
        if locked.state != WarningState.REPORTED or report.verdict != Verdict.PENDING:
            raise WorkflowError(_("这份整改报告已验收。"))
        if verdict not in (Verdict.ACCEPTED, Verdict.RETURNED):
            raise ValidationError({"verdict": _("请选择验收结论。")})
        if verdict == Verdict.RETURNED and not comment:
            raise ValidationError({"comment": _("退回重报须写明理由。")})
        report.verdict, report.verdict_comment, report.verified_by, report.verified_at = (
            verdict, comment, actor, timezone.now())
        _save(report, actor)
        if verdict == Verdict.ACCEPTED:
            _close(locked, actor, comment or _("整改验收通过。"))
        else:
            locked.state = WarningState.ACKNOWLEDGED
            _save(locked, actor, _("退回重报"))
        _notify(warning_receivers(locked), url=locked.get_absolute_url(), key=f"report-{report.pk}-{verdict}",
                subject=_("%(number)s整改报告：%(verdict)s") % {"number": locked.number, "verdict": report.get_verdict_display()},
                body=comment)
    return report


def _close(locked, actor, note):
    locked.state, locked.closed_by, locked.closed_at, locked.closing_note = WarningState.CLOSED, actor, timezone.now(), note
    _save(locked, actor, _("办结"))
    information_settle(locked.information.values_list("pk", flat=True), actor)


def close_refusal(warning):
    if warning.state == WarningState.ISSUED:
        return _("预警尚未签收，不能办结。")
    if warning.state == WarningState.CLOSED:
        return _("预警已办结。")
    if warning.is_rectification:
        return _("限期整改在整改报告验收通过后办结。")
    if warning.method in RECORDED_METHODS and not WarningRecord.objects.filter(warning=warning).exists():
        return _("请先填写谈话（会议）记录。")
    return None


def warning_close(*, warning, actor, note):
    note = (note or "").strip()
    with transaction.atomic():
        locked = _locked_warning(warning)
        if not may_handle(actor, locked):
            raise PermissionDenied(_("只有发出人和防控办可以办结预警。"))
        if refusal := close_refusal(locked):
            raise WorkflowError(refusal)
        if not note:
            raise ValidationError({"note": _("请填写办结意见。")})
        _close(locked, actor, note)
    return locked


# --- level adjustment (调整风险等级) -----------------------------------------------------------

def _adjust_check(actor, risk, to_level, reason):
    _office_guard(actor, risk.unit.bureau.pk, _("只有防控办可以调整风险等级。"))
    if to_level not in RiskLevel.values:
        raise ValidationError({"to_level": _("请选择调整后的等级。")})
    if to_level == risk.level:
        raise ValidationError({"to_level": _("调整后的等级与现等级相同。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("调整风险等级须说明理由。")})


def _assess_for_adjustment(information, actor, reasoning, state):
    if information is not None:
        _assessed(_locked_open(information), actor, Outcome.ADJUST, reasoning or _("调整风险等级"), state)


def adjust_level(*, risk, actor, to_level, reason, information=None):
    """The office changes the level of an accepted or published risk point. When the new level
    needs another responsible layer under 分级负责, the risk point goes back to its unit."""
    _adjust_check(actor, risk, to_level, reason)
    reason = reason.strip()
    holder = {}

    def change(locked):
        holder["from"] = locked.level
        locked.level, locked.level_reason = to_level, reason
        return plan_acceptance_problems(locked)

    with transaction.atomic():
        _record, problems = review_office_change(item=risk, actor=actor, comment=_("调整风险等级：%(reason)s") % {"reason": reason},
                                                change=change)
        adjustment = _save(LevelAdjustment(
            bureau=risk.unit.bureau, risk_point=risk, information=information, mode=AdjustMode.DIRECT,
            from_level=holder["from"], to_level=to_level, reason=reason, state=AdjustState.DONE,
            plan_flagged=bool(problems), plan_problems="；".join(map(str, problems)), requested_by=actor,
            done_by=actor, done_at=timezone.now()), actor)
        _assess_for_adjustment(information, actor, reason, InfoState.ASSESSED)
        if information is not None:
            information_settle([information.pk], actor)  # closes it unless other handling is open
        _tell_unit(adjustment, problems)
    return adjustment


def adjust_request(*, risk, actor, to_level, reason, information=None):
    """督促调整: the office asks the unit to change the level through its own edit."""
    _adjust_check(actor, risk, to_level, reason)
    with transaction.atomic():
        if LevelAdjustment.objects.filter(risk_point=risk, state=AdjustState.PENDING).exists():
            raise WorkflowError(_("该风险点已有待单位落实的等级调整。"))
        adjustment = _save(LevelAdjustment(
            bureau=risk.unit.bureau, risk_point=risk, information=information, mode=AdjustMode.REQUESTED,
            from_level=risk.level, to_level=to_level, reason=reason.strip(), state=AdjustState.PENDING,
            requested_by=actor), actor)
        _assess_for_adjustment(information, actor, reason, InfoState.ASSESSED)
        _tell_unit(adjustment, [])
    return adjustment


def adjust_may_confirm(user, adjustment):
    return adjustment.state == AdjustState.PENDING and EDITOR.covers(user, adjustment.risk_point.unit_id)


def adjust_confirm(*, adjustment, actor):
    """The unit confirms it changed the level as asked (its edit goes through review as usual)."""
    with transaction.atomic():
        locked = LevelAdjustment.objects.select_for_update().get(pk=adjustment.pk)
        if not adjust_may_confirm(actor, locked):
            raise PermissionDenied(_("只有该风险点所在单位可以确认调整。"))
        risk = RiskPoint.objects.get(pk=locked.risk_point_id)
        if risk.level != locked.to_level:
            raise WorkflowError(_("风险点现为%(now)s，尚未调整为%(to)s：请先修改风险点的等级。") % {
                "now": risk.get_level_display(), "to": RiskLevel(locked.to_level).label})
        problems = plan_acceptance_problems(risk)
        locked.state, locked.done_by, locked.done_at = AdjustState.DONE, actor, timezone.now()
        locked.plan_flagged, locked.plan_problems = bool(problems), "；".join(map(str, problems))
        _save(locked, actor, _("已调整"))
        if locked.information_id:
            information_settle([locked.information_id], actor)
        _notify([locked.requested_by], url=risk.get_absolute_url(), key=f"adjust-{locked.pk}-done",
                subject=_("%(code)s已按要求调整为%(to)s") % {"code": risk.code, "to": RiskLevel(locked.to_level).label})
    return locked


def adjust_cancel(*, adjustment, actor):
    with transaction.atomic():
        locked = LevelAdjustment.objects.select_for_update().get(pk=adjustment.pk)
        _office_guard(actor, locked.bureau_id, _("只有防控办可以撤销督促调整。"))
        if locked.state != AdjustState.PENDING:
            raise WorkflowError(_("只有待单位调整的督促可以撤销。"))
        locked.state = AdjustState.CANCELLED
        _save(locked, actor, _("撤销"))
        if locked.information_id:
            information_settle([locked.information_id], actor)
    return locked


def _tell_unit(adjustment, problems):
    risk = adjustment.risk_point
    if adjustment.mode == AdjustMode.DIRECT:
        subject = _("防控办将风险点 %(code)s 调整为%(to)s") % {"code": risk.code, "to": RiskLevel(adjustment.to_level).label}
    else:
        subject = _("防控办督促将风险点 %(code)s 调整为%(to)s") % {"code": risk.code, "to": RiskLevel(adjustment.to_level).label}
    body = adjustment.reason
    if problems:
        body += "\n" + _("按分级负责须调整防控措施：%(problems)s") % {"problems": "；".join(map(str, problems))}
    _notify(_unit_people(risk.unit, Role.UNIT_HEAD, Role.STAFF), subject=subject, body=body,
            url=risk.get_absolute_url(), key=f"adjust-{adjustment.pk}")

