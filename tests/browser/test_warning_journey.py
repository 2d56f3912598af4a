"""预警处置 in a real browser: the office records 信访举报 information, assesses it as a warning
(限期整改 to a unit), the unit head acknowledges and reports with evidence, the office closes it;
the notice fits one A4 page."""

import os

import pytest
from django.utils import timezone

from monitoring.models import RiskInformation, RiskWarning

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS_DIR")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_information_to_rectification_closed(people, bureau, login, live_server, page, tmp_path):
    page = login(people.office)
    page.goto(f"{live_server.url}/monitoring/information/new/")
    page.select_option("#id_channel", "petition")
    page.fill("#id_source_reference", "信〔2026〕017号")
    page.fill("#id_content", "群众来信反映：规划执法大队查处违建时对部分业主打招呼后未立案。")
    page.fill("#id_reporter", "李先生")
    page.select_option("#id_concerns_unit", str(bureau.a.pk))
    scan = tmp_path / "来信扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#id_files", str(scan))
    page.click("main button[type=submit]")
    assert "已登记风险信息" in page.locator(".alert-success").inner_text()
    info = RiskInformation.objects.get()
    shot(page, "1-information")

    page.click("text=发出预警")
    page.select_option("#id_method", "rectify")
    page.select_option("#id_unit", str(bureau.a.pk))
    page.select_option("#id_nature", "trend")
    page.fill("#id_reasoning", "反映具体，可信度高，责令限期整改。")
    page.fill("#id_reason", "查处违建时存在打招呼不立案的情况。")
    page.fill("#id_requirement", "逐件复核近一年违建查处案件，建立立案审批台账。")
    page.fill("#id_deadline", f"{timezone.localdate() + timezone.timedelta(days=30):%Y-%m-%d}")
    shot(page, "2-warning-form")
    page.click("main button[type=submit]")
    assert "已发出" in page.locator(".alert-success").inner_text()
    warning = RiskWarning.objects.get()
    assert warning.number.startswith("JU整改〔")
    page.click("text=整改通知书")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1, "the notice must fit one A4 page"
    page.emulate_media(media="screen")
    shot(page, "3-notice")
    page.context.clear_cookies()

    page = login(people.head_a)
    page.goto(f"{live_server.url}{warning.get_absolute_url()}")
    page.click("button:has-text('签收')")
    page.fill("#id_content", "已复核案件46件，补立案3件，建立立案审批台账。")
    evidence = tmp_path / "整改台账.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#id_files", str(evidence))
    page.click("form[action$='/report/'] button")
    assert "等待验收" in page.locator(".alert-success").inner_text()
    shot(page, "4-reported")
    page.context.clear_cookies()

    page = login(people.office)
    page.goto(f"{live_server.url}{warning.get_absolute_url()}")
    page.select_option("#id_verdict", "accepted")
    page.fill("#id_comment", "整改到位。")
    page.click("form[action$='/verify/'] button")
    assert "已验收" in page.locator(".alert-success").inner_text()
    shot(page, "5-closed")
    warning.refresh_from_db()
    info.refresh_from_db()
    assert warning.state == "closed" and info.state == "closed"
