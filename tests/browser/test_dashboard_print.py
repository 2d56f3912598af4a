"""The dashboard in a real browser: its panels show, and it prints on A4 landscape with nothing
cut off at the right edge."""

import subprocess

from tests.dashboards.test_dashboards import programme  # noqa: F401  (the fixture)

# A4 landscape less the print style's 10 mm margins, in CSS pixels (96 per inch).
PRINTABLE_WIDTH = round((297 - 20) / 25.4 * 96)


def test_dashboard_prints_on_a4_landscape(programme, people, login, tmp_path):  # noqa: F811
    page = login(people.office)
    for title in ("工作进度（按单位）", "风险热力图", "风险等级分布", "每月新增风险点"):
        assert page.locator(".dashboard-panel .card-header", has_text=title).is_visible()
    assert page.locator(".heatmap .heat-5").count() >= 1  # the fullest cell is coloured

    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 800})
    page.emulate_media(media="print")
    assert page.locator("nav.navbar").is_hidden() and page.locator(".pending-work").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PRINTABLE_WIDTH
    right = page.evaluate("Math.max(...[...document.querySelectorAll('.dashboard-panel')]"
                          ".map(e => e.getBoundingClientRect().right))")
    assert right <= PRINTABLE_WIDTH

    pdf = tmp_path / "dashboard.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4, landscape
