"""The risk register as an Excel sheet: export what a list shows, import a unit's sheet.

The columns are defined once (``COLUMNS``) for the template, the import and the export. An
import is all or nothing: every row is checked first, and a sheet with any bad row is refused
with every error listed by row and column.
"""

from io import BytesIO

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views import View
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from org.models import Post, Unit
from org.scoping import editable_unit_ids, visible_unit_ids
from powers.models import PowerItem
from review.workflow import EDITOR

from .choices import FindingLevel, FoundBy, RiskKind, RiskLevel
from .filters import RiskPointFilter
from .models import RiskPoint
from .selectors import current_round, register_for
from .services import risk_check, risk_create, round_for

GRADE_WORDS = {"高": 3, "中": 2, "低": 1, "3": 3, "2": 2, "1": 1}
LEVEL_WORDS = {str(label): value for value, label in RiskLevel.choices} | {"1": 1, "2": 2, "3": 3}

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
    ("权力重要程度", "importance", True, "高 / 中 / 低"),
    ("自由裁量空间", "discretion", True, "高 / 中 / 低"),
    ("发生概率", "probability", True, "高 / 中 / 低"),
    ("危害程度", "harm", True, "高 / 中 / 低"),
    ("风险等级", "level", False, "一级 / 二级 / 三级；空则按评定标准的建议等级"),
    ("等级调整理由", "level_reason", False, "确定等级与建议等级不同时必填"),
]
HEADERS = [c[0] for c in COLUMNS]
EXPORT_EXTRA = ["登记编号", "年度", "建议等级", "状态", "防控措施", "责任人"]


def _choice(choices, text):
    by_label = {str(label): value for value, label in choices}
    if text not in by_label:
        raise ValidationError(_("“%(v)s”不是可选值（%(opts)s）") % {"v": text, "opts": "、".join(by_label)})
    return by_label[text]


def _cell(value):
    return "" if value is None else str(value).strip()


def parse_sheet(file, user):
    """Read and check every row. Returns (rows of field data, errors as (row, column, message))."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:
        return [], [(0, "", _("无法读取该文件，请上传 .xlsx 格式的 Excel 文件。"))]
    ws = wb.worksheets[0]
    lines = ws.iter_rows(values_only=True)
    header = [_cell(v) for v in next(lines, [])]
    missing = [h for h, _f, required, _help in COLUMNS if required and h not in header]
    if missing:
        return [], [(1, "、".join(missing), _("表头缺少必填列"))]
    index = {h: header.index(h) for h in HEADERS if h in header}
    editable = set(editable_unit_ids(user))
    units = {u.code: u for u in Unit.objects.filter(pk__in=visible_unit_ids(user))}
    posts = {(p.unit_id, p.name): p for p in Post.objects.filter(unit__code__in=units)}
    powers = {p.code: p for p in PowerItem.objects.filter(unit__in=units.values()).prefetch_related("steps")}
    rows, errors, seen = [], [], set()
    for number, values in enumerate(lines, start=2):
        raw = {h: _cell(values[i]) if i < len(values) else "" for h, i in index.items()}
        if not any(raw.values()):
            continue
        data, row_errors = {}, []

        def fail(column, message):
            row_errors.append((number, column, str(message)))

        for header_name, field, required, _help in COLUMNS:
            if required and not raw.get(header_name):
                fail(header_name, _("必填"))
        unit = units.get(raw.get("单位编码"))
        if raw.get("单位编码") and unit is None:
            fail("单位编码", _("没有编码为“%(c)s”的单位，或不在您的范围内") % {"c": raw["单位编码"]})
        elif unit is not None and unit.pk not in editable:
            fail("单位编码", _("您不能为“%(u)s”登记风险点") % {"u": unit.name})
        data["unit"] = unit
        data["post"] = posts.get((unit.pk, raw.get("岗位"))) if unit and raw.get("岗位") else None
        if unit and raw.get("岗位") and data["post"] is None:
            fail("岗位", _("“%(u)s”没有名为“%(p)s”的岗位") % {"u": unit.name, "p": raw["岗位"]})
        power = powers.get(raw.get("职权编码")) if raw.get("职权编码") else None
        if raw.get("职权编码") and power is None:
            fail("职权编码", _("没有编码为“%(c)s”的职权") % {"c": raw["职权编码"]})
        data["power"] = power
        data["step"] = None
        if raw.get("流程环节"):
            data["step"] = next((s for s in power.steps.all() if s.name == raw["流程环节"]), None) if power else None
            if data["step"] is None:
                fail("流程环节", _("所选职权的流程图中没有“%(s)s”环节") % {"s": raw["流程环节"]})
        for header_name, field, choices in (("查找层面", "finding_level", FindingLevel.choices),
                                            ("风险类型", "kind", RiskKind.choices), ("查找方式", "found_by", FoundBy.choices)):
            if raw.get(header_name):
                try:
                    data[field] = _choice(choices, raw[header_name])
                except ValidationError as exc:
                    fail(header_name, exc.messages[0])
        for header_name, field in (("权力重要程度", "importance"), ("自由裁量空间", "discretion"),
                                   ("发生概率", "probability"), ("危害程度", "harm")):
            if raw.get(header_name):
                if raw[header_name] not in GRADE_WORDS:
                    fail(header_name, _("应为 高、中 或 低"))
                data[field] = GRADE_WORDS.get(raw[header_name])
        data["title"], data["description"] = raw.get("风险点", ""), raw.get("风险表现形式", "")
        if len(data["title"]) > 100:
            fail("风险点", _("不能超过 100 字"))
        data["level_reason"] = raw.get("等级调整理由", "")
        data["level"] = LEVEL_WORDS.get(raw.get("风险等级")) if raw.get("风险等级") else None
        if raw.get("风险等级") and data["level"] is None:
            fail("风险等级", _("应为 一级、二级 或 三级"))
        if not row_errors:
            try:
                suggested = risk_check(data={**data, "level": data["level"]})
                data["level"] = data["level"] or suggested
            except ValidationError as exc:
                field_headers = {f: h for h, f, _r, _help in COLUMNS}
                for field, msgs in exc.message_dict.items():
                    for msg in msgs:
                        fail(field_headers.get(field, ""), msg)
        key = (unit.pk if unit else None, data["title"])
        if key in seen:
            fail("风险点", _("与本表前面的行重复（同一单位的同名风险点）"))
        seen.add(key)
        errors += row_errors
        if not row_errors:
            rows.append((number, data))
    return rows, errors


def import_register(*, actor, rows):
    """Create the checked rows in the current round, all in one transaction. A risk point
    already registered under the same unit and name this year is not created again."""
    created = skipped = 0
    with transaction.atomic():
        round_ = round_for(actor.unit.bureau)
        for _number, data in rows:
            if RiskPoint.objects.filter(round=round_, unit=data["unit"], title=data["title"]).exists():
                skipped += 1
                continue
            risk_create(actor=actor, data=data, round_=round_)
            created += 1
    return created, skipped


# A text cell starting with one of these is taken as a formula by openpyxl and by Excel.
FORMULA_PREFIXES = ("=", "+", "-", "@")
EXCEL_MAX_TEXT = 32767


def _data_value(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        # Control characters make openpyxl refuse the whole file; Excel cuts longer text.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_TEXT]
    return value


def append_data_row(ws, values):
    """Append ``values`` to ``ws`` as data: every text is written as a string cell.

    Users' text may start with ``=``, ``+``, ``-`` or ``@`` (``=HYPERLINK(...)``); openpyxl would
    store it as a live formula that Excel evaluates on opening. The cell is forced back to the
    string type and marked with Excel's quote prefix, so it stays text even after an edit in
    Excel. Every sheet the project writes goes through this function.
    """
    ws.append([_data_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_PREFIXES):
                cell.quotePrefix = True


def _workbook(headers, rows, widths=None):
    wb = Workbook()
    ws = wb.active
    append_data_row(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        append_data_row(ws, row)
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(header, max(10, len(header) * 2 + 2))
    ws.freeze_panes = "A2"
    return wb


def _xlsx_response(wb, filename):
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


GRADE_LABEL = {3: "高", 2: "中", 1: "低"}


class ExportView(View):
    """The register exactly as filtered on the list page, as .xlsx."""

    def get(self, request):
        qs = register_for(request.user).select_related("unit", "post", "power", "step", "round").prefetch_related(
            "plan__measures__responsible")
        f = RiskPointFilter(data=request.GET, queryset=qs, user=request.user, current_round=current_round(request.user))
        rows = []
        for r in f.qs.order_by("code"):
            measures = list(r.plan.measures.all()) if hasattr(r, "plan") else []
            rows.append([
                r.unit.code, r.post.name if r.post else "", r.power.code if r.power else "", r.step.name if r.step else "",
                r.get_finding_level_display(), r.get_kind_display(), r.get_found_by_display(), r.title, r.description,
                *(GRADE_LABEL[getattr(r, k)] for k in ("importance", "discretion", "probability", "harm")),
                r.get_level_display(), r.level_reason, r.code, r.round.year, RiskLevel(r.suggested_level).label,
                r.get_status_display(), "\n".join(f"{i}. {m.content}" for i, m in enumerate(measures, 1)),
                "、".join(dict.fromkeys(m.responsible.display_name for m in measures)),
            ])
        wb = _workbook(HEADERS + EXPORT_EXTRA, rows, {"风险表现形式": 40, "防控措施": 50, "风险点": 20})
        return _xlsx_response(wb, f"risk-register-{timezone.localdate():%Y%m%d}.xlsx")


class TemplateView(View):
    def get(self, request):
        wb = _workbook(HEADERS, [["GHDD", "巡查员", "CF-GH-001", "案件受理", "岗位", "岗位职责", "自己找",
                                  "发现违建不制止不上报", "巡查中发现违法建设不制止、不上报，向当事人通风报信。",
                                  "高", "中", "中", "高", "一级", ""]], {"风险表现形式": 40})
        notes = wb.create_sheet("填写说明")
        append_data_row(notes, ["列", "必填", "说明"])
        for header, _field, required, help_text in COLUMNS:
            append_data_row(notes, [header, "是" if required else "否", help_text])
        notes.column_dimensions["A"].width, notes.column_dimensions["C"].width = 16, 60
        return _xlsx_response(wb, "risk-register-template.xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"))


class ImportView(View):
    template_name = "riskpoints/import.html"

    def check_may(self, request):
        if not EDITOR.units(request.user):
            raise PermissionDenied(_("您没有登记廉政风险点的权限。"))

    def get(self, request):
        self.check_may(request)
        return render(request, self.template_name, {"form": ImportForm(), "columns": COLUMNS})

    def post(self, request):
        self.check_may(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "columns": COLUMNS})
        rows, errors = parse_sheet(form.cleaned_data["file"], request.user)
        if errors:
            return render(request, self.template_name, {"form": ImportForm(), "columns": COLUMNS, "errors": errors}, status=400)
        created, skipped = import_register(actor=request.user, rows=rows)
        messages.success(request, _("导入完成：新登记 %(c)d 个风险点，%(s)d 个本年度已登记、未重复导入。") % {"c": created, "s": skipped})
        return redirect("riskpoints:list")
