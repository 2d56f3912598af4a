"""Take screenshots of a running instance with headless Chromium, to look at pages as a user.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 out/ \
        office:/ office:/powers/ ghdd_head:/powers/5/ -:/public/ --width 390

Each shot is USER:PATH (USER "anon" for no login; demo password). Files are named after the path.
"""

import argparse
import re
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("shots", nargs="+")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--password", default="demo12345")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        for shot in args.shots:
            user, path = shot.split(":", 1)
            context = browser.new_context(viewport={"width": args.width, "height": 900}, locale="zh-CN")
            page = context.new_page()
            if user != "anon":
                page.goto(f"{args.base}/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", args.password)
                page.click("main button[type=submit]")
                page.wait_for_load_state()
            page.goto(f"{args.base}{path}")
            name = f"{user}_{re.sub(r'[^A-Za-z0-9]+', '_', path).strip('_') or 'home'}_{args.width}.png"
            page.screenshot(path=str(out / name), full_page=True)
            print(out / name)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
