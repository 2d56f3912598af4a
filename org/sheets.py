"""Excel sheets the project writes and reads (openpyxl), shared by every app's import and export.

Writing: every cell goes through ``append_data_row``, so a user's text that looks like a
formula (``=``, ``+``, ``-``, ``@``) stays text. Reading: ``read_rows`` reads the first sheet's
XML to its end (a stale ``dimension`` record drops no rows) and turns a malformed cell into
``Unreadable`` instead of failing the whole file; ``SheetErrors`` collects errors by row and
column for the all-or-nothing imports.
"""

import unicodedata
import zipfile
from collections import Counter
from io import BytesIO

from django import forms
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import WorkSheetParser

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # a zip bomb stops here, before any XML is parsed
ERROR_LIST_LIMIT = 200

# --- Normalising what people type -------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−－﹣"), "-")


def _word(text):
    """An enumerated value as compared: NFKC (full-width letters and digits to ASCII), no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _code(text):
    """A code as compared: ``ＧＨＤＤ－００１`` and ``ghdd—001`` are both ``GHDD-001``."""
    return _word(text).translate(_DASHES).upper()


# --- Writing ------------------------------------------------------------------------------

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


def table_workbook(headers, rows, widths=None):
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


def xlsx_response(wb, filename):
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# --- Reading ------------------------------------------------------------------------------

class SheetUnreadable(Exception):
    """The upload is not a workbook we can read; the message says so to the user."""


class Unreadable:
    """A cell whose stored content does not fit its declared type (text in a number cell)."""

    def __init__(self, raw):
        self.raw = raw


class _TolerantParser(WorkSheetParser):
    """openpyxl's sheet parser, except that one malformed cell becomes ``Unreadable`` instead of
    an exception that ends the whole read (``float("高")`` for a text in a number cell)."""

    def parse_cell(self, element):
        try:
            return super().parse_cell(element)
        except (ValueError, TypeError, OverflowError, IndexError, KeyError):
            coordinate = element.get("r")
            row, column = coordinate_to_tuple(coordinate) if coordinate else (self.row_counter, self.col_counter)
            raw = element.findtext("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}v")
            return {"row": row, "column": column, "value": Unreadable(raw), "data_type": "e", "style_id": 0}


def check_upload(file):
    """Cheap checks before anything is parsed: a readable .xlsx package of sensible size.
    Raises ``SheetUnreadable``."""
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise SheetUnreadable(_("文件过大（%(size)s），请不要超过 %(max)s；可以分成几个文件导入。") % {
            "size": filesizeformat(file.size), "max": filesizeformat(MAX_UPLOAD_BYTES)})
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        names, unpacked = set(), 0
    finally:
        file.seek(0)
    if "xl/workbook.xml" not in names:
        raise SheetUnreadable(_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件（旧的 .xls 文件请先在 Excel 中另存为 .xlsx）。"))
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetUnreadable(_("文件内容过大，请分成几个文件导入。"))


class SheetField(forms.FileField):
    """An uploaded .xlsx that passes ``check_upload``; its reason otherwise, as the field's error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Excel 文件（.xlsx）"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file:
            try:
                check_upload(file)
            except SheetUnreadable as exc:
                raise forms.ValidationError(str(exc)) from exc
        return file


def read_rows(file, sheet=None):
    """Every row of the workbook's first sheet (or of the sheet named ``sheet``, when there is
    one: none, no rows) as ``(row number, {column number: value})``.

    The sheet's own ``dimension`` record is not trusted (openpyxl's read-only mode stops at it,
    and a stale one silently dropped rows): the sheet's XML is read to its end. Raises
    ``SheetUnreadable``.
    """
    check_upload(file)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors on a bad file
        raise SheetUnreadable(_("无法读取该文件，文件可能已损坏，请用 Excel 打开后重新保存为 .xlsx。")) from exc
    try:
        if not wb.worksheets:
            raise SheetUnreadable(_("文件中没有工作表。"))
        if sheet is not None and sheet not in wb.sheetnames:
            return
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        with ws._get_source() as source:
            parser = _TolerantParser(source, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                     date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
            for number, cells in parser.parse():
                yield number, {cell["column"]: cell["value"] for cell in cells}
    except SheetUnreadable:
        raise
    except Exception as exc:
        raise SheetUnreadable(_("无法读取该文件，文件可能已损坏，请用 Excel 打开后重新保存为 .xlsx。")) from exc
    finally:
        wb.close()


def _text(value):
    if value is None or isinstance(value, Unreadable):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class SheetErrors:
    """Every error of a sheet counted by column and kind; the first ``ERROR_LIST_LIMIT`` kept
    with their row and column for the page."""

    def __init__(self):
        self.listed, self.count, self.rows, self.kinds = [], 0, set(), Counter()

    def add(self, row, column, message, kind=None):
        self.count += 1
        self.rows.add(row)
        if len(self.listed) < ERROR_LIST_LIMIT:
            self.listed.append((row, column, str(message)))
        self.kinds[(column, str(kind or message))] += 1

    def summary(self):
        return [[column, kind, n] for (column, kind), n in self.kinds.most_common()]

    def __bool__(self):
        return self.count > 0
