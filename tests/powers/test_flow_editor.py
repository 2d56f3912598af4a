"""The flow editor: default joins, the quiet checklist, bureau-wide handlers, both time limits,
the party's rights, and one POST-only URL per operation."""

import pytest
from django.urls import reverse

from powers.flowchart import render_flow_svg
from powers.flows import flow_checks, flow_problems, statutory_total
from powers.models import FlowStep, flow_data
from powers.services import flow_step_save
from review.services import WorkflowError
from tests.factories import PowerItemFactory, UnitFactory

OPERATIONS = ["flow_step_save", "flow_step_delete", "flow_step_up", "flow_step_down", "flow_edge_add", "flow_edge_delete"]


def add_step(client, power, **fields):
    power.refresh_from_db()
    return client.post(reverse("powers:flow_step_save", args=[power.pk]),
                       {"handler_text": "承办人", "time_limit_days": "2", "lock_version": power.lock_version, **fields}, follow=True)


def test_the_step_form_proposes_the_last_step_as_the_one_to_follow(people, power_a, client_for):
    response = client_for(people.staff_a).get(reverse("powers:flow", args=[power_a.pk]))
    form = response.context["step_form"]
    assert form["after"].value() == power_a.steps.get(name="决定").pk


def test_a_new_step_is_joined_after_the_step_it_names(people, power_a, client_for):
    client = client_for(people.staff_a)
    decide = power_a.steps.get(name="决定")
    response = add_step(client, power_a, name="送达", after=decide.pk, after_label="符合条件")
    deliver = power_a.steps.get(name="送达")
    assert power_a.edges.filter(source=decide, target=deliver, label="符合条件").exists()
    assert "接在“决定”之后" in response.content.decode()
    assert flow_problems(flow_data(power_a)) == []


def test_a_new_step_may_follow_another_step_or_none(people, power_a, client_for):
    client = client_for(people.staff_a)
    accept = power_a.steps.get(name="受理")
    add_step(client, power_a, name="不予受理", after=accept.pk, after_label="不符合条件")
    add_step(client, power_a, name="补充", after="")
    assert power_a.edges.filter(source=accept, target__name="不予受理").exists()
    assert not power_a.edges.filter(target__name="补充").exists()


def test_changing_a_step_does_not_add_a_link(people, power_a, client_for):
    decide = power_a.steps.get(name="决定")
    response = client_for(people.staff_a).get(reverse("powers:flow", args=[power_a.pk]), {"step": decide.pk})
    assert "after" not in response.context["step_form"].fields
    with pytest.raises(WorkflowError):
        flow_step_save(power=power_a, actor=people.staff_a, lock_version=power_a.lock_version,
                       data={"name": "决定"}, step=decide, after=power_a.steps.get(name="受理"))


def test_a_step_cannot_follow_a_step_of_another_flow(people, power_a, power_b):
    with pytest.raises(WorkflowError):
        flow_step_save(power=power_a, actor=people.staff_a, lock_version=power_a.lock_version,
                       data={"name": "送达", "handler_text": "x"}, after=power_b.steps.first())
    assert not power_a.steps.filter(name="送达").exists()


def test_the_editor_shows_a_quiet_checklist_not_a_red_alert(people, bureau, client_for):
    power = PowerItemFactory(unit=bureau.a, flow=False)
    client = client_for(people.staff_a)
    html = client.get(reverse("powers:flow", args=[power.pk])).content.decode()
    assert "flow-checklist" in html and "还缺：" in html and "alert-danger" not in html
    add_step(client, power, name="受理")
    response = add_step(client, power, name="决定", after="")
    html = response.content.decode()
    assert "还缺：唯一的起始环节" in html and "flow-problems" not in html and "alert-danger" not in html
    # The detail page, where the power is submitted, still says plainly what blocks submission.
    assert "flow-problems" in client.get(power.get_absolute_url()).content.decode()


def test_the_checklist_ticks_what_is_met(power_a):
    checks = {c["key"]: c for c in flow_checks(flow_data(power_a))}
    assert all(c["ok"] for c in checks.values() if c["required"])
    power_a.steps.all().delete()
    checks = flow_checks(flow_data(power_a))
    assert [c["key"] for c in checks if not c["ok"]] == ["steps", "start", "end", "reachable"]
    assert flow_problems(flow_data(power_a)) == ["尚未绘制权力运行流程图：请至少添加一个环节。"]


def test_a_step_may_be_handled_by_any_unit_of_the_bureau_but_not_another_bureau(people, bureau, power_a, client_for):
    other_bureau = UnitFactory(code="QT", name="另一个局", kind="bureau")
    client = client_for(people.staff_a)
    form = client.get(reverse("powers:flow", args=[power_a.pk])).context["step_form"]
    choices = set(form.fields["handler_unit"].queryset.values_list("pk", flat=True))
    assert {bureau.fkb.pk, bureau.b.pk, bureau.ju.pk, bureau.a.pk} <= choices and other_bureau.pk not in choices
    add_step(client, power_a, name="听证", handler_unit=bureau.fkb.pk, handler_text="", after="")
    assert power_a.steps.get(name="听证").handler_unit == bureau.fkb
    response = add_step(client, power_a, name="越界", handler_unit=other_bureau.pk, handler_text="")
    assert "handler_unit" in response.context["step_form"].errors
    assert not power_a.steps.filter(name="越界").exists()


def test_a_step_has_both_limits_and_the_partys_rights_everywhere(people, bureau, power_a, client_for):
    client = client_for(people.staff_a)
    add_step(client, power_a, name="处罚告知", time_limit_days="10", promised_days="5",
             party_rights="陈述、申辩权MARK-RIGHTS", after=power_a.steps.get(name="决定").pk)
    step = power_a.steps.get(name="处罚告知")
    assert (step.time_limit_days, step.promised_days) == (10, 5)
    data = flow_data(power_a)
    svg = render_flow_svg(data)
    assert "法定：10 个工作日" in svg and "承诺：5 个工作日" in svg
    assert statutory_total(data)["days"] == 15  # the total adds the statutory limits
    html = client.get(reverse("powers:flow_print", args=[power_a.pk])).content.decode()
    assert "MARK-RIGHTS" in html and "5 个工作日" in html

    from tests.public.test_public import publish, walk

    walk(power_a, people)
    publish(people)
    public = client.get(reverse("public:power", args=[power_a.code])).content.decode()
    assert "MARK-RIGHTS" in public and "承诺：5 个工作日" in public


def test_a_step_promise_beyond_its_statutory_limit_is_refused(people, power_a, client_for):
    response = add_step(client_for(people.staff_a), power_a, name="送达", time_limit_days="3", promised_days="5")
    assert "不能超过法定时限" in str(response.context["step_form"].errors["promised_days"])
    assert not power_a.steps.filter(name="送达").exists()


def test_a_step_promise_not_a_third_shorter_is_advice_in_the_checklist(people, power_a, client_for):
    response = add_step(client_for(people.staff_a), power_a, name="送达", time_limit_days="3", promised_days="3")
    assert power_a.steps.filter(name="送达").exists()
    assert "“送达”承诺 3 日，宜不超过 2 个工作日" in response.content.decode()


@pytest.mark.parametrize("name", OPERATIONS)
def test_each_operation_has_its_own_post_only_url(people, power_a, client_for, name):
    assert client_for(people.staff_a).get(reverse(f"powers:{name}", args=[power_a.pk])).status_code == 405


def test_the_editor_page_itself_takes_no_post(people, power_a, client_for):
    response = client_for(people.staff_a).post(reverse("powers:flow", args=[power_a.pk]),
                                               {"op": "save_step", "name": "x", "lock_version": power_a.lock_version})
    assert response.status_code == 405
    assert not power_a.steps.filter(name="x").exists()


def test_operations_move_delete_and_unlink(people, power_a, client_for):
    client = client_for(people.staff_a)
    first, last = power_a.steps.order_by("order")

    def post(name, **data):
        power_a.refresh_from_db()
        return client.post(reverse(f"powers:{name}", args=[power_a.pk]), {"lock_version": power_a.lock_version, **data})

    assert post("flow_step_down", step=first.pk).status_code == 302
    assert list(power_a.steps.order_by("order").values_list("name", flat=True)) == ["决定", "受理"]
    post("flow_step_up", step=first.pk)
    assert list(power_a.steps.order_by("order").values_list("name", flat=True)) == ["受理", "决定"]
    post("flow_edge_delete", edge=power_a.edges.get().pk)
    assert not power_a.edges.exists()
    post("flow_edge_add", source=first.pk, target=last.pk, label="")
    assert power_a.edges.count() == 1
    post("flow_step_delete", step=last.pk)
    assert list(power_a.steps.values_list("name", flat=True)) == ["受理"] and not power_a.edges.exists()
    assert FlowStep.history.filter(name="决定", history_type="-").exists()
