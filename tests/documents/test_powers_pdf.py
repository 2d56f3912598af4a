"""Powers on paper: each flowchart, the catalogue as filtered, the compiled submission."""

from django.urls import reverse

from powers.services import power_update
from review.choices import Status
from tests.documents.pdfcheck import assert_cjk_pdf, read_pdf
from tests.documents.test_forms_pdf import get_pdf
from tests.factories import PowerItemFactory, RiskPointFactory
from tests.workflow import walk


def edit_name(power, people, name):
    power.refresh_from_db()
    power_update(power=power, actor=people.staff_a, lock_version=power.lock_version,
                 data={**{f: getattr(power, f) for f in ("code", "category", "sub_item", "unit", "has_discretion")},
                       "name": name, "content": power.content, "posts": []},
                 legal_bases=[{"law_name": b.law_name, "article": b.article, "text": b.text} for b in power.legal_bases.all()])


def test_flowchart_pdf_draws_the_flow_as_vector_with_chinese_text(people, power_a, client_for):
    data = get_pdf(client_for(people.staff_a), reverse("documents:flowchart", args=[power_a.pk]))
    pdf = assert_cjk_pdf(data, "对未取得建设工程规划许可证进行建设的处罚", "受理", "决定", "环节说明", "行政处罚法")
    assert "草稿" in pdf.compact  # a draft power


def test_a_published_power_prints_its_published_revision_after_a_later_edit(people, power_a, client_for):
    walk(power_a, people)
    edit_name(power_a, people, "发布后修改的名称")
    power_a.refresh_from_db()
    assert power_a.status == Status.DRAFT and power_a.name == "发布后修改的名称"
    client = client_for(people.staff_a)
    pdf = read_pdf(get_pdf(client, reverse("documents:flowchart", args=[power_a.pk])))
    assert "对未取得建设工程规划许可证进行建设的处罚" in pdf.compact
    assert "发布后修改的名称" not in pdf.compact and "草稿" not in pdf.compact
    page = client.get(reverse("powers:flow_print", args=[power_a.pk])).content.decode()
    assert "对未取得建设工程规划许可证进行建设的处罚" in page and "发布后修改的名称" not in page
    catalogue = read_pdf(get_pdf(client, reverse("documents:powers"))).compact
    assert "对未取得建设工程规划许可证进行建设的处罚" in catalogue and "发布后修改的名称" not in catalogue


def test_power_catalogue_pdf_is_landscape_and_follows_the_list_filter(people, bureau, power_a, power_b, client_for):
    PowerItemFactory(unit=bureau.a, name="对占道经营的处罚", category="penalty")
    PowerItemFactory(unit=bureau.a, name="户外广告设置许可", category="licensing")
    PowerItemFactory(unit=bureau.a, name="查封违法建设施工现场", category="coercion")
    client = client_for(people.office)
    pdf = assert_cjk_pdf(get_pdf(client, reverse("documents:powers")), "测试市城管执法局职权目录",
                         "对擅自占用城市道路的处罚", "户外广告设置许可", landscape=True)
    assert pdf.pages == 1
    # Within a unit, the categories come as the catalogue lists them: 许可, 处罚, 强制.
    order = [pdf.compact.index(name) for name in ("户外广告设置许可", "对占道经营的处罚", "查封违法建设施工现场")]
    assert order == sorted(order)
    assert "自由裁量权" in pdf.text.split()  # the header on one line, not 自由裁量 over 权
    only = read_pdf(get_pdf(client, reverse("documents:powers"), unit=str(bureau.a.pk), category="licensing")).compact
    assert "规划执法大队职权目录" in only and "户外广告设置许可" in only and "对占道经营的处罚" not in only
    # Another unit's staff never sees A's powers on paper either.
    theirs = read_pdf(get_pdf(client_for(people.staff_b), reverse("documents:powers"))).compact
    assert "对擅自占用城市道路的处罚" in theirs and "户外广告设置许可" not in theirs
    # ... and B's own rows print under B's name, not the bureau's.
    assert "东城区执法大队职权目录" in theirs and "测试市城管执法局职权目录" not in theirs


def test_submission_holds_every_accepted_power_with_its_flowchart(people, bureau, power_a, client_for):
    walk(power_a, people, Status.ACCEPTED)
    PowerItemFactory(unit=bureau.a, name="仍是草稿的职权")
    data = get_pdf(client_for(people.office), reverse("documents:submission"))
    pdf = assert_cjk_pdf(data, "职权目录及权力运行流程图", "报市法制办、编办、公开办审核备案", "目录", "职权目录汇总表",
                         "行政处罚（1项）", "对未取得建设工程规划许可证进行建设的处罚", "环节说明")
    assert "仍是草稿的职权" not in pdf.compact
    assert pdf.pages >= 4


def test_other_units_flowchart_is_404(people, power_a, client_for):
    for persona in (people.staff_b, people.leader_b, people.nobody):
        assert client_for(persona).get(reverse("documents:flowchart", args=[power_a.pk])).status_code == 404


def test_a_powers_sheet_prints_its_discretion_benchmark(people, power_a, client_for):
    """The flowchart sheet (and so the 报审备案 submission) carries the benchmark where the power has one."""
    row = power_a.benchmark_rows.first()
    assert row is not None  # the factory gives a penalty with discretion its benchmark
    data = get_pdf(client_for(people.staff_a), reverse("documents:flowchart", args=[power_a.pk]))
    assert_cjk_pdf(data, "裁量基准", row.circumstance)


def test_steps_table_keeps_its_short_columns_readable_beside_long_texts(people, power_a, client_for):
    """环节说明 on portrait A4: long conditions and procedures do not squeeze the handler, the time
    limits or the column headers down to a character a line."""
    long_text = "承办人填写案件来源登记表，初步核实违法行为是否存在、是否属于本局管辖，并报科室负责人审批后立案。" * 2
    power_a.steps.update(handler_text="规划执法大队案件承办人", conditions=long_text, procedure=long_text,
                         party_rights=long_text, supervision="监督电话：12319；局纪检监察组举报信箱",
                         promised_days=3)
    text = read_pdf(get_pdf(client_for(people.staff_a), reverse("documents:flowchart", args=[power_a.pk]))).text
    lines = [line.strip() for line in text.splitlines()]
    for header in ("承办", "法定时限", "承诺时限", "相对人权利", "监督渠道"):
        assert header in lines, header
    assert any(line.startswith("规划执法") for line in lines)  # not one character a line


def test_flowchart_legend_on_paper_does_not_ask_to_click(people, power_a, client_for):
    RiskPointFactory(unit=power_a.unit, power=power_a, step=power_a.steps.get(name="决定"), level=1)
    client = client_for(people.staff_a)
    pdf = read_pdf(get_pdf(client, reverse("documents:flowchart", args=[power_a.pk]))).compact
    assert "标记表示该环节有风险点" in pdf and "点击" not in pdf
    page = client.get(reverse("powers:flow_print", args=[power_a.pk])).content.decode()
    assert "点击环节查看" in page  # on screen the steps are links
