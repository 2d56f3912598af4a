"""The project's wiring: health check, production settings, compose file, login protection."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_200_when_database_answers(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_answers_503_when_redis_does_not(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["redis"].startswith("error")


def run_manage(*args, **env):
    # A clean environment, as a deployment would have: nothing of the test process leaks in.
    full_env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)


PRODUCTION = dict(
    DJANGO_SETTINGS_MODULE="config.settings.production",
    SECRET_KEY="p" * 20 + "roduction-secret-key-for-the-deploy-check-0123456789",
    ALLOWED_HOSTS="lianzheng.example.gov.cn", DATABASE_URL="sqlite:///:memory:",
)


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_fails_closed_without_required_settings(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert ("ImproperlyConfigured" in result.stderr) or (missing in result.stderr)


def test_production_refuses_debug():
    result = run_manage("check", DEBUG="true", **PRODUCTION)
    assert result.returncode != 0 and "DEBUG" in result.stderr


def test_compose_file_runs_every_part_with_the_settings_the_app_reads():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"web", "worker", "beat", "db", "redis"}
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        for key in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
            assert key in env, (name, key)
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert "@db:5432/" in env["DATABASE_URL"]
    assert "gunicorn config.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]


def test_login_is_locked_after_repeated_failures(people, client):
    people.staff_a.set_password("right-password-123")
    people.staff_a.save()
    for _ in range(5):
        client.post(reverse("login"), {"username": "staff_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "staff_a", "password": "right-password-123"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_right_password_works(people, client):
    people.staff_a.set_password("right-password-123")
    people.staff_a.save()
    response = client.post(reverse("login"), {"username": "staff_a", "password": "right-password-123"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(people.staff_a.pk)


def test_refusals_explain_themselves_in_chinese(people, client_for):
    response = client_for(people.staff_a).get(reverse("monitoring:info_list"))
    html = response.content.decode()
    assert response.status_code == 403 and "您没有权限执行此操作" in html and "只有防控办和局领导可以查看" in html
    response = client_for(people.staff_a).get("/powers/999999/")
    assert response.status_code == 404 and "不在您可以查看的范围内" in response.content.decode()
