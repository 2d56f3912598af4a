"""Excel sheets of supervision: a power's benchmark (export, template, import), filings (export,
template, import of many cases from the case system's export) and the 三重一大 register.

Imports are all or nothing: every row is checked first and a sheet with any bad row is refused
with each error named by row and column. The readers and writers are the risk register's; the
filings import runs in the background like the register's (``org.imports``), as the case
system's export may hold thousands of cases.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.imports import sheet_import_run, sheet_import_start
from org.models import Unit
from org.scoping import editable_unit_ids
from org.sheets import SheetErrors, SheetUnreadable, _text, _word, read_rows, table_workbook

from .choices import FineBasis
from .models import Filing, FilingImport
from .selectors import fileable_powers
from .services import benchmark_row_errors, benchmark_save, degrees_for, filing_create, filing_errors, filings_check

MAX_IMPORT_ROWS = 5000

BENCHMARK_COLUMNS = [("违法情形", "circumstance", True), ("违法程度", "degree", True), ("适用条件", "conditions", False),
                     ("处罚种类和幅度", "penalty", True), ("罚款计算方式", "fine_basis", False),
                     ("罚款下限", "fine_min", False), ("罚款上限", "fine_max", False), ("裁量依据", "legal_basis", False)]
FILING_COLUMNS = [("职权编码", "power", True), ("案件编号", "case_number", True), ("当事人", "party", True),
                  ("承办单位编码", "unit", False), ("受理/立案日期", "opened_on", True), ("办结日期", "closed_on", False),
                  ("处理决定", "decision", False), ("违法情形", "circumstance", False), ("违法程度", "degree", False),
                  ("认定的情节", "stated_conditions", False), ("工程造价（货值）", "base_amount", False),
                  ("罚款金额", "fine_amount", False)]


def _label_map(choices):
    return {str(label): value for value, label in choices}


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(_("应为数字")) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValueError(_("应为数字"))
    return number.quantize(Decimal("0.01"))


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value).replace("/", "-"))
    except ValueError as exc:
        raise ValueError(_("应为日期，如 2026-03-01")) from exc


def _sheet(file, columns):
    """The sheet's rows as ``(row number, {header: value})`` with the known headers checked."""
    rows = read_rows(file)
    header = None
    out = []
    for number, cells in rows:
        if header is None:
            header = {col: _text(v) for col, v in cells.items() if _text(v)}
            missing = [h for h, _f, required in columns if required and h not in header.values()]
            if missing:
                raise ValidationError(_("表头缺少：%(cols)s") % {"cols": "、".join(missing)})
            continue
        values = {header[col]: v for col, v in cells.items() if col in header}
        if any(_text(v) for v in values.values()):
            out.append((number, values))
        if len(out) > MAX_IMPORT_ROWS:
            raise ValidationError(_("一次最多导入 %(n)d 行。") % {"n": MAX_IMPORT_ROWS})
    if header is None:
        raise ValidationError(_("表格是空的。"))
    return out


def _error(number, column, message):
    return _("第 %(row)d 行「%(col)s」：%(msg)s") % {"row": number, "col": column, "msg": message}


# --- benchmarks -----------------------------------------------------------------------------------

def benchmark_workbook(rows):
    bases = dict(FineBasis.choices)
    return table_workbook([h for h, _f, _r in BENCHMARK_COLUMNS], [
        [r.circumstance, r.degree.name, r.conditions, r.penalty, str(bases[r.fine_basis]),
         r.fine_min, r.fine_max, r.legal_basis] for r in rows], widths={"适用条件": 40, "处罚种类和幅度": 40, "裁量依据": 30})


def benchmark_import(*, actor, power, lock_version, file):
    """Replace ``power``'s benchmark with the sheet's rows (an edit of the power)."""
    try:
        rows = _sheet(file, BENCHMARK_COLUMNS)
    except SheetUnreadable as exc:
        raise ValidationError(str(exc)) from exc
    # A degree is given by its name in the bureau's list, full-width letters and spaces aside.
    degrees = {_word(d.name): d for d in degrees_for(power.unit.bureau)}
    bases = _label_map(FineBasis.choices)
    errors, parsed = [], []
    for number, values in rows:
        row = {}
        for header, field, required in BENCHMARK_COLUMNS:
            raw = values.get(header)
            try:
                if field in ("fine_min", "fine_max"):
                    row[field] = _decimal(raw)
                    continue
                text = _text(raw)
                if required and not text:
                    raise ValueError(_("必填"))
                if field == "degree":
                    if _word(text) not in degrees:
                        raise ValueError(_("“%(t)s”不是本局设置的违法程度，应为：%(v)s") % {
                            "t": text, "v": " / ".join(d.name for d in degrees.values())})
                    text = degrees[_word(text)]
                elif field == "fine_basis":
                    if text and text not in bases:
                        raise ValueError(_("应为：%(v)s") % {"v": " / ".join(bases)})
                    text = bases.get(text, FineBasis.AMOUNT)
                row[field] = text
            except ValueError as exc:
                errors.append(_error(number, header, str(exc)))
        if len(row) == len(BENCHMARK_COLUMNS):
            errors.extend(_error(number, dict((f, h) for h, f, _r in BENCHMARK_COLUMNS)[field], message)
                          for field, message in benchmark_row_errors(row))
            parsed.append(row)
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("表格中没有数据行。"))
    return benchmark_save(power=power, actor=actor, lock_version=lock_version, rows=parsed)


# --- filings --------------------------------------------------------------------------------------

def filing_workbook(filings):
    return table_workbook(
        ["案件编号", "职权编码", "职权名称", "承办单位", "当事人", "受理/立案日期", "办结日期", "违法情形", "违法程度", "罚款金额", "监察结果"],
        [[f.case_number, f.power.code, f.power.name, f.unit.name, f.party, f.opened_on, f.closed_on, f.circumstance,
          f.degree_label, f.fine_amount, f.get_light_display()] for f in filings],
        widths={"职权名称": 36, "当事人": 20})


def filing_template():
    return table_workbook([h for h, _f, _r in FILING_COLUMNS] + ["（各环节名称，如：立案）"], [])


PROGRESS_EVERY = 200


def filings_check_sheet(file, *, actor, progress=None):
    """Check every row of a filings sheet: ``(rows, SheetErrors)``, each row ready for
    ``filing_create``. Columns not named in ``FILING_COLUMNS`` are flow steps, by the step's name
    in the power's published flow; each holds the date that step was done. A case already filed,
    or twice in the sheet, is an error of its row."""
    errors = SheetErrors()
    try:
        rows = _sheet(file, FILING_COLUMNS)
    except SheetUnreadable as exc:
        errors.add(0, "", str(exc))
        return [], errors
    except ValidationError as exc:
        for message in exc.messages:
            errors.add(0, "", message)
        return [], errors
    if not rows:
        errors.add(0, "", _("表格中没有数据行。"))
        return [], errors
    powers = {p.code: p for p in fileable_powers(actor).select_related("published_record")}
    units = {u.code: u for u in Unit.objects.all()}
    editable = editable_unit_ids(actor)
    codes = {_text(values.get("职权编码")) for _n, values in rows}
    filed = set(Filing.objects.filter(power__code__in=codes).values_list("power__code", "case_number"))
    known = {h for h, _f, _r in FILING_COLUMNS}
    today = timezone.localdate()
    prepared, seen, total = [], set(), len(rows)
    for i, (number, values) in enumerate(rows, start=1):
        if progress and i % PROGRESS_EVERY == 0:
            progress(i, total)
        data, done, count = {}, {}, errors.count
        code = _text(values.get("职权编码"))
        power = powers.get(code)
        if power is None:
            errors.add(number, "职权编码", _("“%(c)s”不是您可以备案的已公布重点权力") % {"c": code},
                       _("不是您可以备案的已公布重点权力"))
            continue
        snapshot = power.published_record.snapshot
        flow = snapshot.get("flow") or {"steps": [], "edges": []}
        steps = {s["name"]: s["id"] for s in flow["steps"]}
        for header, field, required in FILING_COLUMNS[1:]:
            raw = values.get(header)
            try:
                if field in ("opened_on", "closed_on"):
                    data[field] = _date(raw)
                elif field in ("base_amount", "fine_amount"):
                    data[field] = _decimal(raw)
                    if data[field] is not None and data[field] < 0:
                        raise ValueError(_("不能为负数"))
                else:
                    data[field] = _text(raw)
                if required and data[field] in (None, ""):
                    raise ValueError(_("必填"))
            except ValueError as exc:
                errors.add(number, header, str(exc))
        unit_code = data.get("unit")
        data["unit"] = units.get(unit_code) if unit_code else None
        if unit_code and data["unit"] is None:
            errors.add(number, "承办单位编码", _("没有这个单位"))
        elif (data["unit"] or power.unit).pk not in editable:
            errors.add(number, "承办单位编码", _("只能以本单位的名义备案"))
        for header, raw in values.items():
            if header in known or not _text(raw):
                continue
            if header not in steps:
                errors.add(number, header, _("职权“%(c)s”已公布的流程中没有这个环节") % {"c": code},
                           _("已公布的流程中没有这个环节"))
                continue
            try:
                done[steps[header]] = _date(raw)
            except ValueError as exc:
                errors.add(number, header, str(exc))
        circumstance, degree = data.pop("circumstance", ""), data.pop("degree", "")
        data["benchmark_id"] = None
        if circumstance or degree:
            row = next((r for r in snapshot.get("benchmark") or []
                        if r["circumstance"] == circumstance and _word(r["degree_label"]) == _word(degree)), None)
            if row is None:
                errors.add(number, "违法情形", _("已公布的裁量基准中没有“%(c)s（%(d)s）”") % {"c": circumstance, "d": degree},
                           _("已公布的裁量基准中没有该情形和程度"))
            else:
                data["benchmark_id"] = row["id"]
        key = (code, data.get("case_number"))
        if data.get("case_number"):
            if key in filed:
                errors.add(number, "案件编号", _("该职权已有案件编号为“%(n)s”的备案") % {"n": key[1]}, _("已有该案件编号的备案"))
            elif key in seen:
                errors.add(number, "案件编号", _("与本表前面的行重复（同一职权的同一案件编号）"))
            seen.add(key)
        if errors.count == count and data.get("opened_on"):
            for message in filing_errors(flow=flow, opened_on=data["opened_on"], closed_on=data.get("closed_on"),
                                         done=done, today=today):
                errors.add(number, "", message)
        if errors.count == count:
            prepared.append((number, power, data, done))
    if progress:
        progress(total, total)
    return prepared, errors


def filings_import_save(*, actor, rows):
    """File every checked row in one transaction, then check the new filings; all or nothing
    (a row refused now, e.g. filed meanwhile by someone else, refuses the sheet)."""
    created, errors = [], []
    with transaction.atomic():
        for number, power, data, done in rows:
            try:
                with transaction.atomic():
                    created.append(filing_create(actor=actor, power=power, data=data, done=done, check=False))
            except ValidationError as exc:
                errors.extend(_("第 %(row)d 行：%(msg)s") % {"row": number, "msg": m} for m in exc.messages)
            except PermissionDenied as exc:
                errors.append(_("第 %(row)d 行：%(msg)s") % {"row": number, "msg": exc})
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ValidationError(errors)
    filings_check(filing_ids=[f.pk for f in created])
    return created


def filing_import_start(*, actor, file):
    """Keep an uploaded filings sheet in the shared storage and queue its import; returns the
    ``FilingImport`` whose page shows how it goes. Nothing is filed yet."""
    if not editable_unit_ids(actor):
        raise PermissionDenied(_("只有承办单位的工作人员可以备案。"))
    from .tasks import run_filing_import  # the task module imports this one

    return sheet_import_start(model=FilingImport, actor=actor, file=file, task=run_filing_import)


def filing_import_run(*, import_id):
    """Check an uploaded filings sheet and, when no row is wrong, file every case; else nothing."""
    def save(job, rows):
        return {"created_count": len(filings_import_save(actor=job.created_by, rows=rows))}

    return sheet_import_run(model=FilingImport, import_id=import_id, check=filings_check_sheet, save=save,
                            refusals=(PermissionDenied, ValidationError))


def matter_workbook(matters):
    return table_workbook(["单位", "事项类别", "事项", "金额（元）", "会议", "会议日期", "决定日期", "违反议事规则"],
                     [[m.unit.name, m.get_kind_display(), m.subject, m.amount, m.meeting, m.meeting_date, m.decided_on,
                       m.breach_count] for m in matters], widths={"事项": 40})


def key_power_workbook(powers):
    return table_workbook(["职权编码", "职权名称", "类别", "行使单位"],
                     [[p.code, str(p), p.get_category_display(), p.unit.name] for p in powers], widths={"职权名称": 40})
