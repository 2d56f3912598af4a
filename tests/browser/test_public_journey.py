"""A visitor on a phone-sized screen: finds a published power, reads its flowchart, leaves an opinion."""

import re

import pytest

from monitoring.models import RiskInformation
from tests.public.test_public import publish, walk
from tests.factories import PowerItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_a_power_and_leaves_an_opinion(people, bureau, live_server, browser):
    power = walk(PowerItemFactory(unit=bureau.a, name="对擅自设置大型户外广告的处罚"), people)
    publish(people)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page.goto(f"{live_server.url}/public/")
    page.fill("#q", "户外广告")
    page.click("main form button")
    page.click(f"text={power.name}")
    assert page.locator("svg.flowchart").count() == 1
    assert page.locator("svg.flowchart text", has_text="受理").count() >= 1
    page.fill("#id_text", "窗口工作人员暗示找熟人可以加快审批。")
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = map(int, re.findall(r"(\d+) \+ (\d+)", question)[0])
    page.fill("#id_answer", str(a + b))
    page.click("section.opinion button")
    reference = page.locator(".reference").inner_text()
    info = RiskInformation.objects.get()
    assert info.reference == reference and info.channel == "public" and info.concerns_power == power
