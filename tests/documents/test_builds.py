"""Long documents are built by a task: progress, a kept file, a content hash, who may have it,
and a failure's reason."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from documents.models import BuildState, DocumentBuild
from documents.services import build_run, build_start, builds_purge, request_params
from review.choices import Status
from tests.documents.pdfcheck import assert_cjk_pdf
from tests.factories import PowerItemFactory
from tests.waiting import refreshed_until
from tests.workflow import walk


@pytest.fixture
def long_documents(settings, tmp_path):
    settings.DOCUMENT_INLINE_LIMIT = 1
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def accepted_powers(people, bureau):
    return [walk(PowerItemFactory(unit=unit, name=name), people, Status.ACCEPTED, unit=code)
            for unit, code, name in ((bureau.a, "a", "A的职权"), (bureau.b, "b", "B的职权"))]


def ask(client, url, capture):
    page = client.get(url)
    assert page.status_code == 200 and "在后台生成" in page.content.decode()
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    return DocumentBuild.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_a_long_document_is_built_in_the_background_then_downloaded(
        long_documents, people, accepted_powers, client_for, django_capture_on_commit_callbacks):
    client = client_for(people.office)
    build = ask(client, reverse("documents:submission"), django_capture_on_commit_callbacks)
    build.refresh_from_db()
    assert (build.state, build.progress) == (BuildState.DONE, 100) and build.page_count >= 4
    page = client.get(build.get_absolute_url()).content.decode()
    assert "已生成" in page and reverse("documents:build_file", args=[build.pk]) in page
    response = client.get(reverse("documents:build_file", args=[build.pk]))
    assert response.status_code == 200
    assert_cjk_pdf(b"".join(response.streaming_content), "A的职权", "B的职权", "职权目录汇总表")
    # The same request by the same scope finds the kept file on the document's page.
    assert reverse("documents:build_file", args=[build.pk]) in client.get(reverse("documents:submission")).content.decode()


def test_a_build_is_served_only_to_users_who_see_every_unit_in_it(
        long_documents, people, accepted_powers, client_for, django_capture_on_commit_callbacks):
    build = ask(client_for(people.office), reverse("documents:submission"), django_capture_on_commit_callbacks)
    for persona in (people.staff_a, people.head_b, people.leader_a, people.nobody):
        client = client_for(persona)
        assert client.get(reverse("documents:build_file", args=[build.pk])).status_code == 404
        assert client.get(build.get_absolute_url()).status_code == 404
    assert client_for(people.director).get(reverse("documents:build_file", args=[build.pk])).status_code == 200


def test_unchanged_content_reuses_the_kept_file_and_a_change_rebuilds(
        long_documents, people, bureau, accepted_powers, client_for, django_capture_on_commit_callbacks):
    client = client_for(people.office)
    url = reverse("documents:submission")
    first = ask(client, url, django_capture_on_commit_callbacks)
    second = ask(client, url, django_capture_on_commit_callbacks)
    first.refresh_from_db(), second.refresh_from_db()
    assert second.content_hash == first.content_hash and second.file.name == first.file.name
    walk(PowerItemFactory(unit=bureau.a, name="新验收的职权"), people, Status.ACCEPTED)
    third = ask(client, url, django_capture_on_commit_callbacks)
    third.refresh_from_db()
    assert third.content_hash != first.content_hash and third.file.name != first.file.name


def test_a_changed_stylesheet_lays_a_kept_document_out_again(
        long_documents, people, accepted_powers, client_for, django_capture_on_commit_callbacks, tmp_path, monkeypatch):
    """The same content under a changed print stylesheet (a layout fix deployed) is not served
    from the file laid out with the old one."""
    from documents import pdf

    client = client_for(people.office)
    url = reverse("documents:submission")
    first = ask(client, url, django_capture_on_commit_callbacks)
    changed = tmp_path / "print.css"
    changed.write_text(pdf.STYLESHEET.read_text(encoding="utf-8") + "\nh1 { letter-spacing: 0; }\n", encoding="utf-8")
    monkeypatch.setattr(pdf, "STYLESHEET", changed)
    second = ask(client, url, django_capture_on_commit_callbacks)
    first.refresh_from_db(), second.refresh_from_db()
    assert second.content_hash != first.content_hash and second.file.name != first.file.name


def test_a_failure_shows_its_reason(long_documents, people, bureau, post_a, client_for):
    params = request_params(QueryDict(""), {"post_id": post_a.pk})
    build = DocumentBuild.objects.create(key="post_register", params=params, scope="x", requested_by=people.staff_b)
    assert build_run(build_id=build.pk) == BuildState.FAILED
    build.refresh_from_db()
    page = client_for(people.staff_b).get(build.get_absolute_url()).content.decode()
    assert "生成失败" in page and "已不在您的范围内" in page and not build.file


def test_a_build_the_worker_never_finished_stops_polling_and_says_so(long_documents, people, post_a, client_for):
    params = request_params(QueryDict(""), {"post_id": post_a.pk})
    build = DocumentBuild.objects.create(key="post_register", params=params, scope="x", requested_by=people.staff_a)
    client = client_for(people.staff_a)
    page = client.get(build.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and "可能已中断" not in page
    DocumentBuild.objects.filter(pk=build.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    page = client.get(build.get_absolute_url()).content.decode()
    assert "可能已中断" in page and 'hx-trigger="every 2s"' not in page


def test_an_other_units_long_document_is_404_and_nothing_is_queued(long_documents, people, bureau, client_for):
    client = client_for(people.staff_b)
    for url in (reverse("documents:archive", args=[bureau.a.pk]), reverse("documents:unit_table", args=[bureau.a.pk])):
        assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    assert not DocumentBuild.objects.exists()


def test_old_builds_are_forgotten_with_their_files(long_documents, people, accepted_powers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        build = build_start(actor=people.office, key="submission", params=request_params(
            QueryDict(""), {}))
    build.refresh_from_db()
    storage, name = build.file.storage, build.file.name
    assert storage.exists(name)
    builds_purge(now=timezone.now() + datetime.timedelta(days=8))
    assert not DocumentBuild.objects.exists() and not storage.exists(name)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_document(real_worker, long_documents, people, bureau):
    walk(PowerItemFactory(unit=bureau.a, name="A的职权"), people, Status.ACCEPTED)
    build = build_start(actor=people.office, key="submission", params={"query": [], "kwargs": {}})
    refreshed_until(build, lambda b: b.finished, 120)
    assert build.state == BuildState.DONE, build.error
    assert_cjk_pdf(build.file.read(), "A的职权")
