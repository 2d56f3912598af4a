"""Seed a province's worth of data into the configured database and time the busiest pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lz_bench python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lz_bench python manage.py benchmark --risks 300000

Rows are bulk-inserted under a separate benchmark bureau (code BENCH…), pages are fetched
through Django's test client as that bureau's risk-control office, and each line prints the
median time of several requests and the number of SQL queries. Use a scratch database: the
data stays unless --cleanup is given.
"""

import random
import statistics
import time

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from controls.services import round_open
from org.models import Post, Unit, User
from powers.flowchart import render_flow_svg
from powers.models import FlowEdge, FlowStep, PowerItem, flow_data
from public.exposure import public_power, public_risk
from public.models import Publication, PublicationEntry
from review.choices import Status
from riskpoints.models import AssessmentRubric, RiskPoint

WORDS = "受理 审查 决定 送达 执行 立案 调查 取证 审核 告知 听证 处罚 罚款 违建 渣土 广告 占道 扣押 拆除 采购 报销 招聘".split()


class Command(BaseCommand):
    help = "按一个省的数据量生成数据，并测量最繁忙页面的响应时间和查询次数。"

    def add_arguments(self, parser):
        parser.add_argument("--risks", type=int, default=300_000)
        parser.add_argument("--powers", type=int, default=6_000)
        parser.add_argument("--units", type=int, default=120)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--cleanup", action="store_true", help="删除本次生成的数据")

    def handle(self, *args, risks, powers, units, repeat, cleanup, **options):
        started = time.perf_counter()
        bureau, office = self.seed(risks, powers, units)
        self.stdout.write(f"生成数据：{risks} 个风险点、{powers} 项职权、{units} 个单位，用时 {time.perf_counter() - started:.1f} 秒"
                          f"（{connection.vendor}）")
        self.measure(bureau, office, repeat)
        if cleanup:
            self.cleanup(bureau)

    # --- data -------------------------------------------------------------------------------------

    @transaction.atomic
    def seed(self, n_risks, n_powers, n_units):
        rnd = random.Random(7)  # nosec B311 # repeatable made-up data, nothing secret
        stamp = timezone.now().strftime("%H%M%S")
        bureau = Unit.objects.create(code=f"BENCH{stamp}", name="基准测试市城管执法局", kind="bureau")
        brigades = [Unit(code=f"B{stamp}-{i:03d}", name=f"第{i}执法大队", kind="brigade", parent=bureau, order=i)
                    for i in range(n_units)]
        Unit.objects.bulk_create(brigades)
        brigades = list(Unit.objects.filter(parent=bureau))
        posts = Post.objects.bulk_create([Post(unit=u, name=n, tier="key") for u in brigades for n in ("大队长", "执法队员")])
        office = User.objects.create(username=f"bench_office_{stamp}", real_name="基准防控办", unit=bureau)
        office.groups.set([Group.objects.get(name="office")])
        power_rows = PowerItem.objects.bulk_create([
            PowerItem(code=f"BP{stamp}-{i:06d}", category="penalty", name=f"对{rnd.choice(WORDS)}{rnd.choice(WORDS)}行为的处罚{i}",
                      content="依法处罚。", unit=brigades[i % n_units], status=Status.PUBLISHED) for i in range(n_powers)
        ], batch_size=2000)
        round_ = round_open(actor=office, year=timezone.localdate().year)[0]
        batch = []
        rubric = AssessmentRubric()  # the default rule, as a new bureau has it
        for i in range(n_risks):
            unit_index = i % n_units
            f = [rnd.randint(1, 3) for _ in range(4)]
            level = rubric.suggest(*f)
            batch.append(RiskPoint(
                round=round_, code=f"BR{stamp}-{i:07d}", unit=brigades[unit_index], post=posts[2 * unit_index + (i % 2)],
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
        entries = [PublicationEntry(publication=pub, kind="power", code=p.code, unit_id=p.unit_id, category=p.category,
                                    title=p.name, search_text=p.name, revision=1,
                                    data=public_power({"code": p.code, "category": p.category, "category_label": "行政处罚",
                                                       "name": p.name, "sub_item": "", "content": p.content,
                                                       "has_discretion": True, "unit": {"name": "大队"}}))
                   for p in power_rows]
        PublicationEntry.objects.bulk_create(entries, batch_size=5000)
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
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return bureau, office

    # --- timings ----------------------------------------------------------------------------------

    def timed(self, label, fn, repeat):
        from django.core.cache import cache

        cache.clear()
        t = time.perf_counter()
        fn()  # the first request: nothing cached
        cold = (time.perf_counter() - t) * 1000
        times, queries = [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                result = fn()
                times.append((time.perf_counter() - t) * 1000)
            queries = len(ctx.captured_queries)
        status = getattr(result, "status_code", "")
        p95 = sorted(times)[max(0, -(-len(times) * 95 // 100) - 1)]
        self.stdout.write(f"{label:<42}{cold:>9.1f} ms{statistics.median(times):>9.1f} ms{queries:>6} 次查询  {status}"
                          f"  p95 {p95:.1f} ms")

    # One benchmark client sends every request: the API's per-address limit must not count them.
    @override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"], API_PUBLIC_RATE="1000000/minute", STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}})
    def measure(self, bureau, office, repeat):
        client = Client()
        client.force_login(office)
        anon = Client()
        unit = Unit.objects.filter(parent=bureau).first()
        some = RiskPoint.objects.filter(unit__parent=bureau).order_by("pk").first()
        self.stdout.write(f"{'页面':<40}{'首次':>10}{'其后中位数':>9}{'查询':>6}")
        pages = [
            ("风险点登记（防控办，全局第一页）", client, "/risks/", {}),
            ("风险点登记（按一级筛选，按等级排序）", client, "/risks/", {"level": 1, "ordering": "-level"}),
            ("风险点登记（关键词搜索）", client, "/risks/", {"q": "送达"}),
            ("风险点登记（最后一页）", client, "/risks/", {"page": "last"}),
            ("风险点详情", client, f"/risks/{some.pk}/", {}),
            ("岗位风险防控一览表（一个大队）", client, f"/risks/table/{unit.pk}/", {}),
            ("职权目录（防控办）", client, "/powers/", {}),
            ("首页：工作台与待我处理（防控办，全局）", client, "/", {}),
            ("公示：首页", anon, "/public/", {}),
            ("公示：职权目录", anon, "/public/powers/", {}),
            ("公示：风险点目录（第一页）", anon, "/public/risks/", {}),
            ("公示：风险点目录（按单位、等级）", anon, "/public/risks/", {"unit": unit.pk, "level": 1}),
            ("公示：风险点搜索", anon, "/public/risks/", {"q": "处罚"}),
            *self.api_pages(anon, unit),
        ]
        for label, c, url, params in pages:
            self.timed(label, lambda c=c, url=url, params=params: c.get(url, params), repeat)
        self.flowchart(repeat)

    def api_pages(self, anon, unit):
        """The open-data API: first pages, a filtered page, and a page deep in the risk points
        (its cursor points past 90% of them: cursor pages cost the same at any depth)."""
        import base64

        from api.selectors import public_publications

        risks = PublicationEntry.objects.filter(kind="risk", publication__bureau=unit.parent).order_by("code")
        deep = risks.values_list("code", flat=True)[max(0, risks.count() * 9 // 10)]
        cursor = base64.b64encode(f"p={deep}".encode()).decode()
        pub = public_publications().filter(bureau=unit.parent).first()
        return [
            ("接口：职权（第一页）", anon, "/api/v1/powers/", {}),
            ("接口：风险点（第一页，每页 200）", anon, "/api/v1/risks/", {"page_size": 200}),
            ("接口：风险点（按单位、等级）", anon, "/api/v1/risks/", {"unit": unit.pk, "level": 1}),
            ("接口：风险点（90% 深处的一页）", anon, "/api/v1/risks/", {"cursor": cursor}),
            ("接口：一期公示的风险点", anon, f"/api/v1/publications/{pub.pk}/risks/", {}),
            ("接口：公示列表", anon, "/api/v1/publications/", {}),
        ]

    def flowchart(self, repeat):
        from django.core.cache import cache

        with transaction.atomic():
            power = PowerItem.objects.filter(unit__kind="brigade").first()
            steps = FlowStep.objects.bulk_create([
                FlowStep(power=power, name=f"第{i + 1}环节审查核实", handler_text="案件承办人", time_limit_days=3, order=i)
                for i in range(30)])
            spine = steps[::2]
            FlowEdge.objects.bulk_create([FlowEdge(power=power, source=a, target=b) for a, b in zip(spine, spine[1:])]
                                         + [FlowEdge(power=power, source=spine[i], target=s, label="不符合条件")
                                            for i, s in enumerate(steps[1::2])])
            data = flow_data(power)
            times = []
            for _ in range(repeat):
                cache.clear()
                t = time.perf_counter()
                render_flow_svg(data)
                times.append((time.perf_counter() - t) * 1000)
            cached = []
            for _ in range(repeat):
                t = time.perf_counter()
                render_flow_svg(data)
                cached.append((time.perf_counter() - t) * 1000)
            self.stdout.write(f"{'30 环节分支流程图（Graphviz 排版）':<42}{statistics.median(times):>9.1f} ms")
            self.stdout.write(f"{'30 环节分支流程图（排版已缓存）':<42}{statistics.median(cached):>9.1f} ms")
            transaction.set_rollback(True)

    def cleanup(self, bureau):
        with transaction.atomic():
            PublicationEntry.objects.filter(publication__bureau=bureau).delete()
            Publication.objects.filter(bureau=bureau).delete()
            RiskPoint.objects.filter(unit__parent=bureau).delete()
            PowerItem.objects.filter(unit__parent=bureau).delete()
            User.objects.filter(unit=bureau).delete()
            Post.objects.filter(unit__parent=bureau).delete()
            bureau.rounds.all().delete()
            Unit.objects.filter(parent=bureau).delete()
            bureau.delete()
        self.stdout.write("已删除本次生成的数据。")
