"""Production as it runs: collected static files, gunicorn, DEBUG off, the security headers.

The server test collects the static files into a temporary directory by the Dockerfile's own
collectstatic step (the manifest storage, production settings), migrates a temporary SQLite database and starts gunicorn on a free port of 127.0.0.1 with the
production settings, then fetches pages over HTTP. Nothing of the test process's own settings
reaches that server: it sees only the environment a deployment would give it.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
HASHED_CSS = re.compile(r'/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css')
HASHED_JS = re.compile(r'/static/js/app\.[0-9a-f]{12}\.js')


# -- static files -------------------------------------------------------------------------------

def test_every_source_map_a_vendored_file_names_is_vendored():
    # The manifest storage refuses a file whose sourceMappingURL names a missing map.
    missing = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for name in re.findall(r"sourceMappingURL=([^\s*]+)", path.read_text(errors="replace")):
            if not (path.parent / name).is_file():
                missing.append(f"{path.relative_to(ROOT)} → {name}")
    assert not missing, missing


# -- no inline scripts --------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


def template_files():
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html"))


def test_no_template_has_an_inline_script_or_handler():
    # The Content-Security-Policy allows scripts from this site only: an inline <script>, an
    # on…= attribute or a javascript: link would silently stop working.
    offenders = []
    for path in template_files():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, HANDLER_ATTRIBUTE, re.compile(r"javascript:", re.I)):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert template_files() and not offenders, offenders


def test_pages_carry_a_content_security_policy_without_inline_scripts(db, client):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["style-src"]
    assert client.get("/public/").headers["Content-Security-Policy"] == policy


def test_health_check_answers_whatever_host_a_probe_names(db, client, settings):
    # A load balancer or the container's health check probes by address; other pages still
    # refuse a host that is not allowed.
    settings.ALLOWED_HOSTS = ["lianzheng.example.gov.cn"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


# -- the production server ----------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_redis_url():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true 但 Redis（{url}）没有响应：生产环境启动测试不得跳过。")
        pytest.skip(f"Redis（{url}）没有响应，跳过生产环境启动测试（CI 中不会跳过）。")
    return url


def production_env(tmp, port):
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        # No DJANGO_SETTINGS_MODULE: config.wsgi must choose production on its own.
        SECRET_KEY="gunicorn-smoke-test-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        REDIS_URL=server_redis_url(),
        SITE_URL=f"http://127.0.0.1:{port}",
        EMAIL_URL="consolemail://",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
    )
    return env


def dockerfile_collectstatic(static_root):
    # The image's step as written (Docker itself does not run here), with this interpreter.
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    step = re.search(r"^RUN (DJANGO_SETTINGS_MODULE=config\.settings\.production .*?collectstatic --noinput)$", dockerfile, re.M)
    assert step, "the Dockerfile collects static files under the production settings"
    command = step.group(1).replace(" python manage.py", f" {sys.executable} manage.py")
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    result = subprocess.run(["sh", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**env, "STATIC_ROOT": str(static_root)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (static_root / "staticfiles.json").is_file()


class Server:
    def __init__(self, port):
        self.port = port

    def get(self, path, host=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            conn.request("GET", path, headers={"Host": host or f"127.0.0.1:{self.port}", "Accept-Language": "zh-hans"})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            conn.close()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    port = free_port()
    env = production_env(tmp, port)
    started = time.monotonic()
    # The two steps are independent: migrate in the background while the static files collect.
    migrate = subprocess.Popen([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"})
    dockerfile_collectstatic(tmp / "static")
    output, _ = migrate.communicate(timeout=300)
    assert migrate.returncode == 0, output
    prepared = time.monotonic()
    log = open(tmp / "gunicorn.log", "w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--no-control-socket", "--access-logfile", "-", "--error-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    server = Server(port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if server.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail("gunicorn 没有启动：\n" + log.read())
            time.sleep(0.1)
        print(f"\ncollectstatic + migrate {prepared - started:.1f} s; gunicorn answered /healthz "
              f"{time.monotonic() - prepared:.1f} s after start")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_production_server_answers_health_check(production_server):
    status, headers, body = production_server.get("/healthz")
    assert status == 200 and '"database": "ok"' in body and '"redis": "ok"' in body
    # …also when probed by an address that ALLOWED_HOSTS does not list.
    assert production_server.get("/healthz", host="10.0.0.7:8000")[0] == 200


def test_production_server_serves_the_login_page_with_hashed_static_files(production_server):
    status, headers, body = production_server.get("/accounts/login/")
    assert status == 200, body
    assert "登录" in body
    css, js = HASHED_CSS.search(body), HASHED_JS.search(body)
    assert css and js, "static URLs are not the manifest's hashed names"
    assert "Content-Security-Policy" in headers and headers["X-Frame-Options"] == "DENY"
    status, headers, _ = production_server.get(css.group(0))
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers.get("Cache-Control", "")
    assert production_server.get(js.group(0))[0] == 200


def test_production_server_serves_the_public_site(production_server):
    status, headers, body = production_server.get("/public/")
    assert status == 200, body
    assert HASHED_CSS.search(body) or re.search(r"/static/css/public\.[0-9a-f]{12}\.css", body)


def test_production_server_refuses_unknown_hosts_and_shows_chinese_404(production_server):
    assert production_server.get("/accounts/login/", host="evil.example.com")[0] == 400
    status, _, body = production_server.get("/public/no-such-page/")
    assert status == 404 and "Traceback" not in body
    # The site logs in everywhere but the public pages and the health check.
    assert production_server.get("/powers/")[0] == 302
