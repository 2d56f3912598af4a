"""The catalogue columns of a power (实施主体 … 备注): stored, shown, printed, frozen, public."""

import pytest
from django.urls import reverse

from powers.limits import limit_errors, limit_warnings
from powers.models import PowerItem
from tests.factories import PowerItemFactory
from tests.powers.test_views import form_data

COLUMNS = {
    "legal_body": "测试市城管执法局", "handling_body": "规划执法大队案审组", "duties": "立案责任MARK-DUTIES",
    "accountability": "不依法立案的MARK-ACCOUNT", "statutory_days": "60", "promised_days": "30",
    "charges_fee": "on", "fee_basis": "依据某规定按件收取MARK-FEE", "supervision_phone": "0551-12319",
    "remarks": "备注MARK-REMARKS",
}


def test_the_power_form_stores_the_catalogue_columns_and_the_detail_and_print_pages_show_them(people, bureau, client_for):
    client = client_for(people.staff_a)
    response = client.post(reverse("powers:create"), form_data(unit=bureau.a.pk, **COLUMNS))
    assert response.status_code == 302
    power = PowerItem.objects.get()
    assert (power.legal_body, power.statutory_days, power.promised_days, power.charges_fee) == ("测试市城管执法局", 60, 30, True)
    for url in (power.get_absolute_url(), reverse("powers:flow_print", args=[power.pk])):
        html = client.get(url).content.decode()
        for marker in ("规划执法大队案审组", "MARK-DUTIES", "MARK-ACCOUNT", "MARK-FEE", "0551-12319", "60 个工作日", "30 个工作日"):
            assert marker in html, (url, marker)
    assert "MARK-REMARKS" in client.get(power.get_absolute_url()).content.decode()


def test_a_new_power_form_proposes_the_bureau_as_legal_body(people, client_for):
    html = client_for(people.staff_a).get(reverse("powers:create")).content.decode()
    assert 'value="测试市城管执法局"' in html


def test_a_promise_beyond_the_statutory_limit_is_refused(people, bureau, client_for):
    response = client_for(people.staff_a).post(reverse("powers:create"), form_data(
        unit=bureau.a.pk, statutory_days="20", promised_days="25"))
    assert response.status_code == 200
    assert "不能超过法定时限" in str(response.context["form"].errors["promised_days"])
    assert not PowerItem.objects.exists()


def test_a_promise_not_a_third_shorter_is_saved_with_advice(people, bureau, client_for):
    client = client_for(people.staff_a)
    response = client.post(reverse("powers:create"), form_data(unit=bureau.a.pk, statutory_days="20", promised_days="15"), follow=True)
    assert PowerItem.objects.get().promised_days == 15
    html = response.content.decode()
    assert "至少缩短三分之一" in html and "不超过 13 个工作日" in html


def test_a_fee_needs_its_basis(people, bureau, client_for):
    response = client_for(people.staff_a).post(reverse("powers:create"), form_data(unit=bureau.a.pk, charges_fee="on"))
    assert "收费依据及标准" in str(response.context["form"].errors["fee_basis"])


@pytest.mark.parametrize("statutory,promised,errors,warnings", [
    (20, 13, 0, 0), (20, 14, 0, 1), (20, 20, 0, 1), (20, 21, 1, 0), (None, 5, 0, 0), (5, None, 0, 0), (1, 1, 0, 0), (3, 2, 0, 0),
])
def test_the_time_limit_rule(statutory, promised, errors, warnings):
    assert len(limit_errors(statutory=statutory, promised=promised)) == errors
    assert len(limit_warnings(statutory=statutory, promised=promised)) == warnings


def test_the_columns_are_frozen_in_the_review_snapshot(bureau):
    power = PowerItemFactory(unit=bureau.a, legal_body="测试市城管执法局", duties="立案责任", supervision_phone="12319",
                             statutory_days=10, promised_days=5, charges_fee=False, remarks="无")
    snap = power.snapshot()
    assert {k: snap[k] for k in ("legal_body", "duties", "supervision_phone", "statutory_days", "promised_days", "charges_fee", "remarks")} == {
        "legal_body": "测试市城管执法局", "duties": "立案责任", "supervision_phone": "12319",
        "statutory_days": 10, "promised_days": 5, "charges_fee": False, "remarks": "无"}


def test_the_public_page_shows_the_catalogue_columns(people, bureau, client):
    from tests.public.test_public import publish, walk

    power = PowerItemFactory(unit=bureau.a, handling_body="规划执法大队PUBLIC-HANDLER", duties="PUBLIC-DUTIES",
                             accountability="PUBLIC-ACCOUNT", statutory_days=60, promised_days=30,
                             supervision_phone="PUBLIC-PHONE", remarks="PUBLIC-REMARKS")
    walk(power, people)
    publish(people)
    html = client.get(reverse("public:power", args=[power.code])).content.decode()
    for marker in ("PUBLIC-HANDLER", "PUBLIC-DUTIES", "PUBLIC-ACCOUNT", "PUBLIC-PHONE", "PUBLIC-REMARKS", "60 个工作日", "30 个工作日"):
        assert marker in html, marker
