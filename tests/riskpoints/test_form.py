"""The risk form: the power list shows codes and is searched on the server, the step list holds
the chosen power's steps, a new risk point starts on the user's unit and post, the suggested
level comes from the server's rubric, and a power's category suggests importance and 重点领域."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from riskpoints.forms import POWER_OPTIONS_LIMIT
from riskpoints.services import rubric_for
from tests.factories import PostFactory, PowerItemFactory

pytestmark = pytest.mark.usefixtures("open_year")


def options(html, select_id):
    select = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)


def test_a_new_risk_point_starts_on_the_users_unit_and_post(people, bureau, client_for):
    post = PostFactory(unit=bureau.a, name="审批岗")
    people.staff_a.post = post
    people.staff_a.save()
    form = client_for(people.staff_a).get(reverse("riskpoints:create")).context["form"]
    assert (form["unit"].value(), form["post"].value()) == (bureau.a.pk, post.pk)


def test_the_office_is_not_defaulted_to_a_unit_it_cannot_register_in(people, client_for):
    people.office.groups.filter(name="staff").delete()  # the office alone registers nothing
    response = client_for(people.office).get(reverse("riskpoints:create"))
    assert response.status_code in (200, 403, 404)
    if response.status_code == 200:
        assert response.context["form"]["unit"].value() is None


def test_the_power_list_shows_codes_sorted_and_only_the_first_matches(people, bureau, client_for):
    for n in range(POWER_OPTIONS_LIMIT + 20):
        PowerItemFactory(unit=bureau.a, code=f"CF-A-{999 - n:03d}", flow=False, bases=0)
    PowerItemFactory(unit=bureau.b, code="CF-A-000", name="东城的处罚", flow=False, bases=0)
    html = client_for(people.staff_a).get(reverse("riskpoints:create")).content.decode()
    shown = [label for value, label in options(html, "id_power") if value]
    assert len(shown) == POWER_OPTIONS_LIMIT
    assert [label.split()[0] for label in shown] == sorted(label.split()[0] for label in shown)
    assert shown[0].startswith("CF-A-950 ") and "东城的处罚" not in html  # B's power is out of scope


def test_the_power_search_asks_the_server_and_keeps_the_choice(people, bureau, client_for, power_a, power_b):
    other = PowerItemFactory(unit=bureau.a, code="XK-A-001", name="临时占道许可", category="licensing")
    client = client_for(people.staff_a)
    html = client.get(reverse("riskpoints:power_options"), {"power_q": "占道", "power": power_a.pk}).content.decode()
    assert html.strip().startswith('<div id="power-field">')
    values = [int(v) for v, _label in options(html, "id_power") if v]
    assert values == [power_a.pk, other.pk]  # the chosen power stays, then the matches
    assert 'selected' in html.split(f'value="{power_a.pk}"', 1)[1].split(">", 1)[0]
    html = client.get(reverse("riskpoints:power_options"), {"power_q": power_b.code}).content.decode()
    assert power_b.code not in html  # another unit's power is not found


def test_the_step_list_holds_only_the_chosen_powers_steps(people, bureau, client_for, power_a):
    other = PowerItemFactory(unit=bureau.a)
    client = client_for(people.staff_a)
    html = client.get(reverse("riskpoints:create")).content.decode()
    assert [v for v, _l in options(html, "id_step") if v] == []
    html = client.get(reverse("riskpoints:power_steps"), {"power": power_a.pk}).content.decode()
    steps = {int(v) for v, _l in options(html, "id_step") if v}
    assert steps == set(power_a.steps.values_list("pk", flat=True))
    assert not steps & set(other.steps.values_list("pk", flat=True))
    html = client.get(reverse("riskpoints:create"), {"power": other.pk}).content.decode()
    assert {int(v) for v, _l in options(html, "id_step") if v} == set(other.steps.values_list("pk", flat=True))


def test_another_units_power_gives_no_steps(people, client_for, power_b):
    html = client_for(people.staff_a).get(reverse("riskpoints:power_steps"), {"power": power_b.pk}).content.decode()
    assert [v for v, _l in options(html, "id_step") if v] == []


def test_a_powers_category_suggests_importance_and_key_area(people, bureau, client_for, power_a):
    client = client_for(people.staff_a)
    html = client.get(reverse("riskpoints:power_steps"), {"power": power_a.pk}).content.decode()
    assert 'data-importance="3"' in html and 'data-key-area="penalty"' in html and "行政处罚" in html
    form = client.get(reverse("riskpoints:create"), {"power": power_a.pk}).context["form"]
    assert (form["importance"].value(), form["key_area"].value()) == (3, "penalty")
    inspection = PowerItemFactory(unit=bureau.a, category="inspection")
    html = client.get(reverse("riskpoints:power_steps"), {"power": inspection.pk}).content.decode()
    assert 'data-importance="2"' in html and 'data-key-area=""' in html


def test_a_wrong_step_is_still_refused_on_save(people, bureau, client_for, power_a):
    other = PowerItemFactory(unit=bureau.a)
    data = {"unit": bureau.a.pk, "finding_level": "department", "kind": "process", "found_by": "self",
            "title": "t", "description": "d", "importance": 3, "discretion": 2, "probability": 2, "harm": 1,
            "level": 2, "power": power_a.pk, "step": other.steps.first().pk}
    html = client_for(people.staff_a).post(reverse("riskpoints:create"), data).content.decode()
    assert "流程环节必须属于所选职权" in html


@pytest.mark.parametrize("factors, level", [((3, 1, 3, 1), "一级"), ((1, 3, 3, 3), "三级"), ((2, 1, 1, 1), "三级")])
def test_the_suggestion_comes_from_the_servers_rubric(people, client_for, factors, level):
    query = dict(zip(("importance", "discretion", "probability", "harm"), map(str, factors), strict=True))
    html = client_for(people.staff_a).get(reverse("riskpoints:suggest"), query).content.decode()
    assert f">{level}<" in html and f'data-level="{"一二三".index(level[0]) + 1}"' in html


def test_the_suggestion_follows_the_offices_rubric(people, bureau, client_for):
    rubric = rubric_for(bureau.ju)
    rubric.second_importance = 1
    rubric.save()
    query = {"importance": "1", "discretion": "1", "probability": "2", "harm": "1"}
    assert ">二级<" in client_for(people.staff_a).get(reverse("riskpoints:suggest"), query).content.decode()


@pytest.mark.parametrize("query", [{}, {"importance": "3", "discretion": "9", "probability": "1", "harm": "1"},
                                   {"importance": "①", "discretion": "1", "probability": "1", "harm": "1"}])
def test_an_incomplete_assessment_suggests_nothing(people, client_for, query):
    response = client_for(people.staff_a).get(reverse("riskpoints:suggest"), query)
    assert response.status_code == 200 and "请先评定四项要素" in response.content.decode()


def test_the_level_rule_has_one_home():
    js = (Path(settings.BASE_DIR) / "static/js/risk-level.js").read_text()
    template = (Path(settings.BASE_DIR) / "templates/riskpoints/riskpoint_form.html").read_text()
    assert not re.search(r"reduce|>=|data-first|data-second|dataset\.(first|second|rule)", js)
    assert "first_min_score" not in template and "riskpoints:suggest" in template
