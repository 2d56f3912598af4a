import re

import pytest
from django.urls import reverse

from org.scoping import visible_unit_ids
from riskpoints.models import RiskPoint
from tests.factories import RiskPointFactory, UserFactory


@pytest.fixture
def admin_user(bureau):
    return UserFactory(username="it_admin", unit=bureau.ju, roles=["admin"], is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", ["unit", "post", "user"])
def test_administrator_manages_units_posts_and_users(admin_user, client_for, model):
    client = client_for(admin_user)
    assert client.get(reverse(f"admin:org_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:org_{model}_add")).status_code == 200


def test_non_staff_users_cannot_open_the_admin(people, client_for):
    response = client_for(people.office).get(reverse("admin:org_user_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_user_without_a_role_sees_nothing(people, bureau):
    assert visible_unit_ids(people.nobody) == frozenset()


def test_leadership_sees_the_whole_bureau_but_not_another(people, bureau):
    from tests.factories import UnitFactory

    other = UnitFactory(code="OTHER", name="另一个局", kind="bureau")
    ids = visible_unit_ids(people.director)
    assert {bureau.a.pk, bureau.b.pk, bureau.a_squad.pk, bureau.ju.pk} <= ids and other.pk not in ids


def test_risk_step_of_another_unit_is_404(people, bureau, client_for):
    risk = RiskPointFactory(unit=bureau.b)
    response = client_for(people.staff_a).post(reverse("riskpoints:transition", args=[risk.pk, "submit"]))
    assert response.status_code == 404
    assert RiskPoint.objects.get(pk=risk.pk).status == "draft"


@pytest.mark.parametrize("persona", ["leader_a", "office", "director"])
def test_only_the_units_editors_confirm_a_carried_risk(people, bureau, client_for, persona):
    risk = RiskPointFactory(unit=bureau.a)
    risk.previous = RiskPointFactory(unit=bureau.a)
    risk.carry_decision = "pending"
    risk.save()
    client_for(getattr(people, persona)).post(reverse("riskpoints:carry", args=[risk.pk]),
                                              {"decision": "retired", "lock_version": risk.lock_version})
    risk.refresh_from_db()
    assert risk.carry_decision == "pending"


@pytest.mark.parametrize("persona", ["staff_a", "squad_staff", "head_a", "staff_b", "leader_a", "leader_b", "office",
                                     "director", "nobody"])
def test_every_menu_link_opens_for_every_role(people, bureau, client, persona):
    """A leader in charge sits in the bureau but sees only their units: the menu must not offer
    pages of a unit or post outside the user's scope (they would answer 404)."""
    from tests.factories import PostFactory

    user = getattr(people, persona)
    user.post = PostFactory(unit=user.unit)
    user.save()
    client.force_login(user)
    home = client.get("/")
    menu = home.content.decode().split('<nav', 1)[1].split('</nav>', 1)[0]
    links = {href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"#]*)"', menu)}
    assert links
    for href in links:
        response = client.get(href, follow=True)
        assert response.status_code == 200, (persona, href, response.status_code)
