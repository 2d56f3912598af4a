"""The main journey in a real browser: staff submit, the unit head reviews, the leader returns."""

import pytest

from review.choices import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_review_and_return_in_the_browser(people, power_a, login, live_server, page):
    page = login(people.staff_a)
    page.goto(f"{live_server.url}{power_a.get_absolute_url()}")
    page.click("form[data-action=submit] button")
    assert page.locator(".alert-success").inner_text().startswith("已提交审核")
    page.context.clear_cookies()

    page = login(people.head_a)
    assert power_a.name in page.locator("table.pending").inner_text()
    page.click(f"text={power_a.name}")
    page.fill("#id_unit_approve-meeting_date", "2026-11-20")
    page.fill("#id_unit_approve-comment", "经大队会议集体审定，同意报送。")
    page.click("form[data-action=unit_approve] button")
    assert "集体审定通过并报送" in page.locator(".trail").inner_text()
    page.context.clear_cookies()

    page = login(people.leader_a)
    page.click(f"text={power_a.name}")
    page.click("form[data-action=return] button")  # no comment: refused with a message
    assert "退回时必须填写退回意见" in page.locator(".alert-danger").inner_text()
    page.fill("#id_return-comment", "请补充法律依据的具体条款。")
    page.click("form[data-action=return] button")
    assert "请补充法律依据的具体条款" in page.locator(".trail").inner_text()
    power_a.refresh_from_db()
    assert power_a.status == Status.RETURNED


def test_edit_form_in_the_browser_shows_chinese_errors(people, power_a, login, live_server, page):
    page = login(people.staff_a)
    page.goto(f"{live_server.url}/powers/{power_a.pk}/edit/")
    page.fill("#id_name", "")
    page.click("main button[type=submit]")
    assert "这个字段是必填项" in page.content()
    page.fill("#id_name", "对违法建设行为的处罚")
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "对违法建设行为的处罚"


def test_staff_adds_a_power_with_two_legal_bases(people, bureau, login, live_server, page):
    from powers.models import PowerItem

    page = login(people.staff_a)
    page.goto(f"{live_server.url}/powers/new/")
    page.fill("#id_code", "CF-GH-777")
    page.select_option("#id_category", "penalty")
    page.select_option("#id_unit", str(bureau.a.pk))
    page.fill("#id_name", "对未按规划许可建设的处罚")
    page.fill("#id_content", "依法责令停止建设、限期改正并处罚款。")
    page.fill("#id_bases-0-law_name", "《中华人民共和国城乡规划法》")
    page.fill("#id_bases-0-article", "第六十四条")
    page.click("[data-formset-add]")
    page.fill("#id_bases-1-law_name", "《中华人民共和国行政处罚法》")
    page.fill("#id_bases-1-article", "第三十二条")
    page.click("main button[type=submit]")
    power = PowerItem.objects.get(code="CF-GH-777")
    assert [b.article for b in power.legal_bases.all()] == ["第六十四条", "第三十二条"]
