"""Key-power filings: checked against the flow's limits in working days and the benchmark,
each finding raised once as risk information; scope by unit; a bulk daily check."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.choices import Channel
from monitoring.models import RiskInformation
from schedules.models import CalendarDay
from supervision.models import Filing, Finding
from supervision.services import filing_create, filings_check
from tests.factories import RiskPointFactory

from .conftest import MONDAY, benchmark_id, case, flow_ids

LIMIT = MONDAY + datetime.timedelta(days=7)  # 决定: 5 working days after Monday → next Monday


def test_a_step_one_working_day_late_raises_exactly_one_information_once(people, key_power):
    risk = RiskPointFactory(unit=key_power.unit, power=key_power, step=key_power.steps.get(name="决定"), level=1)
    data, done = case(key_power, decided=LIMIT + datetime.timedelta(days=1), closed=LIMIT + datetime.timedelta(days=1))
    filing = filing_create(actor=people.staff_a, power=key_power, data=data, done=done)
    assert filing.light == "red"
    finding = Finding.objects.get(filing=filing)
    assert (finding.kind, finding.step_name) == ("late", "决定")
    info = RiskInformation.objects.get()
    assert info == finding.information
    assert (info.channel, info.concerns_unit, info.concerns_power, info.concerns_risk) == (
        Channel.EFFICIENCY, key_power.unit, key_power, risk)
    assert "案-1" in info.content and "超出 1 个工作日" in info.content
    assert filings_check(filing_ids=[filing.pk]) == {"checked": 1, "raised": 0}
    call_command("check_filings", date=(LIMIT + datetime.timedelta(days=3)).isoformat())
    assert RiskInformation.objects.count() == 1


@pytest.mark.parametrize("holiday", [False, True])
def test_a_step_on_time_or_across_a_holiday_raises_nothing(bureau, people, key_power, holiday):
    decided = LIMIT
    if holiday:
        CalendarDay.objects.create(bureau=bureau.ju, date=MONDAY + datetime.timedelta(days=2), kind="holiday", name="节日")
        decided = LIMIT + datetime.timedelta(days=1)  # the holiday gives one more day
    data, done = case(key_power, decided=decided, closed=decided)
    filing = filing_create(actor=people.staff_a, power=key_power, data=data, done=done)
    assert filing.light == "green"
    assert not RiskInformation.objects.exists()


def penalty(key_power, fine, stated="已停工，积极申请补办手续", number="案-2"):
    return case(key_power, number=number, decided=LIMIT, closed=LIMIT, benchmark_id=benchmark_id(key_power),
                base_amount=Decimal("1000000"), fine_amount=Decimal(fine), stated_conditions=stated)


def test_a_fine_outside_the_benchmark_is_red_and_inside_is_green(people, key_power):
    inside = filing_create(actor=people.staff_a, power=key_power, data=penalty(key_power, "80000")[0],
                           done=penalty(key_power, "80000")[1])
    assert inside.light == "green" and inside.circumstance and inside.degree.code == "general" and inside.degree_label == "一般"
    data, done = penalty(key_power, "150000", number="案-3")
    outside = filing_create(actor=people.staff_a, power=key_power, data=data, done=done)
    assert outside.light == "red"
    assert [f.kind for f in outside.findings.all()] == ["range"]
    assert "50,000.00–100,000.00" in outside.findings.get().message


def test_a_degree_without_its_conditions_stated_is_yellow(people, key_power):
    data, done = penalty(key_power, "80000", stated="")
    assert filing_create(actor=people.staff_a, power=key_power, data=data, done=done).light == "yellow"


def test_a_unit_files_only_its_own_key_powers_and_sees_only_its_own_filings(people, key_power, client_for):
    data, done = case(key_power, decided=LIMIT, closed=LIMIT)
    with pytest.raises(PermissionDenied):
        filing_create(actor=people.staff_b, power=key_power, data=data, done=done)
    with pytest.raises(PermissionDenied):
        filing_create(actor=people.staff_a, power=key_power, data={**data, "unit": key_power.unit.parent}, done=done)
    filing = filing_create(actor=people.staff_a, power=key_power, data=data, done=done)
    client = client_for(people.staff_b)
    assert client.get(filing.get_absolute_url()).status_code == 404
    assert filing.case_number not in client.get(reverse("supervision:filing_list")).content.decode()
    assert client.get(reverse("supervision:filing_create"), {"power": key_power.pk}).status_code == 404
    assert client.post(reverse("supervision:filing_create") + f"?power={key_power.pk}", {}).status_code == 404
    for user in (people.staff_a, people.head_a, people.leader_a, people.office, people.director):
        page = client_for(user).get(filing.get_absolute_url())
        assert page.status_code == 200 and "某置业有限公司" in page.content.decode()
    assert client_for(people.leader_b).get(filing.get_absolute_url()).status_code == 404


def test_a_power_that_is_not_key_or_not_published_cannot_be_filed(people, key_power, bureau):
    from tests.factories import PowerItemFactory

    inspection = PowerItemFactory(unit=bureau.a, category="inspection")
    from tests import workflow
    workflow.walk(inspection, people)
    data, done = case(key_power, decided=LIMIT)
    with pytest.raises(PermissionDenied):
        filing_create(actor=people.staff_a, power=inspection, data=data, done={})
    draft = PowerItemFactory(unit=bureau.a)
    with pytest.raises(PermissionDenied):
        filing_create(actor=people.staff_a, power=draft, data=data, done={})


def test_impossible_dates_and_a_duplicate_case_are_refused_and_change_nothing(people, key_power):
    data, done = case(key_power, decided=MONDAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        filing_create(actor=people.staff_a, power=key_power, data=data, done=done)
    data, done = case(key_power, decided=LIMIT, closed=LIMIT)
    filing_create(actor=people.staff_a, power=key_power, data=data, done=done)
    with pytest.raises(ValidationError, match="已有案件编号"):
        filing_create(actor=people.staff_a, power=key_power, data=data, done=done)
    assert Filing.objects.count() == 1


def test_the_form_follows_the_published_flow(people, key_power, client_for):
    client = client_for(people.staff_a)
    url = reverse("supervision:filing_create") + f"?power={key_power.pk}"
    page = client.get(url).content.decode()
    assert page.index("受理") < page.index("决定") and "5 个工作日" in page
    ids = flow_ids(key_power)
    response = client.post(url, {
        "unit": key_power.unit.pk, "case_number": "规罚〔2026〕7号", "party": "张三", "opened_on": MONDAY.isoformat(),
        "closed_on": (LIMIT + datetime.timedelta(days=2)).isoformat(), f"step_{ids['受理']}": MONDAY.isoformat(),
        f"step_{ids['决定']}": (LIMIT + datetime.timedelta(days=2)).isoformat(),
        "benchmark_id": benchmark_id(key_power), "stated_conditions": "已停工", "base_amount": "200000", "fine_amount": "15000"})
    filing = Filing.objects.get()
    assert response.status_code == 302 and response.url == filing.get_absolute_url()
    page = client.get(filing.get_absolute_url()).content.decode()
    assert "红牌" in page and "超过法定时限" in page and filing.findings.get().information.reference in page
    bad = client.post(url, {"case_number": "x\x00", "opened_on": "2026-13-01", "fine_amount": "-1"})
    assert bad.status_code == 200 and Filing.objects.count() == 1


def make_filings(power, people, n, start=0):
    ids = flow_ids(power)
    for i in range(start, start + n):
        f = Filing.objects.create(power=power, unit=power.unit, flow_record=power.published_record, case_number=f"批-{i}",
                                  party="某", opened_on=MONDAY, filed_by=people.staff_a,
                                  benchmark=power.published_record.snapshot["benchmark"][0], stated_conditions="已停工",
                                  base_amount=Decimal("1000000"), fine_amount=Decimal("60000"))
        f.steps.create(step_id=ids["受理"], name="受理", done_on=MONDAY)
        f.steps.create(step_id=ids["决定"], name="决定", done_on=LIMIT)


def test_the_daily_check_reads_in_bulk(people, key_power):
    def queries(on_date):
        with CaptureQueriesContext(connection) as ctx:
            result = filings_check(on_date=on_date)
        return len(ctx.captured_queries), result

    make_filings(key_power, people, 5)
    few, result = queries(LIMIT)
    assert result == {"checked": 5, "raised": 0}
    make_filings(key_power, people, 20, start=5)
    many, result = queries(LIMIT)
    assert result == {"checked": 25, "raised": 0}
    assert few == many


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_daily_task_runs_on_a_real_worker(real_worker, people, key_power):
    from supervision.tasks import check_filings_daily

    data, done = case(key_power, decided=None)  # open: 决定 is due on LIMIT
    filing_create(actor=people.staff_a, power=key_power, data=data, done=done, check=False)
    assert not RiskInformation.objects.exists()
    outcome = check_filings_daily.delay((LIMIT + datetime.timedelta(days=1)).isoformat()).get(timeout=60)
    assert outcome == {"checked": 1, "raised": 1}
    assert Filing.objects.get().light == "red"


def test_the_benchmark_command_runs_and_leaves_nothing(db):
    from io import StringIO

    out = StringIO()
    call_command("benchmark_filings", filings=300, stdout=out)
    assert "检查 300 件" in out.getvalue() and "再次检查：检查 300 件，新发现 0 个问题" in out.getvalue()
    assert not Filing.objects.exists() and not RiskInformation.objects.exists()
