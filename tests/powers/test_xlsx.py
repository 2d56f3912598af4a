"""The power catalogue in Excel: export as filtered, import all or nothing, twice without
duplicates, and the messy sheets people really send."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from powers.models import CatalogueImport, FlowEdge, FlowStep, LegalBasis, PowerItem
from powers.xlsx import HEADERS, STEP_COLUMNS
from review.choices import Status
from tests.factories import PowerItemFactory

STEP_HEADERS = [c[0] for c in STEP_COLUMNS]


def power_row(**over):
    values = {"职权编码": "CF-A-001", "职权类别": "行政处罚", "职权名称": "对违法建设的处罚", "职权内容": "责令停止建设并处罚款。",
              "行使单位编码": "A", "法律依据": "《中华人民共和国城乡规划法》第六十四条", "自由裁量权": "有",
              "法定时限（工作日）": 90, "承诺时限（工作日）": 60, **over}
    return [values.get(h, "") for h in HEADERS]


def step_row(**over):
    values = {"职权编码": "CF-A-001", "环节名称": "立案", "承办": "承办人", "法定时限（工作日）": 5, **over}
    return [values.get(h, "") for h in STEP_HEADERS]


def workbook(rows, steps=(), *, title=None, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(headers)
    for row in rows:
        ws.append(row)
    if steps:
        sheet = wb.create_sheet("流程环节")
        sheet.append(STEP_HEADERS)
        for row in steps:
            sheet.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile("职权目录.xlsx", out.getvalue())


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post a sheet to the import page, let the queued task run (eagerly), and open the import's
    page (or return the upload page when the form refused the file)."""
    def post(client, file):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("powers:import"), {"file": file})
        if response.status_code != 302:
            return response
        return client.get(response["Location"])

    return post


def state(response):
    return response.context["job"].state


def test_a_good_sheet_imports_drafts_with_legal_bases_and_flow(people, bureau, client_for, upload):
    rows = [power_row(法律依据="《中华人民共和国城乡规划法》第六十四条\n《中华人民共和国行政处罚法》第二十条"),
            power_row(职权编码="XK-A-001", 职权类别="行政许可", 职权名称="临时占道许可", 法律依据="", 自由裁量权="无")]
    steps = [step_row(), step_row(环节名称="调查", 下一环节="决定、告知"), step_row(环节名称="告知", 下一环节="决定"),
             step_row(环节名称="决定", **{"法定时限（工作日）": "即时"})]
    response = upload(client_for(people.staff_a), workbook(rows, steps))
    assert state(response) == "done", response.content.decode()[:2000]
    assert "新登记 2 项职权" in response.content.decode()
    power = PowerItem.objects.get(code="CF-A-001")
    assert power.status == Status.DRAFT and power.unit == bureau.a and power.has_discretion
    assert [(b.law_name, b.article) for b in power.legal_bases.all()] == [
        ("《中华人民共和国城乡规划法》", "第六十四条"), ("《中华人民共和国行政处罚法》", "第二十条")]
    assert list(power.steps.values_list("name", flat=True)) == ["立案", "调查", "告知", "决定"]
    assert power.steps.get(name="决定").immediate
    edges = {(e.source.name, e.target.name) for e in power.edges.select_related("source", "target")}
    assert edges == {("立案", "调查"), ("调查", "决定"), ("调查", "告知"), ("告知", "决定")}
    assert not power.flow_problems()
    assert PowerItem.objects.get(code="XK-A-001").category == "licensing"


def test_importing_twice_does_not_duplicate_even_with_full_width_codes(people, client_for, upload):
    client = client_for(people.staff_a)
    upload(client, workbook([power_row()], [step_row()]))
    again = upload(client, workbook([power_row(职权编码=" ＣＦ－Ａ－００１ ")], [step_row(职权编码="cf—a—001")]))
    assert state(again) == "done" and "1 项编码已存在" in again.content.decode()
    assert PowerItem.objects.count() == 1 and FlowStep.objects.count() == 1


def test_a_bad_row_refuses_the_whole_file_listing_every_error(people, client_for, upload):
    rows = [power_row(), power_row(职权编码="CF-A-002", 职权类别="行政罚款", 行使单位编码="B"),
            power_row(职权编码="CF-A-003", 职权名称="", **{"承诺时限（工作日）": 120}), power_row(职权编码="CF-A-001")]
    steps = [step_row(), step_row(环节名称="决定", 下一环节="不存在的环节"), step_row(职权编码="CF-X-999")]
    response = upload(client_for(people.staff_a), workbook(rows, steps))
    html = response.content.decode()
    assert state(response) == "refused" and "文件未导入" in html
    for text in ("不是可选值", "您不能为它登记职权", "必填", "与本表前面的行重复", "不是本职权的另一个环节",
                 "第一张表中没有编码为“CF-X-999”的职权", "流程环节·下一环节"):
        assert text in html, text
    assert CatalogueImport.objects.get().error_count >= 7
    assert not PowerItem.objects.exists() and not LegalBasis.objects.exists() and not FlowStep.objects.exists()


def test_a_loop_found_while_saving_refuses_everything(people, client_for, upload):
    rows = [power_row(职权编码="CF-A-000", 职权名称="先导入的职权"), power_row()]
    steps = [step_row(下一环节="决定"), step_row(环节名称="决定", 下一环节="立案")]
    response = upload(client_for(people.staff_a), workbook(rows, steps))
    assert state(response) == "refused" and "回路" in response.content.decode()
    assert not PowerItem.objects.exists() and not FlowEdge.objects.exists()


def test_messy_sheet_merged_title_spaces_continuation_rows(people, client_for, upload):
    rows = [power_row(职权编码="  CF-A-001  ", 职权类别=" 行政处罚 "),
            [""] * HEADERS.index("法律依据") + ["《中华人民共和国行政处罚法》第二十条"]]
    headers = [f" {h} " for h in HEADERS]
    response = upload(client_for(people.staff_a), workbook(rows, title="XX局职权目录（2026年）", headers=headers))
    assert state(response) == "done", response.content.decode()[:3000]
    power = PowerItem.objects.get()
    assert power.code == "CF-A-001" and power.legal_bases.count() == 2


def test_an_unreadable_file_and_a_sheet_without_the_header(people, client_for, upload):
    client = client_for(people.staff_a)
    response = upload(client, SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert response.status_code == 400 and "无法读取该文件" in response.content.decode()
    response = upload(client, workbook([["a", "b"]], headers=["名称", "内容"]))
    assert state(response) == "refused" and "表头缺少必填列" in response.content.decode()
    assert not PowerItem.objects.exists()


def test_an_import_runs_in_the_background_and_only_its_uploader_follows_it(people, client_for, upload):
    client = client_for(people.staff_a)
    page = upload(client, workbook([power_row()], [step_row()]))
    job = page.context["job"]
    assert (job.state, job.created_count, job.file.name) == ("done", 1, "")  # the kept upload is deleted
    assert job.finished_at and job.get_absolute_url() in client.get(reverse("powers:import")).content.decode()
    assert client_for(people.staff_a2).get(job.get_absolute_url()).status_code == 404
    assert client_for(people.office).get(job.get_absolute_url()).status_code == 404


def test_a_queued_import_claims_its_row_once(people, client_for, upload):
    from powers.models import CatalogueImport
    from powers.xlsx import catalogue_import_run

    job = upload(client_for(people.staff_a), workbook([power_row()])).context["job"]
    assert catalogue_import_run(import_id=job.pk) is None  # a redelivered task finds it done
    assert PowerItem.objects.count() == 1 and CatalogueImport.objects.get().created_count == 1


@pytest.mark.parametrize("persona", ["leader_a", "director", "nobody"])
def test_only_editors_import(people, client_for, persona, upload):
    client = client_for(getattr(people, persona))
    assert client.get(reverse("powers:import")).status_code == 403
    assert upload(client, workbook([power_row()])).status_code == 403
    assert not PowerItem.objects.exists()


def test_export_is_as_filtered_scoped_and_writes_formulas_as_text(people, bureau, client_for):
    PowerItemFactory(unit=bureau.a, code="CF-A-010", name="=HYPERLINK(\"http://x\")", category="penalty")
    PowerItemFactory(unit=bureau.a, code="XK-A-010", name="许可事项", category="licensing")
    PowerItemFactory(unit=bureau.b, code="CF-B-010", name="B的职权", category="penalty")
    client = client_for(people.staff_a)
    wb = load_workbook(BytesIO(client.get(reverse("powers:export"), {"category": "penalty"}).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["CF-A-010"]
    cell = wb.active.cell(row=2, column=HEADERS.index("职权名称") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=") and cell.quotePrefix
    assert [r[:2] for r in wb["流程环节"].iter_rows(min_row=2, values_only=True)] == [("CF-A-010", "受理"), ("CF-A-010", "决定")]


def test_an_export_imports_again_without_duplicates(people, bureau, client_for, upload):
    PowerItemFactory(unit=bureau.a, code="CF-A-010")
    client = client_for(people.staff_a)
    data = client.get(reverse("powers:export")).content
    PowerItem.objects.all().delete()
    response = upload(client, SimpleUploadedFile("导出.xlsx", data))
    assert state(response) == "done" and "新登记 1 项职权" in response.content.decode()
    power = PowerItem.objects.get()
    assert power.steps.count() == 2 and power.edges.count() == 1 and power.legal_bases.count() == 1
