"""The project's wiring: health check, production settings, compose file, login protection."""

import os
import re
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
    REDIS_URL="redis://127.0.0.1:6379/5", SITE_URL="https://lianzheng.example.gov.cn", EMAIL_URL="consolemail://",
)


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "SITE_URL", "EMAIL_URL"])
@pytest.mark.parametrize("how", ["unset", "empty"])
def test_production_fails_closed_without_required_settings(missing, how):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    if how == "empty":
        env[missing] = ""
    result = run_manage("check", **env)
    assert result.returncode != 0
    # Says in Chinese what to set, not a traceback from deep inside a library.
    assert f"ImproperlyConfigured: 生产环境必须设置 {missing}" in result.stderr, result.stderr


def test_production_refuses_a_site_url_without_scheme():
    result = run_manage("check", **{**PRODUCTION, "SITE_URL": "lianzheng.example.gov.cn"})
    assert result.returncode != 0 and "SITE_URL 必须以 https:// 或 http:// 开头" in result.stderr


def run_python(code, **env):
    full_env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    full_env.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("module", ["config.wsgi", "config.celery"])
def test_servers_and_workers_default_to_production_settings(module):
    # A gunicorn or Celery started without DJANGO_SETTINGS_MODULE must not come up with the
    # developer's defaults (DEBUG on, a known key): it uses production, which fails closed…
    result = run_python(f"import {module}, django; django.setup()")
    assert result.returncode != 0 and "生产环境必须设置" in result.stderr, result.stderr
    # …and runs when the deployment's settings are there.
    result = run_python(f"import {module}, django; django.setup(); from django.conf import settings; "
                        "print(settings.SETTINGS_MODULE, settings.DEBUG)", **{k: v for k, v in PRODUCTION.items() if k != "DJANGO_SETTINGS_MODULE"})
    assert result.stdout.split() == ["config.settings.production", "False"], result.stderr


def test_make_run_chooses_the_local_settings_explicitly():
    result = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    commands = [line for line in result.stdout.splitlines() if "manage.py" in line]
    assert commands and all("DJANGO_SETTINGS_MODULE=config.settings.local" in line for line in commands), result.stdout


SETTINGS_PROBE = ("import django, json; django.setup(); from django.conf import settings; "
                  "from django.core.files.storage import storages; s = storages['default']; "
                  "print(json.dumps([settings.SESSION_ENGINE, type(s).__module__ + '.' + type(s).__name__, "
                  "getattr(s, 'bucket_name', None), getattr(s, 'endpoint_url', None), getattr(s, 'location', None), "
                  "getattr(s, 'default_acl', 'n/a'), getattr(s, 'querystring_auth', None)]))")


def test_uploads_stay_on_local_disk_unless_a_bucket_is_configured():
    import json

    result = run_python(SETTINGS_PROBE, **PRODUCTION)
    engine, backend, *_ = json.loads(result.stdout)
    assert backend == "django.core.files.storage.filesystem.FileSystemStorage", result.stderr
    # Production always has Redis: any web node serves any session.
    assert engine == "django.contrib.sessions.backends.cached_db"


def test_uploads_go_to_the_s3_compatible_store_when_a_bucket_is_configured():
    import json

    result = run_python(SETTINGS_PROBE, **PRODUCTION, AWS_STORAGE_BUCKET_NAME="lianzheng-uploads",
                        AWS_S3_ENDPOINT_URL="http://minio:9000", AWS_ACCESS_KEY_ID="lz", AWS_SECRET_ACCESS_KEY="secret")
    _, backend, bucket, endpoint, location, acl, signed = json.loads(result.stdout)
    assert backend == "storages.backends.s3.S3Storage", result.stderr
    assert (bucket, endpoint, location) == ("lianzheng-uploads", "http://minio:9000", "media")
    # Private objects, fetched through the permission-checked download views.
    assert acl is None and signed is True


def test_sessions_stay_in_the_database_without_redis():
    result = run_python("import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)",
                        DJANGO_SETTINGS_MODULE="config.settings.local")
    assert result.stdout.strip() == "django.contrib.sessions.backends.db", result.stderr


def test_production_refuses_debug():
    result = run_manage("check", DEBUG="true", **PRODUCTION)
    assert result.returncode != 0 and "DEBUG" in result.stderr


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_follows_the_compose_specification():
    # No Docker engine here: the published schema (tests/data/compose-spec/) stands in for
    # `docker compose config`.
    import json

    import jsonschema

    schema = json.loads((ROOT / "tests/data/compose-spec/compose-spec.json").read_text())
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(load_compose())


def settings_the_app_reads():
    names = set()
    for path in (ROOT / "config/settings").glob("*.py"):
        names |= set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""", path.read_text()))
    return names


APP_SERVICES = ("migrate", "web", "worker", "beat")
REQUIRED_IN_PRODUCTION = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "SITE_URL", "EMAIL_URL"}


def test_compose_file_runs_every_part_with_the_settings_the_app_reads():
    compose = load_compose()
    services = compose["services"]
    assert set(services) >= {"migrate", "web", "worker", "beat", "db", "redis"}
    read = settings_the_app_reads()
    assert REQUIRED_IN_PRODUCTION <= read and "AWS_STORAGE_BUCKET_NAME" in read
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert REQUIRED_IN_PRODUCTION <= set(env), (name, REQUIRED_IN_PRODUCTION - set(env))
        # Nothing set that no setting reads (a misspelt name would be silently ignored).
        assert set(env) - {"DJANGO_SETTINGS_MODULE"} <= read, (name, set(env) - read)
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert "@db:5432/lianzheng" in env["DATABASE_URL"]
        # Secrets and the site's identity have no default: compose refuses to start without them.
        for key in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_URL"):
            assert re.fullmatch(r"\$\{%s:\?[^}]+\}" % key, env[key]), (name, key, env[key])
    db_env = services["db"]["environment"]
    assert services["web"]["environment"]["DATABASE_URL"] == (
        f"postgres://{db_env['POSTGRES_USER']}:{db_env['POSTGRES_PASSWORD']}@db:5432/{db_env['POSTGRES_DB']}")
    assert services["migrate"]["command"] == "python manage.py migrate --noinput"
    assert services["web"]["command"].startswith("gunicorn config.wsgi --bind 0.0.0.0:8000 ")
    assert "--no-control-socket" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]
    # The health check asks the port gunicorn binds, on the path that answers any Host.
    assert "http://127.0.0.1:8000/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert (ROOT / "config/wsgi.py").is_file() and (ROOT / "config/celery.py").is_file()


def test_compose_starts_web_worker_and_beat_only_after_the_migrations():
    services = load_compose()["services"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["db"]["condition"] == depends["redis"]["condition"] == "service_healthy"
        assert "migrate" not in services[name]["command"], name
    for name in ("web", "worker", "beat", "db", "redis"):
        assert services[name]["restart"] == "unless-stopped", name


def interpolate(value, given):
    # Compose's ${VAR}, ${VAR:-default} and ${VAR:?message}, enough for this file.
    def one(match):
        name, op, rest = match.group(1), match.group(2), match.group(3)
        if given.get(name):
            return given[name]
        assert op != ":?", f"{name} is required"
        return rest or ""
    return re.sub(r"\$\{(\w+)(:[-?])?([^}]*)\}", one, value)


def test_compose_environment_starts_the_production_settings():
    env = load_compose()["services"]["web"]["environment"]
    given = {"SECRET_KEY": "compose-" + "s" * 50, "ALLOWED_HOSTS": "lianzheng.example.gov.cn",
             "SITE_URL": "https://lianzheng.example.gov.cn", "EMAIL_URL": "smtp+tls://lz:pw@mail.example.gov.cn:587",
             "POSTGRES_PASSWORD": "pw"}
    resolved = {k: interpolate(str(v), given) for k, v in env.items()}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **resolved)
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_runs_as_an_unprivileged_user_and_leaves_local_files_out():
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0"), users
    assert dockerfile.index("USER ") < dockerfile.index("CMD ")
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "db.sqlite3", "media", "staticfiles", "**/__pycache__", ".env"} <= set(ignored)
    # Its collectstatic step runs, as written, in tests/test_production.py.


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
    assert response.status_code == 403 and "您没有权限执行此操作" in html and "可以查看廉政风险信息" in html
    response = client_for(people.staff_a).get("/powers/999999/")
    assert response.status_code == 404 and "不在您可以查看的范围内" in response.content.decode()


# -- the system-package script and the Makefile (issue 17) ------------------------------------

def fake_python(tmp_path, body):
    path = tmp_path / "python3"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def system_deps(python, *args):
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(PYTHON=str(python), SYSTEM_DEPS_DRY_RUN="1")
    return subprocess.run(["bash", "scripts/install-system-deps.sh", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_system_deps_install_the_venv_module_when_the_interpreter_lacks_it(tmp_path):
    # Debian and Ubuntu without python3.X-venv: `import ensurepip` fails, everything else works.
    python = fake_python(tmp_path, f"""[ "$2" = 'import ensurepip, venv' ] && {{ echo "No module named 'ensurepip'" >&2; exit 1; }}
exec {sys.executable} "$@"
""")
    result = system_deps(python, "python")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"将安装：python{sys.version_info.major}.{sys.version_info.minor}-venv"


def test_system_deps_install_nothing_for_an_interpreter_with_venv():
    result = system_deps(sys.executable, "python")
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_system_deps_refuse_an_interpreter_older_than_3_11(tmp_path):
    python = fake_python(tmp_path, """case "$2" in
  *'< (3, 11)'*) exit 1 ;;
  *version_info*) echo 3.9 ;;
esac
""")
    result = system_deps(python, "python")
    assert result.returncode == 1 and result.stdout == ""
    assert "需要 Python 3.11 或更高版本" in result.stderr and "Python 3.9" in result.stderr


def test_system_deps_name_a_missing_interpreter(tmp_path):
    result = system_deps(tmp_path / "no-such-python", "python")
    assert result.returncode == 1 and "找不到 Python 解释器" in result.stderr


def test_make_checks_the_interpreter_before_making_the_virtual_environment(tmp_path):
    venv = tmp_path / "venv"
    result = subprocess.run(["make", "-n", f"VENV={venv}", f"{venv}/bin/python"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    lines = result.stdout.splitlines()
    check = next(i for i, line in enumerate(lines) if "install-system-deps.sh python" in line)
    create = next(i for i, line in enumerate(lines) if "-m venv" in line)
    assert check < create, result.stdout
