"""领导点 in a real browser: a leader proposes a risk point to a unit, its head accepts it into the register."""

import pytest

from monitoring.models import RiskProposal
from riskpoints.models import RiskPoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_proposes_and_the_unit_head_accepts(people, bureau, power_a, open_year, login, live_server, page):
    page = login(people.leader_a)
    page.goto(f"{live_server.url}/monitoring/proposals/")
    page.click("text=提出风险点建议")
    page.select_option("#id_found_by", "leader")
    page.select_option("#id_target_unit", str(bureau.a.pk))
    page.select_option("#id_power", str(power_a.pk))
    page.fill("#id_title", "违法建设拆除后复查流于形式")
    page.fill("#id_description", "强制拆除后未按期复查，当事人恢复搭建时无人发现。")
    page.click("main button[type=submit]")
    assert "等待该单位处理" in page.locator(".alert-success").inner_text()
    proposal = RiskProposal.objects.get()
    page.context.clear_cookies()

    page = login(people.head_a)
    assert "违法建设拆除后复查流于形式" in page.content()  # the notice on 待我处理
    page.goto(f"{live_server.url}/monitoring/proposals/?show=todo")
    page.click("text=违法建设拆除后复查流于形式")
    page.click("text=采纳并登记风险点")
    assert page.input_value("#id_title") == "违法建设拆除后复查流于形式"
    assert page.input_value("#id_found_by") == "leader" and page.input_value("#id_finding_level") == "department"
    page.select_option("#id_kind", "process")
    for factor, grade in (("importance", 3), ("discretion", 2), ("probability", 2), ("harm", 2)):
        page.check(f"input[name={factor}][value='{grade}']")
    page.locator("input[name=level]").first.check()
    page.fill("#id_level_reason", "按评定标准")
    page.click("main button[type=submit]")
    assert not page.locator(".invalid-feedback, .alert-danger").all_inner_texts(), page.locator(".invalid-feedback, .alert-danger").all_inner_texts()
    assert "已采纳建议并登记风险点" in page.locator(".alert-success").inner_text()
    risk = RiskPoint.objects.get()
    assert (risk.unit, risk.found_by, risk.power) == (bureau.a, "leader", power_a)
    proposal.refresh_from_db()
    assert proposal.state == "accepted" and proposal.risk_point == risk
