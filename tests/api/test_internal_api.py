"""The internal API: a token per system, scoped to its unit as the pages are, every use logged."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from api.models import ApiClient, ApiClientUse
from api.services import api_client_issue, api_client_revoke
from tests.factories import PowerItemFactory, RiskPointFactory, UserFactory

LATER = timezone.now() + datetime.timedelta(days=30)


@pytest.fixture
def admin_user(bureau):
    return UserFactory(username="it_admin", unit=bureau.ju, roles=["admin"])


@pytest.fixture
def token_a(admin_user, bureau):
    return api_client_issue(actor=admin_user, name="省监督平台", unit=bureau.a, expires_at=LATER)


def get(client, url, token, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_reads_its_units_items_in_every_state(client, bureau, token_a):
    own, squad = PowerItemFactory(unit=bureau.a), PowerItemFactory(unit=bureau.a_squad)
    other = PowerItemFactory(unit=bureau.b)
    risk = RiskPointFactory(unit=bureau.a)
    _client, token = token_a
    codes = {r["code"] for r in get(client, reverse("api:internal_powers"), token).json()["results"]}
    assert codes == {own.code, squad.code}
    assert get(client, reverse("api:internal_power", args=[own.code]), token).json()["status"] == "draft"
    assert get(client, reverse("api:internal_risk", args=[risk.code]), token).json()["code"] == risk.code
    assert other.code not in codes


def test_a_token_scoped_to_one_unit_reads_nothing_of_another(client, bureau, token_a):
    other_power, other_risk = PowerItemFactory(unit=bureau.b), RiskPointFactory(unit=bureau.b)
    _client, token = token_a
    assert get(client, reverse("api:internal_power", args=[other_power.code]), token).status_code == 404
    assert get(client, reverse("api:internal_risk", args=[other_risk.code]), token).status_code == 404
    assert get(client, reverse("api:internal_powers"), token, unit=bureau.b.pk).json()["results"] == []
    assert get(client, reverse("api:internal_risks"), token).json()["results"] == []


def test_expired_revoked_unknown_or_missing_tokens_answer_401(client, bureau, admin_user, token_a):
    api, token = token_a
    url = reverse("api:internal_powers")
    assert get(client, url, token).status_code == 200
    assert client.get(url).status_code == 401
    assert get(client, url, token + "x").status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer").status_code == 401
    ApiClient.objects.filter(pk=api.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = get(client, url, token)
    assert expired.status_code == 401 and "令牌" in expired.json()["detail"] and "Bearer" in expired["WWW-Authenticate"]
    other, other_token = api_client_issue(actor=admin_user, name="政务公开平台", unit=bureau.a, expires_at=LATER)
    assert get(client, url, other_token).status_code == 200
    api_client_revoke(actor=admin_user, client=other)
    assert get(client, url, other_token).status_code == 401


def test_every_use_is_logged_refusals_included(client, bureau, token_a):
    api, token = token_a
    power = PowerItemFactory(unit=bureau.b)
    get(client, reverse("api:internal_powers"), token)
    get(client, reverse("api:internal_power", args=[power.code]), token)
    uses = list(ApiClientUse.objects.filter(client=api).order_by("at", "pk").values_list("path", "status"))
    assert uses == [(reverse("api:internal_powers"), 200), (reverse("api:internal_power", args=[power.code]), 404)]
    api.refresh_from_db()
    assert api.last_used_at is not None


def test_only_an_administrator_of_the_bureau_issues_tokens(people, bureau, admin_user):
    for persona in ("office", "head_a", "director"):
        with pytest.raises(PermissionDenied):
            api_client_issue(actor=getattr(people, persona), name="x", unit=bureau.a, expires_at=LATER)
    stranger_bureau = UserFactory(username="admin_elsewhere", roles=["admin"])
    with pytest.raises(PermissionDenied):
        api_client_issue(actor=stranger_bureau, name="x", unit=bureau.a, expires_at=LATER)
    with pytest.raises(PermissionDenied):
        api_client_issue(actor=admin_user, name="x", unit=bureau.a, expires_at=timezone.now())
    client, token = api_client_issue(actor=admin_user, name="x", unit=bureau.a, expires_at=LATER)
    assert token not in (client.token_hash, client.token_prefix) and client.token_hash != token


def test_the_token_reads_no_more_than_a_staff_member_of_its_unit(client, people, bureau, token_a):
    for i in range(3):
        PowerItemFactory(unit=(bureau.a, bureau.b, bureau.a_squad)[i])
    _client, token = token_a
    from powers.models import PowerItem

    seen = {r["code"] for r in get(client, reverse("api:internal_powers"), token).json()["results"]}
    assert seen == set(PowerItem.objects.for_user(people.staff_a).values_list("code", flat=True))


@pytest.mark.parametrize("size", [2, 12])
def test_internal_list_query_counts_do_not_grow(client, people, bureau, token_a, django_assert_num_queries, size):
    from tests.public.test_public import risk_with_plan

    for i in range(size):
        PowerItemFactory(unit=bureau.a)
        risk_with_plan(bureau, people, f"风险{i}")
    _client, token = token_a
    # token, subtree scope, the page, its use row and last-used stamp; risks add the measures
    with django_assert_num_queries(EXPECTED["powers"]):
        assert get(client, reverse("api:internal_powers"), token).status_code == 200
    with django_assert_num_queries(EXPECTED["risks"]):
        assert get(client, reverse("api:internal_risks"), token).status_code == 200


EXPECTED = {"powers": 5, "risks": 6}


def test_an_administrator_registers_a_system_in_the_admin_and_sees_its_token_once(client, bureau):
    admin = UserFactory(username="root_admin", unit=bureau.ju, roles=["admin"], is_staff=True, is_superuser=True)
    client.force_login(admin)
    later = timezone.localtime(LATER)
    response = client.post(reverse("admin:api_apiclient_add"), {
        "name": "政务公开平台", "unit": bureau.a.pk,
        "expires_at_0": later.date().isoformat(), "expires_at_1": later.strftime("%H:%M:%S")}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    token = next(m.split("：")[-1] for m in shown if "令牌" in m)
    api = ApiClient.objects.get(name="政务公开平台")
    assert api.created_by == admin and token.startswith(api.token_prefix)
    client.logout()
    assert get(client, reverse("api:internal_powers"), token).status_code == 200
    assert token not in client.get(reverse("api:internal_powers"), HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
