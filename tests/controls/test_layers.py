"""分级管理、分级负责、责任到人: three layers per risk point, the level decides which answers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from controls.choices import Layer
from controls.models import ControlPlan, ResponsibilityRule
from controls.services import layers_default, measure_kind_warning, plan_save
from review.choices import Action, Status
from review.services import WorkflowError, review_transition
from tests.factories import RiskPointFactory, UserFactory
from tests.workflow import walk

DUE = datetime.date(2026, 12, 31)


@pytest.fixture
def who(people, holder):
    return {"holder": holder, **vars(people)}


def risk_of(bureau, level, post=None, kind="duty", unit=None):
    return RiskPointFactory(unit=unit or bureau.a, post=post, level=level, suggested_level=level, level_reason="测试",
                            kind=kind)


def measure(user, **over):
    return {"kind": "control", "content": "双人执法、记录仪全程摄录", "responsible": user, "supervisor": None,
            "due_date": DUE, **over}


def save(risk, actor, layers, *measures):
    risk.refresh_from_db()
    return plan_save(risk=risk, actor=actor, lock_version=risk.lock_version, layers=layers,
                     measures=list(measures) or [measure(actor)])


# Each layer × who may stand in it (eligible) and who may not (refused, with the rule's words).
LAYER_CASES = [
    (Layer.DIRECT, "holder", "staff_b", "直接责任人须为该岗位的在岗人员或本单位工作人员"),
    (Layer.DIRECT, "staff_a2", "leader_a", "直接责任人须为"),
    (Layer.DEPARTMENT, "head_a", "staff_a", "部门责任人须为本单位负责人"),
    (Layer.DEPARTMENT, "head_a", "head_b", "部门责任人须为本单位负责人"),
    (Layer.LEADER, "leader_a", "leader_b", "责任领导须为分管本单位的局领导"),
    (Layer.LEADER, "leader_a", "director", "责任领导须为分管本单位的局领导"),
]
ANSWERING = {1: Layer.LEADER, 2: Layer.DEPARTMENT, 3: Layer.DIRECT}


@pytest.mark.parametrize("level", [1, 2, 3])
@pytest.mark.parametrize("layer,good,bad,message", LAYER_CASES)
def test_every_level_and_layer_names_only_eligible_people(bureau, people, post_a, who, level, layer, good, bad, message):
    risk = risk_of(bureau, level, post=post_a)
    full = {Layer.DIRECT: who["holder"], Layer.DEPARTMENT: people.head_a, Layer.LEADER: people.leader_a}
    with pytest.raises(ValidationError) as exc:
        save(risk, people.staff_a, {**full, layer: who[bad]})
    assert any(message in m for m in exc.value.messages)
    assert not ControlPlan.objects.exists()
    plan = save(risk, people.staff_a, {**full, layer: who[good]})
    assert plan.layer_person(layer) == who[good]


@pytest.mark.parametrize("level", [1, 2, 3])
@pytest.mark.parametrize("layer", list(Layer))
def test_the_level_decides_which_layer_must_be_named(bureau, people, post_a, holder, level, layer):
    risk = risk_of(bureau, level, post=post_a)
    full = {Layer.DIRECT: holder, Layer.DEPARTMENT: people.head_a, Layer.LEADER: people.leader_a}
    layers = {**full, layer: None}
    if layer == ANSWERING[level]:
        with pytest.raises(ValidationError) as exc:
            save(risk, people.staff_a, layers)
        assert f"{risk.get_level_display()}风险由{layer.label}负责，请填写{layer.label}" in exc.value.messages[0]
    else:
        assert save(risk, people.staff_a, layers).layer_person(layer) is None


def test_measures_are_carried_out_by_anyone_of_the_bureau_but_not_outsiders(bureau, people, post_a, holder):
    risk = risk_of(bureau, 1, post=post_a)  # 一级 no longer demands a bureau leader on each measure
    layers = {Layer.LEADER: people.leader_a}
    plan = save(risk, people.staff_a, layers, measure(holder, supervisor=people.head_a))
    assert plan.measures.get().responsible == holder
    other = UserFactory(unit=None, roles=["staff"])
    with pytest.raises(ValidationError, match="不是本局人员"):
        save(risk, people.staff_a, layers, measure(other))


def test_a_squads_risk_may_be_answered_by_its_brigades_head(bureau, people):
    risk = risk_of(bureau, 2, unit=bureau.a_squad)
    assert save(risk, people.squad_staff, {Layer.DEPARTMENT: people.head_a}).department_responsible == people.head_a


def test_defaults_come_from_post_holder_unit_head_and_leader(bureau, people, post_a, holder):
    risk = risk_of(bureau, 2, post=post_a)
    assert layers_default(risk) == {Layer.DIRECT: holder, Layer.DEPARTMENT: people.head_a, Layer.LEADER: people.leader_a}
    risk.refresh_from_db()
    plan = plan_save(risk=risk, actor=people.staff_a, lock_version=risk.lock_version, measures=[measure(people.staff_a)])
    assert (plan.direct_responsible, plan.department_responsible, plan.leader_responsible) == \
        (holder, people.head_a, people.leader_a)


@pytest.mark.parametrize("rule,good,bad", [("leader", "leader_a", None), ("department", "head_a", None), ("direct", "holder", None)])
def test_the_office_configures_which_layer_answers(bureau, people, client_for, post_a, who, rule, good, bad):
    client = client_for(people.office)
    response = client.post(reverse("controls:rules"), {"level_1": rule, "level_2": rule, "level_3": rule})
    assert response.status_code == 302
    assert ResponsibilityRule.objects.get(bureau=bureau.ju, level=3).answering == rule
    risk = risk_of(bureau, 3, post=post_a)
    layer = Layer(rule)
    with pytest.raises(ValidationError, match=f"三级风险由{layer.label}负责"):
        save(risk, people.staff_a, {layer: None})
    save(risk, people.staff_a, {layer: who[good]})
    assert client_for(people.staff_a).post(reverse("controls:rules"), {"level_1": "direct"}).status_code == 403


def test_acceptance_rechecks_the_layers(bureau, people, post_a, holder):
    risk = risk_of(bureau, 2, post=post_a)
    save(risk, people.staff_a, {Layer.DEPARTMENT: people.head_a})
    walk(risk, people, Status.LEADER_APPROVED, meeting_date=DUE)
    ResponsibilityRule.objects.create(bureau=bureau.ju, level=2, answering="leader")
    with pytest.raises(WorkflowError, match="二级风险由责任领导负责"):
        review_transition(item=risk, action=Action.ACCEPT, actor=people.office)
    ResponsibilityRule.objects.filter(bureau=bureau.ju).update(answering="department")
    record = review_transition(item=risk, action=Action.ACCEPT, actor=people.office)
    layers = {row["layer"]: row["name"] for row in record.snapshot["plan"]["layers"]}
    assert layers == {"direct": "", "department": people.head_a.display_name, "leader": ""}
    assert record.snapshot["plan"]["answering"] == "department"


def test_the_plan_form_lists_eligible_people_first(bureau, people, client_for, post_a, holder):
    risk = risk_of(bureau, 1, post=post_a)
    html = client_for(people.staff_a).get(reverse("controls:plan", args=[risk.pk])).content.decode()
    select = html[html.index('name="leader_responsible"'):]
    select = select[:select.index("</select>")]
    assert select.index("符合条件") < select.index(people.leader_a.display_name) < select.index("其他人员")
    assert select.index("其他人员") < select.index(people.leader_b.display_name)
    assert f'value="{people.leader_a.pk}" selected' in select  # the default
    assert "责任领导须为分管本单位的局领导" in html


def test_the_plan_page_saves_all_three_layers(bureau, people, client_for, post_a, holder):
    risk = risk_of(bureau, 1, post=post_a)
    data = {"risk_point": risk.pk, "lock_version": risk.lock_version, "monitoring": "",
            "direct_responsible": holder.pk, "department_responsible": people.head_a.pk,
            "leader_responsible": people.leader_a.pk,
            "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "1000",
            "m-0-kind": "control", "m-0-content": "审核清单", "m-0-responsible": holder.pk,
            "m-0-supervisor": people.head_a.pk, "m-0-due_date": "2026-12-31"}
    response = client_for(people.staff_a).post(reverse("controls:plan", args=[risk.pk]), data)
    assert response.status_code == 302
    plan = ControlPlan.objects.get(risk_point=risk)
    assert [u for _layer, u in plan.layers] == [holder, people.head_a, people.leader_a]
    table = client_for(people.head_a).get(reverse("riskpoints:unit_table", args=[bureau.a.pk])).content.decode()
    for text in ("直接责任人", "部门责任人", "责任领导", holder.display_name, people.leader_a.display_name):
        assert text in table
    register = client_for(people.head_a).get(reverse("riskpoints:post_register", args=[post_a.pk])).content.decode()
    for text in ("直接责任人", "部门责任人", "责任领导", people.head_a.display_name, people.leader_a.display_name):
        assert text in register


# --- measure kinds follow risk kinds -------------------------------------------------------------

@pytest.mark.parametrize("risk_kind,matching,other", [
    ("duty", "separation", "system"), ("duty", "disclosure", "process"), ("duty", "control", "process"),
    ("process", "process", "control"), ("system", "system", "separation"),
])
def test_measure_kind_warning(bureau, risk_kind, matching, other):
    risk = risk_of(bureau, 2, kind=risk_kind)
    assert measure_kind_warning(risk, [other]) is not None
    assert measure_kind_warning(risk, [other, matching]) is None


def plan_data(risk, kind, responsible):
    return {"risk_point": risk.pk, "lock_version": risk.lock_version, "monitoring": "",
            "direct_responsible": "", "department_responsible": responsible.pk, "leader_responsible": "",
            "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "1000",
            "m-0-kind": kind, "m-0-content": "制定并公开办事指南", "m-0-responsible": responsible.pk,
            "m-0-supervisor": "", "m-0-due_date": "2026-12-31"}


def test_a_plan_without_a_matching_kind_is_saved_with_a_warning(bureau, people, client_for):
    risk = risk_of(bureau, 2, kind="process")
    client = client_for(people.staff_a)
    response = client.post(reverse("controls:plan", args=[risk.pk]), plan_data(risk, "control", people.head_a), follow=True)
    html = response.content.decode()
    assert ControlPlan.objects.filter(risk_point=risk).exists()  # a warning, not a refusal
    assert "业务流程方面的风险点，工作方案要求通过流程优化等方式防控" in html
    page = client.get(reverse("controls:plan", args=[risk.pk])).content.decode()
    assert "工作方案要求通过流程优化等方式防控" in page
    kind_select = page[page.index('name="m-0-kind"'):]
    kind_select = kind_select[:kind_select.index("</select>")]
    assert kind_select.index("与风险类型对应") < kind_select.index("流程优化") < kind_select.index("其他措施类型")


def test_a_plan_with_a_matching_kind_has_no_warning(bureau, people, client_for):
    risk = risk_of(bureau, 2, kind="process")
    response = client_for(people.staff_a).post(reverse("controls:plan", args=[risk.pk]),
                                               plan_data(risk, "process", people.head_a), follow=True)
    assert "工作方案要求通过" not in response.content.decode()
