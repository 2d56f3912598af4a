"""Control plans and their measures, measure progress, evidence, and the yearly round."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.choices import Role
from review.choices import Status
from review.services import WorkflowError, children_sync, review_begin_edit, review_finish_edit
from review.workflow import EDITOR, OFFICE
from riskpoints.choices import CarryDecision
from riskpoints.models import RiskPoint, Round
from riskpoints.services import risk_code_next

from .choices import DEFAULT_RESPONSIBLE, MeasureState, Responsible
from .models import ControlPlan, Evidence, Measure, ResponsibilityRule

MEASURE_FIELDS = ("kind", "content", "responsible", "supervisor", "due_date")


# --- 分级负责 ---------------------------------------------------------------------------------

def responsibility_rules(bureau):
    """{level: Responsible} for the bureau, with the work plan's defaults where unset."""
    rules = dict(DEFAULT_RESPONSIBLE)
    rules.update(ResponsibilityRule.objects.filter(bureau=bureau).values_list("level", "responsible"))
    return rules


def responsibility_rules_save(*, actor, rules):
    """The office sets, per level, who must answer for the measures ({level: Responsible})."""
    bureau = actor.unit.bureau if actor.unit_id else None
    if bureau is None or bureau.pk not in OFFICE.units(actor):
        raise PermissionDenied(_("只有防控办可以修改分级负责规则。"))
    with transaction.atomic():
        for level, responsible in rules.items():
            rule, _created = ResponsibilityRule.objects.get_or_create(
                bureau=bureau, level=level, defaults={"responsible": responsible})
            if rule.responsible != responsible:
                rule.responsible = responsible
                rule._history_user = actor
                rule.save()


def responsible_refusal(user, risk, rules=None):
    """Why ``user`` cannot answer for a measure of ``risk``, or ``None``."""
    required = (rules or responsibility_rules(risk.unit.bureau))[risk.level]
    bureau = risk.unit.bureau
    if user.unit_id is None or user.unit.bureau.pk != bureau.pk:
        return _("%(user)s 不是本局人员。") % {"user": user.display_name}
    ok = {
        Responsible.BUREAU_LEADER: lambda: user.has_role(Role.LEADER, Role.LEADERSHIP),
        Responsible.UNIT_HEAD: lambda: user.has_role(Role.UNIT_HEAD) and user.unit_id in (risk.unit_id, risk.unit.parent_id),
        Responsible.POST_HOLDER: lambda: (user.post_id == risk.post_id) if risk.post_id else user.unit_id == risk.unit_id,
        Responsible.ANYONE: lambda: True,
    }[required]()
    if ok:
        return None
    return _("%(level)s风险的防控措施责任人须为%(who)s，%(user)s 不符合。") % {
        "level": risk.get_level_display(), "who": Responsible(required).label, "user": user.display_name}


# --- the plan -----------------------------------------------------------------------------------

def plan_save(*, risk, actor, lock_version, measures, monitoring=""):
    """Create or change the control plan of ``risk``: its measures' content and people.

    Part of the risk point's content: same scope, lock and revision rules as editing the risk
    point. Every measure's responsible person must satisfy the 分级负责 rule.
    """
    if not measures:
        raise ValidationError(_("防控方案至少要有一条措施。"))
    with transaction.atomic():
        locked = review_begin_edit(item=risk, actor=actor, lock_version=lock_version)
        rules = responsibility_rules(locked.unit.bureau)
        errors = [f"{_('第 %(n)d 条措施') % {'n': i}}：{msg}" for i, m in enumerate(measures, start=1)
                  if (msg := responsible_refusal(m["responsible"], locked, rules))]
        if errors:
            raise ValidationError(errors)
        plan, _created = ControlPlan.objects.get_or_create(risk_point=locked)
        if plan.monitoring != monitoring:
            plan.monitoring = monitoring
            plan._history_user = actor
            plan.save()
        children_sync(parent=plan, manager=plan.measures, rows=measures, fields=MEASURE_FIELDS, actor=actor)
        review_finish_edit(item=locked, actor=actor)
    return plan


def plan_acceptance_problems(risk):
    """Guard on the office's acceptance: a complete plan that follows 分级负责."""
    plan = ControlPlan.objects.filter(risk_point=risk).first()
    measures = list(plan.measures.select_related("responsible__unit") if plan else [])
    if not measures:
        return [_("尚未制定防控措施：有一个风险点就要有一套完整的对应防控措施")]
    rules = responsibility_rules(risk.unit.bureau)
    return [msg for m in measures if (msg := responsible_refusal(m.responsible, risk, rules))]


def plan_snapshot(risk):
    plan = ControlPlan.objects.filter(risk_point=risk).first()
    if plan is None:
        return None
    return {
        "monitoring": plan.monitoring,
        "measures": [
            {"kind": m.kind, "kind_label": str(m.get_kind_display()), "content": m.content,
             "responsible": m.responsible.display_name, "responsible_title": m.responsible.title,
             "supervisor": m.supervisor.display_name if m.supervisor_id else "",
             "due_date": m.due_date.isoformat()}
            for m in plan.measures.select_related("responsible", "supervisor")
        ],
    }


# --- carrying out the measures ------------------------------------------------------------------

def measure_progress(*, measure, actor, state):
    """Record how a measure is carried out. The unit and the responsible person report;
    only the supervisor or the office may find a measure effective."""
    risk = measure.plan.risk_point
    reporter = EDITOR.covers(actor, risk.unit_id) or measure.responsible_id == actor.pk
    assessor = measure.supervisor_id == actor.pk or OFFICE.covers(actor, risk.unit_id)
    if state not in MeasureState.values:
        raise ValidationError(_("无效的落实情况。"))
    if state == MeasureState.EFFECTIVE and not assessor:
        raise PermissionDenied(_("只有监督人或防控办可以评估措施有效。"))
    if not (reporter or assessor):
        raise PermissionDenied(_("您不能填报这条措施的落实情况。"))
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        locked.state = state
        locked._history_user = actor
        locked.save()
    return locked


MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Extension → (MIME type, how the file must begin). Office files are checked as the container
# formats they are (OOXML is a ZIP, the old formats are OLE compound files).
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
}


def evidence_check(upload):
    """The MIME type of an acceptable upload; ``ValidationError`` with the reason otherwise."""
    name = upload.name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("文件“%(name)s”超过 10 MB，请压缩后再上传。") % {"name": name})
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name})
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(_("不支持“%(name)s”的文件类型；只能上传 PDF、图片（JPG、PNG）和 Office 文档（DOC、DOCX、XLS、XLSX）。") % {"name": name})
    mime, magics = EVIDENCE_TYPES[ext]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise ValidationError(_("文件“%(name)s”的内容与扩展名不符。") % {"name": name})
    return mime


def evidence_add(*, measure, actor, upload):
    risk = measure.plan.risk_point
    if not (EDITOR.covers(actor, risk.unit_id) or measure.responsible_id == actor.pk):
        raise PermissionDenied(_("您不能为这条措施上传佐证材料。"))
    mime = evidence_check(upload)
    evidence = Evidence(measure=measure, original_name=upload.name[:200], size=upload.size,
                        content_type=mime, uploaded_by=actor)
    evidence.file.save(upload.name, upload, save=False)
    try:
        with transaction.atomic():
            evidence._history_user = actor
            evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


# --- the yearly round ---------------------------------------------------------------------------

def round_open(*, actor, year):
    """Open ``year``'s round: last round's accepted and published risk points, with their
    plans, are carried over as drafts to be confirmed (unchanged / changed / retired)."""
    bureau = actor.unit.bureau if actor.unit_id else None
    if bureau is None or not OFFICE.units(actor):
        raise PermissionDenied(_("只有防控办可以开启新年度。"))
    with transaction.atomic():
        previous = Round.objects.filter(bureau=bureau).order_by("-year").first()
        if previous and year <= previous.year:
            raise WorkflowError(_("%(year)s 年度已开启或早于当前年度。") % {"year": year})
        new = Round.objects.create(bureau=bureau, year=year, opened_by=actor)
        if previous is None:
            return new, 0
        carried = 0
        old_risks = (
            RiskPoint.objects.filter(round=previous, status__in=[Status.ACCEPTED, Status.PUBLISHED])
            .exclude(carry_decision=CarryDecision.RETIRED)
            .select_related("unit", "plan").order_by("code")
        )
        for old in old_risks:
            copy = RiskPoint(
                round=new, code=risk_code_next(new, old.unit), previous=old, carry_decision=CarryDecision.PENDING,
                created_by=actor, **{f.name: getattr(old, f.name) for f in RiskPoint._meta.fields if f.name in _CARRIED},
            )
            copy._history_user = actor
            copy._change_reason = _("从 %(year)s 年度结转") % {"year": previous.year}
            copy.save()
            old_plan = getattr(old, "plan", None)
            if old_plan is not None:
                plan = ControlPlan.objects.create(risk_point=copy, monitoring=old_plan.monitoring)
                for m in old_plan.measures.all():
                    Measure.objects.create(
                        plan=plan, kind=m.kind, content=m.content, responsible_id=m.responsible_id,
                        supervisor_id=m.supervisor_id, order=m.order, due_date=_next_year(m.due_date))
            carried += 1
    return new, carried


_CARRIED = {"unit", "post", "power", "step", "finding_level", "kind", "found_by", "title", "description",
            "importance", "discretion", "probability", "harm", "suggested_level", "level", "level_reason"}


def _next_year(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + datetime.timedelta(days=365)
