"""The public API shows what the public site shows, nothing more, and follows HTTP's rules."""

import io

import openpyxl
import pytest
from django.urls import reverse

from controls.services import plan_save
from monitoring.models import RiskInformation
from powers.services import power_update
from public.services import publication_renew, publication_withdraw
from review.choices import Action, Status
from review.services import review_transition
from tests.factories import PowerItemFactory, RiskPointFactory
from tests.public.test_public import TODAY, publish, published_power, published_risk, risk_with_plan, walk  # noqa: F401

LIST_URLS = ("api:powers", "api:risks", "api:publications", "api:units")


def api_crawl(client):
    """Every public API response reachable from the lists: each page, each record, each
    publication's contents and downloads, following ``next`` and every link it names."""
    seen, queue, bodies = set(), [reverse(name) for name in LIST_URLS], {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        body = b"".join(response.streaming_content) if response.streaming else response.content
        bodies[url] = xlsx_text(body) if url.endswith(".xlsx") else body.decode("utf-8-sig")
        if response["Content-Type"].startswith("application/json") and not response.streaming:
            queue.extend(_links(response.json()))
    return bodies


def xlsx_text(body):
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None)


def _links(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _links(value)
    elif isinstance(data, list):
        for value in data:
            yield from _links(value)
    elif isinstance(data, str) and data.startswith("http://testserver/api/"):
        yield data.removeprefix("http://testserver")


def test_nothing_unpublished_or_internal_reaches_the_api_or_its_downloads(
        people, bureau, client, published_power, published_risk, django_capture_on_commit_callbacks):
    PowerItemFactory(unit=bureau.a, name="草稿MARK-DRAFT")
    walk(PowerItemFactory(unit=bureau.a, name="已退回MARK-RETURNED"), people, to=Status.SUBMITTED)
    returned = PowerItemFactory.create(unit=bureau.a, name="退回MARK-RETURNED2")
    review_transition(item=returned, action=Action.SUBMIT, actor=people.staff_a)
    review_transition(item=returned, action=Action.RETURN, actor=people.head_a, comment="退回MARK-RETURN-COMMENT")
    walk(PowerItemFactory(unit=bureau.a, name="已验收未公布MARK-ACCEPTED"), people, to=Status.ACCEPTED)
    walk(risk_with_plan(bureau, people, "未公布风险MARK-RISK-DRAFT"), people, to=Status.ACCEPTED)
    edited = walk(PowerItemFactory(unit=bureau.a, name="原名称PUBLIC-OLD"), people)
    power_update(power=edited, actor=people.staff_a, lock_version=edited.lock_version,
                 data={**{f: getattr(edited, f) for f in ("code", "category", "sub_item", "unit", "has_discretion")},
                       "name": "发布后修改MARK-EDITED", "content": edited.content, "posts": []},
                 legal_bases=[{"law_name": b.law_name, "article": b.article, "text": b.text} for b in edited.legal_bases.all()])
    RiskInformation.objects.create(bureau=bureau.ju, reference="R1", channel="petition", received_on=TODAY,
                                   content="举报MARK-REPORT", contact="13800000000MARK-CONTACT")
    with django_capture_on_commit_callbacks(execute=True):
        publish(people)
    bodies = api_crawl(client)
    text = "\n".join(bodies.values())
    assert any(url.endswith("/downloads/powers.csv") for url in bodies) and any(url.endswith(".xlsx") for url in bodies)
    for public in ("PUBLIC-POWER", "PUBLIC-RISK", "PUBLIC-MEASURE", "PUBLIC-OLD"):
        assert public in text, public
    for marker in ("MARK-DRAFT", "MARK-RETURNED", "MARK-ACCEPTED", "MARK-RISK-DRAFT", "MARK-EDITED", "MARK-COMMENT",
                   "MARK-RETURN-COMMENT", "MARK-REASON", "MARK-REPORT", "MARK-CONTACT", people.head_a.real_name,
                   people.director.real_name, people.staff_a.real_name, people.office.real_name, "staff_a",
                   "/controls/evidence/", "level_reason", "factors", "found_by", '"note"', "responsible", "supervisor"):
        assert marker not in text, marker


def test_api_records_match_the_public_pages(people, client, published_power, published_risk):
    publish(people)
    power = client.get(reverse("api:power", args=[published_power.code])).json()
    risk = client.get(reverse("api:risk", args=[published_risk.code])).json()
    assert power["name"] == "公开的职权PUBLIC-POWER" and power["unit"]["name"] == "规划执法大队"
    assert power["legal_bases"] and "steps" in power["flow"] and "edges" in power["flow"]
    assert power["links"]["html"].endswith(reverse("public:power", args=[published_power.code]))
    assert risk["measures"][0]["content"] == "公开的措施PUBLIC-MEASURE"
    assert client.get(power["links"]["html"]).status_code == 200


def test_withdrawn_and_archived_publications_show_only_their_description(people, client, published_power):
    pub = publish(people)
    assert client.get(reverse("api:publication_powers", args=[pub.pk])).status_code == 200
    publication_withdraw(actor=people.office, publication=pub, reason="更正")
    assert client.get(reverse("api:power", args=[published_power.code])).status_code == 404
    response = client.get(reverse("api:publication_powers", args=[pub.pk]))
    assert response.status_code == 404 and "往期公示只公开其概况" in response.json()["detail"]
    listed = client.get(reverse("api:publications") + "?current=false").json()["results"]
    assert [p["id"] for p in listed] == [pub.pk] and listed[0]["state"] == "withdrawn" and listed[0]["links"] is None
    assert client.get(reverse("api:publications") + "?current=true").json()["results"] == []


def test_filters_narrow_and_bad_values_are_refused_in_chinese(people, bureau, client, published_power, published_risk):
    publish(people)
    url = reverse("api:risks")
    assert len(client.get(url, {"level": published_risk.level}).json()["results"]) == 1
    assert client.get(url, {"level": 4 - published_risk.level if published_risk.level != 2 else 1}).json()["results"] == []
    assert len(client.get(reverse("api:powers"), {"unit": bureau.a.pk, "q": "PUBLIC-POWER"}).json()["results"]) == 1
    assert client.get(reverse("api:powers"), {"unit": bureau.b.pk}).json()["results"] == []
    for params in ({"level": "9"}, {"unit": "x"}, {"unit": "9" * 40}, {"q": "a\x00b"}, {"category": "nope"}):
        response = client.get(url if "level" in params else reverse("api:powers"), params)
        assert response.status_code == 400, params
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.content.decode()), params
    assert client.get(reverse("api:power", args=["X\x00"])).status_code == 404
    assert client.get(reverse("api:powers"), {"cursor": "garbage"}).status_code == 404


def test_cursor_pages_return_every_item_once_while_new_items_are_published(people, bureau, client):
    for i in range(7):
        walk(PowerItemFactory(unit=bureau.a, code=f"CF-P-{i:03d}"), people)
    pub = publish(people)
    before = {f"CF-P-{i:03d}" for i in range(7)}
    url, seen, round_ = reverse("api:powers") + "?page_size=3", [], 0
    while url:
        data = client.get(url).json()
        seen += [r["code"] for r in data["results"]]
        url = data["next"]
        round_ += 1
        if round_ == 1:  # between pages: new items, a new version of the publication
            for code in ("CF-P-000A", "CF-P-999"):
                walk(PowerItemFactory(unit=bureau.a, code=code), people)
            pub = publication_renew(actor=people.office, publication=pub)
    assert len(seen) == len(set(seen)), seen
    assert before <= set(seen)
    assert "CF-P-999" in seen  # published later but past the cursor: still reached


def test_matching_etag_or_date_answers_304_and_a_release_changes_them(people, client, published_power):
    publish(people)
    url = reverse("api:powers")
    first = client.get(url)
    assert first.status_code == 200 and first.has_header("ETag") and first.has_header("Last-Modified")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    # Only a record that exists is "not modified".
    assert client.get(reverse("api:power", args=["NO-SUCH"]), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    publish(people, title="再次公示")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_cors_allows_any_origin_to_read(people, client, published_power):
    publish(people)
    response = client.get(reverse("api:powers"), HTTP_ORIGIN="https://portal.example.gov.cn")
    assert response["Access-Control-Allow-Origin"] == "*" and "GET" in response["Access-Control-Allow-Methods"]
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert client.post(reverse("api:powers"), {}).status_code == 405


def test_rate_limit_per_trusted_client_address_answers_429_with_retry_after(people, client, settings, published_power):
    settings.API_PUBLIC_RATE = "3/minute"
    settings.TRUSTED_PROXIES = (__import__("ipaddress").ip_network("10.9.0.0/16"),)
    publish(people)
    url = reverse("api:powers")
    via_proxy = {"REMOTE_ADDR": "10.9.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(3):
        assert client.get(url, **via_proxy).status_code == 200
    refused = client.get(url, **via_proxy)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "请求" in refused.json()["detail"] or "限" in refused.json()["detail"]
    # Another client behind the same proxy has its own allowance; a forged header from outside
    # the proxies does not buy a new one.
    assert client.get(url, REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200
    for _ in range(3):
        client.get(url, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{_ + 20}")
    assert client.get(url, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


@pytest.mark.parametrize("name", ["api:powers", "api:risks", "api:publications"])
def test_list_query_counts_do_not_grow_with_page_size(people, bureau, client, django_assert_num_queries, name):
    for i in range(12):
        walk(PowerItemFactory(unit=bureau.a), people)
        walk(risk_with_plan(bureau, people, f"风险{i}", power=PowerItemFactory(unit=bureau.a)), people)
    publish(people)
    publish(people, title="第二期")
    counts = []
    for size in (2, 12):
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()  # the publications' counts are cached once counted: count them each time
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), {"page_size": size}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
