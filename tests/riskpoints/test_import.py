from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from riskpoints.models import RiskPoint
from riskpoints.xlsx import HEADERS
from tests.factories import PostFactory


def sheet(*rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile("登记表.xlsx", out.getvalue())


def row(**over):
    values = {"单位编码": "A", "岗位": "巡查员", "职权编码": "", "流程环节": "", "查找层面": "岗位", "风险类型": "制度机制",
              "查找方式": "自己找", "风险点": "巡查走过场", "风险表现形式": "巡查不到位，发现问题不上报。",
              "权力重要程度": "中", "自由裁量空间": "中", "发生概率": "中", "危害程度": "中", "风险等级": "", "等级调整理由": ""}
    values.update(over)
    return [values[h] for h in HEADERS]


@pytest.fixture
def post_a(bureau):
    return PostFactory(unit=bureau.a, name="巡查员")


def upload(client, file):
    return client.post(reverse("riskpoints:import"), {"file": file})


def test_good_sheet_imports_every_row_once_and_twice_does_not_duplicate(people, post_a, power_a, client_for):
    client = client_for(people.staff_a)
    rows = [row(), row(风险点="少算违建面积", 风险类型="业务流程", 职权编码=power_a.code, 流程环节="决定",
                    权力重要程度="高", 危害程度="高", 风险等级="一级")]
    response = upload(client, sheet(*rows))
    assert response.status_code == 302
    assert sorted(RiskPoint.objects.values_list("title", "level")) == [("少算违建面积", 1), ("巡查走过场", 2)]
    assert RiskPoint.objects.get(title="少算违建面积").step.name == "决定"
    response = upload(client, sheet(*rows))
    assert RiskPoint.objects.count() == 2
    assert "2 个本年度已登记、未重复导入" in client.get(reverse("riskpoints:list")).content.decode()


def test_one_bad_row_refuses_the_whole_sheet_listing_every_error(people, post_a, client_for):
    client = client_for(people.staff_a)
    response = upload(client, sheet(
        row(),
        row(风险点="第二行好的"),
        row(风险点="坏行", 单位编码="B", 发生概率="很高", 风险类型="业务流程"),
        row(风险点="坏行二", 风险等级="一级"),
    ))
    html = response.content.decode()
    assert response.status_code == 400
    assert not RiskPoint.objects.exists()
    errors = {(r, c) for r, c, _m in response.context["errors"]}
    assert (4, "单位编码") in errors and (4, "发生概率") in errors and (5, "等级调整理由") in errors
    assert "没有编码为“B”的单位，或不在您的范围内" in html and "应为 高、中 或 低" in html


def test_sheet_without_required_columns_is_refused(people, client_for):
    response = upload(client_for(people.staff_a), sheet(["A"], headers=["单位编码"]))
    assert "表头缺少必填列" in response.content.decode()


def test_not_an_excel_file_is_refused(people, client_for):
    response = upload(client_for(people.staff_a), SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert "无法读取该文件" in response.content.decode()


def test_template_documents_the_columns(people, client_for):
    response = client_for(people.staff_a).get(reverse("riskpoints:import_template"))
    wb = load_workbook(BytesIO(response.content))
    assert [c.value for c in wb.active[1]] == HEADERS
    assert wb["填写说明"].max_row == len(HEADERS) + 1


@pytest.mark.parametrize("persona", ["director", "leader_a", "nobody"])
def test_non_editors_cannot_import(people, client_for, persona):
    assert client_for(getattr(people, persona)).get(reverse("riskpoints:import")).status_code == 403
