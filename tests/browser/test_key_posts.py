"""关键岗位 in a real browser: the office ticks every post of a filtered page at once and marks
them; the 一览表's unit switch keeps the key-post filter it was given."""

import re

import pytest

from org.models import Post
from tests.factories import PostFactory, RiskPointFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_marks_a_filtered_page_of_posts_at_once(people, bureau, open_year, login, live_server, page):
    for name in ("巡查员", "案件承办人", "执法队员"):
        PostFactory(unit=bureau.a, name=name, tier="key")
    PostFactory(unit=bureau.b, name="内勤", tier="key")
    PostFactory(unit=bureau.a, name="大队长", tier="middle")
    page = login(people.office)
    page.goto(f"{live_server.url}/")
    page.click("text=廉政风险点")
    page.click(".dropdown-menu >> text=关键岗位")
    page.select_option("#id_unit", str(bureau.a.pk))
    page.select_option("#id_tier", "key")
    page.click("button:has-text('筛选')")
    assert page.locator("input[name=post]").count() == 3
    page.check("[data-check-all=post]")
    page.click("text=所选岗位标为关键岗位")
    assert "已将 3 个岗位标为关键岗位" in page.locator(".alert-success").inner_text()
    assert page.locator(".key-post-counts").inner_text().split()[:4] == ["岗位", "3", "关键岗位", "3"]
    assert set(Post.objects.filter(is_key=True).values_list("name", flat=True)) == {"巡查员", "案件承办人", "执法队员"}

    key = Post.objects.get(name="巡查员")
    RiskPointFactory(unit=bureau.b, title="B单位的风险点")
    RiskPointFactory(unit=bureau.a, post=key, finding_level="post", title="关键岗位上的风险点")
    RiskPointFactory(unit=bureau.a, title="部门层面的风险点")
    page.goto(f"{live_server.url}/risks/table/{bureau.b.pk}/")
    page.select_option("select[name=unit]", str(bureau.a.pk))
    page.select_option("select[name=key_post]", "true")
    page.click("form[data-url-template] button:has-text('查看')")
    page.wait_for_url(re.compile(rf"{re.escape(live_server.url)}/risks/table/{bureau.a.pk}/\?(year=\d+&)?key_post=true$"))
    sheet = page.locator(".print-sheet").inner_text()
    assert "关键岗位上的风险点" in sheet and "部门层面的风险点" not in sheet
    assert "关键岗位 1" in page.locator(".level-counts").inner_text()
