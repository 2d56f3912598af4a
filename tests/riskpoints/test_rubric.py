import itertools

import pytest
from django.core.exceptions import ValidationError

from django.urls import reverse

from powers.choices import PowerCategory
from riskpoints.services import risk_check, risk_create, risk_suggest_from_power, rubric_for

# Registering needs the year the office opened.
pytestmark = pytest.mark.usefixtures("open_year")

COMBOS = list(itertools.product((1, 2, 3), repeat=4))

# The work plan's criteria (§三(二)2), written out for every grade of the four factors.
#   一级: 直接行使行政许可、行政处罚、项目审批及人事、财务、物资采购等重要权力 (importance 高)
#         and 风险发生机率高，或者一旦发生可能造成严重损害后果 (probability 高 or harm 严重);
#   二级: 直接行使部分行政许可、行政处罚，人事、财务、物资采购等重要权力 (importance at least 中)
#         and 机率较高，或者……较为严重损害后果 (probability or harm at least 较高 / 较严重);
#   三级: 基本没有行政许可、行政处罚等权力，较少或基本不掌握人、财、物管理权 (importance 低),
#         or 机率较小 / 不良社会影响 (probability and harm both at the lowest grade).
# Our stated reading for discretion (the plan assesses it, §三(二)2 “自由裁量权的大小”, but
# names no level for it): a large discretion (3) lifts a would-be 三级 to 二级 when the power is
# at least 中, and never makes a risk 一级.
#
# Each row is (importance, discretion): nine levels for (probability, harm) =
# (1,1) (1,2) (1,3) | (2,1) (2,2) (2,3) | (3,1) (3,2) (3,3).
PLAN_TABLE = {
    (3, 1): "321 221 111",
    (3, 2): "321 221 111",
    (3, 3): "221 221 111",  # large discretion: the lowest exposure is still 二级
    (2, 1): "322 222 222",  # partial powers: 二级 at most, however likely or harmful
    (2, 2): "322 222 222",
    (2, 3): "222 222 222",
    (1, 1): "333 333 333",  # basically no power over permits, penalties, people, money, things
    (1, 2): "333 333 333",
    (1, 3): "333 333 333",
}


def plan_level(importance, discretion, probability, harm):
    row = PLAN_TABLE[importance, discretion].replace(" ", "")
    return int(row[(probability - 1) * 3 + (harm - 1)])


def test_the_table_covers_every_combination():
    assert sorted(PLAN_TABLE) == sorted(itertools.product((1, 2, 3), repeat=2))
    assert all(len(row.replace(" ", "")) == 9 for row in PLAN_TABLE.values())


@pytest.mark.parametrize("factors", COMBOS)
def test_default_rubric_says_what_the_plan_says(bureau, factors):
    assert rubric_for(bureau.ju).suggest(*factors) == plan_level(*factors)


def test_the_issues_examples(bureau):
    rubric = rubric_for(bureau.ju)
    assert rubric.suggest(3, 1, 3, 1) == 1  # a penalty power, 机率高: 一级 (the sum rule made it 二级)
    assert rubric.suggest(3, 1, 1, 3) == 1  # 严重后果 alone is enough
    assert rubric.suggest(1, 3, 3, 3) == 3  # a post with basically no such power never reaches 一级
    assert rubric.suggest(2, 3, 3, 3) == 2  # partial powers stop at 二级
    assert {rubric.suggest(1, *rest) for rest in itertools.product((1, 2, 3), repeat=3)} == {3}


def configured(factors, first_importance, first_exposure, second_importance, second_exposure, discretion_raises):
    importance, discretion, probability, harm = factors
    if importance >= first_importance and (probability >= first_exposure or harm >= first_exposure):
        return 1
    if importance >= second_importance and (
            probability >= second_exposure or harm >= second_exposure or (discretion_raises and discretion == 3)):
        return 2
    return 3


@pytest.mark.parametrize("values", [(2, 3, 1, 2, False), (3, 2, 2, 3, True), (3, 3, 3, 3, False)])
def test_configured_rubric_maps_every_combination(bureau, values):
    rubric = rubric_for(bureau.ju)
    (rubric.first_importance, rubric.first_exposure, rubric.second_importance, rubric.second_exposure,
     rubric.discretion_raises) = values
    rubric.save()
    rubric = rubric_for(bureau.ju)
    for factors in COMBOS:
        assert rubric.suggest(*factors) == configured(factors, *values), factors


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


RUBRIC = {"first_importance": 3, "first_exposure": 3, "second_importance": 1, "second_exposure": 2,
          "discretion_raises": ""}


def test_office_changes_the_rubric_and_others_cannot(people, client_for):
    for persona in ("staff_a", "head_a", "leader_a", "director"):
        client = client_for(getattr(people, persona))
        assert client.post(reverse("riskpoints:rubric"), RUBRIC).status_code == 403
    client = client_for(people.office)
    response = client.post(reverse("riskpoints:rubric"), {**RUBRIC, "second_exposure": 3, "first_exposure": 2})
    assert "二级的要求不能高于一级的要求" in response.content.decode()
    client.post(reverse("riskpoints:rubric"), RUBRIC)
    rubric = rubric_for(people.office.unit.bureau)
    assert (rubric.second_importance, rubric.discretion_raises) == (1, False)
    assert rubric.suggest(1, 1, 2, 1) == 2  # the office let posts with little power reach 二级


def test_rubric_page_states_the_rule(people, client_for):
    html = client_for(people.office).get(reverse("riskpoints:rubric")).content.decode()
    assert "权力重要程度" in html and "机率高" in html


# --- what a power's category suggests ------------------------------------------------------

@pytest.mark.parametrize("category", PowerCategory.values)
def test_a_powers_category_suggests_the_importance(power_a, category):
    power_a.category = category
    plan_important = {"licensing", "penalty", "project", "personnel", "finance", "procurement"}
    assert risk_suggest_from_power(power_a)["importance"] == (3 if category in plan_important else 2)


@pytest.mark.parametrize("category, area", [
    ("licensing", "approval"), ("penalty", "penalty"), ("project", "investment"), ("procurement", "public_resource"),
    ("finance", "special_funds"), ("inspection", ""), ("personnel", ""),
])
def test_a_powers_category_suggests_the_key_area(power_a, category, area):
    power_a.category = category
    assert risk_suggest_from_power(power_a)["key_area"] == area


def test_no_power_suggests_nothing():
    assert risk_suggest_from_power(None) == {"importance": None, "key_area": ""}


def test_registration_without_an_area_takes_the_powers(bureau, people, power_a):
    risk = risk_create(actor=people.staff_a, data=data(bureau, kind="process", power=power_a, level=2))
    assert risk.key_area == "penalty"
    risk = risk_create(actor=people.staff_a, data=data(bureau, kind="process", power=power_a, level=2, key_area=""))
    assert risk.key_area == ""  # the user said 非重点领域
