"""Everything that changes supervision data: benchmarks (as edits of their power), key-power
rules, filings and their daily check, 三重一大 matters and their rule checks."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.choices import Channel
from monitoring.services import information_record
from org.models import Unit
from org.scoping import editable_unit_ids, office_bureau
from powers.choices import PowerCategory
from powers.models import PowerItem
from review.models import ReviewRecord
from review.services import StaleEdit, children_sync, review_begin_edit, review_finish_edit
from riskpoints.models import RiskPoint
from schedules.services import work_calendar

from .checks import filing_findings, matter_breaches
from .choices import BENCHMARK_CATEGORIES, DEFAULT_DEGREES, FINDING_LIGHTS, FineBasis, KeyRuleKind, Light, MatterKind
from .models import (
    BenchmarkRow, Breach, Filing, FilingStep, Finding, KeyPowerRule, Matter, MeetingMember, ProcedureRule,
    ViolationDegree,
)
from .selectors import fileable_powers

BENCHMARK_FIELDS = ("circumstance", "degree", "conditions", "penalty", "fine_basis", "fine_min", "fine_max", "legal_basis")
RECENT_DAYS = 30  # a closed case is checked again for this many days (late filings of old steps)
CHECK_CHUNK = 5000


# --- degrees of violation ---------------------------------------------------------------------

def degrees_for(bureau):
    """The bureau's degrees of violation, mildest first; the four defaults on first use (a
    bureau created after the data migration gets them when its benchmarks are first edited)."""
    degrees = ViolationDegree.objects.filter(bureau=bureau)
    if not degrees.exists():
        with transaction.atomic():
            for code, name, order in DEFAULT_DEGREES:
                ViolationDegree.objects.get_or_create(bureau=bureau, code=code, defaults={"name": str(name), "order": order})
    return degrees.order_by("order", "pk")


def degree_get(bureau, code):
    """The bureau's degree of ``code`` (the defaults are minor, general, serious, severe), or None."""
    return degrees_for(bureau).filter(code=code).first()


def degrees_in_use(degrees):
    """The ids of ``degrees`` that a benchmark row (draft or not) or a filing uses."""
    return (set(BenchmarkRow.objects.filter(degree__in=degrees).values_list("degree_id", flat=True))
            | set(Filing.objects.filter(degree__in=degrees).values_list("degree_id", flat=True)))


def _degree_office(actor, degree=None):
    bureau = office_bureau(actor, _("只有防控办可以设置违法程度。"))
    if degree is not None and degree.bureau_id != bureau.pk:
        raise PermissionDenied(_("您不能修改其他局的违法程度。"))
    return bureau


def _degree_name(bureau, name, exclude=None):
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("请填写违法程度的名称。"))
    same = ViolationDegree.objects.filter(bureau=bureau, name=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError(_("已有名为“%(n)s”的违法程度。") % {"n": name})
    return name


def degree_add(*, actor, name, order, description=""):
    """The office adds a degree of violation to its bureau's list."""
    bureau = _degree_office(actor)
    degrees_for(bureau)
    with transaction.atomic():
        degree = ViolationDegree(bureau=bureau, code=uuid.uuid4().hex[:12], name=_degree_name(bureau, name),
                                 order=order, description=description.strip())
        degree._history_user = actor
        degree.save()
    return degree


def degree_update(*, actor, degree, name, order, description=""):
    """Rename or reorder a degree. Published benchmarks keep the name they were published with;
    drafts and later publications show the new one."""
    bureau = _degree_office(actor, degree)
    with transaction.atomic():
        locked = ViolationDegree.objects.select_for_update().get(pk=degree.pk)
        locked.name, locked.order = _degree_name(bureau, name, exclude=locked), order
        locked.description = description.strip()
        locked._history_user = actor
        locked.save()
    return locked


def degree_delete(*, actor, degree):
    """Delete a degree no benchmark row or filing uses; the last one stays."""
    bureau = _degree_office(actor, degree)
    with transaction.atomic():
        locked = ViolationDegree.objects.select_for_update().get(pk=degree.pk)
        if degrees_in_use([locked]):
            raise ValidationError(_("“%(n)s”已被裁量基准或备案使用，不能删除；可以改名或调整排序。") % {"n": locked.name})
        if ViolationDegree.objects.filter(bureau=bureau).count() <= 1:
            raise ValidationError(_("至少要保留一个违法程度。"))
        locked._history_user = actor
        locked.delete()


# --- discretion benchmarks ---------------------------------------------------------------------

def needs_benchmark(power):
    return power.has_discretion and power.category in BENCHMARK_CATEGORIES


def benchmark_snapshot(power):
    """The benchmark as the power's review snapshot freezes it (and the public site shows it)."""
    return [
        {"id": r.pk, "circumstance": r.circumstance, "degree": r.degree.code, "degree_label": r.degree.name,
         "degree_order": r.degree.order, "conditions": r.conditions, "penalty": r.penalty, "fine_basis": r.fine_basis,
         "fine_basis_label": str(r.get_fine_basis_display()),
         "fine_min": None if r.fine_min is None else str(r.fine_min),
         "fine_max": None if r.fine_max is None else str(r.fine_max), "legal_basis": r.legal_basis}
        for r in power.benchmark_rows.select_related("degree").order_by("order", "pk")
    ]


def benchmark_acceptance_problems(power):
    """A power carrying discretion is not accepted without its benchmark."""
    if needs_benchmark(power) and not power.benchmark_rows.exists():
        return [_("该职权有自由裁量权：须先制定裁量基准（违法情形、程度、处罚幅度），才能验收。")]
    return []


def benchmark_row_errors(row):
    """What is wrong with one benchmark row, as ``(field, message)`` pairs."""
    errors = []
    basis, low, high = row.get("fine_basis"), row.get("fine_min"), row.get("fine_max")
    if basis == FineBasis.NONE and (low is not None or high is not None):
        errors.append(("fine_basis", _("不处罚款的档次不填罚款幅度。")))
    if basis in (FineBasis.AMOUNT, FineBasis.PERCENT) and low is None and high is None:
        errors.append(("fine_max", _("请填写罚款幅度（下限、上限至少一项）。")))
    if low is not None and high is not None and low > high:
        errors.append(("fine_max", _("罚款上限不能小于下限。")))
    if basis == FineBasis.PERCENT and any(v is not None and v > 100 for v in (low, high)):
        errors.append(("fine_max", _("百分比不能超过 100。")))
    if any(v is not None and v < 0 for v in (low, high)):
        errors.append(("fine_min", _("罚款幅度不能为负数。")))
    return errors


def benchmark_save(*, power, actor, lock_version, rows):
    """Make ``power``'s benchmark exactly ``rows``: an edit of the power (same scope, state and
    lock checks; editing a published power starts its next revision)."""
    bureau_id = power.unit.bureau.pk
    for row in rows:
        for _field, message in benchmark_row_errors(row):
            raise ValidationError(message)
        if not isinstance(row.get("degree"), ViolationDegree) or row["degree"].bureau_id != bureau_id:
            raise ValidationError(_("请选择本局设置的违法程度。"))
    with transaction.atomic():
        locked = review_begin_edit(item=power, actor=actor, lock_version=lock_version)
        children_sync(parent=locked, manager=locked.benchmark_rows, rows=rows, fields=BENCHMARK_FIELDS, actor=actor)
        review_finish_edit(item=locked, actor=actor)
    return locked


def published_benchmark(power):
    """The benchmark of the power's published revision (what is in force), or []."""
    record = power.published_record
    return (record.snapshot.get("benchmark") or []) if record else []


# --- key powers ----------------------------------------------------------------------------------

def key_rule_add(*, actor, kind, category="", level=None, power=None):
    bureau = office_bureau(actor, _("只有防控办可以标定重点权力。"))
    if power is not None and not PowerItem.objects.for_user(actor).filter(pk=power.pk).exists():
        raise PermissionDenied(_("您不能标定该职权。"))
    values = {"category": category if kind == KeyRuleKind.CATEGORY else "",
              "level": level if kind == KeyRuleKind.LEVEL else None,
              "power": power if kind == KeyRuleKind.POWER else None}
    if not (values["category"] or values["level"] or values["power"]):
        raise ValidationError(_("请选择要标定的类别、风险等级或职权。"))
    with transaction.atomic():
        rule, _created = KeyPowerRule.objects.get_or_create(bureau=bureau, kind=kind, **values)
    return rule


def key_rule_delete(*, actor, rule):
    bureau = office_bureau(actor, _("只有防控办可以标定重点权力。"))
    if rule.bureau_id != bureau.pk:
        raise PermissionDenied(_("您不能修改其他局的标定。"))
    rule._history_user = actor
    rule.delete()


# --- filings ----------------------------------------------------------------------------------------

def filing_errors(*, flow, opened_on, closed_on, done, today):
    """Dates that cannot be right, as messages (a step date may be late; it cannot be impossible)."""
    errors = []
    names = {s["id"]: s["name"] for s in flow["steps"]}
    if closed_on is not None and closed_on < opened_on:
        errors.append(_("办结日期不能早于受理/立案日期。"))
    for day, label in [(opened_on, _("受理/立案日期")), (closed_on, _("办结日期"))] + [(d, names.get(s, "")) for s, d in done.items()]:
        if day is not None and day > today:
            errors.append(_("“%(what)s”的日期 %(d)s 晚于今天。") % {"what": label, "d": day.isoformat()})
    for step_id, day in done.items():
        if step_id not in names:
            errors.append(_("流程中没有这个环节。"))
        elif day < opened_on or (closed_on is not None and day > closed_on):
            errors.append(_("环节“%(s)s”的日期须在受理/立案与办结之间。") % {"s": names[step_id]})
    if closed_on is not None and not done:
        errors.append(_("已办结的案件请填写各环节的办理日期。"))
    return errors


def _filing_values(*, record, data, done, bureau):
    """The filing's fields from a form or a sheet row, checked against the flow and benchmark
    of ``record`` (the published revision the case follows). Raises ``ValidationError``."""
    flow = record.snapshot.get("flow") or {"steps": [], "edges": []}
    errors = filing_errors(flow=flow, opened_on=data["opened_on"], closed_on=data.get("closed_on"), done=done,
                           today=timezone.localdate())
    benchmark = {}
    if data.get("benchmark_id") is not None:
        benchmark = next((r for r in record.snapshot.get("benchmark") or [] if r["id"] == data["benchmark_id"]), None)
        if benchmark is None:
            errors.append(_("所选的裁量情形不在该职权已公布的裁量基准中。"))
    if errors:
        raise ValidationError(errors)
    return {
        "case_number": data["case_number"].strip(), "party": data["party"].strip(), "opened_on": data["opened_on"],
        "closed_on": data.get("closed_on"), "decision": data.get("decision", ""),
        "circumstance": benchmark.get("circumstance", "") if benchmark else "",
        "degree": degree_get(bureau, benchmark.get("degree")) if benchmark else None,
        "benchmark": benchmark or {},
        "stated_conditions": data.get("stated_conditions", ""), "base_amount": data.get("base_amount"),
        "fine_amount": data.get("fine_amount"),
    }


def _filing_steps_sync(*, filing, flow, done, actor):
    """Make the filing's step dates exactly ``done`` (step id → date); unchanged steps keep their history."""
    names = {s["id"]: s["name"] for s in flow["steps"]}
    existing = {s.step_id: s for s in filing.steps.all()}
    for step_id, step in existing.items():
        if step_id not in done:
            step._history_user = actor
            step.delete()
    for step_id, day in sorted(done.items(), key=lambda kv: kv[1]):
        step = existing.get(step_id) or FilingStep(filing=filing, step_id=step_id, name=names[step_id])
        if step.pk is None or step.done_on != day:
            step.done_on = day
            step._history_user = actor
            step.save()


def filing_create(*, actor, power, data, done, check=True):
    """File one case of a key power as its handling unit. ``done`` maps step ids of the power's
    published flow to dates; ``data["benchmark_id"]`` names a row of its published benchmark.
    The new filing is checked at once (its light shows on the page)."""
    if not fileable_powers(actor).filter(pk=power.pk).exists():
        raise PermissionDenied(_("只能为本单位可见的、已公布的重点权力备案。"))
    unit = data.get("unit") or power.unit
    if unit.pk not in editable_unit_ids(actor):
        raise PermissionDenied(_("只能以本单位的名义备案。"))
    record = power.published_record
    filing = Filing(power=power, unit=unit, flow_record=record, filed_by=actor,
                    **_filing_values(record=record, data=data, done=done, bureau=power.unit.bureau))
    try:
        with transaction.atomic():
            filing._history_user = actor
            filing.save()
            _filing_steps_sync(filing=filing, flow=record.snapshot.get("flow") or {"steps": []}, done=done, actor=actor)
    except IntegrityError as exc:
        raise ValidationError(_("该职权已有案件编号为“%(n)s”的备案。") % {"n": filing.case_number}) from exc
    if check:
        filings_check(filing_ids=[filing.pk])
        filing.refresh_from_db()
    return filing


# A filing is corrected by its handling unit while the case is open and for this many days after
# it closed: as long as the daily check still reads it (``RECENT_DAYS``). Later the record stands.
CORRECTION_DAYS = RECENT_DAYS


def filing_refusal(actor, filing, today=None):
    """Why ``actor`` may not correct ``filing`` now, or ``None``."""
    if filing.unit_id not in editable_unit_ids(actor):
        return _("只有承办单位的工作人员可以更正备案。")
    today = today or timezone.localdate()
    if filing.closed_on is not None and filing.closed_on + datetime.timedelta(days=CORRECTION_DAYS) < today:
        return _("该案件办结已超过 %(n)d 天，备案不能再更正。") % {"n": CORRECTION_DAYS}
    return None


STALE = _("保存失败：在您编辑期间，该记录已被他人修改。请重新打开后再修改，您的输入未保存。")


def filing_update(*, actor, filing, lock_version, data, done):
    """Correct a filing as its handling unit (``filing_refusal``), from a form opened at
    ``lock_version``. The power and the flow version it followed stay; everything else may be
    corrected. The filing is checked again at once: a new deviation is raised once, one that no
    longer holds is marked as such (``filings_check``)."""
    with transaction.atomic():
        locked = Filing.objects.select_for_update().select_related("flow_record").get(pk=filing.pk)
        refusal = filing_refusal(actor, locked)
        if refusal:
            raise PermissionDenied(refusal)
        if lock_version is None or int(lock_version) != locked.lock_version:
            raise StaleEdit(STALE)
        unit = data.get("unit") or locked.unit
        if unit.pk not in editable_unit_ids(actor):
            raise PermissionDenied(_("只能以本单位的名义备案。"))
        record = locked.flow_record
        for field, value in _filing_values(record=record, data=data, done=done, bureau=locked.power.unit.bureau).items():
            setattr(locked, field, value)
        locked.unit = unit
        locked.lock_version += 1
        try:
            with transaction.atomic():
                locked._history_user = actor
                locked.save()
        except IntegrityError as exc:
            raise ValidationError(_("该职权已有案件编号为“%(n)s”的备案。") % {"n": locked.case_number}) from exc
        _filing_steps_sync(filing=locked, flow=record.snapshot.get("flow") or {"steps": []}, done=done, actor=actor)
        if not Filing.objects.for_user(actor).filter(pk=locked.pk).exists():
            raise PermissionDenied(_("只能以本单位的名义备案。"))
    filings_check(filing_ids=[locked.pk])
    locked.refresh_from_db()
    return locked


def _light(kinds):
    lights = {FINDING_LIGHTS[k] for k in kinds}
    return Light.RED if Light.RED in lights else Light.YELLOW if Light.YELLOW in lights else Light.GREEN


def filings_check(*, on_date=None, filing_ids=None):
    """The daily electronic check: every open filing and every one closed in the last
    ``RECENT_DAYS`` days, against its flow's time limits and order and its benchmark.

    Reads in chunks (a fixed number of queries per ``CHECK_CHUNK`` filings, whatever their
    count); each finding is raised once (a unique key), as risk information of the 效能检查
    channel linked to the unit, the power and the risk point on the step.
    Returns ``{"checked": n, "raised": k}``.
    """
    today = on_date or timezone.localdate()
    if filing_ids is not None:  # just these (a case filed or imported now), however old
        qs = Filing.objects.filter(pk__in=filing_ids)
    else:
        qs = Filing.objects.filter(opened_on__lte=today).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=today - datetime.timedelta(days=RECENT_DAYS)))
    units = {u.pk: u for u in Unit.objects.all()}
    calendars = {}  # bureau id → the office's holidays and 调休 days (schedules), read once per bureau
    records, checked, raised, last = {}, 0, 0, 0
    fields = ("pk", "power_id", "power__category", "power__code", "power__name", "unit_id", "flow_record_id",
              "case_number", "opened_on", "closed_on", "benchmark", "base_amount", "fine_amount",
              "stated_conditions", "light")
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("pk").values(*fields)[:CHECK_CHUNK])
        if not chunk:
            break
        last = chunk[-1]["pk"]
        checked += len(chunk)
        ids = [f["pk"] for f in chunk]
        missing = {f["flow_record_id"] for f in chunk} - records.keys()
        if missing:
            for pk, snap in ReviewRecord.objects.filter(pk__in=missing).values_list("pk", "snapshot"):
                records[pk] = (snap.get("flow") or {"steps": [], "edges": []}, bool(snap.get("benchmark")))
        done = {}
        for filing_id, step_id, day in FilingStep.objects.filter(filing_id__in=ids).values_list("filing_id", "step_id", "done_on"):
            done.setdefault(filing_id, {})[step_id] = day
        existing = {}
        for filing_id, key, kind, resolved_on in Finding.objects.filter(filing_id__in=ids).values_list(
                "filing_id", "key", "kind", "resolved_on"):
            existing.setdefault(filing_id, {})[key] = (kind, resolved_on)
        new, gone, back = [], [], []
        relight = {}
        for f in chunk:
            flow, has_benchmark = records[f["flow_record_id"]]
            bureau_id = _bureau_id(units, f["unit_id"])
            if bureau_id not in calendars:
                calendars[bureau_id] = work_calendar(bureau_id).exceptions()
            calendar = calendars[bureau_id]
            found = filing_findings(
                flow=flow, opened_on=f["opened_on"], done=done.get(f["pk"], {}), closed=f["closed_on"] is not None,
                today=today, calendar=calendar, benchmark=f["benchmark"], fine_amount=f["fine_amount"],
                base_amount=f["base_amount"], stated_conditions=f["stated_conditions"],
                needs_benchmark=has_benchmark and f["power__category"] == PowerCategory.PENALTY)
            known = existing.get(f["pk"], {})
            current = [(f"{f['pk']}:{kind}:{step_id or ''}", kind, step_id, message) for kind, step_id, message in found]
            holding = {item[0] for item in current}
            fresh = [item for item in current if item[0] not in known]
            new.extend((f, *item) for item in fresh)
            # A finding raised before and not found now (the filing was corrected) is marked as no
            # longer holding, not deleted: its risk information stays with the office. Found again,
            # it holds again, still without a second information.
            gone.extend(key for key, (_kind, resolved) in known.items() if key not in holding and resolved is None)
            back.extend(key for key, (_kind, resolved) in known.items() if key in holding and resolved is not None)
            light = _light([item[1] for item in current])
            if light != f["light"]:
                relight.setdefault(light, []).append(f["pk"])
        if new:
            raised += _raise_findings(new, units, records, today)
        if gone:
            Finding.objects.filter(key__in=gone).update(resolved_on=today)
        if back:
            Finding.objects.filter(key__in=back).update(resolved_on=None)
        for light, pks in relight.items():
            Filing.objects.filter(pk__in=pks).update(light=light)
    return {"checked": checked, "raised": raised}


def _bureau_id(units, unit_id):
    unit = units[unit_id]
    while unit.parent_id is not None:
        unit = units[unit.parent_id]
    return unit.pk


def _raise_findings(new, units, records, today):
    step_ids = {step_id for _f, _k, _kind, step_id, _m in new if step_id}
    risks = {}
    for risk in RiskPoint.objects.filter(step_id__in=step_ids).order_by("level", "pk"):
        risks.setdefault(risk.step_id, risk)
    powers = PowerItem.objects.in_bulk({f["power_id"] for f, *_rest in new})
    raised = 0
    for f, key, kind, step_id, message in new:
        names = {s["id"]: s["name"] for s in records[f["flow_record_id"]][0]["steps"]}
        unit = units[f["unit_id"]]
        with transaction.atomic():
            try:
                with transaction.atomic():
                    finding = Finding.objects.create(filing_id=f["pk"], key=key, kind=kind, step_id=step_id,
                                                     step_name=names.get(step_id, ""), message=message, found_on=today)
            except IntegrityError:
                continue  # raised by a check running at the same time
            finding.information = information_record(
                bureau=unit.bureau, channel=Channel.EFFICIENCY, concerns_unit=unit, concerns_power=powers[f["power_id"]],
                concerns_risk=risks.get(step_id),
                content=_("电子监察：%(power)s（%(code)s）案件 %(case)s。%(message)s") % {
                    "power": f["power__name"], "code": f["power__code"], "case": f["case_number"], "message": message})
            finding.save(update_fields=["information"])
        raised += 1
    return raised


# --- 三重一大 -------------------------------------------------------------------------------------

DEFAULT_RULES = {
    MatterKind.DECISION: {"legal_review": True},
    MatterKind.FUNDS: {"meeting_from": Decimal("500000")},
}
RULE_FIELDS = ("quorum", "leader_last", "consultation", "legal_review", "meeting_from")


def procedure_rule(bureau, kind):
    """The bureau's rule for ``kind``, or the default one (unsaved) when the office set none."""
    rule = ProcedureRule.objects.filter(bureau=bureau, kind=kind).first()
    return rule or ProcedureRule(bureau=bureau, kind=kind, **DEFAULT_RULES.get(kind, {}))


def procedure_rule_save(*, actor, kind, data):
    bureau = office_bureau(actor, _("只有防控办可以设定议事规则。"))
    with transaction.atomic():
        rule = procedure_rule(bureau, kind)
        for f in RULE_FIELDS:
            setattr(rule, f, data[f])
        rule._history_user = actor
        rule.save()
    return rule


MATTER_FIELDS = ("unit", "kind", "subject", "amount", "meeting", "meeting_date", "agenda", "consulted",
                 "legal_reviewed", "decision", "decided_on")
MEMBER_FIELDS = ("name", "title", "is_main_leader", "present", "speaking_order", "opinion", "vote")


def matter_member_errors(members, meeting_date):
    errors = []
    if meeting_date is not None and not members:
        errors.append(_("上会的事项请填写应到会成员。"))
    if sum(1 for m in members if m["is_main_leader"]) > 1:
        errors.append(_("只能有一位主要负责人。"))
    orders = [m["speaking_order"] for m in members if m["present"] and m["speaking_order"] is not None]
    if len(orders) != len(set(orders)):
        errors.append(_("发言顺序不能重复。"))
    if any(not m["present"] and (m["speaking_order"] is not None or m["vote"]) for m in members):
        errors.append(_("未到会的成员不能有发言顺序或表决。"))
    return errors


def matter_create(*, actor, data, members):
    """Register a 三重一大 matter of the actor's unit and check it against the rules of procedure."""
    if data["unit"].pk not in editable_unit_ids(actor):
        raise PermissionDenied(_("只能登记本单位的三重一大事项。"))
    errors = matter_member_errors(members, data.get("meeting_date"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        matter = Matter(filed_by=actor, **{f: data[f] for f in MATTER_FIELDS})
        matter._history_user = actor
        matter.save()
        for order, m in enumerate(members):
            member = MeetingMember(matter=matter, order=order, **{f: m[f] for f in MEMBER_FIELDS})
            member._history_user = actor
            member.save()
        matter_check(matter=matter)
    return matter


# A 三重一大 record is corrected by its unit for this many days after it was registered; later the
# record stands as filed with the office.
MATTER_CORRECTION_DAYS = 30


def matter_refusal(actor, matter, today=None):
    """Why ``actor`` may not correct ``matter`` now, or ``None``."""
    if matter.unit_id not in editable_unit_ids(actor):
        return _("只有本单位的工作人员或负责人可以更正三重一大事项。")
    today = today or timezone.localdate()
    if timezone.localdate(matter.created_at) + datetime.timedelta(days=MATTER_CORRECTION_DAYS) < today:
        return _("该事项登记已超过 %(n)d 天，不能再更正。") % {"n": MATTER_CORRECTION_DAYS}
    return None


def matter_update(*, actor, matter, lock_version, data, members):
    """Correct a 三重一大 record (``matter_refusal``) from a form opened at ``lock_version``, and
    check it again: a new breach is raised once, one that no longer holds is marked as such."""
    errors = matter_member_errors(members, data.get("meeting_date"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        refusal = matter_refusal(actor, locked)
        if refusal:
            raise PermissionDenied(refusal)
        if lock_version is None or int(lock_version) != locked.lock_version:
            raise StaleEdit(STALE)
        if data["unit"].pk not in editable_unit_ids(actor):
            raise PermissionDenied(_("只能登记本单位的三重一大事项。"))
        for f in MATTER_FIELDS:
            setattr(locked, f, data[f])
        locked.lock_version += 1
        locked._history_user = actor
        locked.save()
        children_sync(parent=locked, manager=locked.members, rows=members, fields=MEMBER_FIELDS, actor=actor)
        matter_check(matter=locked)
    return locked


def matter_check(*, matter):
    """Raise each rule the matter broke once (risk information of the unit); mark a breach raised
    before that no longer holds (after a correction), and one that holds again; return the breaches."""
    rule = procedure_rule(matter.unit.bureau, matter.kind)
    members = list(matter.members.values(*MEMBER_FIELDS))
    found = matter_breaches(
        rule={f: getattr(rule, f) for f in RULE_FIELDS}, kind=matter.kind, amount=matter.amount,
        meeting_date=matter.meeting_date, consulted=matter.consulted, legal_reviewed=matter.legal_reviewed,
        members=members)
    known = dict(matter.breaches.values_list("kind", "resolved_on"))
    holding = {kind for kind, _message in found}
    today = timezone.localdate()
    matter.breaches.filter(resolved_on__isnull=True).exclude(kind__in=holding).update(resolved_on=today)
    matter.breaches.filter(resolved_on__isnull=False, kind__in=holding).update(resolved_on=None)
    for kind, message in found:
        if kind in known:
            continue
        with transaction.atomic():
            info = information_record(
                bureau=matter.unit.bureau, channel=Channel.EFFICIENCY, concerns_unit=matter.unit,
                content=_("三重一大（%(kind)s）“%(subject)s”：%(message)s") % {
                    "kind": matter.get_kind_display(), "subject": matter.subject, "message": message})
            Breach.objects.create(matter=matter, kind=kind, message=message, information=info)
    return list(matter.breaches.all())
