"""Seed a province's worth of data and measure the busiest pages against Django admin.

    createdb -h 127.0.0.1 -U postgres lz_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lz_bench REDIS_URL=redis://127.0.0.1:6379/0
    python manage.py migrate && python manage.py benchmark

The first run bulk-inserts a benchmark bureau (code ``BENCH``: 300,000 risk points, 6,000
powers, 121 units and a publication of all of them); later runs reuse it. The command then
starts gunicorn as in production (``config.settings.benchmark``: production settings, Redis
cache, 2 workers × 2 threads), and for each page alternates our page and Django admin's
changelist of the same rows request by request in the same window, first with one client
(pure service time), then our page alone under 8 concurrent clients. It prints one table: p50,
p95, requests per second, queries per request (counted by the server) and the ratio of our
p50 to admin's. On a shared machine absolute figures are noisy; the alternated ratio is not.
"""

import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404 # starts our own gunicorn
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from controls.services import round_open
from org.models import Post, Unit, User
from powers.models import PowerItem
from public.exposure import public_power, public_risk
from public.models import Publication, PublicationEntry
from public.selectors import current_entries_refresh
from review.choices import Status
from riskpoints.models import AssessmentRubric, RiskPoint

WORDS = "受理 审查 决定 送达 执行 立案 调查 取证 审核 告知 听证 处罚 罚款 违建 渣土 广告 占道 扣押 拆除 采购 报销 招聘".split()
BUREAU = "BENCH"


class Command(BaseCommand):
    help = "按一个省的数据量生成数据（只在第一次），以生产设置启动 gunicorn，与 Django 管理后台交替测量最繁忙的页面。"

    def add_arguments(self, parser):
        parser.add_argument("--risks", type=int, default=300_000)
        parser.add_argument("--powers", type=int, default=6_000)
        parser.add_argument("--units", type=int, default=120, help="局下的大队数（加上局共 units+1 个单位）")
        parser.add_argument("--seconds", type=float, default=6.0, help="每个页面每种负载的测量时长（秒）")
        parser.add_argument("--clients", type=int, default=8)
        parser.add_argument("--port", type=int, default=8790)
        parser.add_argument("--only", default="", help="只测标签中含此文字的页面")
        parser.add_argument("--seed-only", action="store_true", help="只生成数据，不测量")

    def handle(self, *args, risks, powers, units, seconds, clients, port, only, seed_only, **options):
        bureau = Unit.objects.filter(code=BUREAU).first()
        if bureau is None:
            started = time.perf_counter()
            bureau = self.seed(risks, powers, units)
            if connection.vendor == "postgresql":
                # Statistics of the rows as they will be read, and the visibility map that lets
                # the counts read an index alone (a server may run without autovacuum).
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            self.stdout.write(f"生成数据：{risks} 个风险点、{powers} 项职权、{units + 1} 个单位，"
                              f"用时 {time.perf_counter() - started:.0f} 秒（{connection.vendor}）")
        else:
            self.stdout.write(f"沿用已有的基准数据：{RiskPoint.objects.filter(round__bureau=bureau).count()} 个风险点")
        if not seed_only:
            Runner(self, bureau, port=port, seconds=seconds, clients=clients, only=only).run()

    # --- data -------------------------------------------------------------------------------------

    @transaction.atomic
    def seed(self, n_risks, n_powers, n_units):
        rnd = random.Random(7)  # nosec B311 # repeatable made-up data, nothing secret
        bureau = Unit.objects.create(code=BUREAU, name="基准测试市城管执法局", kind="bureau")
        Unit.objects.bulk_create([Unit(code=f"{BUREAU}-{i:03d}", name=f"第{i}执法大队", kind="brigade", parent=bureau, order=i)
                                  for i in range(n_units)])
        brigades = list(Unit.objects.filter(parent=bureau).order_by("order"))
        posts = Post.objects.bulk_create([Post(unit=u, name=n, tier="key") for u in brigades for n in ("大队长", "执法队员")])
        office = User.objects.create(username="bench_office", real_name="基准防控办", unit=bureau)
        office.groups.set([Group.objects.get(name="office")])
        staff = User.objects.create(username="bench_staff", real_name="基准队员", unit=brigades[0])
        staff.groups.set([Group.objects.get(name="staff")])
        User.objects.create(username="bench_admin", real_name="基准管理员", unit=bureau, is_staff=True, is_superuser=True)
        power_rows = PowerItem.objects.bulk_create([
            PowerItem(code=f"BP-{i:06d}", category="penalty", name=f"对{rnd.choice(WORDS)}{rnd.choice(WORDS)}行为的处罚{i}",
                      content="依法处罚。", unit=brigades[i % n_units], status=Status.PUBLISHED) for i in range(n_powers)
        ], batch_size=2000)
        round_ = round_open(actor=office, year=timezone.localdate().year)[0]
        rubric = AssessmentRubric()  # the default rule, as a new bureau has it
        batch = []
        for i in range(n_risks):
            unit_index = i % n_units
            f = [rnd.randint(1, 3) for _ in range(4)]
            level = rubric.suggest(*f)
            batch.append(RiskPoint(
                round=round_, code=f"BR-{i:07d}", unit=brigades[unit_index], post=posts[2 * unit_index + (i % 2)],
                power=power_rows[i % n_powers], kind="process", finding_level="post", found_by="self",
                title=f"{rnd.choice(WORDS)}{rnd.choice(WORDS)}环节风险{i}", description="表现形式描述。",
                importance=f[0], discretion=f[1], probability=f[2], harm=f[3], suggested_level=level, level=level,
                status=rnd.choice([Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED]),
            ))
            if len(batch) == 5000:
                RiskPoint.objects.bulk_create(batch)
                batch = []
        RiskPoint.objects.bulk_create(batch)
        # A current publication holding every power and risk point of the bureau.
        pub = Publication.objects.create(bureau=bureau, title="基准公示", starts_on=timezone.localdate(),
                                         state="published", published_at=timezone.now(), created_by=office)
        PublicationEntry.objects.bulk_create([
            PublicationEntry(publication=pub, kind="power", code=p.code, unit_id=p.unit_id, category=p.category,
                             title=p.name, search_text=p.name, revision=1,
                             data=public_power({"code": p.code, "category": p.category, "category_label": "行政处罚",
                                                "name": p.name, "sub_item": "", "content": p.content,
                                                "has_discretion": True, "unit": {"name": "大队"}}))
            for p in power_rows], batch_size=5000)
        for start in range(0, n_risks, 20_000):
            rows = RiskPoint.objects.filter(round=round_).order_by("pk")[start:start + 20_000].values(
                "code", "unit_id", "level", "title")
            PublicationEntry.objects.bulk_create([
                PublicationEntry(publication=pub, kind="risk", code=r["code"], unit_id=r["unit_id"], level=r["level"],
                                 title=r["title"], search_text=r["title"], revision=1,
                                 data=public_risk({"code": r["code"], "year": round_.year, "title": r["title"],
                                                   "description": "表现形式描述。", "kind": "业务流程", "level": r["level"],
                                                   "level_label": "", "finding_level": "岗位", "unit": {"name": "大队"},
                                                   "plan": {"measures": [{"kind_label": "控权", "content": "双人执法", "due_date": ""}]}}))
                for r in rows
            ], batch_size=5000)
        current_entries_refresh()  # flags every entry current, as the first public read would
        return bureau


# --- measurement ------------------------------------------------------------------------------

def api_cursor(bureau, depth):
    """The public API's cursor for the page that starts ``depth`` of the way into the current risk
    entries (the cursor a client following ``next`` would hold there)."""
    from rest_framework.pagination import Cursor, CursorPagination

    from api.selectors import public_items
    from public.models import EntryKind

    entries = public_items(EntryKind.RISK).filter(unit__in=Unit.objects.filter(code__startswith=bureau.code))
    code = entries.order_by("code").values_list("code", flat=True)[int(depth * entries.count())]
    pagination = CursorPagination()
    pagination.base_url = "/"
    url = pagination.encode_cursor(Cursor(offset=0, reverse=False, position=code))
    return url.split("cursor=", 1)[1]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


class Runner:
    """Serves the configured database with gunicorn and drives it with a small bounded client."""

    def __init__(self, command, bureau, *, port, seconds, clients, only):
        self.out, self.bureau, self.port, self.seconds, self.clients, self.only = command.stdout, bureau, port, seconds, clients, only
        self.secret = secrets.token_urlsafe(50)

    def session_cookie(self, username):
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        from django.test.utils import override_settings

        user = User.objects.get(username=username)
        with override_settings(SECRET_KEY=self.secret):  # signed with the server's key
            store = SessionStore()
            store.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                          HASH_SESSION_KEY: user.get_session_auth_hash()})
            store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    def pages(self):
        """(label, our path, admin's path for the same rows, who asks, cache-busting)."""
        risks = RiskPoint.objects.filter(round__bureau=self.bureau)
        unit = Unit.objects.filter(parent=self.bureau).order_by("order").first()
        per = settings.PAGINATE_BY
        deep = 4000
        last = (risks.count() + per - 1) // per
        deep_code = risks.order_by("code").values_list("code", flat=True)[(deep - 1) * per - 1]
        some = risks.order_by("pk").first()
        a = "/bench-admin/riskpoints/riskpoint/"
        deep_cursor, deep_admin = api_cursor(self.bureau, 0.9), int(0.9 * risks.count() / 100)
        pa = "/bench-admin/public/publicationentry/?kind__exact=risk"
        return [
            ("home: dashboard and 待我处理, office (bureau-wide), figures kept", "/", a, "office", False),
            ("home: dashboard and 待我处理, office, counted afresh", "/?refresh=1", a, "office", False),
            ("register, first page, office (bureau-wide)", "/risks/", a, "office", False),
            ("register, level 一级", "/risks/?level=1", f"{a}?level__exact=1", "office", False),
            ("register, keyword 送达", "/risks/?q=送达", f"{a}?q=送达", "office", False),
            (f"register, page {deep} (same offset as admin)", f"/risks/?after={deep_code}", f"{a}?p={deep}", "office", False),
            ("register, last page", "/risks/?before=", f"{a}?p={last}", "office", False),
            ("register, a staff member", "/risks/", f"{a}?unit__id__exact={unit.pk}", "staff", False),
            ("risk point", f"/risks/{some.pk}/", f"{a}{some.pk}/change/", "office", False),
            ("power list, office", "/powers/", "/bench-admin/powers/poweritem/", "office", False),
            ("一览表, a unit with 2,500 risk points", f"/risks/table/{unit.pk}/", f"{a}?unit__id__exact={unit.pk}", "office", False),
            ("public risk catalogue, uncached page", "/public/risks/", pa, "anonymous", True),
            ("public risk catalogue, keyword 送达, uncached", "/public/risks/?q=送达", f"{pa}&q=送达", "anonymous", True),
            ("public home, cached", "/public/", pa, "anonymous", False),
            ("API risks, 200 a page", "/api/v1/risks/?page_size=200", pa, "anonymous", False),
            ("API risks, 200 a page at 90% depth", f"/api/v1/risks/?page_size=200&cursor={deep_cursor}", f"{pa}&p={deep_admin}",
             "anonymous", False),
            ("API risks, keyword 送达", "/api/v1/risks/?q=送达", f"{pa}&q=送达", "anonymous", False),
            ("API powers, 50 a page", "/api/v1/powers/", "/bench-admin/public/publicationentry/?kind__exact=power",
             "anonymous", False),
        ]

    def run(self):
        from django.core.cache import cache

        cookies = {"office": self.session_cookie("bench_office"), "staff": self.session_cookie("bench_staff"),
                   "anonymous": "", "admin": self.session_cookie("bench_admin")}
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that the server below is stopped too
        current_entries_refresh()  # the seed wrote its publication directly, not through the services
        server = self.start_server()
        try:
            self.out.write(f"gunicorn 2 workers × 2 threads, {connection.vendor}, Redis cache; "
                           f"{self.seconds:.0f} s per page per load, alternated with admin (1 client), then {self.clients} clients\n")
            self.out.write("| page | queries (ours / admin) | 1 client p50 / p95, ours vs admin | ratio | "
                           f"{self.clients} clients p50 / p95, ours | {self.clients} clients req/s |\n| --- | --- | --- | --- | --- | --- |")
            for label, ours, theirs, who, uncached in self.pages():
                if self.only and self.only not in label:
                    continue
                bust = cache.clear if uncached else None
                mine, admin = self.alternate(ours, cookies[who], theirs, cookies["admin"], bust)
                loaded, rate = self.load(ours, cookies[who], uncached)
                ratio = statistics.median(mine[0]) / statistics.median(admin[0])
                self.out.write(
                    f"| {label} | {mine[1]} / {admin[1]} | {statistics.median(mine[0]):.0f} / {percentile(mine[0], 95):.0f} ms vs "
                    f"{statistics.median(admin[0]):.0f} / {percentile(admin[0], 95):.0f} | {ratio:.2f} | "
                    f"{statistics.median(loaded):.0f} / {percentile(loaded, 95):.0f} ms | {rate:.1f} |")
                self.out.flush()
        finally:
            server.terminate()
            server.wait(timeout=20)
            shutil.rmtree(self.static, ignore_errors=True)

    def start_server(self):
        static = self.static = Path(tempfile.mkdtemp(prefix="lz-bench-static-"))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.benchmark", "DEBUG": "false",
               "SECRET_KEY": self.secret, "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": "http://127.0.0.1",
               "EMAIL_URL": "consolemail://", "SECURE_SSL_REDIRECT": "false", "STATIC_ROOT": str(static)}
        if not env.get("REDIS_URL"):
            raise SystemExit("请设置 REDIS_URL：基准测试与生产环境一样使用 Redis 缓存。")
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True,
                       cwd=settings.BASE_DIR)  # nosec B603 # our own command
        server = subprocess.Popen(  # nosec B603 # our own server on a loopback port
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "--threads", "2", "-b", f"127.0.0.1:{self.port}",
             "--no-control-socket", "--log-level", "warning", "--timeout", "120"], env=env, cwd=settings.BASE_DIR)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        return server

    def fetch(self, conn, path, cookie):
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}
        if cookie:
            headers["Cookie"] = cookie
        from urllib.parse import quote

        t = time.perf_counter()
        conn.request("GET", quote(path, safe="/?=&:%"), headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - t) * 1000
        if response.status != 200:
            raise SystemExit(f"{path} 返回 {response.status}")
        return elapsed, int(response.getheader("X-Queries", "0"))

    def connection(self):
        return HTTPConnection("127.0.0.1", self.port, timeout=120)

    def alternate(self, ours, cookie, theirs, admin_cookie, bust):
        """One client: our page, then admin's, then ours … for the time given (warm-up excluded)."""
        conn = self.connection()
        for path, c in ((ours, cookie), (theirs, admin_cookie)) * 2:
            self.fetch(conn, path, c)
        mine, admin, end = [[], 0], [[], 0], time.perf_counter() + self.seconds
        while time.perf_counter() < end or len(mine[0]) < 5:
            for path, c, into in ((ours, cookie, mine), (theirs, admin_cookie, admin)):
                if bust:
                    bust()
                elapsed, into[1] = self.fetch(conn, path, c)
                into[0].append(elapsed)
        conn.close()
        return mine, admin

    def load(self, path, cookie, uncached):
        """``clients`` concurrent clients on our page; uncached pages ask for fresh page numbers."""
        times, lock, end = [], threading.Lock(), time.perf_counter() + self.seconds
        counter = iter(range(10**9))

        def client():
            conn = self.connection()
            while time.perf_counter() < end:
                url = path
                if uncached:
                    with lock:
                        n = next(counter)
                    url = f"{path}{'&' if '?' in path else '?'}page={n % 5000 + 2}"
                elapsed, _ = self.fetch(conn, url, cookie)
                with lock:
                    times.append(elapsed)
            conn.close()

        threads = [threading.Thread(target=client) for _ in range(self.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return times, len(times) / (time.perf_counter() - started)
