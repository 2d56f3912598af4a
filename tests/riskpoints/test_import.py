import re
import threading
from io import BytesIO
from zipfile import ZipFile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from riskpoints import xlsx
from riskpoints.choices import ImportState
from riskpoints.models import RegisterImport, RiskPoint, Round
from riskpoints.services import risk_create
from riskpoints.tasks import run_register_import
from riskpoints.xlsx import HEADERS, check_sheet, register_import_start
from tests.factories import PostFactory

# Registering needs the year the office opened.
pytestmark = pytest.mark.usefixtures("open_year")


def workbook_bytes(*rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet(*rows, headers=HEADERS):
    return SimpleUploadedFile("登记表.xlsx", workbook_bytes(*rows, headers=headers))


def rewrite_sheet_xml(data, change):
    """The same package with ``change`` applied to the first sheet's XML."""
    out = BytesIO()
    with ZipFile(BytesIO(data)) as src, ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            dst.writestr(item, content)
    return out.getvalue()


def row(**over):
    values = {"单位编码": "A", "岗位": "巡查员", "职权编码": "", "流程环节": "", "查找层面": "岗位", "风险类型": "制度机制",
              "查找方式": "自己找", "风险点": "巡查走过场", "风险表现形式": "巡查不到位，发现问题不上报。",
              "权力重要程度": "中", "自由裁量空间": "中", "发生概率": "中", "危害程度": "中", "风险等级": "", "等级调整理由": ""}
    values.update(over)
    return [values[h] for h in HEADERS]


@pytest.fixture
def post_a(bureau):
    """A's post, in a bureau whose office has opened this year's round (imports need one)."""
    Round.objects.get_or_create(bureau=bureau.ju, year=timezone.localdate().year)
    return PostFactory(unit=bureau.a, name="巡查员")


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post a file to the import page, let the queued task run, and open the import's page."""
    def post(client, file):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("riskpoints:import"), {"file": file})
        if response.status_code != 302:
            return response
        return client.get(response["Location"])

    return post


def test_good_sheet_imports_every_row_once_and_twice_does_not_duplicate(people, post_a, power_a, client_for, upload):
    client = client_for(people.staff_a)
    rows = [row(), row(风险点="少算违建面积", 风险类型="业务流程", 职权编码=power_a.code, 流程环节="决定",
                    权力重要程度="高", 危害程度="高", 风险等级="一级")]
    response = upload(client, sheet(*rows))
    assert response.status_code == 200 and response.context["job"].state == ImportState.DONE
    assert sorted(RiskPoint.objects.values_list("title", "level")) == [("少算违建面积", 1), ("巡查走过场", 2)]
    risk = RiskPoint.objects.get(title="少算违建面积")
    assert risk.step.name == "决定" and risk.status == "draft" and risk.suggested_level == 1
    assert risk.history.get().history_user == people.staff_a
    assert risk.code.endswith("-001") or risk.code.endswith("-002")
    response = upload(client, sheet(*rows))
    assert RiskPoint.objects.count() == 2
    assert "2 个本年度已登记、未重复导入" in response.content.decode()


def test_imported_risk_points_have_a_trail_record_like_registered_ones(people, post_a, client_for, upload):
    from review.models import ReviewRecord

    upload(client_for(people.staff_a), sheet(row()))
    risk = RiskPoint.objects.get()
    record = ReviewRecord.objects.get(object_id=risk.pk)
    assert (record.action, record.actor, record.to_status) == ("create", people.staff_a, "draft")
    assert record.snapshot["title"] == "巡查走过场" and record.history_id == risk.history.get().history_id


def test_import_numbers_follow_registrations_from_the_same_counter(people, bureau, post_a, client_for, upload):
    first = risk_create(actor=people.staff_a, data={
        "unit": bureau.a, "kind": "system", "finding_level": "department", "found_by": "self", "title": "单个登记",
        "description": "描述", "importance": 2, "discretion": 2, "probability": 2, "harm": 2, "level": 2})
    upload(client_for(people.staff_a), sheet(row(), row(风险点="第二个")))
    prefix = first.code.rsplit("-", 1)[0]
    assert sorted(RiskPoint.objects.values_list("code", flat=True)) == [f"{prefix}-001", f"{prefix}-002", f"{prefix}-003"]


def test_one_bad_row_refuses_the_whole_sheet_listing_every_error(people, post_a, client_for, upload):
    client = client_for(people.staff_a)
    response = upload(client, sheet(
        row(),
        row(风险点="第二行好的"),
        row(风险点="坏行", 单位编码="B", 发生概率="很高", 风险类型="业务流程"),
        row(风险点="坏行二", 风险等级="一级"),
    ))
    html = response.content.decode()
    job = response.context["job"]
    assert job.state == ImportState.REFUSED
    assert not RiskPoint.objects.exists()
    errors = {(r, c) for r, c, _m in job.errors}
    assert (4, "单位编码") in errors and (4, "发生概率") in errors and (5, "等级调整理由") in errors
    assert "没有编码为“B”的单位，或不在您的范围内" in html and "“很高”不是可用的等级" in html
    assert "高（3）、较高或中或较大（2）、较小或低或较低（1）" in html


def test_sheet_without_required_columns_is_refused(people, client_for, upload):
    response = upload(client_for(people.staff_a), sheet(["A"], headers=["单位编码"]))
    assert "表头缺少必填列" in response.content.decode()


@pytest.mark.parametrize("content, message", [
    (b"not a workbook", "无法读取该文件"),
    (b"", "所提交的是空文件"),
    (b"PK\x03\x04broken zip", "无法读取该文件"),
])
def test_unreadable_uploads_get_a_clear_message_not_an_error_page(people, client_for, upload, content, message):
    response = upload(client_for(people.staff_a), SimpleUploadedFile("x.xlsx", content))
    assert response.status_code == 400 and message in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_a_package_that_is_not_a_workbook_inside_is_refused_by_the_task(people, client_for, upload):
    data = rewrite_sheet_xml(workbook_bytes(row()), lambda xml: xml[: len(xml) // 2])
    response = upload(client_for(people.staff_a), SimpleUploadedFile("坏.xlsx", data))
    assert response.status_code == 200
    assert response.context["job"].state == ImportState.REFUSED and "无法读取该文件" in response.content.decode()


def test_too_large_upload_is_refused(people, client_for, upload, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_UPLOAD_BYTES", 1000)
    response = upload(client_for(people.staff_a), sheet(*[row(风险点=f"第{i}个") for i in range(30)]))
    assert response.status_code == 400 and "文件过大" in response.content.decode()


def test_empty_sheet_and_sheet_with_only_headers(people, post_a, client_for, upload):
    wb = Workbook()
    out = BytesIO()
    wb.save(out)
    assert "工作表是空的" in upload(client_for(people.staff_a), SimpleUploadedFile("空.xlsx", out.getvalue())).content.decode()
    response = upload(client_for(people.staff_a), sheet())
    assert response.context["job"].state == ImportState.DONE and response.context["job"].created_count == 0


def test_template_documents_the_columns(people, client_for):
    response = client_for(people.staff_a).get(reverse("riskpoints:import_template"))
    wb = load_workbook(BytesIO(response.content))
    assert [c.value for c in wb.active[1]] == HEADERS
    assert wb["填写说明"].max_row == len(HEADERS) + 1


@pytest.mark.parametrize("persona", ["director", "leader_a", "nobody"])
def test_non_editors_cannot_import(people, client_for, persona):
    assert client_for(getattr(people, persona)).get(reverse("riskpoints:import")).status_code == 403


def test_only_the_uploader_sees_an_import(people, post_a, client_for, upload):
    upload(client_for(people.staff_a), sheet(row()))
    job = RegisterImport.objects.get()
    assert client_for(people.staff_a2).get(job.get_absolute_url()).status_code == 404
    assert client_for(people.staff_a).get(job.get_absolute_url()).status_code == 200


# --- A sheet's dimension record, cell types, full-width text and the rubric's words ---------

def test_a_stale_dimension_record_does_not_drop_rows(people, post_a):
    data = workbook_bytes(*[row(风险点=f"第{i}个") for i in range(50)])
    stale = rewrite_sheet_xml(data, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:J41"', xml))
    assert '<dimension ref="A1:J41"' in ZipFile(BytesIO(stale)).read("xl/worksheets/sheet1.xml").decode()
    rows, errors = check_sheet(SimpleUploadedFile("x.xlsx", stale), actor=people.staff_a)
    assert not errors and len(rows) == 50
    assert [n for n, _d in rows] == list(range(2, 52))


def test_text_in_a_number_cell_is_an_error_of_its_row_and_column(people, post_a):
    data = workbook_bytes(row(), row(风险点="第二个"))
    # openpyxl writes 中 as itself, or with lxml installed as &#20013;.
    broken = rewrite_sheet_xml(data, lambda xml: re.sub(
        '<c r="J3" t="inlineStr"><is><t>(中|&#20013;)</t></is></c>', '<c r="J3" t="n"><v>中</v></c>', xml))
    assert '<c r="J3" t="n"><v>中</v></c>' in ZipFile(BytesIO(broken)).read("xl/worksheets/sheet1.xml").decode()
    rows, errors = check_sheet(SimpleUploadedFile("x.xlsx", broken), actor=people.staff_a)
    assert [(r, c) for r, c, _m in errors.listed] == [(3, "权力重要程度")]
    assert "数字格式不符" in errors.listed[0][2]


def test_full_width_and_spaced_codes_and_values_are_normalised(people, bureau, post_a, power_a):
    wide_power = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in power_a.code)
    rows, errors = check_sheet(sheet(
        row(单位编码=" Ａ ", 职权编码=wide_power, 风险类型=" 业务流程", 查找方式="自己找 ", 查找层面="岗　位",
            岗位="巡查员 ", 风险等级="２级", 权力重要程度="３"),
        row(风险点="小写", 单位编码="a", 风险类型="业务流程", 职权编码=power_a.code.lower().replace("-", "—")),
    ), actor=people.staff_a)
    assert not errors, errors.listed
    first = rows[0][1]
    assert (first["unit"], first["power"], first["kind"], first["found_by"], first["finding_level"]) == (
        bureau.a, power_a, "process", "self", "post")
    assert (first["post"], first["level"], first["importance"]) == (post_a, 2, 3)
    assert rows[1][1]["power"] == power_a


@pytest.mark.parametrize("field, words", [
    ("权力重要程度", {"高": 3, "较高": 2, "中": 2, "较低": 1, "低": 1}),
    ("自由裁量空间", {"大": 3, "较大": 2, "中": 2, "小": 1, "较小": 1, "高": 3}),
    ("发生概率", {"高": 3, "较高": 2, "较小": 1, "较低": 1, "中": 2,
              "较高：在一定条件下可能发生": 2}),
    ("危害程度", {"严重": 3, "较严重": 2, "一般": 1, "高": 3, "较低": 1}),
])
def test_the_rubric_words_give_the_grades_the_form_shows(people, post_a, field, words):
    rows, errors = check_sheet(sheet(*[row(风险点=f"{word}{i}", **{field: word}) for i, word in enumerate(words)]),
                               actor=people.staff_a)
    assert not errors, errors.listed
    name = {"权力重要程度": "importance", "自由裁量空间": "discretion", "发生概率": "probability", "危害程度": "harm"}[field]
    assert [data[name] for _n, data in rows] == list(words.values())


def test_rubric_words_match_the_form_labels():
    from django.utils import translation

    from riskpoints.choices import FACTORS

    with translation.override("zh-hans"):
        for field, (_label, grades) in FACTORS.items():
            for grade, text in grades.items():
                assert xlsx.GRADE_WORDS[field][str(text).split("：")[0]] == grade


def test_an_english_interface_still_reads_chinese_sheets(people, post_a):
    from django.utils import translation

    with translation.override("en"):
        rows, errors = check_sheet(sheet(row(风险等级="二级")), actor=people.staff_a)
    assert not errors.listed and rows[0][1]["kind"] == "system" and rows[0][1]["level"] == 2


# --- Errors of a large bad file are capped and summarised ------------------------------------

def test_errors_are_listed_up_to_the_cap_and_all_counted(people, post_a, client_for, upload):
    bad = [row(风险点=f"第{i}个", 发生概率="很高", 单位编码="ZZ") for i in range(300)]
    response = upload(client_for(people.staff_a), sheet(*bad))
    job = response.context["job"]
    assert (job.error_count, job.error_row_count, len(job.errors)) == (600, 300, xlsx.ERROR_LIST_LIMIT)
    assert ["发生概率", "不是可用的等级", 300] in job.error_summary
    assert ["单位编码", "没有该编码的单位，或不在您的范围内", 300] in job.error_summary
    html = response.content.decode()
    assert "发现 600 处错误（涉及 300 行）" in html and "其余 400 处见按列汇总" in html
    assert len(html) < 100_000


# --- Speed: checking and saving cost no query per row -----------------------------------------

@pytest.mark.parametrize("size", [5, 60])
def test_checking_a_sheet_costs_the_same_queries_whatever_its_length(people, post_a, power_a, size,
                                                                       django_assert_num_queries):
    file = sheet(*[row(风险点=f"第{i}个", 风险类型="业务流程", 职权编码=power_a.code, 流程环节="决定") for i in range(size)])
    people.staff_a.has_role("staff")
    check_sheet(sheet(row()), actor=people.staff_a)  # warm the user's cached scope
    with django_assert_num_queries(6):
        rows, errors = check_sheet(file, actor=people.staff_a)
    assert len(rows) == size and not errors


@pytest.mark.parametrize("size", [5, 60])
def test_saving_costs_the_same_queries_whatever_the_length(people, post_a, size, django_assert_max_num_queries):
    rows, _errors = check_sheet(sheet(*[row(风险点=f"第{i}个") for i in range(size)]), actor=people.staff_a)
    with django_assert_max_num_queries(20 + size):  # the controls app's snapshot part reads the plan of each
        xlsx.register_import_save(actor=people.staff_a, rows=rows)
    assert RiskPoint.objects.count() == size


# --- Background task: the file waits in shared storage; same code eager or on a worker --------

def test_upload_is_queued_and_the_task_does_the_work(people, post_a, client_for):
    client = client_for(people.staff_a)
    response = client.post(reverse("riskpoints:import"), {"file": sheet(row())})  # on_commit not run: still queued
    job = RegisterImport.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.state == ImportState.QUEUED
    assert job.file and job.file.storage.exists(job.file.name)
    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment
    page = client.get(job.get_absolute_url()).content.decode()
    assert "vendor/htmx/htmx.min.js" in page and "<script>" not in page
    assert run_register_import(job.pk) == ImportState.DONE
    assert run_register_import(job.pk) is None  # a redelivered task does nothing
    job.refresh_from_db()
    assert (job.state, job.created_count, job.file.name) == (ImportState.DONE, 1, "")
    assert "hx-trigger" not in client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()


def test_an_unexpected_failure_ends_the_import_with_a_message(people, post_a, monkeypatch, django_capture_on_commit_callbacks):
    def boom(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(xlsx, "register_import_save", boom)
    with django_capture_on_commit_callbacks(execute=True):
        job = register_import_start(actor=people.staff_a, file=sheet(row()))
    job.refresh_from_db()
    assert job.state == ImportState.FAILED and "处理时出错" in job.errors[0][2] and not job.file


# --- Concurrency: simultaneous uploads of the same sheet ------------------------------------

@pytest.mark.django_db(transaction=True)
def test_simultaneous_imports_of_the_same_sheet_register_each_row_once(people, post_a):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL 的行锁（SQLite 的内存测试库不支持多线程并发写入）")
    data = workbook_bytes(*[row(风险点=f"第{i}个") for i in range(20)])
    jobs = [register_import_start(actor=people.staff_a, file=SimpleUploadedFile("同一表.xlsx", data)) for _ in range(5)]
    # Eager mode ran each at once; queue them again to run side by side.
    RegisterImport.objects.update(state=ImportState.QUEUED, created_count=0, skipped_count=0)
    RiskPoint.objects.all().delete()
    for job in jobs:
        job.file.save("again.xlsx", SimpleUploadedFile("同一表.xlsx", data), save=True)
    barrier = threading.Barrier(5)
    failures = []

    def run(job_id):
        try:
            barrier.wait()
            run_register_import(job_id)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job.pk,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures
    assert RiskPoint.objects.count() == 20
    assert len(set(RiskPoint.objects.values_list("code", flat=True))) == 20
    outcomes = sorted(RegisterImport.objects.values_list("state", "created_count", "skipped_count"))
    assert outcomes == sorted([("done", 20, 0)] + [("done", 0, 20)] * 4)
