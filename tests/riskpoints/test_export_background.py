"""A whole register is exported in the background, row by row, and only its owner downloads it."""

import tracemalloc
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from riskpoints import exports
from riskpoints.choices import ExportState
from riskpoints.exports import register_export_run, register_export_start
from riskpoints.models import RegisterExport, RiskPoint
from riskpoints.xlsx import register_workbook, register_workbook_stream
from tests.factories import RiskPointFactory
from tests.waiting import refreshed_until


@pytest.fixture(autouse=True)
def media_and_small_limit(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(exports, "IN_REQUEST_MAX", 3)


def cells(data):
    return [[(c.value, c.data_type, bool(c.quotePrefix)) for c in row] for row in load_workbook(BytesIO(data)).active.iter_rows()]


def test_the_streamed_workbook_holds_what_the_in_memory_one_does(people, bureau):
    RiskPointFactory(unit=bureau.a, title='=HYPERLINK("http://evil.example")', description="-2+3\x0b", key_area="penalty")
    RiskPointFactory.create_batch(3, unit=bureau.b, level=1, suggested_level=1)
    rows = exports.export_filter(people.office, {}).qs.order_by("code")
    memory = BytesIO()
    register_workbook(rows).save(memory)
    streamed = BytesIO()
    assert register_workbook_stream(rows, streamed) == 4
    assert cells(streamed.getvalue()) == cells(memory.getvalue())
    assert cells(streamed.getvalue())[1][7] == ('=HYPERLINK("http://evil.example")', "s", True)


def test_a_long_register_is_confirmed_queued_built_and_downloaded_by_its_owner_only(
        people, bureau, client_for, django_capture_on_commit_callbacks):
    RiskPointFactory.create_batch(5, unit=bureau.a, level=1, suggested_level=1)
    RiskPointFactory.create_batch(2, unit=bureau.a)
    client = client_for(people.office)
    page = client.get(reverse("riskpoints:export"), {"level": 1})
    assert page.status_code == 200 and "5 个风险点" in page.content.decode()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("riskpoints:export") + "?level=1")
    job = RegisterExport.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert len(queued) == 1 and (job.state, job.query) == (ExportState.QUEUED, "level=1")
    assert "hx-get" in client.get(job.get_absolute_url()).content.decode()
    assert client.get(reverse("riskpoints:export_download", args=[job.pk])).status_code == 404  # not ready
    assert register_export_run(export_id=job.pk) == 5
    assert register_export_run(export_id=job.pk) is None  # a second delivery finds it done
    job.refresh_from_db()
    assert job.state == ExportState.DONE and "export-download" in client.get(job.get_absolute_url()).content.decode()
    download = client.get(reverse("riskpoints:export_download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    sheet = cells(data)
    assert len(sheet) == 6 and {row[13][0] for row in sheet[1:]} == {"一级"}
    other = client_for(people.staff_a)
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(reverse("riskpoints:export_download", args=[job.pk])).status_code == 404


def test_a_short_register_is_still_answered_at_once(people, bureau, client_for):
    RiskPointFactory.create_batch(2, unit=bureau.a)
    response = client_for(people.office).get(reverse("riskpoints:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats") and not RegisterExport.objects.exists()


def test_the_exports_memory_does_not_grow_with_its_rows(people, bureau, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 100)
    template = RiskPointFactory(unit=bureau.a)
    RiskPoint.objects.bulk_create([RiskPoint(**{**{f.attname: getattr(template, f.attname) for f in RiskPoint._meta.concrete_fields
                                                   if not f.primary_key}, "code": f"M-{i:05d}"}) for i in range(2400)])

    def peak(n):
        rows = exports.export_filter(people.office, {}).qs.order_by("code")[:n].iterator(chunk_size=exports.CHUNK)
        tracemalloc.start()
        register_workbook_stream(rows, BytesIO())
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(300), peak(2400)
    assert large < small * 1.6, (small, large)  # eight times the rows, not eight times the memory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_export(real_worker, people, bureau):
    RiskPointFactory.create_batch(6, unit=bureau.a)
    job = register_export_start(actor=people.office, query="")
    refreshed_until(job, lambda j: j.finished, 60)
    assert (job.state, job.rows) == (ExportState.DONE, 6)
    with job.file.open("rb") as f:
        assert len(cells(f.read())) == 7
