"""关键岗位 and 重点领域: the office marks posts, risk points carry an area, the register filters and
counts by both at a fixed query count, and the pages and the export show them. Level colours on
public pages come from the one home."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.urls import reverse
from openpyxl import load_workbook

from org.models import Post
from riskpoints.choices import LEVEL_COLOURS
from riskpoints.templatetags.risk_levels import level_colour
from tests.factories import PostFactory, RiskPointFactory

pytestmark = pytest.mark.usefixtures("open_year")


@pytest.fixture
def marked(bureau):
    key_post = PostFactory(unit=bureau.a, name="案件审核岗", is_key=True)
    plain_post = PostFactory(unit=bureau.a, name="内勤岗")
    return (
        RiskPointFactory(unit=bureau.a, post=key_post, finding_level="post", key_area="penalty", title="压低罚款"),
        RiskPointFactory(unit=bureau.a, post=plain_post, finding_level="post", key_area="", title="内勤台账"),
        RiskPointFactory(unit=bureau.a, key_area="special_funds", title="专项资金挪用", level=1),
    )


def test_the_office_marks_a_key_post_and_others_cannot(people, bureau, client_for):
    post = PostFactory(unit=bureau.a)
    url = reverse("riskpoints:post_key", args=[post.pk])
    for persona in ("staff_a", "head_a", "leader_a"):
        assert client_for(getattr(people, persona)).post(url, {"is_key": "1"}).status_code == 403
    assert client_for(people.staff_b).post(url, {"is_key": "1"}).status_code == 404
    client = client_for(people.office)
    assert "标为关键岗位" in client.get(reverse("riskpoints:post_register", args=[post.pk])).content.decode()
    assert client.post(url, {"is_key": "1"}).status_code == 302
    post.refresh_from_db()
    assert post.is_key and post.history.first().history_user == people.office
    client.post(url, {"is_key": "0"})
    post.refresh_from_db()
    assert not post.is_key


def test_the_admin_edits_the_key_mark():
    admin = site._registry[Post]
    assert "is_key" in admin.list_editable and "is_key" in admin.list_filter


@pytest.mark.parametrize("query, titles", [
    ({"key_post": "true"}, {"压低罚款"}),
    ({"key_post": "false"}, {"内勤台账", "专项资金挪用"}),
    ({"key_area": "any"}, {"压低罚款", "专项资金挪用"}),
    ({"key_area": "special_funds"}, {"专项资金挪用"}),
])
def test_the_register_filters_by_key_post_and_area(people, client_for, marked, query, titles):
    response = client_for(people.office).get(reverse("riskpoints:list"), query)
    assert {r.title for r in response.context["page"]} == titles


def test_the_register_counts_key_posts_and_areas(people, client_for, marked):
    response = client_for(people.office).get(reverse("riskpoints:list"))
    assert response.context["counts"] == {"l1": 1, "l2": 2, "l3": 0, "key_post": 1, "key_area": 2, "total": 3, "unprinted": 3}
    html = response.content.decode()
    assert "关键岗位 1" in html and "重点领域 2" in html
    response = client_for(people.office).get(reverse("riskpoints:list"), {"level": 2})
    assert (response.context["counts"]["key_post"], response.context["counts"]["key_area"]) == (1, 1)


@pytest.mark.parametrize("size", [3, 40])
def test_key_filters_keep_the_register_query_count(people, bureau, client_for, django_assert_num_queries, size):
    from tests.riskpoints.test_pages import REGISTER_QUERIES

    post = PostFactory(unit=bureau.a, is_key=True)
    RiskPointFactory.create_batch(size, unit=bureau.a, post=post, finding_level="post", key_area="penalty")
    client = client_for(people.office)
    client.get(reverse("riskpoints:list"))
    with django_assert_num_queries(REGISTER_QUERIES):
        assert client.get(reverse("riskpoints:list"), {"key_post": "true", "key_area": "any"}).status_code == 200


def test_detail_and_paper_forms_show_key_post_and_area(people, bureau, client_for, marked):
    client = client_for(people.office)
    detail = client.get(marked[0].get_absolute_url()).content.decode()
    assert "关键岗位" in detail and "行政处罚" in detail.split("重点领域", 1)[1]
    table = client.get(reverse("riskpoints:unit_table", args=[bureau.a.pk])).content.decode()
    assert "关键岗位" in table and "专项资金管理使用" in table
    register = client.get(reverse("riskpoints:post_register", args=[marked[0].post_id])).content.decode()
    assert "关键岗位" in register and "重点领域：行政处罚" in register


def test_the_export_has_key_post_and_area_columns(people, client_for, marked):
    ws = load_workbook(BytesIO(client_for(people.office).get(reverse("riskpoints:export")).content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    by_title = {row[header.index("风险点")]: row for row in rows[1:]}
    assert by_title["压低罚款"][header.index("关键岗位")] == "是"
    assert by_title["压低罚款"][header.index("重点领域")] == "行政处罚"
    assert by_title["内勤台账"][header.index("重点领域")] == "无"


def test_level_colours_have_one_home():
    assert [level_colour(n) for n in (1, "2", 3)] == [LEVEL_COLOURS[n][0] for n in (1, 2, 3)]
    assert level_colour(None) == "secondary"
    public = Path(settings.BASE_DIR) / "templates" / "public"
    for template in public.glob("*.html"):
        text = template.read_text()
        colours = "|".join(colour for colour, _hex in LEVEL_COLOURS.values())
        assert not re.search(rf"level\s*==\s*\d[^%]*%\}}\s*text-bg-({colours})", text), template.name
