"""The review expert (评审专家): reads the bureau's register, changes nothing, proposes (专家评)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from org.choices import Role
from org.scoping import editable_unit_ids, visible_unit_ids
from riskpoints.models import RiskPoint
from tests.factories import RiskPointFactory, UnitFactory, UserFactory


@pytest.fixture
def expert(bureau):
    return UserFactory(username="expert", unit=bureau.ju, roles=["expert"])


def test_the_expert_role_exists_as_a_group(db):
    assert Group.objects.filter(name=Role.EXPERT).exists()
    assert Role.EXPERT.label == "评审专家"


def test_an_expert_reads_the_whole_bureau_and_edits_nothing(bureau, people, expert):
    assert {bureau.a.pk, bureau.b.pk, bureau.a_squad.pk} <= visible_unit_ids(expert)
    assert editable_unit_ids(expert) == frozenset()
    other = UnitFactory(code="OTHER", name="另一个局", kind="bureau")
    assert other.pk not in visible_unit_ids(expert)


def test_an_expert_opens_the_register_but_cannot_write(bureau, people, expert, client_for, open_year):
    risk = RiskPointFactory(unit=bureau.b)
    foreign = RiskPointFactory(unit=UnitFactory(code="X1", name="外局大队", kind="brigade",
                                                parent=UnitFactory(code="X", name="外局", kind="bureau")))
    client = client_for(expert)
    assert risk.title in client.get(reverse("riskpoints:list")).content.decode()
    assert client.get(risk.get_absolute_url()).status_code == 200
    assert client.get(foreign.get_absolute_url()).status_code == 404
    assert client.get(reverse("riskpoints:edit", args=[risk.pk])).status_code == 403
    assert client.get(reverse("riskpoints:create")).status_code == 403
    assert client.get(reverse("controls:plan", args=[risk.pk])).status_code == 403
    response = client.post(reverse("riskpoints:transition", args=[risk.pk, "submit"]))
    risk.refresh_from_db()
    assert risk.status == "draft" and response.status_code in (302, 403)
    assert client.get(reverse("monitoring:info_list")).status_code == 403  # risk information stays the office's
    assert RiskPoint.objects.count() == 2


def test_an_expert_proposes_as_expert_review(bureau, expert, client_for):
    html = client_for(expert).get(reverse("monitoring:proposal_create")).content.decode()
    assert "专家评" in html and "领导点" not in html
