"""A risk point from registration to the public site in a real browser, and the office never
makes a publication by hand: publishing adds it to the current one."""

import pytest
from django.utils import timezone

from controls.services import plan_save
from review.choices import Status
from riskpoints.models import RiskPoint
from tests.factories import PowerItemFactory
from tests.public.test_public import publish
from tests.workflow import walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "浏览器登记的风险点BROWSER-RISK"


def test_registered_reviewed_published_and_found_on_the_public_site(people, bureau, open_year, login, live_server,
                                                                    page):
    walk(PowerItemFactory(unit=bureau.a, name="已公示的职权"), people)
    publish(people, title="本年度职权和风险点公示")

    page = login(people.staff_a)
    page.goto(f"{live_server.url}/risks/new/")
    page.select_option("#id_unit", str(bureau.a.pk))
    page.select_option("#id_finding_level", "department")
    page.select_option("#id_kind", "system")
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "执法检查只走过场，发现问题不记录、不上报。")
    for factor in ("importance", "discretion", "probability", "harm"):
        page.check(f"input[name={factor}][value='2']")
    page.check("input[name=level][value='2']")
    page.fill("#id_level_reason", "按本单位近年情况确定。")
    page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == TITLE
    risk = RiskPoint.objects.get(title=TITLE)
    assert risk.round == open_year
    plan_save(risk=risk, actor=people.staff_a, lock_version=risk.lock_version,
              measures=[{"kind": "control", "content": "检查全程记录、双人复核", "responsible": people.head_a,
                         "supervisor": None, "due_date": timezone.localdate()}])
    page.reload()
    page.click("form[data-action=submit] button")
    assert f"等待 规划执法大队 单位负责人（{people.head_a.display_name}） 审核" in page.locator(".alert-success").inner_text()
    page.context.clear_cookies()

    page = login(people.head_a)
    page.goto(f"{live_server.url}{risk.get_absolute_url()}")
    page.fill("#id_unit_approve-meeting_date", timezone.localdate().isoformat())
    page.click("form[data-action=unit_approve] button")
    assert "等待 分管领导" in page.locator(".alert-success").inner_text()
    page.context.clear_cookies()
    walk(risk, people, Status.ACCEPTED)  # the leader approves, the office accepts

    page = login(people.office)
    page.goto(f"{live_server.url}{risk.get_absolute_url()}")
    assert "尚未公示" in page.locator(".public-presence").inner_text()
    offer = page.locator("#id_publish-to_publication")
    assert offer.is_checked() and "本年度职权和风险点公示" in page.locator("label[for=id_publish-to_publication]").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())  # 公布后内容即被冻结。确定公布？
    page.click("form[data-action=publish] button")
    assert "公众现在可以在公示《本年度职权和风险点公示》中看到" in page.locator(".alert-success").inner_text()
    assert "公众在公示《本年度职权和风险点公示》中看到第 1 版" in page.locator(".public-presence").inner_text()
    page.context.clear_cookies()

    page.goto(f"{live_server.url}/public/risks/")
    page.click(f"text={TITLE}")
    assert page.locator("h1").inner_text().strip().endswith(TITLE) or TITLE in page.locator("main").inner_text()
    assert "检查全程记录、双人复核" in page.locator("main").inner_text()
    assert people.head_a.display_name not in page.content()
