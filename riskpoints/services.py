"""Registering, assessing and editing risk points. Workflow steps go through ``review.services``."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.scoping import office_bureau
from review import registry
from review.choices import Action, Status
from review.models import ReviewRecord
from review.services import WorkflowError, review_begin_edit, review_create, review_finish_edit
from review.workflow import EDITOR

from .choices import CATEGORY_IMPORTANCE, CATEGORY_KEY_AREA, CarryDecision, RiskKind, RiskLevel
from .models import AssessmentRubric, RiskCodeCounter, RiskPoint, Round
from .selectors import open_round

RISK_FIELDS = ("unit", "post", "power", "step", "finding_level", "kind", "found_by", "title", "description",
               "importance", "discretion", "probability", "harm", "level", "level_reason", "key_area")


def risk_suggest_from_power(power):
    """What a power's category suggests for a risk point on it: the importance factor (the
    plan's important powers are 高) and the 重点领域. Empty for no power."""
    if power is None:
        return {"importance": None, "key_area": ""}
    return {"importance": CATEGORY_IMPORTANCE.get(power.category), "key_area": CATEGORY_KEY_AREA.get(power.category, "")}


def _with_key_area(data):
    """A registration that does not say its 重点领域 (an import, a script) takes the one its
    power's category suggests."""
    if "key_area" in data:
        return {**data, "key_area": data["key_area"] or ""}
    return {**data, "key_area": risk_suggest_from_power(data.get("power"))["key_area"]}


def rubric_for(bureau):
    """The bureau's rubric; the defaults (written from the work plan) on first use."""
    return AssessmentRubric.objects.get_or_create(bureau=bureau)[0]


def rubric_save(*, actor, values):
    """The office changes its bureau's rubric; later registrations and edits follow it."""
    bureau = office_bureau(actor, _("只有防控办可以修改评定标准。"))
    with transaction.atomic():
        rubric = AssessmentRubric.objects.select_for_update().get(pk=rubric_for(bureau).pk)
        for field, value in values.items():
            setattr(rubric, field, value)
        rubric._history_user = actor
        rubric.save()
    return rubric


def registration_round(bureau):
    """The round new risk points of ``bureau`` are registered in: its open round.

    Only the office opens a year (and carries last year's risk points over), so registering
    never opens one: without an open round it is refused.
    """
    round_ = open_round(bureau)
    if round_ is None:
        raise WorkflowError(_("本局尚未开启年度风险排查，暂不能登记风险点。请联系防控办在“年度风险排查”页面开启本年度后再登记。"))
    return round_


def risk_check(*, data, rubric=None):
    """Every rule a risk point's fields must satisfy; returns the suggested level.

    Raises ``ValidationError`` with a message per field. Forms call this in ``clean()`` and
    the services call it again before saving, so the rule has one home. ``rubric`` is the
    unit's bureau's rubric when the caller has it already (an import checks thousands of rows).
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
        suggested = (rubric or rubric_for(unit.bureau)).suggest(*factors)
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
    """Register a risk point as a draft in the open round of the unit's bureau."""
    suggested = risk_check(data=data)
    data = _with_key_area(data)
    with transaction.atomic():
        round_ = round_ or registration_round(data["unit"].bureau)
        Round.objects.select_for_update().get(pk=round_.pk)  # serialises code numbering
        risk = RiskPoint(round=round_, created_by=actor, suggested_level=suggested,
                         code=risk_code_next(round_, data["unit"]), **{f: data.get(f) for f in RISK_FIELDS})
        risk.level_reason = risk.level_reason or ""
        review_create(item=risk, actor=actor)
    return risk


def risk_create_many(*, actor, round_, rows):
    """Register many risk points as drafts in ``round_`` at once, exactly as ``risk_create`` does
    one by one (checked, numbered from the unit's counter, a history row and a 新建 trail record
    each), in a few bulk statements instead of a dozen queries a row. Runs inside the caller's
    transaction (an import's, which is all or nothing). Returns the new risk points.
    """
    if not rows:
        return []
    editable = EDITOR.units(actor)
    if any(data["unit"].pk not in editable for data in rows):
        raise PermissionDenied(_("您不能在该单位下新建事项。"))
    rubric = rubric_for(round_.bureau)
    with transaction.atomic():
        codes = {}
        for unit in {data["unit"].pk: data["unit"] for data in rows}.values():
            count = sum(1 for data in rows if data["unit"].pk == unit.pk)
            codes[unit.pk] = iter(risk_codes_reserve(round_=round_, unit=unit, count=count))
        risks = []
        for data in map(_with_key_area, rows):
            risk = RiskPoint(round=round_, created_by=actor, suggested_level=risk_check(data=data, rubric=rubric),
                             code=next(codes[data["unit"].pk]), status=Status.DRAFT,
                             **{f: data.get(f) for f in RISK_FIELDS})
            risk.level_reason = risk.level_reason or ""
            risks.append(risk)
        RiskPoint.objects.bulk_create(risks, batch_size=500)
        history = RiskPoint.history.bulk_history_create(
            risks, batch_size=500, default_user=actor, default_change_reason=str(Action.CREATE.label))
        content_type = ContentType.objects.get_for_model(RiskPoint, for_concrete_model=False)
        ReviewRecord.objects.bulk_create([
            ReviewRecord(content_type=content_type, object_id=risk.pk, revision=risk.revision, action=Action.CREATE,
                         actor=actor, from_status="", to_status=risk.status, snapshot=registry.snapshot(risk),
                         history_id=record.pk)
            for risk, record in zip(risks, history, strict=True)
        ], batch_size=500)
    return risks


def risk_update(*, risk, actor, lock_version, data):
    """Save an edit; a carried-over risk point edited this year is marked as changed."""
    suggested = risk_check(data=data)
    with transaction.atomic():
        locked = review_begin_edit(item=risk, actor=actor, lock_version=lock_version)
        for field in RISK_FIELDS:
            if field != "key_area":
                setattr(locked, field, data.get(field))
            elif field in data:  # an edit that does not mention the area keeps it
                locked.key_area = data[field] or ""
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
