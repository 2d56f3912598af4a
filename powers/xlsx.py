"""The power catalogue as an Excel sheet: export what the list shows, import the bureau's usual
sheet (职权目录 on the first sheet, flow steps on a sheet named 流程环节).

An import is all or nothing: every row of both sheets is checked first and a file with any bad
row is refused with every error by sheet, row and column. The code is the key: a power whose
code already exists is not imported again (full-width and half-width forms, dashes and stray
spaces compare equal). Imported powers arrive as drafts of their unit and go through review.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from org.imports import RowsRefused, sheet_import_run, sheet_import_start
from org.models import Unit
from org.scoping import editable_unit_ids
from org.sheets import SheetErrors, SheetUnreadable, _code, _text, _word, append_data_row, table_workbook, read_rows
from review.services import WorkflowError
from review.workflow import EDITOR

from .choices import PowerCategory
from .limits import limit_errors
from .models import CatalogueImport, PowerItem
from .services import flow_edge_add, flow_step_save, power_create

HEADER_SEARCH_ROWS = 5  # a title row (merged cells) may sit above the header
STEPS_SHEET = "流程环节"

# (header, field, required, help): the template's notes sheet and the README document these.
COLUMNS = [
    ("职权编码", "code", True, "如 CF-GH-001；已存在的编码不会重复导入"),
    ("职权类别", "category", True, "行政许可、行政处罚、行政强制、行政征收、行政检查、行政确认、行政奖励、其他行政权力、人事管理、财务管理、物资采购、项目审批"),
    ("职权名称", "name", True, ""),
    ("子项名称", "sub_item", False, ""),
    ("职权内容", "content", True, ""),
    ("行使单位编码", "unit", True, "如 GHDD；只能是自己有权登记的单位"),
    ("法律依据", "legal_bases", False, "每行一条，如“《中华人民共和国行政处罚法》第二十条”；也可写在下面几行（职权编码留空）"),
    ("自由裁量权", "has_discretion", False, "有 / 无（或 是 / 否）"),
    ("实施主体", "legal_body", False, ""),
    ("承办机构", "handling_body", False, ""),
    ("责任事项", "duties", False, ""),
    ("追责情形", "accountability", False, ""),
    ("法定时限（工作日）", "statutory_days", False, "整数"),
    ("承诺时限（工作日）", "promised_days", False, "整数，不超过法定时限"),
    ("是否收费", "charges_fee", False, "是 / 否"),
    ("收费依据及标准", "fee_basis", False, ""),
    ("监督电话", "supervision_phone", False, ""),
    ("备注", "remarks", False, ""),
]
STEP_COLUMNS = [
    ("职权编码", "power", True, "第一张表中的职权编码"),
    ("环节名称", "name", True, "同一职权内不重复"),
    ("承办", "handler_text", False, "承办单位、岗位或人员"),
    ("办理条件/标准", "conditions", False, ""),
    ("办理程序", "procedure", False, ""),
    ("法定时限（工作日）", "time_limit_days", False, "整数，或“即时”"),
    ("承诺时限（工作日）", "promised_days", False, "整数"),
    ("监督渠道", "supervision", False, ""),
    ("下一环节", "next", False, "下一环节的名称，几个用“、”分隔；空则接本职权的下一行"),
]
HEADERS = [c[0] for c in COLUMNS]
YES, NO = {"是", "有", "Y", "YES", "1", "√"}, {"否", "无", "N", "NO", "0", ""}
def _category(text):
    """A category by its Chinese name (whatever language is active) or its value."""
    with translation.override(None):
        words = {_word(str(label)): value for value, label in PowerCategory.choices}
    return words.get(_word(text)) or (text.strip().lower() if text.strip().lower() in PowerCategory.values else None)
_LAW = re.compile(r"^(.*?[》>])\s*(.*)$")


def _headers(lines, columns):
    """The header row (the first of the top rows that holds the first column) and column map."""
    for number, cells in lines[:HEADER_SEARCH_ROWS]:
        index = {}
        for column, value in cells.items():
            index.setdefault(_word(_text(value)), column)
        if _word(columns[0][0]) in index:
            return number, {h: index[_word(h)] for h, *_rest in columns if _word(h) in index}
    return None, {}


def _legal_bases(text):
    rows = []
    for line in re.split(r"[\n；;]+", text):
        line = line.strip()
        if line:
            match = _LAW.match(line)
            law, article = (match.group(1), match.group(2)) if match else (line, "")
            rows.append({"law_name": law[:200], "article": article[:100], "text": ""})
    return rows


def _days(raw, fail, header):
    if not raw:
        return None
    value = _word(raw)
    if not value.isascii() or not value.isdigit() or int(value) > 3650:
        fail(header, _("应为不超过 3650 的整数（工作日）"))
        return None
    return int(value)


def _flag(raw, fail, header):
    value = _word(raw).upper()
    if value in YES:
        return True
    if value not in NO:
        fail(header, _("应为“是”或“否”"))
    return False


def _sheet(lines, columns, errors, sheet_name):
    """``[(row number, {header: text})]`` of one sheet's data rows; a missing header is an error."""
    number, index = _headers(lines, columns)
    missing = [h for h, _f, required, _help in columns if required and h not in index]
    if number is None or missing:
        errors.add(number or 0, "、".join(missing or [columns[0][0]]), _("%(sheet)s：表头缺少必填列") % {"sheet": sheet_name})
        return []
    rows = []
    for row_number, cells in lines:
        if row_number <= number:
            continue
        raw = {h: _text(cells.get(i)) for h, i in index.items()}
        if any(raw.values()):
            rows.append((row_number, raw))
    return rows


def check_catalogue(file, *, actor):
    """Read and check both sheets; write nothing. Returns ``(powers, skipped codes, errors)``."""
    errors = SheetErrors()
    try:
        lines = list(read_rows(file))
        steps_lines = list(read_rows(file, sheet=STEPS_SHEET))
    except SheetUnreadable as exc:
        errors.add(0, "", str(exc))
        return [], [], errors
    editable = set(editable_unit_ids(actor))
    units = {_code(u.code): u for u in Unit.objects.filter(pk__in=editable)}
    existing = {_code(code): unit_id for code, unit_id in PowerItem.objects.values_list("code", "unit_id")}
    powers, skipped, by_code = [], [], {}
    for number, raw in _sheet(lines, COLUMNS, errors, _("职权目录")):
        def fail(column, message, number=number):
            errors.add(number, column, message)

        code = _code(raw.get("职权编码", ""))
        if not code:
            if raw.get("法律依据") and powers and not any(raw.get(h) for h in HEADERS if h != "法律依据"):
                powers[-1]["legal_bases"] += _legal_bases(raw["法律依据"])  # a continuation row
            else:
                fail("职权编码", _("必填"))
            continue
        for header, _field, required, _help in COLUMNS:
            if required and not raw.get(header):
                fail(header, _("必填"))
        if code in by_code or code in skipped:
            fail("职权编码", _("与本表前面的行重复"))
            continue
        if code in existing:
            skipped.append(code)  # imported before: not again
            continue
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-_.]*", code) or len(code) > 40:
            fail("职权编码", _("编码只能包含字母、数字、连字符、下划线和点，不超过 40 个字符"))
        unit = units.get(_code(raw.get("行使单位编码", "")))
        if raw.get("行使单位编码") and unit is None:
            fail("行使单位编码", _("没有编码为“%(c)s”的单位，或您不能为它登记职权") % {"c": raw["行使单位编码"]})
        category = _category(raw.get("职权类别", ""))
        if raw.get("职权类别") and category is None:
            fail("职权类别", _("“%(v)s”不是可选值（%(opts)s）") % {"v": raw["职权类别"], "opts": "、".join(map(str, PowerCategory.labels))})
        data = {"code": code, "category": category, "unit": unit, "posts": [],
                "has_discretion": _flag(raw.get("自由裁量权", ""), fail, "自由裁量权"),
                "charges_fee": _flag(raw.get("是否收费", ""), fail, "是否收费"),
                "statutory_days": _days(raw.get("法定时限（工作日）"), fail, "法定时限（工作日）"),
                "promised_days": _days(raw.get("承诺时限（工作日）"), fail, "承诺时限（工作日）")}
        for header, field, _required, _help in COLUMNS:
            if field not in data and field != "legal_bases":
                data[field] = raw.get(header, "")
        for header, limit in (("职权名称", 200), ("子项名称", 200), ("实施主体", 200), ("承办机构", 200), ("监督电话", 60)):
            if len(raw.get(header, "")) > limit:
                fail(header, _("不能超过 %(n)d 字") % {"n": limit})
        for message in limit_errors(statutory=data["statutory_days"], promised=data["promised_days"]):
            fail("承诺时限（工作日）", message)
        entry = {"number": number, "data": data, "legal_bases": _legal_bases(raw.get("法律依据", "")), "steps": []}
        powers.append(entry)
        by_code[code] = entry
    _check_steps(steps_lines, by_code, skipped, errors)
    return powers, skipped, errors


def _check_steps(lines, by_code, skipped, errors):
    if not lines:
        return
    for number, raw in _sheet(lines, STEP_COLUMNS, errors, STEPS_SHEET):
        def fail(column, message, number=number):
            errors.add(number, f"{STEPS_SHEET}·{column}", message)

        code = _code(raw.get("职权编码", ""))
        for header, _field, required, _help in STEP_COLUMNS:
            if required and not raw.get(header):
                fail(header, _("必填"))
        if code in skipped or not code:
            continue
        entry = by_code.get(code)
        if entry is None:
            fail("职权编码", _("第一张表中没有编码为“%(c)s”的职权") % {"c": raw["职权编码"]})
            continue
        limit = raw.get("法定时限（工作日）", "")
        immediate = _word(limit) == "即时"
        step = {"name": raw.get("环节名称", "")[:60], "handler_text": raw.get("承办", "")[:60],
                "conditions": raw.get("办理条件/标准", ""), "procedure": raw.get("办理程序", ""),
                "supervision": raw.get("监督渠道", "")[:200], "immediate": immediate,
                "time_limit_days": None if immediate else _days(limit, fail, "法定时限（工作日）"),
                "promised_days": _days(raw.get("承诺时限（工作日）"), fail, "承诺时限（工作日）"),
                "next": [n.strip() for n in re.split(r"[、，,]", raw.get("下一环节", "")) if n.strip()], "number": number}
        if any(s["name"] == step["name"] for s in entry["steps"]):
            fail("环节名称", _("同一职权中已有名为“%(s)s”的环节") % {"s": step["name"]})
        entry["steps"].append(step)
    for entry in by_code.values():
        names = {s["name"] for s in entry["steps"]}
        for step in entry["steps"]:
            for name in step["next"]:
                if name not in names or name == step["name"]:
                    errors.add(step["number"], f"{STEPS_SHEET}·下一环节",
                               _("“%(n)s”不是本职权的另一个环节") % {"n": name})


def catalogue_import_start(*, actor, file):
    """Keep an uploaded catalogue sheet in the shared storage and queue its import; returns the
    ``CatalogueImport`` whose page shows how it goes. Nothing is imported yet."""
    if not EDITOR.units(actor):
        raise PermissionDenied(_("您没有登记职权的权限。"))
    from .tasks import run_catalogue_import  # the task module imports this one

    return sheet_import_start(model=CatalogueImport, actor=actor, file=file, task=run_catalogue_import)


def catalogue_import_run(*, import_id):
    """Check an uploaded catalogue sheet and, when no row is wrong, import every new power as a
    draft with its legal bases and flow; else nothing."""
    def check(file, *, actor, progress):
        powers, skipped, errors = check_catalogue(file, actor=actor)
        progress(len(powers) + len(skipped), len(powers) + len(skipped))
        return (powers, skipped), errors

    def save(job, rows):
        powers, skipped = rows
        return {"created_count": catalogue_import_save(actor=job.created_by, powers=powers),
                "skipped_count": len(skipped)}

    return sheet_import_run(model=CatalogueImport, import_id=import_id, check=check, save=save)


def catalogue_import_save(*, actor, powers):
    """Save checked powers in one transaction, or none: errors found only while saving (a loop
    in a flow) raise ``RowsRefused``. Returns how many were created."""
    if not EDITOR.units(actor):
        raise PermissionDenied(_("您没有登记职权的权限。"))
    errors = SheetErrors()
    with transaction.atomic():
        for entry in powers:
            _save(actor, entry, errors)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise RowsRefused(errors)
    return len(powers)


def _save(actor, entry, errors):
    try:
        with transaction.atomic():
            power = power_create(actor=actor, data=entry["data"], legal_bases=entry["legal_bases"])
            saved = {}
            for step in entry["steps"]:
                power.refresh_from_db(fields=["lock_version"])
                data = {k: v for k, v in step.items() if k not in ("next", "number")}
                saved[step["name"]] = flow_step_save(power=power, actor=actor, lock_version=power.lock_version, data=data)
            chain = entry["steps"]
            for i, step in enumerate(chain):
                targets = step["next"] or ([chain[i + 1]["name"]] if i + 1 < len(chain) else [])
                for name in targets:
                    power.refresh_from_db(fields=["lock_version"])
                    flow_edge_add(power=power, actor=actor, lock_version=power.lock_version,
                                  source=saved[step["name"]], target=saved[name])
    except WorkflowError as exc:
        errors.add(entry["number"], "", exc.message)


# --- Sheets to download ---------------------------------------------------------------------

def catalogue_workbook(powers):
    """The powers (with unit and legal bases loaded) as the import's columns, so that an export
    imports again; a second sheet holds the flow steps."""
    rows = []
    for p in powers:
        rows.append([
            p.code, p.get_category_display(), p.name, p.sub_item, p.content, p.unit.code,
            "\n".join(f"{b.law_name}{b.article}" for b in p.legal_bases.all()), "有" if p.has_discretion else "无",
            p.legal_body, p.handling_body, p.duties, p.accountability, p.statutory_days, p.promised_days,
            "是" if p.charges_fee else "否", p.fee_basis, p.supervision_phone, p.remarks,
        ])
    wb = table_workbook(HEADERS + ["状态"], [r + [p.get_status_display()] for r, p in zip(rows, powers)],
                   {"职权名称": 30, "职权内容": 40, "法律依据": 40})
    steps = wb.create_sheet(STEPS_SHEET)
    append_data_row(steps, [c[0] for c in STEP_COLUMNS])
    for p in powers:
        names = {s.pk: s.name for s in p.steps.all()}
        for s in p.steps.all():
            nxt = "、".join(names[e.target_id] for e in s.out_edges.all())
            append_data_row(steps, [p.code, s.name, s.handler_text, s.conditions, s.procedure,
                                    "即时" if s.immediate else s.time_limit_days, s.promised_days, s.supervision, nxt])
    return wb


def template_workbook():
    wb = table_workbook(HEADERS, [["CF-GH-001", "行政处罚", "对未取得建设工程规划许可证进行建设的处罚", "", "依法责令停止建设、限期拆除并处罚款。",
                              "GHDD", "《中华人民共和国城乡规划法》第六十四条", "有", "", "规划执法大队", "", "", 90, 60, "否",
                              "", "12319", ""]], {"职权名称": 30, "职权内容": 40, "法律依据": 40})
    steps = wb.create_sheet(STEPS_SHEET)
    for row in ([c[0] for c in STEP_COLUMNS], ["CF-GH-001", "立案", "案件承办人", "", "", 7, 5, "", ""],
                ["CF-GH-001", "调查取证", "案件承办人", "", "", 30, 20, "", ""], ["CF-GH-001", "处罚决定", "负责人", "", "", 10, 5, "", ""]):
        append_data_row(steps, row)
    notes = wb.create_sheet("填写说明")
    append_data_row(notes, ["表", "列", "必填", "说明"])
    for sheet, columns in ((_("职权目录"), COLUMNS), (STEPS_SHEET, STEP_COLUMNS)):
        for header, _field, required, help_text in columns:
            append_data_row(notes, [sheet, header, "是" if required else "否", help_text])
    return wb
