import itertools

import pytest
from django.core.exceptions import ValidationError

from riskpoints.services import risk_check, risk_create, rubric_for

# Registering needs the year the office opened.
pytestmark = pytest.mark.usefixtures("open_year")

COMBOS = list(itertools.product((1, 2, 3), repeat=4))


def expected(factors, first=10, second=7, rule=True):
    importance, _d, _p, harm = factors
    score = sum(factors)
    if score >= first or (rule and importance == 3 and harm == 3):
        return 1
    return 2 if score >= second else 3


@pytest.mark.parametrize("factors", COMBOS)
def test_default_rubric_maps_every_combination(bureau, factors):
    assert rubric_for(bureau.ju).suggest(*factors) == expected(factors)


def test_configured_rubric_maps_every_combination(bureau):
    rubric = rubric_for(bureau.ju)
    rubric.first_min_score, rubric.second_min_score, rubric.first_if_important_and_harmful = 11, 8, False
    rubric.save()
    rubric = rubric_for(bureau.ju)
    for factors in COMBOS:
        assert rubric.suggest(*factors) == expected(factors, 11, 8, False), factors


def test_default_follows_the_work_plan_examples(bureau):
    rubric = rubric_for(bureau.ju)
    assert rubric.suggest(3, 3, 3, 3) == 1  # direct penalty power, wide discretion, frequent, severe
    assert rubric.suggest(3, 1, 1, 3) == 1  # important power whose abuse is a crime
    assert rubric.suggest(2, 2, 2, 2) == 2
    assert rubric.suggest(1, 1, 2, 1) == 3  # little power over people, money or things


def data(bureau, **over):
    return {"unit": bureau.a, "post": None, "power": None, "step": None, "finding_level": "department",
            "kind": "system", "found_by": "self", "title": "罚没款截留", "description": "收款不开票。",
            "importance": 3, "discretion": 2, "probability": 2, "harm": 1, "level": 2, "level_reason": "", **over}


def test_override_without_reason_is_refused(bureau, people):
    with pytest.raises(ValidationError) as exc:
        risk_create(actor=people.staff_a, data=data(bureau, level=1))
    assert "须说明理由" in exc.value.message_dict["level_reason"][0]
    risk = risk_create(actor=people.staff_a, data=data(bureau, level=1, level_reason="近两年发生过同类案件"))
    assert (risk.suggested_level, risk.level) == (2, 1)


def test_power_is_required_except_for_system_risks(bureau):
    with pytest.raises(ValidationError) as exc:
        risk_check(data=data(bureau, kind="duty"))
    assert "power" in exc.value.message_dict
    assert risk_check(data=data(bureau, kind="system")) == 2


def test_step_must_belong_to_the_power(bureau, power_a, power_b):
    with pytest.raises(ValidationError) as exc:
        risk_check(data=data(bureau, kind="process", power=power_a, step=power_b.steps.first()))
    assert "流程环节必须属于所选职权" in exc.value.message_dict["step"][0]


def test_office_changes_the_rubric_and_others_cannot(people, client_for):
    from django.urls import reverse

    for persona in ("staff_a", "head_a", "leader_a", "director"):
        client = client_for(getattr(people, persona))
        assert client.post(reverse("riskpoints:rubric"), {"first_min_score": 5, "second_min_score": 4}).status_code == 403
    client = client_for(people.office)
    response = client.post(reverse("riskpoints:rubric"), {"first_min_score": 7, "second_min_score": 9})
    assert "二级的分数线必须低于一级的分数线" in response.content.decode()
    client.post(reverse("riskpoints:rubric"), {"first_min_score": 11, "second_min_score": 8})
    assert rubric_for(people.office.unit.bureau).first_min_score == 11
