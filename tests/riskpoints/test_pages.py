import datetime

import pytest
from django.urls import reverse

from controls.models import ControlPlan, Measure
from riskpoints.models import RiskPoint
from tests.factories import PostFactory, PowerItemFactory, RiskPointFactory

# Registering needs the year the office opened.
pytestmark = pytest.mark.usefixtures("open_year")


@pytest.fixture
def risks(bureau):
    return RiskPointFactory(unit=bureau.a, title="审核走过场"), RiskPointFactory(unit=bureau.b, title="选择性执法", level=1)


def form_data(bureau, **over):
    return {"unit": bureau.a.pk, "finding_level": "department", "kind": "system", "found_by": "self",
            "title": "报销审核放宽标准", "description": "对关系人报销放宽审核。", "importance": 2, "discretion": 2,
            "probability": 2, "harm": 2, "level": 2, "level_reason": "", **over}


def test_staff_registers_a_risk_point_with_the_suggested_level(people, bureau, client_for):
    response = client_for(people.staff_a).post(reverse("riskpoints:create"), form_data(bureau))
    risk = RiskPoint.objects.get()
    assert response.status_code == 302 and risk.suggested_level == 2 and risk.code.endswith("-A-001")


def test_form_refuses_override_without_reason_in_chinese(people, bureau, client_for):
    response = client_for(people.staff_a).post(reverse("riskpoints:create"), form_data(bureau, level=1))
    assert "须说明理由" in response.content.decode()
    assert not RiskPoint.objects.exists()


def test_staff_cannot_register_for_another_unit(people, bureau, client_for):
    response = client_for(people.staff_a).post(reverse("riskpoints:create"), form_data(bureau, unit=bureau.b.pk))
    assert response.status_code == 200 and not RiskPoint.objects.exists()


@pytest.mark.parametrize("name", ["riskpoints:detail", "riskpoints:edit", "riskpoints:history"])
def test_other_units_risk_point_is_404(people, risks, client_for, name):
    assert client_for(people.staff_a).get(reverse(name, args=[risks[1].pk])).status_code == 404


def test_register_scope_and_level_counts(people, risks, client_for):
    html = client_for(people.staff_a).get(reverse("riskpoints:list")).content.decode()
    assert "审核走过场" in html and "选择性执法" not in html
    response = client_for(people.office).get(reverse("riskpoints:list"))
    assert response.context["counts"] == {"l1": 1, "l2": 1, "l3": 0, "key_post": 0, "key_area": 0, "total": 2, "unprinted": 2}
    response = client_for(people.office).get(reverse("riskpoints:list"), {"level": 1})
    assert response.context["counts"] == {"l1": 1, "l2": 0, "l3": 0, "key_post": 0, "key_area": 0, "total": 1, "unprinted": 1}


@pytest.mark.parametrize("size", [3, 40])
def test_register_query_count_is_constant(people, bureau, client_for, django_assert_num_queries, size):
    RiskPointFactory.create_batch(size, unit=bureau.a)
    client = client_for(people.office)
    client.get(reverse("riskpoints:list"))
    with django_assert_num_queries(REGISTER_QUERIES):
        assert client.get(reverse("riskpoints:list"), {"ordering": "-level"}).status_code == 200


def planned(risk, people, *contents):
    """A plan for ``risk`` with its three layers and a measure of each of ``contents``."""
    plan = ControlPlan.objects.create(risk_point=risk, direct_responsible=people.staff_a,
                                      department_responsible=people.head_a, leader_responsible=people.leader_a)
    for content in contents:
        Measure.objects.create(plan=plan, kind="control", content=content, responsible=people.staff_a,
                               supervisor=people.head_a, due_date=datetime.date(2026, 12, 31))
    return plan


@pytest.mark.parametrize("size", [1, 15])
def test_unit_table_query_count_is_constant(people, bureau, client_for, django_assert_num_queries, size):
    for risk in RiskPointFactory.create_batch(size, unit=bureau.a):
        planned(risk, people, "双人执法", "全程记录")
    client = client_for(people.office)
    client.get(reverse("riskpoints:unit_table", args=[bureau.a.pk]))
    with django_assert_num_queries(TABLE_KEPT_QUERIES):
        assert client.get(reverse("riskpoints:unit_table", args=[bureau.a.pk])).status_code == 200
    RiskPoint.objects.filter(unit=bureau.a).update(title="审核流于形式")
    with django_assert_num_queries(TABLE_KEPT_QUERIES + TABLE_DRAWING_QUERIES):
        assert "审核流于形式" in client.get(reverse("riskpoints:unit_table", args=[bureau.a.pk])).content.decode()


def test_a_kept_unit_table_is_drawn_anew_after_any_change_it_shows(people, bureau, client_for):
    """The table's rows are kept drawn under a digest of what they show (``sheet_key``): a change
    made anywhere, even by a bulk update that sends no signal, shows at once."""
    power, post = PowerItemFactory(unit=bureau.a, name="责令改正"), PostFactory(unit=bureau.a, name="执法岗")
    risk = RiskPointFactory(unit=bureau.a, title="审核走过场", power=power, post=post)
    plan = planned(risk, people, "双人执法")
    client = client_for(people.office)

    def table():
        page = client.get(reverse("riskpoints:unit_table", args=[bureau.a.pk])).content.decode()
        return page[page.index("unit-table"):page.index("</table>")]

    first = table()
    assert "双人执法" in first and people.head_a.display_name in first and "责令改正" in first and table() == first
    # One change at a time, each of another table the sheet names, each seen at once.
    for change, shown in [
        (lambda: RiskPoint.objects.filter(pk=risk.pk).update(title="审核流于形式"), "<strong>审核流于形式</strong>"),
        (lambda: Measure.objects.filter(plan=plan).update(content="记录仪全程摄录"), "记录仪全程摄录"),
        (lambda: type(people.leader_a).objects.filter(pk=people.leader_a.pk).update(real_name="改名的分管领导"),
         "改名的分管领导"),
        (lambda: type(power).objects.filter(pk=power.pk).update(sub_item="逾期不改的"), "责令改正（逾期不改的）"),
        (lambda: type(post).objects.filter(pk=post.pk).update(name="巡查岗"), "巡查岗"),
        (lambda: RiskPointFactory(unit=bureau.a, title="另一岗位的风险"), "另一岗位的风险"),
    ]:
        before = table()
        change()
        assert shown not in before and shown in table()


def test_tables_are_scoped(people, bureau, client_for):
    from tests.factories import PostFactory

    post_b = PostFactory(unit=bureau.b)
    client = client_for(people.staff_a)
    assert client.get(reverse("riskpoints:unit_table", args=[bureau.b.pk])).status_code == 404
    assert client.get(reverse("riskpoints:post_register", args=[post_b.pk])).status_code == 404
    assert client.get(reverse("riskpoints:unit_table", args=[bureau.a.pk])).status_code == 200


def test_export_follows_the_filter(people, risks, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(people.office).get(reverse("riskpoints:export"), {"level": 1})
    ws = load_workbook(BytesIO(response.content)).active
    titles = [row[7] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert titles == ["选择性执法"]


def test_flow_step_markers_link_to_the_register(people, bureau, power_a, client_for):
    step = power_a.steps.order_by("order").first()
    RiskPointFactory(unit=bureau.a, power=power_a, step=step, kind="process", level=1, title="受理环节吃拿卡要")
    RiskPointFactory(unit=bureau.a, power=power_a, step=step, kind="process", level=3, title="受理不登记")
    html = client_for(people.staff_a).get(power_a.get_absolute_url()).content.decode()
    assert 'fill="#dc3545"' in html and f"?step={step.pk}" in html and "该环节有 2 个廉政风险点，最高一级" in html
    listing = client_for(people.staff_a).get(reverse("riskpoints:list"), {"step": step.pk}).content.decode()
    assert "受理环节吃拿卡要" in listing and "受理不登记" in listing
    # Someone who cannot see those risk points sees no markers.
    assert 'fill="#dc3545"' not in client_for(people.leader_b).get(reverse("powers:list")).content.decode()


REGISTER_QUERIES = 17  # the counts filter the tallies with the register's own validated filters
# A kept drawing: the digest of what the table shows, its counts (by level, key post and key area,
# and the unaccepted: one read of the tallies), the year selector and the posts' registers; drawing it anew reads the
# rows, their measures and people (and the powers and posts, when the rows name any).
TABLE_KEPT_QUERIES = 15
TABLE_DRAWING_QUERIES = 3
