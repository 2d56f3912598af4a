"""Registering, assessing and editing risk points. Workflow steps go through ``review.services``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from review.services import review_begin_edit, review_create, review_finish_edit
from review.workflow import OFFICE

from .choices import CarryDecision, RiskKind, RiskLevel
from .models import AssessmentRubric, RiskCodeCounter, RiskPoint, Round

RISK_FIELDS = ("unit", "post", "power", "step", "finding_level", "kind", "found_by", "title", "description",
               "importance", "discretion", "probability", "harm", "level", "level_reason")


def rubric_for(bureau):
    """The bureau's rubric; the defaults (written from the work plan) on first use."""
    return AssessmentRubric.objects.get_or_create(bureau=bureau)[0]


def rubric_save(*, actor, values):
    """The office changes its bureau's rubric; later registrations and edits follow it."""
    bureau = actor.unit.bureau if actor.unit_id else None
    if bureau is None or bureau.pk not in OFFICE.units(actor):
        raise PermissionDenied(_("只有防控办可以修改评定标准。"))
    with transaction.atomic():
        rubric = AssessmentRubric.objects.select_for_update().get(pk=rubric_for(bureau).pk)
        for field, value in values.items():
            setattr(rubric, field, value)
        rubric._history_user = actor
        rubric.save()
    return rubric


def round_for(bureau, year=None):
    """The bureau's round of ``year`` (this year by default), opened on first use."""
    year = year or timezone.localdate().year
    return Round.objects.get_or_create(bureau=bureau, year=year)[0]


def risk_check(*, data):
    """Every rule a risk point's fields must satisfy; returns the suggested level.

    Raises ``ValidationError`` with a message per field. Forms call this in ``clean()`` and
    the services call it again before saving, so the rule has one home.
    """
    errors = {}
    unit, post, power, step = data.get("unit"), data.get("post"), data.get("power"), data.get("step")
    if post is not None and unit is not None and post.unit_id != unit.pk:
        errors["post"] = _("岗位必须属于所选单位。")
    if data.get("finding_level") == "post" and post is None:
        errors["post"] = _("岗位层面的风险点须指明岗位。")
    if power is None and data.get("kind") != RiskKind.SYSTEM:
        errors["power"] = _("岗位职责和业务流程类风险点须指明涉及的职权；只有制度机制类风险可以不指明。")
    if step is not None and (power is None or step.power_id != power.pk):
        errors["step"] = _("流程环节必须属于所选职权的流程。")
    factors = [data.get(k) for k in ("importance", "discretion", "probability", "harm")]
    suggested = None
    if unit is not None and all(f in (1, 2, 3) for f in factors):
        suggested = rubric_for(unit.bureau).suggest(*factors)
        level = data.get("level")
        if level and level != suggested and not (data.get("level_reason") or "").strip():
            errors["level_reason"] = _("确定的等级（%(level)s）与评定标准建议的等级（%(suggested)s）不同，须说明理由。") % {
                "level": _level_label(level), "suggested": _level_label(suggested)}
    if errors:
        raise ValidationError(errors)
    return suggested


def _level_label(level):
    return RiskLevel(level).label


def risk_codes_reserve(*, round_, unit, count=1):
    """Take the next ``count`` register numbers of ``unit`` in ``round_``: ``2026-GHDD-007``.

    The numbers come from the unit's ``RiskCodeCounter`` row, locked until the caller's
    transaction ends, so concurrent registrations and imports never share a number. A counter
    is started at the highest number its unit already has in that year, read as a number.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("risk_codes_reserve() must run inside the transaction that saves the codes")
    counters = RiskCodeCounter.objects.select_for_update().filter(round=round_, unit=unit)
    counter = counters.first()
    if counter is None:
        RiskCodeCounter.objects.bulk_create(
            [RiskCodeCounter(round=round_, unit=unit, last=_highest_number(round_, unit))], ignore_conflicts=True)
        counter = counters.get()
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    prefix = _code_prefix(round_, unit)
    return [f"{prefix}{number:03d}" for number in range(first, first + count)]


def risk_code_next(round_, unit):
    """The next register number of ``unit`` in ``round_`` (see ``risk_codes_reserve``)."""
    return risk_codes_reserve(round_=round_, unit=unit)[0]


def _code_prefix(round_, unit):
    return f"{round_.year}-{unit.code}-"


def _highest_number(round_, unit):
    prefix = _code_prefix(round_, unit)
    tails = (code[len(prefix):] for code in RiskPoint.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    return max((int(t) for t in tails if t.isdigit()), default=0)


def risk_create(*, actor, data, round_=None):
    """Register a risk point as a draft in the current round of the unit's bureau."""
    suggested = risk_check(data=data)
    with transaction.atomic():
        round_ = round_ or round_for(data["unit"].bureau)
        Round.objects.select_for_update().get(pk=round_.pk)  # serialises code numbering
        risk = RiskPoint(round=round_, created_by=actor, suggested_level=suggested,
                         code=risk_code_next(round_, data["unit"]), **{f: data.get(f) for f in RISK_FIELDS})
        risk.level_reason = risk.level_reason or ""
        review_create(item=risk, actor=actor)
    return risk


def risk_update(*, risk, actor, lock_version, data):
    """Save an edit; a carried-over risk point edited this year is marked as changed."""
    suggested = risk_check(data=data)
    with transaction.atomic():
        locked = review_begin_edit(item=risk, actor=actor, lock_version=lock_version)
        for field in RISK_FIELDS:
            setattr(locked, field, data.get(field))
        locked.level_reason = locked.level_reason or ""
        locked.suggested_level = suggested
        if locked.carry_decision == CarryDecision.PENDING:
            locked.carry_decision = CarryDecision.CHANGED
        review_finish_edit(item=locked, actor=actor)
    return locked


def risk_carry_decide(*, risk, actor, decision, lock_version):
    """Mark a carried-over risk point as unchanged from last year, or retire it."""
    if decision not in (CarryDecision.UNCHANGED, CarryDecision.RETIRED):
        raise ValidationError(_("无效的选择。"))
    with transaction.atomic():
        locked = review_begin_edit(item=risk, actor=actor, lock_version=lock_version)
        if not locked.previous_id:
            raise ValidationError(_("只有从上年度结转的风险点需要确认。"))
        locked.carry_decision = decision
        review_finish_edit(item=locked, actor=actor)
    return locked
