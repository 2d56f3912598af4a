"""Drawing a flow in a real browser: six steps, not one manual link, and the chart joins them all."""

import pytest

from powers.flows import flow_problems
from powers.models import flow_data
from tests.factories import PowerItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = [("立案", "3"), ("调查取证", "30"), ("案件审理", "7"), ("处罚告知", "3"), ("处罚决定", "7"), ("送达执行", "")]


def test_six_steps_drawn_without_one_manual_link_are_all_joined(people, bureau, login, live_server, page):
    power = PowerItemFactory(unit=bureau.a, name="对违法建设行为的处罚", flow=False)
    page = login(people.staff_a)
    page.goto(f"{live_server.url}/powers/{power.pk}/flow/")
    assert "还缺：" in page.locator(".flow-checklist-summary").inner_text()
    for name, days in STEPS:
        page.fill("#id_name", name)
        page.fill("#id_handler_text", "案件承办人")
        if days:
            page.fill("#id_time_limit_days", days)
        else:
            page.check("#id_immediate")
        page.click(".step-form button")  # the 接在…之后 choice is left as proposed
        assert page.locator(".alert-success").inner_text().startswith(f"已添加环节“{name}”") or name == "立案"
        assert page.locator(".alert-danger").count() == 0
    chart = page.locator("svg.flowchart")
    assert chart.locator("g.step").count() == 6
    assert chart.locator("path.edge").count() == 5
    assert page.locator(".flow-edges li").count() == 5
    assert "流程完整" in page.locator(".flow-checklist-summary").inner_text()
    assert "法定时限合计：50 个工作日" in page.locator(".flow-total").inner_text()
    assert flow_problems(flow_data(power)) == []
    steps = list(power.steps.order_by("order"))
    assert [(e.source_id, e.target_id) for e in power.edges.order_by("pk")] == [
        (a.pk, b.pk) for a, b in zip(steps, steps[1:])]
