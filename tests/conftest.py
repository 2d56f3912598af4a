import os
from types import SimpleNamespace

import pytest
from django.conf import settings

from tests.factories import PowerItemFactory, UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached pages and layouts of one test must not answer for another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def site_language():
    """A request in English leaves its language active on the thread; every test starts in the site's own."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def bureau(db):
    """A small bureau: unit A (a brigade with a squad), unit B, and the office's unit."""
    ju = UnitFactory(code="JU", name="测试市城管执法局", kind="bureau")
    a = UnitFactory(code="A", name="规划执法大队", kind="brigade", parent=ju)
    a_squad = UnitFactory(code="A1", name="规划一中队", kind="squad", parent=a)
    b = UnitFactory(code="B", name="东城区执法大队", kind="brigade", parent=ju)
    fkb = UnitFactory(code="FKB", name="防控办", kind="section", parent=ju)
    return SimpleNamespace(ju=ju, a=a, a_squad=a_squad, b=b, fkb=fkb)


@pytest.fixture
def people(bureau):
    """The personas: staff and heads of A and B, A's leader in charge, the office, leadership."""
    u = UserFactory
    return SimpleNamespace(
        staff_a=u(username="staff_a", unit=bureau.a, roles=["staff"]),
        staff_a2=u(username="staff_a2", unit=bureau.a, roles=["staff"]),
        squad_staff=u(username="squad_staff", unit=bureau.a_squad, roles=["staff"]),
        head_a=u(username="head_a", unit=bureau.a, roles=["unit_head", "staff"]),
        staff_b=u(username="staff_b", unit=bureau.b, roles=["staff"]),
        head_b=u(username="head_b", unit=bureau.b, roles=["unit_head", "staff"]),
        leader_a=u(username="leader_a", unit=bureau.ju, roles=["leader"], oversees=[bureau.a]),
        leader_b=u(username="leader_b", unit=bureau.ju, roles=["leader"], oversees=[bureau.b]),
        office=u(username="office", unit=bureau.fkb, roles=["office", "staff"]),
        director=u(username="director", unit=bureau.ju, roles=["leadership"]),
        nobody=u(username="nobody", unit=bureau.a, roles=[]),
    )


@pytest.fixture
def open_year(bureau):
    """This year's round of the bureau, opened as the office would: registering needs it."""
    from tests.factories import RoundFactory

    return RoundFactory(bureau=bureau.ju)


@pytest.fixture
def power_a(bureau):
    return PowerItemFactory(unit=bureau.a, name="对未取得建设工程规划许可证进行建设的处罚")


@pytest.fixture
def power_b(bureau):
    return PowerItemFactory(unit=bureau.b, name="对擅自占用城市道路的处罚")


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona (Django's session, not the login form)."""
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def redis_url():
    """The Redis of the environment; without it the test is skipped, except under CI."""
    url = settings.REDIS_URL or os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true 但未设置 REDIS_URL：真实 Celery worker 测试不得跳过。")
        pytest.skip("未设置 REDIS_URL，跳过真实 Celery worker 测试（CI 中不会跳过）。")
    return url


@pytest.fixture
def real_worker(redis_url):
    """A Celery worker thread on the Redis of REDIS_URL, with eager mode off while it runs."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.update(saved)
