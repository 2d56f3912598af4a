"""关键岗位 many at once: the office's list of the bureau's posts with checkboxes, filtered by unit
and tier and counted; marking is all or nothing and keeps each post's history; only the office
(or an administrator) of the bureau may; the 一览表 filters and counts by key post and area."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from org.models import Post
from tests.factories import PostFactory, RiskPointFactory, UnitFactory

pytestmark = pytest.mark.usefixtures("open_year")
URL = reverse("riskpoints:key_posts")


@pytest.fixture
def posts(bureau):
    foreign = UnitFactory(code="OTHER", name="另一个局", kind="bureau")
    return {
        "captain": PostFactory(unit=bureau.a, name="大队长", tier="leadership", is_key=True),
        "inspector": PostFactory(unit=bureau.a, name="巡查员", tier="key"),
        "squad": PostFactory(unit=bureau.a_squad, name="中队长", tier="middle"),
        "clerk": PostFactory(unit=bureau.b, name="内勤", tier="key"),
        "foreign": PostFactory(unit=foreign, name="外局岗位", tier="key"),
    }


def names(response):
    return {p.name for p in response.context["page_obj"]}


def test_the_office_sees_the_bureaus_posts_with_their_key_counts(people, client_for, posts):
    response = client_for(people.office).get(URL)
    assert response.status_code == 200
    assert names(response) == {"大队长", "巡查员", "中队长", "内勤"}
    counts = response.context["counts"]
    assert (counts["total"], counts["key"]) == (4, 1)
    assert dict(counts["by_tier"]) == {"领导岗位": 1, "中层岗位": 0, "其他重要岗位": 0}
    html = response.content.decode()
    assert 'name="post" value="%d"' % posts["inspector"].pk in html and "外局岗位" not in html
    assert reverse("riskpoints:key_posts") in client_for(people.office).get(reverse("home")).content.decode()


@pytest.mark.parametrize("query, expected", [
    ({"unit": "A"}, {"大队长", "巡查员", "中队长"}),  # a brigade with its squads
    ({"unit": "A1"}, {"中队长"}),
    ({"tier": "key"}, {"巡查员", "内勤"}),
    ({"is_key": "true"}, {"大队长"}),
    ({"is_key": "false", "tier": "key"}, {"巡查员", "内勤"}),
    ({"name": "队长"}, {"大队长", "中队长"}),
])
def test_the_list_filters_by_unit_tier_mark_and_name(people, bureau, client_for, posts, query, expected):
    if "unit" in query:
        query = {**query, "unit": {"A": bureau.a.pk, "A1": bureau.a_squad.pk}[query["unit"]]}
    response = client_for(people.office).get(URL, query)
    assert names(response) == expected
    assert response.context["counts"]["total"] == len(expected)


def test_the_office_marks_and_unmarks_many_posts_at_once(people, client_for, posts):
    client = client_for(people.office)
    chosen = [posts["inspector"].pk, posts["squad"].pk, posts["captain"].pk]
    response = client.post(URL + "?tier=key", {"post": chosen, "op": "mark"}, follow=True)
    assert response.redirect_chain[-1][0] == URL + "?tier=key"
    assert "已将 2 个岗位标为关键岗位" in response.content.decode()
    assert set(Post.objects.filter(is_key=True).values_list("name", flat=True)) == {"大队长", "巡查员", "中队长"}
    squad = Post.objects.get(pk=posts["squad"].pk)
    assert squad.history.count() == 2 and squad.history.first().history_user == people.office
    assert Post.objects.get(pk=posts["captain"].pk).history.count() == 1  # unchanged, no record
    client.post(URL, {"post": chosen[:2], "op": "unmark"})
    assert set(Post.objects.filter(is_key=True).values_list("name", flat=True)) == {"大队长"}
    response = client.post(URL, {"post": chosen[:2], "op": "unmark"}, follow=True)
    assert "所选岗位都不是关键岗位，没有改变" in response.content.decode()


def test_a_post_of_another_bureau_among_the_chosen_changes_nothing(people, client_for, posts):
    response = client_for(people.office).post(URL, {"post": [posts["inspector"].pk, posts["foreign"].pk], "op": "mark"})
    assert response.status_code == 404
    assert not Post.objects.filter(pk__in=[posts["inspector"].pk, posts["foreign"].pk], is_key=True).exists()


@pytest.mark.parametrize("data, message", [
    ({"op": "mark", "post": []}, "请先勾选岗位"),
    ({"post": ["x", "99999999999999999999999"], "op": "mark"}, "请先勾选岗位"),
    ({"op": "promote"}, "请选择“标为关键岗位”或“取消关键岗位标记”"),
])
def test_a_request_without_posts_or_with_an_unknown_step_changes_nothing(people, client_for, posts, data, message):
    data.setdefault("post", [posts["inspector"].pk])
    response = client_for(people.office).post(URL, data, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert Post.objects.filter(is_key=True).count() == 1


@pytest.mark.parametrize("persona", ["staff_a", "head_a", "leader_a", "director", "nobody"])
def test_only_the_office_sees_and_marks(people, client_for, posts, persona):
    client = client_for(getattr(people, persona))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("riskpoints:key_posts_export")).status_code == 403
    assert client.post(URL, {"post": [posts["inspector"].pk], "op": "mark"}).status_code == 403
    assert not Post.objects.get(pk=posts["inspector"].pk).is_key


def test_a_visitor_is_sent_to_sign_in(client, posts):
    assert client.get(URL).status_code == 302 and not client.post(URL, {"post": [posts["inspector"].pk], "op": "mark"}).url.startswith(URL)


@pytest.mark.parametrize("size", [3, 40])
def test_the_list_costs_the_same_queries_whatever_the_number_of_posts(people, bureau, client_for, size,
                                                                      django_assert_num_queries):
    PostFactory.create_batch(size, unit=bureau.a)
    client = client_for(people.office)
    client.get(URL)
    with django_assert_num_queries(KEY_POSTS_QUERIES):
        assert client.get(URL, {"tier": "key"}).status_code == 200


KEY_POSTS_QUERIES = 12


def test_the_export_is_the_list_as_filtered(people, client_for, posts):
    response = client_for(people.office).get(reverse("riskpoints:key_posts_export"), {"tier": "key"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("单位编码", "单位", "岗位", "岗位层次", "关键岗位")
    assert sorted(r[2:] for r in rows[1:]) == [("内勤", "其他重要岗位", "否"), ("巡查员", "其他重要岗位", "否")]


def test_the_unit_table_filters_and_counts_by_key_post_and_area(people, bureau, client_for, posts):
    RiskPointFactory(unit=bureau.a, post=posts["captain"], finding_level="post", key_area="penalty", title="压低罚款")
    RiskPointFactory(unit=bureau.a, post=posts["inspector"], finding_level="post", title="巡查走过场")
    RiskPointFactory(unit=bureau.a, key_area="special_funds", title="专项资金挪用")
    client = client_for(people.office)
    url = reverse("riskpoints:unit_table", args=[bureau.a.pk])

    def titles(query):
        response = client.get(url, query)
        return {r["title"] for _post, risks in response.context["groups"] for r in risks}, response

    shown, response = titles({})
    assert shown == {"压低罚款", "巡查走过场", "专项资金挪用"}
    assert (response.context["counts"]["key_post"], response.context["counts"]["key_area"]) == (1, 2)
    assert "关键岗位 1" in response.content.decode() and "重点领域 2" in response.content.decode()
    assert titles({"key_post": "true"})[0] == {"压低罚款"}
    assert titles({"key_post": "false"})[0] == {"巡查走过场", "专项资金挪用"}
    assert titles({"key_area": "any"})[0] == {"压低罚款", "专项资金挪用"}
    shown, response = titles({"key_area": "special_funds"})
    assert shown == {"专项资金挪用"} and "专项资金管理使用" in response.content.decode().split("print-sheet", 1)[1]
    assert titles({"key_post": "true", "key_area": "special_funds"})[0] == set()
    assert titles({"key_area": "nonsense", "key_post": "maybe"})[1].status_code == 200
