"""How long one reminder run takes for many due items: ``--count`` measures of a throwaway
bureau all due in 7 days, so each gets its 7-day reminder (a log row, an inbox message and a
queued email). Run it against a scratch database and drop that afterwards: it leaves its
throwaway bureau behind (deleting 100,000 measures one history row at a time takes longer than
the benchmark).

``--worker`` hands the run to a Celery worker instead (start one on the same database and
broker first) and times it until the worker has also mailed every reminder. The worker's task
runs every kind of deadline, which on the scratch database are the benchmark's measures alone."""

import datetime
import time

from django.contrib.auth.models import Group
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from controls.models import ControlPlan, Measure
from org.models import Unit, User
from riskpoints.models import RiskPoint, Round
from notices.models import Notification
from schedules.models import Cadence
from schedules.services import reminders_run
from schedules.tasks import send_reminders


MAX_WAIT = 2 * 3600  # seconds


class Command(BaseCommand):
    help = "基准测试：一次提醒任务处理大量到期事项所需的时间（请在测试用数据库上运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--units", type=int, default=20)
        parser.add_argument("--worker", action="store_true", help="由 Celery worker 执行并发送邮件，计时到全部邮件发出")

    def handle(self, *args, count, units, worker, **options):
        today = timezone.localdate()
        started = time.perf_counter()
        bureau = self.seed(count, units, today)
        self.stdout.write(f"生成 {count} 条 7 天后到期的措施，用时 {time.perf_counter() - started:.1f} 秒（{connection.vendor}）")
        if worker:
            return self.through_worker(bureau, today)
        started = time.perf_counter()
        sent = reminders_run(today=today, kinds=["controls.measure"])
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = reminders_run(today=today, kinds=["controls.measure"])
        second = time.perf_counter() - started
        self.stdout.write(f"第一次执行：发送 {sent} 条提醒，用时 {first:.1f} 秒（每秒 {sent / first:.0f} 条）")
        self.stdout.write(f"再次执行：发送 {again} 条，用时 {second:.1f} 秒")

    def through_worker(self, bureau, today):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError("--worker 需要 REDIS_URL：worker 和本命令经 Redis 交换任务和结果。")
        started = time.perf_counter()
        sent = send_reminders.delay(today.isoformat()).get(timeout=MAX_WAIT)
        ran = time.perf_counter() - started
        notes = Notification.objects.filter(recipient__unit__parent=bureau)
        while notes.filter(emailed_at__isnull=True).exists():
            if time.perf_counter() - started > MAX_WAIT:
                raise CommandError(f"{MAX_WAIT} 秒后仍有邮件未发出（邮件服务器拒收或 worker 已停止）。")
            time.sleep(1)
        mailed = time.perf_counter() - started
        self.stdout.write(f"worker 执行提醒任务：{sent} 条，用时 {ran:.1f} 秒；"
                          f"到 {notes.count()} 条消息的邮件全部发出，共 {mailed:.1f} 秒（每秒 {sent / mailed:.0f} 条）")

    @transaction.atomic
    def seed(self, count, n_units, today):
        stamp = timezone.now().strftime("%H%M%S")
        bureau = Unit.objects.create(code=f"RB{stamp}", name="提醒基准测试局", kind="bureau")
        Unit.objects.bulk_create([Unit(code=f"RB{stamp}-{i:03d}", name=f"第{i}大队", kind="brigade", parent=bureau)
                                  for i in range(n_units)])
        brigades = list(Unit.objects.filter(parent=bureau))
        heads = Group.objects.get_or_create(name="unit_head")[0]
        people = []
        for unit in brigades:
            person = User.objects.create(username=f"rb{stamp}_{unit.pk}", unit=unit, email=f"rb{unit.pk}@example.gov.cn")
            person.groups.add(heads)
            people.append(person)
        round_ = Round.objects.create(bureau=bureau, year=today.year)
        risks = RiskPoint.objects.bulk_create([
            RiskPoint(round=round_, code=f"RB{stamp}-{i:04d}", unit=u, kind="system", finding_level="unit", found_by="self",
                      title=f"基准风险点{i}", description="—", importance=2, discretion=2, probability=2, harm=2,
                      suggested_level=2, level=2) for i, u in enumerate(brigades)])
        plans = ControlPlan.objects.bulk_create([ControlPlan(risk_point=r) for r in risks])
        due = today + datetime.timedelta(days=7)
        Measure.objects.bulk_create(
            (Measure(plan=plans[i % n_units], kind="control", content=f"措施{i}", responsible=people[i % n_units], due_date=due)
             for i in range(count)), batch_size=5000)
        Cadence.objects.create(bureau=bureau, kind="controls.measure", before="7", working_days=False)
        return bureau
