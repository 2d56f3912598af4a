"""Migration 0004: existing rules and plans under the three-layer rule."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("controls", "0003_plan_layers")]
AFTER = [("controls", "0004_plan_layers_from_measures")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_layers_are_derived_from_existing_plans_and_rules(bureau, people):
    from tests.factories import PostFactory, RiskPointFactory, UserFactory

    post = PostFactory(unit=bureau.a, name="审批岗")
    holder = UserFactory(username="holder_m", unit=bureau.a, post=post, roles=["staff"])
    one = RiskPointFactory(unit=bureau.a, post=post, level=1, suggested_level=1, level_reason="x")
    two = RiskPointFactory(unit=bureau.b, level=2)
    try:
        old = migrate(BEFORE)
        Rule = old.get_model("controls", "ResponsibilityRule")
        Plan = old.get_model("controls", "ControlPlan")
        Measure = old.get_model("controls", "Measure")
        Rule.objects.create(bureau_id=bureau.ju.pk, level=1, responsible="unit_head")
        Rule.objects.create(bureau_id=bureau.ju.pk, level=3, responsible="anyone")
        due = datetime.date(2026, 12, 31)
        # The old 一级 rule made a bureau leader the measure's responsible person: he stays the leader.
        p1 = Plan.objects.create(risk_point_id=one.pk)
        Measure.objects.create(plan=p1, kind="control", content="a", responsible_id=people.leader_a.pk,
                               supervisor_id=people.head_a.pk, due_date=due)
        # Unit B has no post: the head named on a measure works in the unit and stands in both lower layers.
        p2 = Plan.objects.create(risk_point_id=two.pk)
        Measure.objects.create(plan=p2, kind="control", content="b", responsible_id=people.head_b.pk, due_date=due)

        new = migrate(AFTER)
        Rule = new.get_model("controls", "ResponsibilityRule")
        Plan = new.get_model("controls", "ControlPlan")
        assert dict(Rule.objects.values_list("level", "answering")) == {1: "department", 3: "direct"}
        p1, p2 = Plan.objects.get(pk=p1.pk), Plan.objects.get(pk=p2.pk)
        assert (p1.direct_responsible_id, p1.department_responsible_id, p1.leader_responsible_id) == \
            (holder.pk, people.head_a.pk, people.leader_a.pk)
        assert (p2.direct_responsible_id, p2.department_responsible_id, p2.leader_responsible_id) == \
            (people.head_b.pk, people.head_b.pk, people.leader_b.pk)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
