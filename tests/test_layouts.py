"""Every page of the application that lists, shows or edits something stands on the shared
layouts (templates/layouts/list.html, detail.html, form.html), so that titles, breadcrumbs,
actions, filters, review cards and save buttons sit in one place on every page.

A page template extending ``base.html`` directly is one that bypasses them; the only ones
allowed are those named below, each with the reason it has a shape of its own. The public site
has its own frame (``public/base.html``) and is not concerned.
"""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

NOT_LIST_DETAIL_OR_FORM = {
    "403.html": "an error page",
    "404.html": "an error page",
    "registration/login.html": "the sign-in page, centred on its own background before any navigation",
    "registration/locked_out.html": "a message after too many failed sign-ins",
    "registration/password_change_done.html": "a message after a password change",
    "documents/frame_screen.html": "the frame of every print document on screen (一览表, 登记表, flowchart sheets…)",
}
REWORKED_SEPARATELY = set()

EXTENDS_BASE = re.compile(r"""\{%\s*extends\s+["']base\.html["']\s*%\}""")


def page_templates():
    """Every template of the project (the shared folder and each app's own) by its name."""
    roots = [TEMPLATES, *(p for p in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in p.parts)]
    for root in roots:
        for path in root.rglob("*.html"):
            yield path.relative_to(root).as_posix(), path


def test_every_list_detail_and_form_page_uses_a_shared_layout():
    bypassing = {name for name, path in page_templates()
                 if not name.startswith("layouts/") and EXTENDS_BASE.search(path.read_text())}
    allowed = set(NOT_LIST_DETAIL_OR_FORM) | REWORKED_SEPARATELY
    assert bypassing - allowed == set(), "extend layouts/list.html, detail.html or form.html instead of base.html"


def test_the_exceptions_name_pages_that_exist_and_still_bypass_the_layouts():
    """An exception left behind after its page moved onto a layout (or was removed) would let a
    new page of the same name slip through."""
    by_name = dict(page_templates())
    for name in [*NOT_LIST_DETAIL_OR_FORM, *REWORKED_SEPARATELY]:
        assert name in by_name, name
        assert EXTENDS_BASE.search(by_name[name].read_text()), name


def test_the_layouts_themselves_stand_on_the_base():
    for name in ("list", "detail", "form"):
        assert EXTENDS_BASE.search((TEMPLATES / "layouts" / f"{name}.html").read_text())
