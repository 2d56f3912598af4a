"""Process flows: the rules, the drawing, the editor and its permissions."""

import time
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from powers.flowchart import render_flow_svg, text_width
from powers.flows import flow_problems, statutory_total
from powers.models import FlowEdge, FlowStep, flow_data
from powers.services import flow_edge_add, flow_replace, flow_step_save
from review.choices import Action, Status
from review.services import WorkflowError, review_transition
from tests.factories import PowerItemFactory
from tests.workflow import walk

SVG = "{http://www.w3.org/2000/svg}"


def chain(power, n):
    """Give ``power`` a straight flow of ``n`` steps with 2 working days each."""
    steps = [FlowStep.objects.create(power=power, name=f"环节{i + 1}", handler_text="承办人", time_limit_days=2, order=i)
             for i in range(n)]
    for a, b in zip(steps, steps[1:]):
        FlowEdge.objects.create(power=power, source=a, target=b)
    return steps


def branching(power, n=30):
    """A branching flow of ``n`` steps: a spine with side branches that rejoin and end early."""
    steps = [FlowStep.objects.create(
        power=power, name=f"第{i + 1}环节" + ("审查核实现场勘验情况" if i % 4 == 1 else ""),
        handler_text="规划执法大队案件承办人" if i % 3 == 0 else "法制科", time_limit_days=(i % 5) or None,
        immediate=(i % 5 == 0), order=i) for i in range(n)]
    spine = steps[::2]
    for a, b in zip(spine, spine[1:]):
        FlowEdge.objects.create(power=power, source=a, target=b, label="符合条件" if a.order % 4 == 0 else "")
    for i, side in enumerate(steps[1::2]):
        FlowEdge.objects.create(power=power, source=spine[i], target=side, label="不符合条件")
        if i + 2 < len(spine) and i % 2 == 0:
            FlowEdge.objects.create(power=power, source=side, target=spine[i + 2], label="补正后")
    return steps


def names(problems):
    return " ".join(problems)


# --- rules -------------------------------------------------------------------------------------

def test_valid_flow_has_no_problems(power_a):
    assert flow_problems(flow_data(power_a)) == []


def test_two_starts_are_refused_naming_them(power_a):
    FlowStep.objects.create(power=power_a, name="立案审批", handler_text="大队长", time_limit_days=3)
    problems = flow_problems(flow_data(power_a))
    assert "只能有一个起始环节" in names(problems) and "立案审批" in names(problems)


def test_unlinked_step_is_named(power_a):
    FlowStep.objects.create(power=power_a, name="结案归档", handler_text="内勤", time_limit_days=1)
    problems = flow_problems(flow_data(power_a))
    assert "结案归档" in names(problems)


def test_step_only_reachable_from_itself_is_unreachable(power_a):
    first, last = power_a.steps.order_by("order")
    x = FlowStep.objects.create(power=power_a, name="补正材料", handler_text="窗口", time_limit_days=5)
    y = FlowStep.objects.create(power=power_a, name="重新审查", handler_text="审批员", time_limit_days=5)
    FlowEdge.objects.create(power=power_a, source=x, target=y)
    FlowEdge.objects.create(power=power_a, source=y, target=x)
    problems = flow_problems(flow_data(power_a))
    assert "环节“补正材料”从起始环节无法到达" in names(problems)
    assert "回路" in names(problems)


def test_cycle_is_refused_naming_the_step(power_a):
    first, last = power_a.steps.order_by("order")
    FlowEdge.objects.create(power=power_a, source=last, target=first, label="需补正")
    problems = flow_problems(flow_data(power_a))
    assert "形成了回路" in names(problems) and "受理 → 决定 → 受理" in names(problems)


def test_cross_flow_edge_is_refused(power_a, power_b):
    first_a = power_a.steps.order_by("order").first()
    first_b = power_b.steps.order_by("order").first()
    FlowEdge.objects.create(power=power_a, source=first_a, target=first_b)
    assert "指向了其他职权的流程" in names(flow_problems(flow_data(power_a)))


def test_empty_flow_is_a_problem(bureau):
    power = PowerItemFactory(unit=bureau.a, flow=False)
    assert "尚未绘制" in names(flow_problems(flow_data(power)))


def test_submit_is_refused_while_the_flow_breaks_a_rule(people, power_a):
    first, last = power_a.steps.order_by("order")
    FlowEdge.objects.create(power=power_a, source=last, target=first)
    with pytest.raises(WorkflowError, match="请先修正"):
        review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    power_a.refresh_from_db()
    assert power_a.status == Status.DRAFT


def test_statutory_total_is_the_longest_path(bureau):
    power = PowerItemFactory(unit=bureau.a, flow=False)
    data = {"steps": [{"id": i, "name": n, "immediate": d == 0, "days": d or None} for i, n, d in
                      [(1, "受理", 0), (2, "审查", 10), (3, "补正", 5), (4, "决定", 3), (5, "送达", None)]],
            "edges": [{"source": a, "target": b, "label": "", "source_power": power.pk, "target_power": power.pk}
                      for a, b in [(1, 2), (2, 3), (3, 4), (2, 4), (4, 5)]]}
    data["steps"][4]["immediate"] = False
    total = statutory_total(data)
    assert total["days"] == 18 and total["missing"] == ["送达"]


# --- the services ------------------------------------------------------------------------------

def test_adding_a_loop_is_refused_with_a_message(people, power_a):
    first, last = power_a.steps.order_by("order")
    power_a.refresh_from_db()
    with pytest.raises(WorkflowError, match="会形成回路"):
        flow_edge_add(power=power_a, actor=people.staff_a, lock_version=power_a.lock_version, source=last, target=first)
    assert power_a.edges.count() == 1


def test_linking_to_another_flow_is_refused(people, power_a, power_b):
    first_a = power_a.steps.first()
    with pytest.raises(WorkflowError, match="只能连接本职权流程中的环节"):
        flow_edge_add(power=power_a, actor=people.staff_a, lock_version=power_a.lock_version,
                      source=first_a, target=power_b.steps.first())


def test_stale_flow_edit_is_refused(people, power_a):
    stale = power_a.lock_version
    flow_step_save(power=power_a, actor=people.staff_a, lock_version=stale, data={"name": "送达", "handler_text": "队员"})
    with pytest.raises(WorkflowError, match="已被他人修改"):
        flow_step_save(power=power_a, actor=people.staff_a2, lock_version=stale, data={"name": "执行", "handler_text": "队员"})
    assert list(power_a.steps.values_list("name", flat=True)) == ["受理", "决定", "送达"]


def test_invalid_replacement_changes_nothing(people, power_a):
    with pytest.raises(WorkflowError, match="回路"):
        flow_replace(power=power_a, actor=people.staff_a, lock_version=power_a.lock_version,
                     steps=[{"key": "a", "name": "甲"}, {"key": "b", "name": "乙"}],
                     edges=[("a", "b", ""), ("b", "a", "")])
    assert list(power_a.steps.values_list("name", flat=True)) == ["受理", "决定"]


# --- the drawing -------------------------------------------------------------------------------

def boxes_of(svg):
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter(f"{SVG}g"):
        rect = g.find(f"{SVG}rect")
        if "step" in (g.get("class") or "").split() and rect is not None:
            out[g.get("data-step")] = (float(rect.get("x")), float(rect.get("y")), float(rect.get("width")),
                                       float(rect.get("height")), [t.text for t in g.findall(f"{SVG}text")])
    return root, out


def test_thirty_step_branching_flow_draws_without_overlap(bureau):
    power = PowerItemFactory(unit=bureau.a, flow=False)
    steps = branching(power, 30)
    data = flow_data(power)
    assert flow_problems(data) == []
    started = time.perf_counter()
    svg = render_flow_svg(data, title=str(power))
    elapsed = time.perf_counter() - started
    root, boxes = boxes_of(svg)
    assert len(boxes) == 30
    text = "".join(root.itertext())
    for step in steps:
        assert step.name[:9] in text
    rects = list(boxes.values())
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            apart = a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
            assert apart, f"boxes overlap: {a[4][0]} / {b[4][0]}"
    # Every line of text fits inside its box.
    for x, y, w, h, lines in rects:
        for line in lines:
            size = 14 if line.startswith("第") else 12
            assert text_width(line, size) <= w, line
    assert elapsed < 5, f"drawing a 30-step flow took {elapsed:.2f} s"


def test_styles_hook_marks_steps(power_a):
    first = power_a.steps.order_by("order").first()
    svg = render_flow_svg(flow_data(power_a), styles={first.pk: {"marker": "#dc3545", "title": "一级风险 2 个", "href": "/x/"}})
    root = ET.fromstring(svg)
    markers = list(root.iter(f"{SVG}circle"))
    assert len(markers) == 1 and markers[0].get("fill") == "#dc3545"
    assert "一级风险 2 个" in svg and 'href="/x/"' in svg


def test_step_without_time_limit_is_flagged(power_a):
    FlowStep.objects.filter(power=power_a, name="决定").update(time_limit_days=None)
    svg = render_flow_svg(flow_data(power_a))
    assert "未设时限" in svg and 'stroke-dasharray' in svg


# --- pages and permissions ---------------------------------------------------------------------

def test_detail_and_print_pages_show_the_flowchart(people, power_a, client_for):
    client = client_for(people.staff_a)
    for url in (power_a.get_absolute_url(), reverse("powers:flow_print", args=[power_a.pk])):
        html = client.get(url).content.decode()
        assert "<svg" in html and "受理" in html and "法定时限合计：5 个工作日" in html


@pytest.mark.parametrize("persona", ["staff_b", "leader_b"])
def test_outsiders_get_404_on_flow_pages(people, power_a, client_for, persona):
    client = client_for(getattr(people, persona))
    for name in ("powers:flow", "powers:flow_print"):
        assert client.get(reverse(name, args=[power_a.pk])).status_code == 404
    response = client.post(reverse("powers:flow_step_save", args=[power_a.pk]), {"name": "偷加", "lock_version": power_a.lock_version})
    assert response.status_code == 404
    assert not power_a.steps.filter(name="偷加").exists()


@pytest.mark.parametrize("persona", ["leader_a", "office", "director"])
def test_readers_who_are_not_editors_cannot_edit_the_flow(people, power_a, client_for, persona):
    client = client_for(getattr(people, persona))
    assert client.get(reverse("powers:flow_print", args=[power_a.pk])).status_code == 200
    assert client.get(reverse("powers:flow", args=[power_a.pk])).status_code == 403
    response = client.post(reverse("powers:flow_step_save", args=[power_a.pk]), {"name": "偷加", "handler_text": "x", "lock_version": power_a.lock_version})
    assert response.status_code == 403
    assert not power_a.steps.filter(name="偷加").exists()


def test_submitted_flow_cannot_be_edited(people, power_a, client_for):
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    assert client_for(people.staff_a).get(reverse("powers:flow", args=[power_a.pk])).status_code == 403


def test_editor_adds_a_step_and_a_link_and_errors_name_the_problem(people, power_a, client_for):
    client = client_for(people.staff_a)
    url, save, link = (reverse(name, args=[power_a.pk]) for name in ("powers:flow", "powers:flow_step_save", "powers:flow_edge_add"))
    power_a.refresh_from_db()
    response = client.post(save, {"name": "送达", "handler_text": "执法队员", "time_limit_days": "0", "lock_version": power_a.lock_version})
    assert "时限至少为 1 个工作日" in response.content.decode()
    # after="" : added without the default link, so the checklist names the second start.
    client.post(save, {"name": "送达", "handler_text": "执法队员", "time_limit_days": "3", "after": "", "lock_version": power_a.lock_version})
    power_a.refresh_from_db()
    html = client.get(url).content.decode()
    assert "从起始环节无法到达" not in html and "只能有一个起始环节" in html  # 送达 is not linked yet
    decide, deliver = power_a.steps.get(name="决定"), power_a.steps.get(name="送达")
    client.post(link, {"source": decide.pk, "target": deliver.pk, "label": "", "lock_version": power_a.lock_version})
    assert power_a.edges.filter(source=decide, target=deliver).exists()
    power_a.refresh_from_db()
    response = client.post(link, {"source": deliver.pk, "target": power_a.steps.get(name="受理").pk, "label": "需补正", "lock_version": power_a.lock_version}, follow=True)
    assert "会形成回路" in response.content.decode()


def test_editing_a_published_flow_keeps_the_published_one(people, power_a):
    walk(power_a, people)
    flow_step_save(power=power_a, actor=people.staff_a, lock_version=power_a.lock_version,
                   data={"name": "送达", "handler_text": "队员", "time_limit_days": 2})
    power_a.refresh_from_db()
    assert power_a.status == Status.DRAFT and power_a.revision == 2
    published = [s["name"] for s in power_a.published_record.snapshot["flow"]["steps"]]
    assert published == ["受理", "决定"]


def test_a_refreshed_power_reads_its_flow_again(power_a):
    assert len(power_a.flow["steps"]) == 2
    FlowStep.objects.create(power=power_a, name="送达", handler_text="队员", time_limit_days=2, order=3)
    power_a.refresh_from_db()
    assert [s["name"] for s in power_a.flow["steps"]] == ["受理", "决定", "送达"]
