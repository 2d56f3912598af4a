"""A researcher, offline from the internet, reads the API documentation and downloads a
publication's CSV from the public site."""

import csv
import io

import pytest

from tests.factories import PowerItemFactory
from tests.public.test_public import publish, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_render_offline_and_the_csv_download_reads_back_in_chinese(people, bureau, live_server, browser):
    walk(PowerItemFactory(unit=bureau.a, name="对擅自设置大型户外广告的处罚"), people)
    pub = publish(people)  # committed: the downloads are built as the release commits (eager here)
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    outside, problems = [], []

    def only_this_site(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:  # the intranet has no internet: anything else would fail there
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_site)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/public/")
    page.click(".current-publications a")
    assert bureau.ju.name in page.locator(".publication-units").inner_text()
    with page.expect_download() as info:
        page.click(".publication-downloads >> text=CSV（职权）")
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8-sig").read())))
    assert rows[0]["职权名称"] == "对擅自设置大型户外广告的处罚"
    page.click(".publication-downloads >> text=接口说明")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/powers/" in paths and "/api/internal/v1/risks/" in paths
    assert outside == [] and problems == []
    context.close()
