"""Every link a signed-in user is shown leads somewhere they may go.

Starting from the home page, each persona follows every internal link it is shown (GET only,
bounded), and none may answer 404 or 500: a page, a menu or a list that offers what the user's
scope does not allow is a broken promise (a leader in charge was offered his own unit's 一览表).
"""

import re

import pytest

from controls.services import plan_save
from monitoring.services import information_record
from tests.factories import PostFactory, PowerItemFactory, RiskPointFactory

SKIP = ("/admin/", "/accounts/logout/", "/i18n/", "/static/", "/media/")
LIMIT = 400


@pytest.fixture
def bureau_with_work(people, bureau):
    post_a, post_b = PostFactory(unit=bureau.a), PostFactory(unit=bureau.b)
    power_a, power_b = PowerItemFactory(unit=bureau.a), PowerItemFactory(unit=bureau.b)
    for power, unit, post, staff, head in ((power_a, bureau.a, post_a, people.staff_a, people.head_a),
                                           (power_b, bureau.b, post_b, people.staff_b, people.head_b)):
        risk = RiskPointFactory(unit=unit, post=post, power=power, step=power.steps.first(), kind="process")
        plan_save(risk=risk, actor=staff, lock_version=risk.lock_version,
                  measures=[{"kind": "control", "content": "双人执法", "responsible": head, "supervisor": people.director,
                             "due_date": "2026-12-31"}])
    # a risk point of A that names B's power: A's staff may see the risk, not B's power
    RiskPointFactory(unit=bureau.a, post=post_a, power=power_b, step=power_b.steps.first(), kind="process")
    information_record(bureau=bureau.ju, channel="petition", content="反映问题", concerns_unit=bureau.a)
    return bureau


def crawl(client):
    seen, queue, broken = set(), ["/"], []
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (404, 500):
            broken.append((url, response.status_code))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
            queue.append(href.replace("&amp;", "&"))
    return seen, broken


@pytest.mark.parametrize("persona", ["staff_a", "head_a", "staff_b", "leader_a", "office", "director"])
def test_no_link_shown_to_a_user_leads_to_a_missing_page(people, bureau_with_work, client, persona):
    client.force_login(getattr(people, persona))
    seen, broken = crawl(client)
    assert len(seen) > 10
    assert not broken, broken
