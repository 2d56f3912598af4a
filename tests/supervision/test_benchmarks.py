"""A discretion benchmark is part of its power: edited as an edit of it, required to accept
it, frozen in its snapshot and shown publicly only as published; Excel in and out."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from public.models import Publication
from public.services import publication_publish, publication_save
from review.choices import Action, Status
from review.services import StaleEdit, WorkflowError, review_transition
from supervision.models import BenchmarkRow
from supervision.services import benchmark_save, degree_get
from tests import workflow
from tests.factories import PowerItemFactory

ROW = {"circumstance": "未批先建", "degree": "serious", "conditions": "无法采取改正措施", "penalty": "限期拆除，不能拆除的没收",
       "fine_basis": "percent", "fine_min": Decimal("5"), "fine_max": Decimal("10"), "legal_basis": "《城乡规划法》第六十四条"}


def row_of(power, **over):
    """``ROW`` with its degree the power's bureau's configured one."""
    return {**ROW, "degree": degree_get(power.unit.bureau, ROW["degree"]), **over}


def test_a_power_with_discretion_is_not_accepted_without_a_benchmark(people, bureau):
    power = workflow.walk(PowerItemFactory(unit=bureau.a, benchmark=False), people, Status.LEADER_APPROVED)
    with pytest.raises(WorkflowError, match="裁量基准"):
        review_transition(item=power, action=Action.ACCEPT, actor=people.office)
    power.refresh_from_db()
    assert power.status == Status.LEADER_APPROVED
    BenchmarkRow.objects.create(power=power, **row_of(power))
    review_transition(item=power, action=Action.ACCEPT, actor=people.office)
    assert not PowerItemFactory(unit=bureau.a, has_discretion=False, benchmark=False).benchmark_rows.exists()
    other = workflow.walk(PowerItemFactory(unit=bureau.a, category="inspection", benchmark=False), people, Status.ACCEPTED)
    assert other.status == Status.ACCEPTED  # no discretion benchmark for an inspection


def test_editing_the_benchmark_of_a_published_power_starts_a_revision_and_the_public_sees_the_published_one(people, bureau, client):
    power = workflow.walk(PowerItemFactory(unit=bureau.a, name="公开处罚"), people)
    pub = Publication(title="公示", starts_on=timezone.localdate())
    publication_save(actor=people.office, publication=pub)
    publication_publish(actor=people.office, publication=pub)
    url = reverse("public:power", args=[power.code])
    page = client.get(url).content.decode()
    assert "裁量基准" in page and "未取得建设工程规划许可证进行建设" in page and "工程造价（货值）的 5%–10%" in page
    benchmark_save(power=power, actor=people.staff_a, lock_version=power.lock_version,
                   rows=[row_of(power, circumstance="草稿中的新情形DRAFT")])
    power.refresh_from_db()
    assert (power.status, power.revision) == (Status.DRAFT, 2)
    assert "DRAFT" not in client.get(url).content.decode()
    api = client.get(reverse("api:power", args=[power.code])).json()["benchmark"]
    assert api[0]["circumstance"] == "未取得建设工程规划许可证进行建设" and api[0]["fine_basis"] == "percent"
    assert "DRAFT" not in str(api) and "id" not in api[0]
    assert power.published_record.snapshot["benchmark"][0]["circumstance"] == "未取得建设工程规划许可证进行建设"
    power = workflow.walk(power, people)
    assert power.published_record.snapshot["benchmark"][0]["circumstance"] == "草稿中的新情形DRAFT"


def test_benchmark_edits_keep_the_lock_scope_and_rules(people, power_a):
    with pytest.raises(StaleEdit):
        benchmark_save(power=power_a, actor=people.staff_a, lock_version=power_a.lock_version + 1, rows=[row_of(power_a)])
    with pytest.raises(WorkflowError):
        benchmark_save(power=power_a, actor=people.staff_b, lock_version=power_a.lock_version, rows=[row_of(power_a)])
    with pytest.raises(ValidationError):
        benchmark_save(power=power_a, actor=people.staff_a, lock_version=power_a.lock_version,
                       rows=[row_of(power_a, fine_min=Decimal("20"), fine_max=Decimal("10"))])
    assert power_a.benchmark_rows.count() == 1


def test_the_power_page_shows_the_benchmark_and_the_edit_page_saves_it(people, power_a, client_for):
    client = client_for(people.staff_a)
    page = client.get(power_a.get_absolute_url()).content.decode()
    assert "裁量基准" in page and "未取得建设工程规划许可证进行建设" in page
    edit = reverse("supervision:benchmark_edit", args=[power_a.pk])
    row = power_a.benchmark_rows.get()
    data = {"lock_version": power_a.lock_version, "rows-TOTAL_FORMS": 2, "rows-INITIAL_FORMS": 1,
            "rows-0-id": row.pk, **{f"rows-0-{k}": getattr(row, k) for k in ("circumstance", "conditions", "penalty", "fine_basis", "legal_basis")},
            "rows-0-degree": row.degree_id,
            "rows-0-fine_min": "5", "rows-0-fine_max": "10",
            **{f"rows-1-{k}": v for k, v in ROW.items()}, "rows-1-degree": degree_get(power_a.unit.bureau, "serious").pk}
    response = client.post(edit, data)
    assert response.status_code == 302
    assert power_a.benchmark_rows.count() == 2
    stale = client.post(edit, data)
    assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()
    assert client_for(people.staff_b).get(edit).status_code == 404
    assert client_for(people.office).get(edit).status_code == 403


def sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["违法情形", "违法程度", "适用条件", "处罚种类和幅度", "罚款计算方式", "罚款下限", "罚款上限", "裁量依据"])
    for r in rows:
        ws.append(r)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "benchmark.xlsx"
    return out


def test_the_benchmark_goes_out_to_excel_and_comes_back(people, power_a, client_for):
    client = client_for(people.staff_a)
    exported = client.get(reverse("supervision:benchmark_export", args=[power_a.pk]))
    rows = list(load_workbook(BytesIO(exported.content)).active.values)
    assert rows[1][:2] == ("未取得建设工程规划许可证进行建设", "一般")
    url = reverse("supervision:benchmark_import", args=[power_a.pk])
    bad = client.post(url, {"lock_version": power_a.lock_version, "file": sheet([
        ["擅自改变用途", "很重", "", "", "罚款金额（元）", "x", 100, ""]])})
    text = bad.content.decode()
    assert bad.status_code == 400 and "第 2 行「违法程度」" in text and "第 2 行「处罚种类和幅度」" in text and "第 2 行「罚款下限」" in text
    assert power_a.benchmark_rows.count() == 1
    good = client.post(url, {"lock_version": power_a.lock_version, "file": sheet([
        ["擅自改变用途", "轻微", "首次且及时改正", "责令改正，处1000元以上5000元以下罚款", "罚款金额（元）", 1000, 5000, "某条例第十条"],
        ["擅自改变用途", " 严 重 ", "拒不改正", "处2万元以上5万元以下罚款", "罚款金额（元）", 20000, 50000, "某条例第十条"]])})
    assert good.status_code == 302
    assert list(power_a.benchmark_rows.values_list("degree__code", flat=True)) == ["minor", "severe"]
