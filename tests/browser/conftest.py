import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the test still touches the
# database directly, which Django would otherwise refuse from an async context.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail("找不到 Chromium：请运行 scripts/install-system-deps.sh")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The browser of a civil servant here asks for Chinese; the app follows the browser.
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def login(page, live_server):
    def as_user(user, password="browser-pass-123"):
        user.set_password(password)
        user.save()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return as_user
