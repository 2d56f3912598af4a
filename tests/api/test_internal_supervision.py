"""The internal API for a supervision platform: key-power filings with their checks, and the
states of warnings. The party of a case and everything personal about a warning stay in the
bureau; a system reads warnings only once an administrator allowed it to."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import ApiClient
from api.services import api_client_issue
from monitoring.choices import Method
from monitoring.handling import warning_issue
from monitoring.services import information_record
from supervision.services import filing_create
from tests import workflow
from tests.factories import PowerItemFactory, UserFactory
from tests.supervision.conftest import MONDAY, case, key_power  # noqa: F401

LATER = timezone.now() + datetime.timedelta(days=30)
LIMIT = MONDAY + datetime.timedelta(days=7)


@pytest.fixture
def system(bureau):
    admin = UserFactory(username="it_admin", unit=bureau.ju, roles=["admin"])
    return api_client_issue(actor=admin, name="省监督平台", unit=bureau.a, expires_at=LATER)


def get(client, url, token, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def filings(people, bureau, key_power):  # noqa: F811
    """A late case of unit A (red), and one of unit B's own key power."""
    data, done = case(key_power, decided=LIMIT + datetime.timedelta(days=1), closed=LIMIT + datetime.timedelta(days=1),
                      party="当事人MARK-PARTY")
    late = filing_create(actor=people.staff_a, power=key_power, data=data, done=done)
    power_b = workflow.walk(PowerItemFactory(unit=bureau.b, name="乙单位的处罚"), people, unit="b")
    data_b, done_b = case(power_b, number="乙-1", decided=LIMIT, closed=LIMIT)
    other = filing_create(actor=people.staff_b, power=power_b, data=data_b, done=done_b)
    return late, other


def test_a_system_reads_its_units_filings_with_steps_and_findings_but_never_the_party(client, system, filings):
    late, other = filings
    _api, token = system
    listed = get(client, reverse("api:internal_filings"), token)
    assert listed.status_code == 200
    assert [f["case_number"] for f in listed.json()["results"]] == [late.case_number]
    detail = get(client, reverse("api:internal_filing", args=[late.pk]), token).json()
    assert (detail["light"], detail["light_label"]) == ("red", "红牌")
    assert [f["kind"] for f in detail["findings"]] == ["late"] and "超出 1 个工作日" in detail["findings"][0]["message"]
    assert {s["name"] for s in detail["steps"]} == {"受理", "决定"}
    assert "MARK-PARTY" not in listed.content.decode() + str(detail) and "party" not in detail
    assert get(client, reverse("api:internal_filing", args=[other.pk]), token).status_code == 404
    assert get(client, reverse("api:internal_filings"), token, light="green").json()["results"] == []
    refused = get(client, reverse("api:internal_filings"), token, light="紫牌")
    assert refused.status_code == 400 and "light" in refused.json()


@pytest.fixture
def warnings(people, bureau):
    """A person's warning in unit A and a unit's warning in unit B."""
    info = information_record(bureau=bureau.ju, channel="petition", recorded_by=people.office, concerns_unit=bureau.a,
                              content="反映执法人员收受好处MARK-INFO", reporter="举报人MARK-REPORTER")
    mine = warning_issue(actor=people.office, method=Method.ADMONITION, person=people.staff_a, nature="sign",
                         reason="收受管理对象宴请MARK-REASON", information=[info], reasoning="经核实")
    theirs = warning_issue(actor=people.office, method=Method.RECTIFY, unit=bureau.b, nature="trend",
                           reason="乙单位MARK-REASON-B", requirement="限期整改MARK-REQ",
                           deadline=timezone.localdate() + datetime.timedelta(days=10))
    return mine, theirs


def test_warnings_are_refused_until_an_administrator_allows_the_system(client, system, warnings):
    api, token = system
    for url in (reverse("api:internal_warnings"), reverse("api:internal_warning", args=[warnings[0].pk])):
        refused = get(client, url, token)
        assert refused.status_code == 403 and "可读取预警状态" in refused.json()["detail"]
    ApiClient.objects.filter(pk=api.pk).update(reads_warnings=True)
    assert get(client, reverse("api:internal_warnings"), token).status_code == 200


def test_an_allowed_system_reads_the_state_of_its_units_warnings_and_nothing_personal(people, client, system, warnings):
    api, token = system
    ApiClient.objects.filter(pk=api.pk).update(reads_warnings=True)
    mine, theirs = warnings
    listed = get(client, reverse("api:internal_warnings"), token)
    rows = listed.json()["results"]
    assert [(w["number"], w["target"], w["method"], w["state"], w["acknowledged"]) for w in rows] == [
        (mine.number, "person", "admonition", "issued", False)]
    text = listed.content.decode() + get(client, reverse("api:internal_warning", args=[mine.pk]), token).content.decode()
    for marker in ("MARK-REASON", "MARK-INFO", "MARK-REPORTER", people.staff_a.real_name, "staff_a", "\"reason\":", "\"person\":", "requirement"):
        assert marker not in text, marker
    assert get(client, reverse("api:internal_warning", args=[theirs.pk]), token).status_code == 404
    assert get(client, reverse("api:internal_warnings"), token, state="closed").json()["results"] == []
    assert get(client, reverse("api:internal_warnings"), token, state="<script>").status_code == 400


@pytest.mark.parametrize("name", ["api:internal_filings", "api:internal_warnings"])
def test_query_counts_do_not_grow_with_the_page(people, client, system, key_power, name):  # noqa: F811
    api, token = system
    ApiClient.objects.filter(pk=api.pk).update(reads_warnings=True)
    for n in range(12):
        data, done = case(key_power, number=f"案-{n}", decided=LIMIT + datetime.timedelta(days=n % 3),
                          closed=LIMIT + datetime.timedelta(days=n % 3))
        filing_create(actor=people.staff_a, power=key_power, data=data, done=done)
        warning_issue(actor=people.office, method=Method.HEART_TALK, person=people.staff_a, nature="sign", reason=f"事由{n}")
    counts = []
    for size in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            response = get(client, reverse(name), token, page_size=size)
        assert response.status_code == 200 and len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

