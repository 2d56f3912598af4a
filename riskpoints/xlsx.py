"""The risk register as an Excel sheet: export what a list shows, import a unit's sheet (the
sheets and the import service; the pages are in ``views``).

The columns are defined once (``COLUMNS``) for the template, the import and the export. An
import is all or nothing: every row is checked first, and a sheet with any bad row is refused
with its errors listed by row and column (the first ``ERROR_LIST_LIMIT`` of them, and every one
counted by column and kind). Imports run as a background task (``tasks.run_register_import``)
on a file kept in the default storage; the upload page sends the user to a status page.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from org.imports import sheet_import_run, sheet_import_start
from org.models import Post, Unit
from org.sheets import (  # noqa: F401  (append_data_row and the reading helpers are this module's API too)
    ERROR_LIST_LIMIT, FORMULA_PREFIXES, MAX_UNPACKED_BYTES, MAX_UPLOAD_BYTES, SheetErrors, SheetUnreadable, Unreadable,
    _code, _data_value, _text, _word, append_data_row, read_rows, table_workbook, xlsx_response,
)
from org.scoping import editable_unit_ids, visible_unit_ids
from powers.models import PowerItem
from review.services import WorkflowError
from review.workflow import EDITOR

from .choices import FACTORS, FindingLevel, FoundBy, KeyArea, RiskKind, RiskLevel
from .models import RegisterImport, RiskPoint, Round
from .services import registration_round, risk_check, risk_create_many, rubric_for

MAX_ROWS = 50_000
PROGRESS_EVERY = 500

# (header, field, required, help) — the template's second sheet documents these.
COLUMNS = [
    ("单位编码", "unit", True, "单位的编码，如 GHDD（见系统管理中的单位列表）"),
    ("岗位", "post", False, "该单位的岗位名称；查找层面为“岗位”时必填"),
    ("职权编码", "power", False, "涉及职权的编码，如 CF-GH-001；制度机制类风险可空"),
    ("流程环节", "step", False, "该职权流程图中的环节名称，可空"),
    ("查找层面", "finding_level", True, "岗位 / 部门 / 单位"),
    ("风险类型", "kind", True, "岗位职责 / 业务流程 / 制度机制"),
    ("查找方式", "found_by", True, "自己找 / 群众提 / 相互帮 / 领导点 / 专家评 / 组织审"),
    ("风险点", "title", True, "风险点名称，100 字以内"),
    ("风险表现形式", "description", True, "风险如何表现"),
    ("权力重要程度", "importance", True, "高 / 中 / 低（或 3 / 2 / 1）"),
    ("自由裁量空间", "discretion", True, "大 / 中 / 小，或 高 / 中 / 低（或 3 / 2 / 1）"),
    ("发生概率", "probability", True, "高 / 较高 / 较小，或 高 / 中 / 低（或 3 / 2 / 1）"),
    ("危害程度", "harm", True, "严重 / 较严重 / 一般，或 高 / 中 / 低（或 3 / 2 / 1）"),
    ("风险等级", "level", False, "一级 / 二级 / 三级；空则按评定标准的建议等级"),
    ("等级调整理由", "level_reason", False, "确定等级与建议等级不同时必填"),
    ("重点领域", "key_area", False, "行政审批 / 行政处罚 / 政府投资项目 / 公共资源交易 / 专项资金管理使用，"
                                  "不属于重点领域填“无”；空则按所涉职权的类别（如行政处罚类职权为“行政处罚”）"),
]
HEADERS = [c[0] for c in COLUMNS]
EXPORT_EXTRA = ["登记编号", "年度", "建议等级", "状态", "防控措施", "责任人", "关键岗位"]


# --- Normalising what people type -------------------------------------------------------

def _source(label):
    """A label as the sheets write it: the Chinese source text, whatever language is active."""
    with translation.override(None):
        return str(label)


def _grade_words():
    """Per factor, the words that give each grade: the rubric's own word for it (the text
    before “：” in ``FACTORS``, as the form shows it: 发生概率 高 / 较高 / 较小), the plain
    高 / 中 / 低 every sheet uses, and the rubric's way of saying “one step down” for the
    others (较高 / 较大 → 2, 较低 / 较小 → 1, as in 发生概率), and the digits 3 / 2 / 1."""
    generic = {"高": 3, "中": 2, "低": 1, "较高": 2, "较大": 2, "较低": 1, "较小": 1}
    table = {}
    for field, (_label, grades) in FACTORS.items():
        words = {_word(_source(text)).split(":")[0]: grade for grade, text in grades.items()}
        table[field] = {**words, **{w: g for w, g in generic.items() if w not in words}, "3": 3, "2": 2, "1": 1}
    return table


GRADE_WORDS = _grade_words()
LEVEL_WORDS = ({_word(_source(label)): value for value, label in RiskLevel.choices}
               | {"1": 1, "2": 2, "3": 3, "1级": 1, "2级": 2, "3级": 3, "I级": 1, "II级": 2, "III级": 3})
# 重点领域 as a sheet writes it: an area's name, or 无 (the word the export writes) for none.
NO_KEY_AREA = "无"
KEY_AREA_WORDS = ({_word(_source(label)): value for value, label in KeyArea.choices if value}
                  | {_word(w): "" for w in (NO_KEY_AREA, "否", "非重点领域", _source(KeyArea.NONE.label))})


def _grade_hint(field):
    words = GRADE_WORDS[field]
    parts = []
    for grade in (3, 2, 1):
        names = [w for w, g in words.items() if g == grade and not w.isdigit()]
        parts.append(_("%(words)s（%(grade)d）") % {"words": "或".join(names), "grade": grade})
    return "、".join(parts)


# --- Reading ------------------------------------------------------------------------------

def check_sheet(file, *, actor, progress=None):
    """Read and check every row of an uploaded sheet; write nothing.

    Returns ``(rows, errors)``: the checked rows as ``(row number, field data)`` and a
    ``SheetErrors``. Lookups (units, posts, powers and their steps, the rubric) are loaded once,
    so checking costs no query per row. ``progress(checked, total)`` is called now and then.
    """
    errors = SheetErrors()
    try:
        lines = []
        for number, cells in read_rows(file):
            lines.append((number, cells))
            if len(lines) > MAX_ROWS + 1:
                errors.add(0, "", _("超过 %(n)d 行，请分成几个文件导入。") % {"n": MAX_ROWS})
                return [], errors
    except SheetUnreadable as exc:
        errors.add(0, "", str(exc))
        return [], errors
    if not lines:
        errors.add(0, "", _("工作表是空的。"))
        return [], errors
    header_number, header_cells = lines[0]
    columns = {}
    for column, value in header_cells.items():
        columns.setdefault(_word(_text(value)), column)
    index = {h: columns[h] for h in HEADERS if h in columns}
    missing = [h for h, _f, required, _help in COLUMNS if required and h not in index]
    if missing:
        errors.add(header_number, "、".join(missing), _("表头缺少必填列"))
        return [], errors

    editable = set(editable_unit_ids(actor))
    units = {_code(u.code): u for u in Unit.objects.filter(pk__in=visible_unit_ids(actor))}
    posts = {(p.unit_id, _word(p.name)): p for p in Post.objects.filter(unit__in=units.values())}
    powers = {_code(p.code): p for p in PowerItem.objects.filter(unit__in=units.values()).prefetch_related("steps")}
    steps = {}
    rubrics = {}
    choices = {header: (field, {_word(_source(label)): value for value, label in enum.choices})
               for header, field, enum in (("查找层面", "finding_level", FindingLevel), ("风险类型", "kind", RiskKind),
                                           ("查找方式", "found_by", FoundBy))}
    field_headers = {f: h for h, f, _r, _help in COLUMNS}
    rows, seen = [], set()
    total = len(lines) - 1
    for checked, (number, cells) in enumerate(lines[1:], start=1):
        if progress and checked % PROGRESS_EVERY == 0:
            progress(checked, total)
        values = {h: cells.get(i) for h, i in index.items()}
        raw = {h: _text(v) for h, v in values.items()}
        if not any(raw.values()) and not any(isinstance(v, Unreadable) for v in values.values()):
            continue
        data, row_errors = {}, []

        def fail(column, message, kind=None):
            row_errors.append((column, message, kind))

        for header_name, value in values.items():
            if isinstance(value, Unreadable):
                fail(header_name, _("单元格内容与其数字格式不符，无法读取；请把该单元格设为“文本”格式后重新填写。"))
        for header_name, _field, required, _help in COLUMNS:
            if required and not raw.get(header_name) and not isinstance(values.get(header_name), Unreadable):
                fail(header_name, _("必填"))
        unit = units.get(_code(raw.get("单位编码", "")))
        if raw.get("单位编码") and unit is None:
            fail("单位编码", _("没有编码为“%(c)s”的单位，或不在您的范围内") % {"c": raw["单位编码"]},
                 _("没有该编码的单位，或不在您的范围内"))
        elif unit is not None and unit.pk not in editable:
            fail("单位编码", _("您不能为“%(u)s”登记风险点") % {"u": unit.name}, _("不能为该单位登记风险点"))
            unit = None
        data["unit"] = unit
        data["post"] = posts.get((unit.pk, _word(raw["岗位"]))) if unit and raw.get("岗位") else None
        if unit and raw.get("岗位") and data["post"] is None:
            fail("岗位", _("“%(u)s”没有名为“%(p)s”的岗位") % {"u": unit.name, "p": raw["岗位"]}, _("该单位没有此岗位"))
        power = powers.get(_code(raw["职权编码"])) if raw.get("职权编码") else None
        if raw.get("职权编码") and power is None:
            fail("职权编码", _("没有编码为“%(c)s”的职权") % {"c": raw["职权编码"]}, _("没有该编码的职权"))
        data["power"] = power
        data["step"] = None
        if raw.get("流程环节"):
            if power is not None and power.pk not in steps:
                steps[power.pk] = {_word(s.name): s for s in power.steps.all()}
            data["step"] = steps[power.pk].get(_word(raw["流程环节"])) if power else None
            if data["step"] is None:
                fail("流程环节", _("所选职权的流程图中没有“%(s)s”环节") % {"s": raw["流程环节"]},
                     _("所选职权的流程图中没有该环节"))
        for header_name, (field, by_label) in choices.items():
            if raw.get(header_name):
                data[field] = by_label.get(_word(raw[header_name]))
                if data[field] is None:
                    fail(header_name, _("“%(v)s”不是可选值（%(opts)s）") % {"v": raw[header_name], "opts": "、".join(by_label)},
                         _("不是可选值"))
        for header_name, field in (("权力重要程度", "importance"), ("自由裁量空间", "discretion"),
                                   ("发生概率", "probability"), ("危害程度", "harm")):
            if raw.get(header_name):
                data[field] = GRADE_WORDS[field].get(_word(raw[header_name]).split(":")[0])
                if data[field] is None:
                    fail(header_name, _("“%(v)s”不是可用的等级，应为 %(hint)s") % {
                        "v": raw[header_name], "hint": _grade_hint(field)}, _("不是可用的等级"))
        data["title"], data["description"] = raw.get("风险点", ""), raw.get("风险表现形式", "")
        if len(data["title"]) > 100:
            fail("风险点", _("不能超过 100 字"))
        data["level_reason"] = raw.get("等级调整理由", "")
        data["level"] = LEVEL_WORDS.get(_word(raw["风险等级"])) if raw.get("风险等级") else None
        if raw.get("风险等级") and data["level"] is None:
            fail("风险等级", _("应为 一级、二级 或 三级"))
        if raw.get("重点领域"):  # left empty, the power's category suggests it (services._with_key_area)
            data["key_area"] = KEY_AREA_WORDS.get(_word(raw["重点领域"]))
            if data["key_area"] is None:
                fail("重点领域", _("“%(v)s”不是可选值（%(opts)s）") % {
                    "v": raw["重点领域"], "opts": "、".join([*(_source(l) for v, l in KeyArea.choices if v), NO_KEY_AREA])},
                    _("不是可选值"))
        if not row_errors:
            bureau = unit.bureau
            rubric = rubrics.get(bureau.pk) or rubrics.setdefault(bureau.pk, rubric_for(bureau))
            try:
                suggested = risk_check(data=data, rubric=rubric)
                data["level"] = data["level"] or suggested
            except ValidationError as exc:
                for field, msgs in exc.message_dict.items():
                    for msg in msgs:
                        fail(field_headers.get(field, ""), msg)
        key = (unit.pk if unit else None, data["title"])
        if unit and key in seen:
            fail("风险点", _("与本表前面的行重复（同一单位的同名风险点）"))
        seen.add(key)
        for column, message, kind in row_errors:
            errors.add(number, column, message, kind)
        if not row_errors:
            rows.append((number, data))
    if progress:
        progress(total, total)
    return rows, errors


# --- Importing ----------------------------------------------------------------------------

def register_import_start(*, actor, file):
    """Keep an uploaded sheet in the shared storage and queue its import; returns the
    ``RegisterImport`` whose page shows how it goes. Nothing is registered yet."""
    if not EDITOR.units(actor):
        raise PermissionDenied(_("您没有登记廉政风险点的权限。"))
    from .tasks import run_register_import  # the task module imports this one

    return sheet_import_start(model=RegisterImport, actor=actor, file=file, task=run_register_import)


def register_import_save(*, actor, rows):
    """Register checked rows in the bureau's open round, all in one transaction.

    A row whose unit already has a risk point of that name this year is skipped. The round is
    locked first, so simultaneous imports of the same sheet (and single registrations) take
    turns and each sees what the one before it wrote. Returns ``(created, skipped)``.
    """
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=registration_round(actor.unit.bureau).pk)
        unit_ids = {data["unit"].pk for _number, data in rows}
        existing = set(RiskPoint.objects.filter(round=round_, unit_id__in=unit_ids).values_list("unit_id", "title"))
        fresh = []
        for _number, data in rows:
            key = (data["unit"].pk, data["title"])
            if key not in existing:
                existing.add(key)
                fresh.append(data)
        risk_create_many(actor=actor, round_=round_, rows=fresh)
    return len(fresh), len(rows) - len(fresh)


def register_import_run(*, import_id):
    """Check an uploaded sheet and, when no row is wrong, register every row; else nothing
    (``org.imports.sheet_import_run``: once per import, always ending with a message)."""
    def save(job, rows):
        created, skipped = register_import_save(actor=job.created_by, rows=rows)
        return {"created_count": created, "skipped_count": skipped}

    # e.g. no open round: refused with its message
    return sheet_import_run(model=RegisterImport, import_id=import_id, check=check_sheet, save=save,
                            refusals=(PermissionDenied, WorkflowError))


# --- Sheets to download ---------------------------------------------------------------------

GRADE_LABEL = {3: "高", 2: "中", 1: "低"}


def register_rows(risks):
    """The register rows ``risks`` (with unit, post, power, step, round and the plan's measures
    loaded) as sheet rows: the import's columns first, then what only an export shows. Each
    choice's label is looked up once per value, not once per cell (300,000 rows)."""
    labels = {name: {value: str(label) for value, label in RiskPoint._meta.get_field(name).flatchoices}
              for name in ("finding_level", "kind", "found_by", "level", "status", "key_area")}
    suggested = {value: str(label) for value, label in RiskLevel.choices}
    for r in risks:
        measures = list(r.plan.measures.all()) if hasattr(r, "plan") else []
        yield [
            r.unit.code, r.post.name if r.post else "", r.power.code if r.power else "", r.step.name if r.step else "",
            labels["finding_level"][r.finding_level], labels["kind"][r.kind], labels["found_by"][r.found_by], r.title,
            r.description, *(GRADE_LABEL[getattr(r, k)] for k in ("importance", "discretion", "probability", "harm")),
            labels["level"][r.level], r.level_reason, labels["key_area"].get(r.key_area, "") if r.key_area else NO_KEY_AREA,
            r.code, r.round.year, suggested[r.suggested_level],
            labels["status"][r.status], "\n".join(f"{i}. {m.content}" for i, m in enumerate(measures, 1)),
            "、".join(dict.fromkeys(m.responsible.display_name for m in measures)),
            "是" if r.post and r.post.is_key else "",
        ]


REGISTER_WIDTHS = {"风险表现形式": 40, "防控措施": 50, "风险点": 20}


def register_workbook(risks):
    """The register rows ``risks`` as a workbook (``register_rows``)."""
    return table_workbook(HEADERS + EXPORT_EXTRA, register_rows(risks), REGISTER_WIDTHS)


def register_workbook_stream(risks, out):
    """The same workbook written to the file ``out`` row by row (openpyxl's write-only mode,
    lxml): memory stays flat however many rows ``risks`` yields. For a whole register."""
    from openpyxl.cell import WriteOnlyCell

    headers = HEADERS + EXPORT_EXTRA
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = REGISTER_WIDTHS.get(header, max(10, len(header) * 2 + 2))
    ws.freeze_panes = "A2"
    head = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        head.append(cell)
    ws.append(head)
    def text(value):
        # As ``append_data_row``: text that looks like a formula stays text. Other values go
        # in as they are, which write-only mode stores as plain strings and numbers.
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type, cell.quotePrefix = "s", True
            return cell
        return value

    count = 0
    for row in register_rows(risks):
        ws.append([text(_data_value(v)) for v in row])
        count += 1
    wb.save(out)
    return count


def posts_workbook(posts):
    """The office's 关键岗位 page as filtered: the posts (with their unit loaded) and their mark."""
    return table_workbook(["单位编码", "单位", "岗位", "岗位层次", "关键岗位"], [
        [p.unit.code, p.unit.name, p.name, p.get_tier_display(), "是" if p.is_key else "否"] for p in posts
    ], {"单位": 24, "岗位": 24})


def template_workbook():
    """An example row and a sheet that explains every column."""
    wb = table_workbook(HEADERS, [["GHDD", "巡查员", "CF-GH-001", "案件受理", "岗位", "岗位职责", "自己找",
                              "发现违建不制止不上报", "巡查中发现违法建设不制止、不上报，向当事人通风报信。",
                              "高", "中", "中", "严重", "一级", "", "行政处罚"]], {"风险表现形式": 40})
    notes = wb.create_sheet("填写说明")
    append_data_row(notes, ["列", "必填", "说明"])
    for header, _field, required, help_text in COLUMNS:
        append_data_row(notes, [header, "是" if required else "否", help_text])
    notes.column_dimensions["A"].width, notes.column_dimensions["C"].width = 16, 60
    return wb
