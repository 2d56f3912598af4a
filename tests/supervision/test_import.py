"""The filings import: a sheet from the case system checked whole in the background, filed all
or nothing; errors named by row and column; the same code eagerly in the request or on a worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.models import RiskInformation
from org.imports import ImportState
from supervision.models import Filing, FilingImport
from supervision.tasks import run_filing_import
from supervision.xlsx import filing_import_start
from tests.waiting import refreshed_until

from .test_lists import upload

HEADER = ["职权编码", "案件编号", "当事人", "受理/立案日期", "办结日期", "违法情形", "违法程度", "认定的情节", "工程造价（货值）", "罚款金额", "受理", "决定"]
GOOD = ["2026-03-02", "2026-03-09", "未取得建设工程规划许可证进行建设", "一般", "已停工", 1000000, 60000, "2026-03-02", "2026-03-09"]
LATE = [*GOOD[:1], "2026-03-10", *GOOD[2:8], "2026-03-10"]


@pytest.fixture
def post_sheet(django_capture_on_commit_callbacks):
    """Post a sheet to the import page, let the queued task run (eagerly), and open the import's page."""
    def post(client, rows):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("supervision:filing_import"), {"file": upload(rows, HEADER)})
        if response.status_code != 302:
            return response
        return client.get(response["Location"])

    return post


def test_a_good_sheet_files_every_case_and_checks_each(people, key_power, client_for, post_sheet):
    client = client_for(people.staff_a)
    page = post_sheet(client, [[key_power.code, "X-1", "甲", *GOOD], [key_power.code, "X-2", "乙", *LATE]])
    job = page.context["job"]
    assert (job.state, job.created_count, job.file.name) == (ImportState.DONE, 2, "")
    assert "备案 2 件案件" in page.content.decode()
    assert dict(Filing.objects.values_list("case_number", "light")) == {"X-1": "green", "X-2": "red"}
    assert RiskInformation.objects.count() == 1
    assert Filing.objects.get(case_number="X-1").history.get().history_user == people.staff_a


def test_a_bad_sheet_is_refused_whole_with_errors_by_row_and_column(people, key_power, client_for, post_sheet):
    client = client_for(people.staff_a)
    page = post_sheet(client, [
        [key_power.code, "X-1", "甲", *GOOD],
        [key_power.code, "X-2", "乙", "2026-03-02", "", "", "", "", "", "", "2026-03-02", "昨天"],
        ["NOPE", "X-3", "丙", *GOOD],
        [key_power.code, "X-4", "丁", *GOOD[:3], "特别严重", *GOOD[4:]],
        [key_power.code, "X-1", "甲", *GOOD],
    ])
    job = page.context["job"]
    assert job.state == ImportState.REFUSED and not Filing.objects.exists() and not job.file
    errors = {(row, column) for row, column, _message in job.errors}
    assert {(3, "决定"), (4, "职权编码"), (5, "违法情形"), (6, "案件编号")} <= errors
    text = page.content.decode()
    assert "特别严重" in text and "与本表前面的行重复" in text and "文件未导入" in text


def test_a_case_already_filed_refuses_the_sheet(people, key_power, client_for, post_sheet):
    client = client_for(people.staff_a)
    assert post_sheet(client, [[key_power.code, "X-1", "甲", *GOOD]]).context["job"].state == ImportState.DONE
    again = post_sheet(client, [[key_power.code, "X-9", "乙", *GOOD], [key_power.code, "X-1", "甲", *GOOD]])
    assert again.context["job"].state == ImportState.REFUSED and "已有案件编号为“X-1”" in again.content.decode()
    assert Filing.objects.count() == 1


def test_only_a_handling_unit_imports_and_only_its_own_cases(people, key_power, client_for, post_sheet):
    for user in (people.leader_a, people.director):
        assert client_for(user).get(reverse("supervision:filing_import")).status_code == 403
        assert client_for(user).post(reverse("supervision:filing_import"), {}).status_code == 403
    other = post_sheet(client_for(people.staff_b), [[key_power.code, "Y-1", "甲", *GOOD]])
    assert other.context["job"].state == ImportState.REFUSED and not Filing.objects.exists()
    job = other.context["job"]
    assert client_for(people.staff_a).get(job.get_absolute_url()).status_code == 404  # someone else's import
    bad = client_for(people.staff_a).post(reverse("supervision:filing_import"),
                                         {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert bad.status_code == 400 and FilingImport.objects.count() == 1


def test_the_upload_is_queued_and_the_task_does_the_work_once(people, key_power, client_for):
    client = client_for(people.staff_a)
    response = client.post(reverse("supervision:filing_import"), {"file": upload([[key_power.code, "X-1", "甲", *GOOD]], HEADER)})
    job = FilingImport.objects.get()  # on_commit not run: still queued
    assert response["Location"] == job.get_absolute_url() and job.state == ImportState.QUEUED
    assert job.file.storage.exists(job.file.name)
    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment
    assert run_filing_import(job.pk) == ImportState.DONE
    assert run_filing_import(job.pk) is None  # a redelivered task does nothing
    assert Filing.objects.count() == 1
    assert "hx-trigger" not in client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert job.filename in client.get(reverse("supervision:filing_import")).content.decode()  # my recent imports


def test_an_import_left_unfinished_shows_as_stalled(people, key_power, client_for):
    from django.utils import timezone

    job = FilingImport.objects.create(created_by=people.staff_a, filename="旧.xlsx")
    FilingImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - FilingImport.STALLED_AFTER * 2)
    page = client_for(people.staff_a).get(job.get_absolute_url()).content.decode()
    assert "可能已中断" in page and "hx-trigger" not in page


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_files_the_uploaded_sheet(real_worker, people, key_power):
    from io import BytesIO

    data = upload([[key_power.code, f"W-{i}", "甲", *GOOD] for i in range(20)], HEADER).getvalue()
    job = filing_import_start(actor=people.staff_a, file=SimpleUploadedFile("案件.xlsx", BytesIO(data).read()))
    refreshed_until(job, lambda j: j.finished, 60)
    assert (job.state, job.created_count) == (ImportState.DONE, 20), job.errors
    assert Filing.objects.count() == 20 and not FilingImport.objects.get().file
