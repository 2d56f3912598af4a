"""A 年度总结 is a written summary and its 成果资料: units attach files to their own task while
it is open, the same upload rules as evidence hold, and only the task's readers download them."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schedules.choices import CampaignKind, TaskState
from schedules.models import CampaignTask, TaskFile
from tests.schedules.test_campaigns import open_campaign

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def summary_tasks(bureau, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = open_campaign(people, kind=CampaignKind.SUMMARY, title="2026年度总结")
    return (CampaignTask.objects.get(campaign=campaign, unit=bureau.a),
            CampaignTask.objects.get(campaign=campaign, unit=bureau.b))


def _save(client, task, summary="全年工作总结", files=()):
    task.refresh_from_db()
    return client.post(task.get_absolute_url(), {"lock_version": task.lock_version, "summary": summary,
                                                 "files": list(files)})


def test_a_unit_hands_in_its_summary_with_attachments(summary_tasks, people, client_for):
    mine, _theirs = summary_tasks
    client = client_for(people.staff_a)
    # A summary cannot be handed in empty, nor as blanks; the page does not offer it then.
    assert "提交防控办" not in client.get(mine.get_absolute_url()).content.decode()
    for summary in ("", "   \n "):
        _save(client, mine, summary=summary)
        refused = client.post(reverse("schedules:task_submit", args=[mine.pk]), follow=True).content.decode()
        assert "请先填写书面总结" in refused
        mine.refresh_from_db()
        assert mine.state == TaskState.OPEN

    response = _save(client, mine, files=[SimpleUploadedFile("成果汇编.pdf", PDF),
                                          SimpleUploadedFile("制度清单.pdf", PDF)])
    assert response.status_code == 302
    assert sorted(mine.files.values_list("original_name", flat=True)) == ["制度清单.pdf", "成果汇编.pdf"]
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "成果汇编.pdf" in page and 'enctype="multipart/form-data"' in page

    download = client.get(mine.files.get(original_name="成果汇编.pdf").get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store" and "attachment" in download["Content-Disposition"]

    assert client.post(reverse("schedules:task_submit", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.state == TaskState.SUBMITTED
    # Once handed in, nothing is added or taken back.
    assert _save(client, mine, files=[SimpleUploadedFile("补充.pdf", PDF)]).status_code == 200
    stored = mine.files.first()
    client.post(reverse("schedules:task_file_delete", args=[stored.stored_id]))
    assert mine.files.count() == 2 and os.path.exists(stored.file.path)


@pytest.mark.parametrize("name, content, message", [
    ("总结.exe", b"MZ\x90\x00", "不支持"),
    ("总结.pdf", b"<html>", "内容与扩展名不符"),
    ("总结.pdf", b"", "空文件"),
    ("总结.pdf", PDF + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
])
def test_a_bad_file_refuses_the_whole_save_in_chinese(summary_tasks, people, client_for, name, content, message):
    mine, _theirs = summary_tasks
    client = client_for(people.staff_a)
    html = _save(client, mine, summary="不应保存", files=[SimpleUploadedFile("好的.pdf", PDF),
                                                         SimpleUploadedFile(name, content)]).content.decode()
    assert message in html
    mine.refresh_from_db()
    assert mine.summary == "" and not mine.files.exists() and mine.lock_version == 0


def test_at_most_ten_files_at_once(summary_tasks, people, client_for):
    mine, _theirs = summary_tasks
    html = _save(client_for(people.staff_a), mine,
                 files=[SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(11)]).content.decode()
    assert "一次最多上传 10 个文件" in html and not mine.files.exists()


def test_a_form_without_its_version_is_stale(summary_tasks, people, client_for):
    mine, _theirs = summary_tasks
    html = client_for(people.staff_a).post(mine.get_absolute_url(), {"summary": "没有版本号",
                                                                     "files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert "已被他人修改" in html.content.decode()
    mine.refresh_from_db()
    assert mine.summary == "" and not mine.files.exists()


def test_another_unit_cannot_read_add_or_delete_attachments(summary_tasks, people, client, client_for):
    mine, theirs = summary_tasks
    _save(client_for(people.staff_a), mine, files=[SimpleUploadedFile("成果.pdf", PDF)])
    stored = mine.files.get()
    url = stored.get_absolute_url()
    other = client_for(people.staff_b)
    assert other.get(url).status_code == 404
    assert other.post(reverse("schedules:task_file_delete", args=[stored.stored_id])).status_code == 404
    assert _save(other, mine, files=[SimpleUploadedFile("乱传.pdf", PDF)]).status_code == 404
    client.logout()  # client_for signs in the same test client
    signed_out = client.get(url)
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]
    # The office and the leader in charge read it but, not being the unit, cannot take it back.
    for reader in (people.office, people.leader_a):
        client = client_for(reader)
        assert client.get(url).status_code == 200
        client.post(reverse("schedules:task_file_delete", args=[stored.stored_id]))
        assert _save(client, mine, files=[SimpleUploadedFile("代传.pdf", PDF)]).status_code in (200, 403)
    assert list(mine.files.all()) == [stored] and os.path.exists(stored.file.path)
    assert not theirs.files.exists()


def test_the_unit_takes_back_a_wrong_file_while_the_task_is_open(summary_tasks, people, client_for,
                                                                 django_capture_on_commit_callbacks):
    mine, _theirs = summary_tasks
    client = client_for(people.staff_a)
    _save(client, mine, files=[SimpleUploadedFile("传错了.pdf", PDF)])
    stored = mine.files.get()
    path = stored.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schedules:task_file_delete", args=[stored.stored_id]), follow=True)
    assert "已删除附件" in response.content.decode()
    assert not mine.files.exists()
    assert not os.path.exists(path)  # removed from disk once the deletion is committed
    assert client.post(reverse("schedules:task_file_delete", args=[stored.stored_id])).status_code == 404
    assert client.get(reverse("schedules:task_file_delete", args=[stored.stored_id])).status_code == 405


def test_what_the_office_has_seen_stays_after_a_return(summary_tasks, people, client_for,
                                                       django_capture_on_commit_callbacks):
    mine, _theirs = summary_tasks
    client = client_for(people.staff_a)
    _save(client, mine, files=[SimpleUploadedFile("第一版.pdf", PDF)])
    client.post(reverse("schedules:task_submit", args=[mine.pk]))
    client_for(people.office).post(reverse("schedules:task_review", args=[mine.pk]),
                                   {"decision": "return", "comment": "请补充成果资料"})
    client = client_for(people.staff_a)
    mine.refresh_from_db()
    assert mine.state == TaskState.RETURNED
    assert _save(client, mine, files=[SimpleUploadedFile("补充.pdf", PDF)]).status_code == 302
    seen, added = mine.files.get(original_name="第一版.pdf"), mine.files.get(original_name="补充.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("schedules:task_file_delete", args=[seen.stored_id]), follow=True)
    assert "已随任务提交防控办" in refused.content.decode()
    assert os.path.exists(seen.file.path) and mine.files.filter(pk=seen.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("schedules:task_file_delete", args=[added.stored_id]))
    assert list(mine.files.all()) == [seen]
