"""The measures list (防控措施落实情况): scope, filters, export, constant queries."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from controls.models import ControlPlan, Measure
from tests.factories import RiskPointFactory

TODAY = timezone.localdate()


def measure(risk, who, *, days, state="planned"):
    plan, _ = ControlPlan.objects.get_or_create(risk_point=risk)
    return Measure.objects.create(plan=plan, kind="system", content=f"措施{plan.pk}-{days}", responsible=who,
                                  due_date=TODAY + datetime.timedelta(days=days), state=state)


@pytest.fixture
def measures(bureau, people, open_year):
    a, b = RiskPointFactory(unit=bureau.a, level=1), RiskPointFactory(unit=bureau.b)
    retired = RiskPointFactory(unit=bureau.a, carry_decision="retired")
    return {
        "a_late": measure(a, people.staff_a, days=-2),
        "a_done": measure(a, people.head_a, days=-5, state="done"),
        "a_open": measure(a, people.staff_a, days=5, state="improve"),
        "b_late": measure(b, people.staff_b, days=-1),
        "retired": measure(retired, people.staff_a, days=-1),
    }


def listed(client, **query):
    response = client.get(reverse("controls:measures"), query)
    assert response.status_code == 200
    return {m.pk for m in response.context["page_obj"]}


def test_staff_see_only_their_units_measures_and_never_those_of_retired_risks(measures, people, client_for):
    ids = {k: m.pk for k, m in measures.items()}
    assert listed(client_for(people.staff_b)) == {ids["b_late"]}
    assert listed(client_for(people.staff_a)) == {ids["a_late"], ids["a_done"], ids["a_open"]}
    assert listed(client_for(people.leader_a)) == {ids["a_late"], ids["a_done"], ids["a_open"]}
    assert len(listed(client_for(people.office))) == 4
    assert listed(client_for(people.nobody)) == set()


def test_filters_by_progress_level_and_own(measures, people, client_for):
    ids = {k: m.pk for k, m in measures.items()}
    office = client_for(people.office)
    assert listed(office, progress="overdue") == {ids["a_late"], ids["b_late"]}
    assert listed(office, progress="done") == {ids["a_done"]}
    assert listed(office, progress="open", level="1") == {ids["a_late"], ids["a_open"]}
    assert listed(client_for(people.staff_a), mine="true") == {ids["a_late"], ids["a_open"]}


@pytest.mark.parametrize("query", [
    {"progress": "later"}, {"unit": "99999999999999999999999"}, {"round": "x\x00"}, {"level": "１"},
    {"mine": "maybe"}, {"ordering": "password"},
])
def test_bad_filters_never_answer_500(measures, people, client_for, query):
    assert client_for(people.office).get(reverse("controls:measures"), query).status_code == 200


def test_export_holds_what_the_list_shows(measures, people, client_for):
    response = client_for(people.office).get(reverse("controls:measures_export"), {"progress": "overdue"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[5] for r in rows) == sorted([measures["a_late"].content, measures["b_late"].content])


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count_does_not_grow(bureau, people, open_year, client_for, django_assert_num_queries, size):
    risk = RiskPointFactory(unit=bureau.a)
    for i in range(size):
        measure(risk, people.staff_a, days=i - 5)
    client = client_for(people.office)
    client.get(reverse("controls:measures"))
    with django_assert_num_queries(15):
        client.get(reverse("controls:measures"))
