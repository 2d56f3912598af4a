"""The 一览表, 登记表 and 档案 as PDFs: fonts, text, paper, draft mark, scope, year."""

import pytest
from django.urls import reverse

from review.choices import Status
from tests.documents.conftest import planned_risk
from tests.documents.pdfcheck import assert_cjk_pdf, read_pdf
from tests.factories import RoundFactory


def get_pdf(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response) if response.streaming else response.content


def test_unit_table_pdf_is_landscape_a4_with_embedded_cjk_font(people, bureau, accepted_risk, client_for):
    data = get_pdf(client_for(people.head_a), reverse("documents:unit_table", args=[bureau.a.pk]))
    pdf = assert_cjk_pdf(data, "规划执法大队岗位权力行使廉政风险防控一览表", "违建不制止不上报", "双人巡查",
                         "测试市城管执法局", "序号", "第 1 页 共 1 页", landscape=True)
    assert "草稿" not in pdf.compact
    # Real bold: the headings use the bold face of the font, not a synthesised one.
    assert "Bold" in pdf.fonts


def test_post_register_pdf_has_signature_block_and_holder(people, post_a, holder, accepted_risk, client_for):
    data = get_pdf(client_for(people.head_a), reverse("documents:post_register", args=[post_a.pk]))
    assert_cjk_pdf(data, "岗位廉政风险防控登记表", "巡查员", "王建国", "岗位人员签字", "日期", "违建不制止不上报", landscape=True)


def test_a_draft_printed_carries_the_draft_mark(people, bureau, post_a, holder, open_year, client_for):
    planned_risk(people, bureau.a, post_a, title="尚未验收的风险")
    client = client_for(people.head_a)
    data = get_pdf(client, reverse("documents:unit_table", args=[bureau.a.pk]))
    assert "草稿" in read_pdf(data).compact
    page = client.get(reverse("riskpoints:unit_table", args=[bureau.a.pk])).content.decode()
    assert "每页标有“草稿”" in page


def test_archive_booklet_has_cover_contents_table_and_every_register(people, bureau, post_a, holder, accepted_risk,
                                                                      client_for):
    data = get_pdf(client_for(people.head_a), reverse("documents:archive", args=[bureau.a.pk]))
    pdf = assert_cjk_pdf(data, "岗位廉政风险点档案", "目录", "岗位权力行使廉政风险防控一览表", "岗位廉政风险防控登记表·巡查员")
    assert pdf.pages >= 4  # cover, contents, the table, the post's register


@pytest.mark.parametrize("name, arg", [("unit_table", "unit"), ("archive", "unit"), ("post_register", "post")])
def test_other_units_document_is_404_even_by_its_url(people, bureau, post_a, client_for, name, arg):
    target = {"unit": bureau.a.pk, "post": post_a.pk}[arg]
    for persona in (people.staff_b, people.head_b, people.leader_b, people.nobody):
        assert client_for(persona).get(reverse(f"documents:{name}", args=[target])).status_code == 404


def test_a_closed_year_stays_printable(people, bureau, post_a, holder, accepted_risk, client_for):
    RoundFactory(bureau=bureau.ju, year=accepted_risk.round.year + 1)  # the office opens the next year
    client = client_for(people.head_a)
    url = reverse("documents:unit_table", args=[bureau.a.pk])
    assert "违建不制止不上报" not in read_pdf(get_pdf(client, url)).compact
    old = read_pdf(get_pdf(client, url, year=str(accepted_risk.round.year))).compact
    assert "违建不制止不上报" in old
    page = client.get(reverse("riskpoints:unit_table", args=[bureau.a.pk]), {"year": accepted_risk.round.year})
    assert "违建不制止不上报" in page.content.decode()
    assert client.get(url, {"year": "1999"}).status_code == 404
    assert client.get(url, {"year": "２０２６"}).status_code == 404


def test_unit_table_links_each_post_to_its_register(people, bureau, post_a, accepted_risk, client_for):
    html = client_for(people.head_a).get(reverse("riskpoints:unit_table", args=[bureau.a.pk])).content.decode()
    year = accepted_risk.round.year
    assert f'{reverse("riskpoints:post_register", args=[post_a.pk])}?year={year}' in html
    assert f'{reverse("documents:archive", args=[bureau.a.pk])}?year={year}' in html


def test_unit_heads_and_the_office_reach_every_posts_register_from_the_table(people, bureau, post_a, client_for):
    from tests.factories import PostFactory

    quiet = PostFactory(unit=bureau.a, name="内勤")  # a post with no risk point yet
    for persona in (people.head_a, people.office):
        html = client_for(persona).get(reverse("riskpoints:unit_table", args=[bureau.a.pk])).content.decode()
        for post in (post_a, quiet):
            assert reverse("riskpoints:post_register", args=[post.pk]) in html
        assert client_for(persona).get(reverse("riskpoints:post_register", args=[quiet.pk])).status_code == 200


def test_risk_catalogue_is_titled_with_the_scope_it_holds(people, bureau, post_a, holder, accepted_risk, client_for):
    url = reverse("documents:risks")
    mine = read_pdf(get_pdf(client_for(people.head_a), url)).compact
    assert "规划执法大队廉政风险点目录" in mine and "违建不制止不上报" in mine
    assert "测试市城管执法局廉政风险点目录" not in mine
    assert "规划执法大队廉政风险点目录" in read_pdf(get_pdf(client_for(people.leader_a), url)).compact
    assert "测试市城管执法局廉政风险点目录" in read_pdf(get_pdf(client_for(people.office), url)).compact


def test_register_signatures_never_stand_alone_on_a_page(people, bureau, post_a, holder, open_year, client_for):
    """However long the 登记表 grows, its signature lines go to the page of its last row (with the
    header repeated), never onto a page of their own: the row grows a line at a time until the
    table has run onto a second page."""
    from tests.factories import RiskPointFactory

    risk = RiskPointFactory(unit=bureau.a, post=post_a)
    client = client_for(people.head_a)
    url = reverse("documents:post_register", args=[post_a.pk])
    for lines in range(4, 40):
        risk.description = "审核走过场，受请托压低罚款。" * lines
        risk.save(update_fields=["description"])
        pages = read_pdf(get_pdf(client, url)).text.split("\f")
        signed = next(page for page in pages if "岗位人员签字" in page)
        assert "风险点及表现形式" in signed, f"{lines} lines: the signatures are alone on page {pages.index(signed) + 1}"
        if pages.index(signed) > 0:
            break
    else:
        raise AssertionError("the register never reached a second page")


def test_risk_catalogue_prints_a_long_registration_number_on_one_line(people, bureau, open_year, client_for):
    from tests.factories import RiskPointFactory

    RiskPointFactory(unit=bureau.a, code="2026-XHJZD-001")
    text = read_pdf(get_pdf(client_for(people.office), reverse("documents:risks"))).text
    assert "2026-XHJZD-001" in text.split()


def test_unit_table_names_the_post_on_every_page_of_its_rows(people, bureau, post_a, holder, open_year, client_for):
    """A merged 岗位 cell prints on the first page only, so on paper every row names its post."""
    from tests.factories import RiskPointFactory

    for n in range(8):
        RiskPointFactory(unit=bureau.a, post=post_a, description="审核走过场，受请托压低罚款。" * 8)
    pages = read_pdf(get_pdf(client_for(people.head_a), reverse("documents:unit_table", args=[bureau.a.pk]))).text
    pages = [page for page in pages.split("\f") if page.strip()]
    assert len(pages) > 1
    for number, page in enumerate(pages, 1):
        assert "巡查员" in page, f"page {number} does not say whose rows it holds"
