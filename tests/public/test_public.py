"""The public site shows only what a current publication froze, and nothing internal."""

import datetime
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from controls.services import plan_save
from monitoring.models import RiskInformation
from powers.services import power_update
from public.forms import CHALLENGE_SALT
from public.models import Publication, PublicationEntry
from public.selectors import entry_keyword_q
from public.services import OPINION_LIMIT_PER_HOUR, publication_publish, publication_save, publication_withdraw
from review.choices import Action, Status
from review.services import review_transition
from tests import workflow
from tests.factories import PowerItemFactory, RiskPointFactory
from tests.plans import bitmap_plan

TODAY = timezone.localdate()


def walk(item, people, to=Status.PUBLISHED):
    """Through review, every step leaving an internal comment that must never reach the public."""
    return workflow.walk(item, people, to, comment="内部审核意见MARK-COMMENT")


def publish(people, **kw):
    pub = Publication(title=kw.pop("title", "公示"), starts_on=kw.pop("starts_on", TODAY), **kw)
    publication_save(actor=people.office, publication=pub)
    return publication_publish(actor=people.office, publication=pub)


def crawl(client):
    """Every public page reachable from the home page, with their HTML."""
    seen, queue, pages = set(), [reverse("public:home")], {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        pages[url] = html
        for link in re.findall(r'href="(/public/[^"#]*)"', html):
            if not link.startswith("/public/language/"):  # a redirect that sets a cookie, not a page
                queue.append(link.replace("&amp;", "&"))
    return pages


@pytest.fixture
def published_power(people, bureau):
    return walk(PowerItemFactory(unit=bureau.a, name="公开的职权PUBLIC-POWER"), people)


def risk_with_plan(bureau, people, title, **kw):
    risk = RiskPointFactory(unit=bureau.a, title=title, **kw)
    plan_save(risk=risk, actor=people.staff_a, lock_version=risk.lock_version,
              measures=[{"kind": "control", "content": "公开的措施PUBLIC-MEASURE", "responsible": people.head_a,
                         "supervisor": people.director, "due_date": TODAY}])
    risk.refresh_from_db()
    return risk


@pytest.fixture
def published_risk(people, bureau):
    return walk(risk_with_plan(bureau, people, "公开的风险点PUBLIC-RISK", level_reason="内部理由MARK-REASON"), people)


def test_nothing_unpublished_or_internal_reaches_any_public_page(people, bureau, client, published_power, published_risk):
    PowerItemFactory(unit=bureau.a, name="草稿MARK-DRAFT")
    walk(PowerItemFactory(unit=bureau.a, name="已退回MARK-RETURNED"), people, to=Status.SUBMITTED)
    returned = PowerItemFactory.create(unit=bureau.a, name="退回MARK-RETURNED2")
    review_transition(item=returned, action=Action.SUBMIT, actor=people.staff_a)
    review_transition(item=returned, action=Action.RETURN, actor=people.head_a, comment="退回MARK-RETURN-COMMENT")
    walk(PowerItemFactory(unit=bureau.a, name="已验收未公布MARK-ACCEPTED"), people, to=Status.ACCEPTED)
    edited = walk(PowerItemFactory(unit=bureau.a, name="原名称PUBLIC-OLD"), people)
    power_update(power=edited, actor=people.staff_a, lock_version=edited.lock_version,
                 data={**{f: getattr(edited, f) for f in ("code", "category", "sub_item", "unit", "has_discretion")},
                       "name": "发布后修改MARK-EDITED", "content": edited.content, "posts": []},
                 legal_bases=[{"law_name": b.law_name, "article": b.article, "text": b.text} for b in edited.legal_bases.all()])
    RiskInformation.objects.create(bureau=bureau.ju, reference="R1", channel="petition", received_on=TODAY,
                                   content="举报MARK-REPORT", contact="13800000000MARK-CONTACT")
    publish(people)
    pages = crawl(client)
    html = "\n".join(pages.values())
    assert len(pages) >= 6
    for public in ("PUBLIC-POWER", "PUBLIC-RISK", "PUBLIC-MEASURE", "PUBLIC-OLD"):
        assert public in html, public
    for marker in ("MARK-DRAFT", "MARK-RETURNED", "MARK-ACCEPTED", "MARK-EDITED", "MARK-COMMENT", "MARK-RETURN-COMMENT",
                   "MARK-REASON", "MARK-REPORT", "MARK-CONTACT", people.head_a.real_name, people.director.real_name,
                   people.staff_a.real_name, people.office.real_name, "staff_a", "/controls/evidence/"):
        assert marker not in html, marker


def test_withdrawn_publication_disappears(people, client, published_power):
    pub = publish(people)
    url = reverse("public:power", args=[published_power.code])
    assert client.get(url).status_code == 200
    assert "PUBLIC-POWER" in client.get(reverse("public:powers")).content.decode()  # now in the page cache
    publication_withdraw(actor=people.office, publication=pub, reason="更正")
    assert client.get(url).status_code == 404
    assert "PUBLIC-POWER" not in client.get(reverse("public:powers")).content.decode()
    assert "公示" in client.get(reverse("public:archive")).content.decode()


def test_expired_and_future_publications_are_not_shown(people, client, published_power):
    publish(people, starts_on=TODAY - datetime.timedelta(days=30), ends_on=TODAY - datetime.timedelta(days=1))
    publish(people, title="将来", starts_on=TODAY + datetime.timedelta(days=1))
    assert client.get(reverse("public:power", args=[published_power.code])).status_code == 404


def test_new_revision_reaches_the_public_only_with_a_new_publication(people, client, published_power):
    publish(people)
    power = published_power
    power_update(power=power, actor=people.staff_a, lock_version=power.lock_version,
                 data={**{f: getattr(power, f) for f in ("code", "category", "sub_item", "unit", "has_discretion", "content")},
                       "name": "第二版名称", "posts": []},
                 legal_bases=[{"law_name": "《城乡规划法》", "article": "第六十四条", "text": ""}])
    power = walk(power, people)
    url = reverse("public:power", args=[power.code])
    assert "PUBLIC-POWER" in client.get(url).content.decode()  # still the frozen first revision
    publish(people, title="第二次公示")
    html = client.get(url).content.decode()
    assert "第二版名称" in html and "PUBLIC-POWER" not in html


def test_scope_limits_the_units(people, bureau, client, published_power):
    other = walk(PowerItemFactory(unit=bureau.b, name="乙单位职权"), _b_people(people))
    pub = Publication(title="甲单位", starts_on=TODAY, all_units=False)
    publication_save(actor=people.office, publication=pub, units=[bureau.a])
    publication_publish(actor=people.office, publication=pub)
    html = client.get(reverse("public:powers")).content.decode()
    assert "PUBLIC-POWER" in html and other.name not in html


def _b_people(people):
    from types import SimpleNamespace

    return SimpleNamespace(staff_a=people.staff_b, head_a=people.head_b, leader_a=people.leader_b, office=people.office)


# --- opinions ------------------------------------------------------------------------------------

def opinion(client, code, answer=None, token=None, text="该岗位执法人员收受好处，请核查。", ip="10.0.0.1"):
    token = token if token is not None else signing.dumps(7, salt=CHALLENGE_SALT)
    data = {"text": text, "contact": "", "answer": 7 if answer is None else answer, "token": token}
    return client.post(reverse("public:opinion", args=["risk", code]), data, REMOTE_ADDR=ip)


def test_valid_opinion_creates_one_risk_information_item(people, client, published_risk):
    publish(people)
    response = opinion(client, published_risk.code)
    info = RiskInformation.objects.get()
    assert response.status_code == 200 and info.reference in response.content.decode()
    assert info.channel == "public" and info.concerns_risk == published_risk and "收受好处" in info.content
    assert "10.0.0.1" not in info.source_key


def test_opinion_without_the_challenge_is_refused(people, client, published_risk):
    publish(people)
    assert opinion(client, published_risk.code, token="").status_code == 400
    assert opinion(client, published_risk.code, answer=8).status_code == 400
    response = opinion(client, published_risk.code, token="forged", text="留言内容要保留下来")
    html = response.content.decode()
    assert response.status_code == 400 and "验证已过期" in html
    assert "留言内容要保留下来" in html  # the visitor's text survives the refusal
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert signing.loads(token, salt=CHALLENGE_SALT) in range(2, 19)  # and a fresh challenge comes with it
    assert not RiskInformation.objects.exists()


def test_opinions_are_rate_limited_per_address(people, client, published_risk):
    publish(people)
    for _ in range(OPINION_LIMIT_PER_HOUR):
        assert opinion(client, published_risk.code).status_code == 200
    response = opinion(client, published_risk.code)
    assert response.status_code == 400 and "提交过于频繁" in response.content.decode()
    assert opinion(client, published_risk.code, ip="10.0.0.2").status_code == 200
    assert RiskInformation.objects.count() == OPINION_LIMIT_PER_HOUR + 1


def test_visitors_never_see_other_opinions(people, client, published_risk):
    publish(people)
    opinion(client, published_risk.code, text="别人的留言MARK-OTHER")
    pages = crawl(client)
    assert not any("MARK-OTHER" in html for html in pages.values())


def test_opinion_on_unpublished_item_is_404(people, bureau, client):
    draft = RiskPointFactory(unit=bureau.a)
    assert opinion(client, draft.code).status_code == 404


def test_office_reads_public_opinions_others_cannot(people, client, client_for, published_risk):
    publish(people)
    opinion(client, published_risk.code)
    assert "收受好处" in client_for(people.office).get(reverse("monitoring:info_list")).content.decode()
    assert client_for(people.staff_a).get(reverse("monitoring:info_list")).status_code == 403


# --- caching and speed ------------------------------------------------------------------------------

def test_public_pages_answer_304_to_a_matching_etag(people, client, published_power):
    publish(people)
    first = client.get(reverse("public:powers"))
    assert first.has_header("ETag")
    again = client.get(reverse("public:powers"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    publish(people, title="再次公示")
    assert client.get(reverse("public:powers"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("size", [2, 40])
def test_public_catalogue_query_counts_are_constant(people, bureau, client, django_assert_num_queries, size):
    for i in range(size):
        walk(PowerItemFactory(unit=bureau.a), people)
        walk(risk_with_plan(bureau, people, f"风险{i}"), people)
    publish(people)
    for name, expected in (("public:powers", PUBLIC_LIST_QUERIES), ("public:risks", PUBLIC_LIST_QUERIES), ("public:home", PUBLIC_HOME_QUERIES)):
        with django_assert_num_queries(expected):
            assert client.get(reverse(name)).status_code == 200
        with django_assert_num_queries(1):  # served from the shared cache: only the ETag query
            assert client.get(reverse(name)).status_code == 200


def test_catalogue_pages_share_one_count_until_the_content_changes(people, bureau, client, django_assert_num_queries):
    for i in range(3):
        walk(risk_with_plan(bureau, people, f"风险{i}"), people)
    publish(people)
    url = reverse("public:risks")
    first = client.get(url)
    assert {u.pk: n for u, n in first.context["units"]}[bureau.a.pk] == 3
    assert first.context["page_obj"].paginator.count == 3
    with django_assert_num_queries(4):  # another page: the ETag, the kept counts, the units and its rows; no count
        page = client.get(url, {"unit": bureau.a.pk})
    assert page.context["page_obj"].paginator.count == 3
    with django_assert_num_queries(6):  # a keyword: also the units it names, and its rows are counted
        found = client.get(url, {"q": "风险1"})
    assert found.context["page_obj"].paginator.count == 1
    # A new publication is a new version: the counts are counted again and take the new item in.
    walk(risk_with_plan(bureau, people, "风险新"), people)
    publish(people, title="再次公示")
    assert client.get(url, {"unit": bureau.a.pk}).context["page_obj"].paginator.count == 4


@pytest.mark.parametrize("term", ["罚", "罚款", "压低罚", "走过场，受", "xyz", "XYZ"])
def test_public_search_finds_substrings_of_one_two_three_characters(people, bureau, client, term):
    for title, description in (("违规减免罚款", "审核走过场，受请托压低罚款。"), ("xyz 检查", "无"), ("违建拆除", "选择性执法。")):
        walk(risk_with_plan(bureau, people, title, description=description), people)
    publish(people)
    found = {e.title for e in client.get(reverse("public:risks"), {"q": term}).context["page_obj"]}
    expected = {e.title for e in PublicationEntry.objects.filter(kind="risk", current=True)
                if term.lower() in e.search_text.lower()}
    assert found == expected and found
    api = client.get(reverse("api:risks"), {"q": term}).json()
    assert {r["title"] for r in api["results"]} == expected


def test_public_search_finds_a_units_name_and_uses_the_gram_index(people, bureau, client):
    walk(risk_with_plan(bureau, people, "违规减免罚款"), people)
    publish(people)
    found = client.get(reverse("public:risks"), {"q": bureau.a.name[:2]}).context["page_obj"]
    assert [e.title for e in found] == ["违规减免罚款"]
    assert "public_publicationentry_grams" in bitmap_plan(PublicationEntry.objects.filter(entry_keyword_q("送达")).values("pk"))


# --- the office's publication pages ------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["staff_a", "head_a", "leader_a", "director"])
def test_only_the_office_manages_publications(people, client_for, persona, published_power):
    client = client_for(getattr(people, persona))
    assert client.get(reverse("public_admin:list")).status_code == 403
    assert client.post(reverse("public_admin:create"), {"title": "x", "all_units": "on", "include_powers": "on",
                                                         "starts_on": "2026-01-01"}).status_code == 403
    assert not Publication.objects.exists()


def test_office_creates_and_publishes_through_the_pages(people, client_for, published_power):
    client = client_for(people.office)
    response = client.post(reverse("public_admin:create"), {"title": "年度公示", "all_units": "on", "include_powers": "on",
                                                             "starts_on": TODAY.isoformat()})
    pub = Publication.objects.get()
    assert response.status_code == 302 and pub.state == "draft"
    client.post(reverse("public_admin:detail", args=[pub.pk]), {"op": "publish"})
    pub.refresh_from_db()
    assert pub.state == "published" and pub.entries.count() == 1


PUBLIC_LIST_QUERIES = 4  # the ETag, the per-unit counts (also the list's length), the units, the page
PUBLIC_HOME_QUERIES = 4
