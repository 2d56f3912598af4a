"""Bulk downloads: built once when a publication is released, read back as Excel would."""

import csv
import hashlib
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from api import services
from api.models import DownloadFile, DownloadState, PublicationDownload
from api.tasks import build_downloads
from tests.public.test_public import publish, published_power, published_risk  # noqa: F401
from tests.waiting import refreshed_until


def body(response):
    return b"".join(response.streaming_content)


def download(client, pub, name):
    response = client.get(reverse("api:download", args=[pub.pk, name]))
    assert response.status_code == 200, (name, response.content if not response.streaming else "")
    return response


def test_release_builds_the_files_once_and_the_manifest_checks_them(
        people, client, published_power, published_risk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pub = publish(people)
    made = PublicationDownload.objects.get(publication=pub)
    assert made.state == DownloadState.READY
    manifest = client.get(reverse("api:download", args=[pub.pk, "manifest.json"])).json()
    assert manifest["counts"] == {"powers": 1, "risks": 1} and manifest["starts_on"] == pub.starts_on.isoformat()
    for row in manifest["files"]:
        data = body(download(client, pub, row["name"]))
        assert len(data) == row["bytes"] and hashlib.sha256(data).hexdigest() == row["sha256"], row["name"]
    # Built once: running the task again writes nothing new.
    before = list(DownloadFile.objects.values_list("pk", "sha256"))
    build_downloads.delay(pub.pk)
    assert list(DownloadFile.objects.values_list("pk", "sha256")) == before


def test_csv_opens_in_excel_and_reads_back_chinese(people, client, published_power, published_risk,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pub = publish(people)
    raw = body(download(client, pub, "powers.csv"))
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to take the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["职权名称"] == "公开的职权PUBLIC-POWER" and rows[0]["实施单位"] == "规划执法大队"
    risks = list(csv.DictReader(io.StringIO(body(download(client, pub, "risks.csv")).decode("utf-8-sig"))))
    assert risks[0]["风险点"] == "公开的风险点PUBLIC-RISK" and "公开的措施PUBLIC-MEASURE" in risks[0]["防控措施"]
    book = openpyxl.load_workbook(io.BytesIO(body(download(client, pub, "publication.xlsx"))), read_only=True)
    assert book.sheetnames == ["职权目录", "廉政风险点目录"]
    sheet = list(book["职权目录"].iter_rows(values_only=True))
    assert sheet[0][2] == "职权名称" and sheet[1][2] == "公开的职权PUBLIC-POWER"
    data = json.loads(body(download(client, pub, "publication.json")))
    assert data["powers"][0]["name"] == "公开的职权PUBLIC-POWER" and data["publication"]["id"] == pub.pk
    disposition = download(client, pub, "powers.csv")["Content-Disposition"]
    assert "attachment" in disposition


def test_downloads_are_served_only_while_the_publication_is_current(people, client, published_power,
                                                                    django_capture_on_commit_callbacks):
    from public.services import publication_withdraw

    with django_capture_on_commit_callbacks(execute=True):
        pub = publish(people)
    assert client.get(reverse("api:download", args=[pub.pk, "powers.csv"])).status_code == 200
    assert client.get(reverse("api:download", args=[pub.pk, "nope.csv"])).status_code == 404
    publication_withdraw(actor=people.office, publication=pub, reason="更正")
    assert client.get(reverse("api:download", args=[pub.pk, "powers.csv"])).status_code == 404


def test_a_release_that_rolls_back_builds_nothing(people, published_power, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(people)
            raise RuntimeError("rolled back")
    assert callbacks == [] and not PublicationDownload.objects.exists()


def test_while_building_the_download_says_so(people, client, published_power):
    pub = publish(people)  # on_commit never runs inside the test's transaction: nothing built yet
    response = client.get(reverse("api:download", args=[pub.pk, "manifest.json"]))
    assert response.status_code == 404 and "正在生成" in response.json()["detail"]
    services.downloads_build(publication_id=pub.pk)
    assert client.get(reverse("api:download", args=[pub.pk, "manifest.json"])).status_code == 200


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_downloads_of_a_release(real_worker, people, published_power):
    pub = publish(people)  # committed: the release listener sends the task to the worker
    pub = refreshed_until(pub, lambda p: PublicationDownload.objects.filter(publication=p, state=DownloadState.READY).exists(), 60)
    made = PublicationDownload.objects.get(publication=pub)
    assert made.state == DownloadState.READY and made.manifest["counts"]["powers"] == 1
