"""The start page's dashboard: every figure against a hand count of a small fixture, every
drill-down link against the rows of the list it opens, scope by persona, and a query count
that does not grow with the data."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from controls.models import ControlPlan, Measure
from dashboards.registry import dashboard
from dashboards.selection import Selection
from dashboards.templatetags.charts import figure_cells, stacked_bar
from review.choices import Action, Status
from review.services import review_transition
from review.workflow import pending_q
from riskpoints.models import RiskPoint
from tests.factories import PostFactory, PowerItemFactory, RiskPointFactory, RoundFactory, UnitFactory
from tests.workflow import put_in_state

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def measure(risk, responsible, *, due, state="planned"):
    plan, _created = ControlPlan.objects.get_or_create(risk_point=risk)
    return Measure.objects.create(plan=plan, kind="system", content=f"措施 {risk.code}", responsible=responsible,
                                  due_date=due, state=state)


def risk(unit, status, submitter, *, level=2, factors=(3, 2, 2, 1), **fields):
    importance, discretion, probability, harm = factors
    item = RiskPointFactory(unit=unit, level=level, suggested_level=level, importance=importance,
                            discretion=discretion, probability=probability, harm=harm, **fields)
    return put_in_state(item, status, submitter) if status != Status.DRAFT else item


@pytest.fixture
def programme(bureau, people, open_year):
    """Units A (with squad A1) and B, and the bureau's own register, in every state a dashboard counts."""
    lead = PostFactory(unit=bureau.a, name="大队长岗", tier="leadership")
    key = PostFactory(unit=bureau.a_squad, name="中队巡查岗", tier="key")
    mid = PostFactory(unit=bureau.b, name="中队长岗", tier="middle")
    r = SimpleNamespace()
    r.a1 = risk(bureau.a, Status.PUBLISHED, people.staff_a, level=1, factors=(3, 3, 3, 3), post=lead, kind="duty",
                finding_level="post")
    r.a2 = risk(bureau.a, Status.SUBMITTED, people.staff_a, kind="process")
    r.a3 = risk(bureau.a, Status.DRAFT, None, level=3, factors=(1, 1, 1, 1))
    review_transition(item=r.a3, action=Action.SUBMIT, actor=people.staff_a)
    review_transition(item=r.a3, action=Action.RETURN, actor=people.head_a, comment="请写明风险的具体表现。")
    r.sq = risk(bureau.a_squad, Status.ACCEPTED, people.squad_staff, level=1, factors=(3, 1, 3, 1), post=key,
                kind="duty", finding_level="post")
    r.b1 = risk(bureau.b, Status.DRAFT, None, post=mid, finding_level="post")
    r.b2 = risk(bureau.b, Status.PUBLISHED, people.staff_b, level=3, factors=(1, 1, 1, 1))
    r.retired = risk(bureau.a, Status.DRAFT, None, level=1, carry_decision="retired")
    r.ju = risk(bureau.ju, Status.DRAFT, None)
    m = SimpleNamespace(
        a1_late=measure(r.a1, people.staff_a, due=TODAY - 3 * DAY),
        a1_done=measure(r.a1, people.staff_a, due=TODAY - 9 * DAY, state="done"),
        sq_late=measure(r.sq, people.squad_staff, due=TODAY - DAY, state="improve"),
        a2_open=measure(r.a2, people.staff_a, due=TODAY + 9 * DAY),
        b1_late=measure(r.b1, people.staff_b, due=TODAY - 5 * DAY),
        retired_late=measure(r.retired, people.staff_a, due=TODAY - 5 * DAY),
    )
    p = SimpleNamespace(
        a_draft=PowerItemFactory(unit=bureau.a),
        a_review=put_in_state(PowerItemFactory(unit=bureau.a), Status.UNIT_APPROVED, people.staff_a),
        a_accepted=put_in_state(PowerItemFactory(unit=bureau.a), Status.ACCEPTED, people.staff_a),
        a_published=put_in_state(PowerItemFactory(unit=bureau.a_squad), Status.PUBLISHED, people.squad_staff),
        b_published=put_in_state(PowerItemFactory(unit=bureau.b), Status.PUBLISHED, people.staff_b),
    )
    return SimpleNamespace(risks=r, measures=m, powers=p)


def figures_of(user, **query):
    return {panel.key: figures for panel, figures in dashboard(user, Selection(user, query))}


def row(progress, label):
    return next(r for r in progress["rows"] if r["label"] == label)["figures"]


def links(value):
    """Every (figure, link) a panel's figures hold, whatever their shape."""
    if isinstance(value, dict):
        if "n" in value and isinstance(value.get("url"), str):
            yield value["n"], value["url"]
        if "total" in value and isinstance(value.get("total_url"), str):
            yield value["total"], value["total_url"]
        for item in value.values():
            yield from links(item)
    elif isinstance(value, (list, tuple)):
        if len(value) == 3 and isinstance(value[1], int) and isinstance(value[2], str) and value[2].startswith("/"):
            yield value[1], value[2]
        for item in value:
            yield from links(item)


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if response.context.get("paginator") is not None:
        return response.context["paginator"].count
    return response.context["counts"]["total"]  # the register pages by keyset and shows its count


def test_progress_figures_equal_hand_counts(programme, people, bureau):
    progress = figures_of(people.office)["progress"]
    assert [r["label"] for r in progress["rows"]] == ["规划执法大队", "东城区执法大队", "防控办"]
    a, b = row(progress, "规划执法大队"), row(progress, "东城区执法大队")
    # A counts its squad; the retired risk point and its measure count nowhere.
    assert (a["r_l1"], a["r_l2"], a["r_l3"]) == (2, 1, 1)
    assert (a["r_drafting"], a["r_reviewing"], a["r_accepted"], a["r_published"]) == (1, 1, 1, 1)
    assert (a["m_total"], a["m_done"], a["m_overdue"]) == (4, 1, 2)
    assert (a["p_drafting"], a["p_reviewing"], a["p_accepted"], a["p_filed"], a["p_published"]) == (1, 1, 1, 1, 1)
    assert (b["r_l2"], b["r_l3"], b["m_overdue"], b["p_published"]) == (1, 1, 1, 1)
    # The total also counts what the bureau registered on itself.
    assert progress["total"]["figures"]["r_l2"] == 3


def test_heatmaps_levels_and_attention_equal_hand_counts(programme, people):
    f = figures_of(people.office)
    chance_harm = f["risk_heatmaps"]["maps"][0]
    cell = {(r["label"], i): c["n"] for r in chance_harm["rows"] for i, c in enumerate(r["cells"], start=1)}
    assert cell[("中", 1)] == 3  # probability 2 × harm 1: A2, B1 and the bureau's own
    assert cell[("高", 3)] == 1 and cell[("高", 1)] == 1 and cell[("低", 1)] == 2
    tiers = dict((title, rows) for title, rows in f["risk_levels"]["tables"])["按岗位层次"]
    assert [(t["label"], t["total"]) for t in tiers] == [("领导岗位", 1), ("中层岗位", 1), ("其他重要岗位", 1), ("不涉及岗位", 4)]
    assert [lvl["n"] for lvl in f["overdue_measures"]["levels"]] == [2, 1]
    assert [m.pk for m in f["overdue_measures"]["items"]] == [
        programme.measures.b1_late.pk, programme.measures.a1_late.pk, programme.measures.sq_late.pk]
    returned = f["returned"]["items"]
    assert [(item.pk, item.return_comment) for _kind, item in returned] == [(programme.risks.a3.pk, "请写明风险的具体表现。")]
    risks = {k["title"]: k["rows"] for k in f["review_backlog"]["kinds"]}["廉政风险点"]
    assert [r["n"] for r in risks] == [1, 0, 0]
    queues = {k["title"]: k["rows"] for k in f["office_queues"]["kinds"]}
    assert [n for _label, n, _url in queues["职权事项"]] == [0, 0, 1]  # accepted and filed: to publish
    assert [n for _label, n, _url in queues["廉政风险点"]] == [0, 1]


@pytest.mark.parametrize("persona", ["office", "director", "leader_a", "head_a", "staff_b"])
def test_every_figure_equals_the_rows_of_the_list_it_links_to(programme, people, client_for, persona):
    user = getattr(people, persona)
    client = client_for(user)
    checked = 0
    for key, figures in figures_of(user).items():
        for n, url in links(figures):
            assert listed(client, url) == n, (key, url)
            checked += 1
    assert checked > 40


def test_a_chosen_unit_narrows_every_figure_and_its_links(programme, people, bureau, client_for):
    client = client_for(people.office)
    f = figures_of(people.office, unit=str(bureau.a_squad.pk))
    assert [r["label"] for r in f["progress"]["rows"]] == ["规划一中队"]
    assert f["progress"]["total"]["figures"]["r_l1"] == 1
    for _key, figures in f.items():
        for n, url in links(figures):
            assert f"unit={bureau.a_squad.pk}" in url and listed(client, url) == n


def test_leader_in_charge_sees_only_their_units(programme, people):
    f = figures_of(people.leader_a)
    assert [r["label"] for r in f["progress"]["rows"]] == ["规划执法大队"]
    total = f["progress"]["total"]["figures"]
    assert (total["r_l2"], total["m_overdue"], total["p_published"]) == (1, 2, 1)  # nothing of B or the bureau
    assert [lvl["n"] for lvl in f["overdue_measures"]["levels"]] == [2, 0]
    assert "office_queues" not in f


def test_unit_head_sees_their_unit_and_staff_of_b_only_b(programme, people, client_for):
    head = figures_of(people.head_a)
    assert [r["label"] for r in head["progress"]["rows"]] == ["规划执法大队"]
    assert "review_backlog" not in head and "office_queues" not in head
    b = figures_of(people.staff_b)
    assert [r["label"] for r in b["progress"]["rows"]] == ["东城区执法大队"]
    assert b["progress"]["total"]["figures"]["r_l1"] == 0
    assert [lvl["n"] for lvl in b["overdue_measures"]["levels"]] == [0, 1]
    assert b["returned"]["items"] == []
    page = client_for(people.staff_b).get("/").content.decode()
    assert "规划执法大队" not in page and programme.risks.a1.title not in page


def test_a_unit_outside_the_scope_is_refused_and_counts_nothing(programme, people, bureau, client_for):
    response = client_for(people.head_a).get("/", {"unit": bureau.b.pk})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    selection = response.context["selection"]
    assert selection.unit is None and bureau.b.pk not in selection.unit_ids


def test_staff_sees_their_deadlines_returns_and_carried_over_items(programme, people, bureau, open_year):
    carried = RiskPointFactory(unit=bureau.a, carry_decision="pending", title="结转待确认的风险点")
    f = figures_of(people.staff_a)
    assert [m.pk for m in f["my_deadlines"]["items"]] == [programme.measures.a1_late.pk, programme.measures.a2_open.pk]
    assert [item.pk for _kind, item in f["returned"]["items"]] == [programme.risks.a3.pk]
    assert (f["risk_carry_pending"]["count"], list(f["risk_carry_pending"]["items"])) == (1, [carried])


def test_year_against_last_year(programme, people, bureau, open_year, client_for):
    last = RoundFactory(bureau=bureau.ju, year=open_year.year - 1)
    old = RiskPointFactory(unit=bureau.a, round=last, level=1)
    RiskPointFactory(unit=bureau.a, previous=old, carry_decision="unchanged")
    f = figures_of(people.office)["risk_years"]
    assert [str(r) for r in f["rounds"]] == [str(open_year), str(last)]
    assert [c["n"] for c in f["table"][0]["cells"]] == [8, 1]  # without the retired one
    changes = {c["label"]: c["n"] for c in f["changes"]}
    assert (changes["本年新增"], changes["无变化"], changes["已撤销"]) == (7, 1, 1)
    client = client_for(people.office)
    for n, url in links(f):
        assert listed(client, url) == n, url


def test_trend_counts_new_risk_points_by_month(programme, people, bureau):
    from riskpoints.models import RiskPoint

    months_ago = timezone.now() - datetime.timedelta(days=62)
    RiskPoint.objects.filter(pk=programme.risks.b2.pk).update(created_at=months_ago)
    bars = figures_of(people.office)["risk_trend"]["bars"]
    assert len(bars) == 12 and sum(b["n"] for b in bars) == 7
    month = timezone.localtime(months_ago).strftime("%Y-%m")
    assert next(b["n"] for b in bars if b["label"] == month) == 1


def _registered_on(risk, day):
    """Move ``risk``'s registration to noon of ``day``, local time."""
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    RiskPoint.objects.filter(pk=risk.pk).update(created_at=when)


def _past_month(day):
    """Day ``day`` of the month before last."""
    return (TODAY.replace(day=1) - 40 * DAY).replace(day=day)


@pytest.mark.parametrize("query", [{}, {"unit": "a"}, {"date_to": "month end"}, {"date_from": "month end"}])
def test_the_heat_maps_trend_and_changes_read_from_tallies_equal_a_count_of_the_rows(programme, people, bureau, query):
    """On PostgreSQL the dashboards add up ``RiskProfile``; a count of the rows gives the same."""
    from riskpoints import panels
    from riskpoints.models import RiskProfile

    assert connection.vendor == "postgresql"
    _registered_on(programme.risks.b2, _past_month(10))
    _registered_on(programme.risks.a2, _past_month(20))
    month_end = (TODAY.replace(day=1) - 10 * DAY).replace(day=1) - DAY
    query = {k: bureau.a.pk if v == "a" else month_end.isoformat() if v == "month end" else v for k, v in query.items()}
    selection = Selection(people.office, query)
    assert panels._tallies_answer(selection)
    rows = panels._register(people.office, selection, with_retired=True)
    tallies = panels._register(people.office, selection, RiskProfile, with_retired=True)
    profile = panels._profile_from_tallies(tallies, selection)
    assert profile == panels._profile_from_rows(rows, selection)
    assert sum(profile["carried"].values()) == rows.count()


def test_a_range_ending_within_a_past_month_counts_the_rows_up_to_its_last_day(programme, people, bureau, settings):
    _registered_on(programme.risks.b2, _past_month(10))
    _registered_on(programme.risks.a2, _past_month(20))
    bars = figures_of(people.office, date_to=_past_month(15).isoformat())["risk_trend"]["bars"]
    assert bars[-1]["label"] == _past_month(1).strftime("%Y-%m") and bars[-1]["n"] == 1  # a2 came after the 15th
    assert figures_of(people.office)["risk_trend"]["bars"][-3]["n"] == 2
    from riskpoints import panels

    assert not panels._tallies_answer(Selection(people.office, {"date_to": _past_month(15).isoformat()}))
    settings.TIME_ZONE = "UTC"  # the tallies count months of Asia/Shanghai
    assert not panels._tallies_answer(Selection(people.office))


def test_the_progress_table_sorts_by_a_column_and_keeps_the_selection(programme, people, client_for, bureau):
    f = figures_of(people.office, sort="-m_overdue")
    assert [r["label"] for r in f["progress"]["rows"]] == ["规划执法大队", "东城区执法大队", "防控办"]
    f = figures_of(people.office, sort="r_l1")
    assert [r["label"] for r in f["progress"]["rows"]][-1] == "规划执法大队"
    page = client_for(people.office).get("/", {"unit": bureau.a.pk, "sort": "r_l1"}).content.decode()
    assert re.search(rf'href="\?unit={bureau.a.pk}&amp;sort=-r_l1"', page)


@pytest.mark.parametrize("query", [
    {"round": "abc", "unit": "99999999999999999999999", "date_from": "2026-13-40", "sort": "<script>"},
    {"date_from": "2026-06-01", "date_to": "2026-01-01"},
    {"date_from": "2020-01-01", "date_to": "2026-01-01"},
    {"unit": "１", "round": "\x00", "date_to": "２０２６-01-01"},
])
def test_bad_selection_gets_a_message_and_the_defaults(programme, people, client_for, query):
    response = client_for(people.office).get("/", query)
    assert response.status_code == 200
    body = response.content.decode()
    assert "text-danger" in body
    assert response.context["selection"].unit is None
    assert "<script>" not in body


def test_people_without_a_role_and_visitors_get_no_dashboard(programme, people, client, client_for):
    assert figures_of(people.nobody) == {}
    assert client.get("/").status_code == 302
    assert client_for(people.nobody).get("/").status_code == 200


def test_the_page_shows_every_panel_with_its_numbers(programme, people, client_for):
    body = client_for(people.office).get("/").content.decode()
    for title in ("工作进度（按单位）", "风险热力图", "风险等级分布", "逾期的一级、二级风险防控措施", "防控办工作队列",
                  "审核积压", "与上年度比较", "每月新增风险点", "待我处理"):
        assert title in body
    assert body.count("<svg") > 10 and "chart-figures" in body


def test_the_tables_draw_each_figure_with_its_link_and_each_bar_part(programme, people, client_for):
    body = client_for(people.office).get("/").content.decode()
    f = figures_of(people.office)
    rows = [*f["progress"]["rows"], f["progress"]["total"]]
    for r in rows:
        for cell in r["cells"]:
            assert f'<td class="text-end"><a href="{escape(cell["url"])}">{cell["n"]}</a></td>' in body
    parts = [p for r in rows[:-1] for p in r["parts"] if p["n"]]
    assert parts and all(f'width="{p["width"]}" height="8" fill="{p["colour"]}"><title>{p["label"]} {p["n"]}</title>'
                         in body for p in parts)


def test_the_drawn_pieces_escape_what_they_are_given():
    hostile = '"><script>alert(1)</script>'
    cells = figure_cells([{"n": hostile, "url": f"/risks/?q={hostile}&unit=1"}])
    bar = stacked_bar([{"n": 2, "x": 0, "width": 50, "colour": hostile, "label": hostile},
                       {"n": 0, "x": 50, "width": 0, "colour": "#fff", "label": "没有"}])
    for html in (cells, bar):
        assert "<script>" not in html and "&lt;script&gt;" in html and '&quot;&gt;' in html
    assert "&amp;unit=1" in cells and "没有" not in bar  # a part of none is left out


def test_the_pending_list_is_the_first_fifty_by_submission_across_the_states(bureau, people, open_year, client_for):
    """待我处理 reads each state in submission order and merges the reads: the same 50 items, in
    the same order, as one sorted read of everything pending (never submitted: where the
    database puts them)."""
    now = timezone.now()
    for i in range(70):
        item = RiskPointFactory(unit=bureau.a if i % 2 else bureau.b)
        RiskPoint.objects.filter(pk=item.pk).update(
            status=Status.ACCEPTED if i % 3 else Status.LEADER_APPROVED,
            submitted_at=None if i % 7 == 0 else now - datetime.timedelta(hours=(i * 37) % 70))
    office = people.office
    groups = {g["model"].model_name: g for g in client_for(office).get("/").context["groups"]}
    expected = RiskPoint.objects.for_user(office).filter(pending_q(office)).order_by("submitted_at", "pk")
    assert groups["riskpoint"]["count"] == expected.count() == 70
    assert [item.pk for item in groups["riskpoint"]["items"]] == [item.pk for item in expected[:50]]


def test_pending_counts_from_the_tallies_equal_a_count_of_the_rows(programme, bureau, people):
    """The start page's 待我处理 count adds up the tallies and takes off the user's own
    submissions in the states they review: for every persona, in every state, own ones included."""
    from review import registry
    from review.workflow import pending_count

    for status, submitter, unit in [(Status.SUBMITTED, people.head_a, bureau.a), (Status.UNIT_APPROVED, people.leader_a, bureau.a),
                                    (Status.LEADER_APPROVED, people.office, bureau.b), (Status.ACCEPTED, people.office, bureau.ju),
                                    (Status.LEADER_APPROVED, people.staff_b, bureau.b), (Status.RETURNED, people.staff_a, bureau.a),
                                    (Status.RETURNED, people.office, bureau.fkb)]:
        risk(unit, status, submitter)
    risk(bureau.b, Status.SUBMITTED, people.head_b, carry_decision="retired")  # retired, still to be reviewed
    for user in vars(people).values():
        rows = RiskPoint.objects.for_user(user)
        direct = rows.filter(pending_q(user)).count()
        assert pending_count(user, rows, tallies=registry.tallies(RiskPoint, user)) == direct, user.username
        assert pending_count(user, rows) == direct, user.username
    assert RiskPoint.objects.for_user(people.office).filter(pending_q(people.office)).count() > 0
    assert RiskPoint.objects.filter(pending_q(people.head_a)).exclude(submitted_by=people.head_a).count() > 0


def grow(bureau, people, n):
    """More of everything, in a unit more: a dashboard's queries must not follow."""
    c = UnitFactory(code=f"C{n}", name=f"新增大队{n}", kind="brigade", parent=bureau.ju)
    for i in range(n):
        item = risk(c if i % 2 else bureau.a, Status.PUBLISHED if i % 3 else Status.SUBMITTED, people.staff_a,
                    level=1 + i % 3)
        measure(item, people.staff_a, due=TODAY - DAY * (i % 5 - 2))
        put_in_state(PowerItemFactory(unit=c), Status.ACCEPTED, people.staff_a)
    review_transition(item=risk(bureau.a, Status.DRAFT, None), action=Action.SUBMIT, actor=people.staff_a)


@pytest.mark.parametrize("persona", ["office", "director", "leader_a", "head_a", "staff_a"])
def test_query_count_does_not_grow_with_the_data(programme, people, bureau, client_for, persona):
    client = client_for(getattr(people, persona))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    client.get("/")  # content types and sessions cached as on any later page
    small = count()
    grow(bureau, people, 30)
    assert count() == small


# --- snapshots: the figures kept for a while ---------------------------------------------------

@pytest.fixture
def kept(settings):
    settings.DASHBOARD_FRESH_SECONDS = 600


def test_a_snapshot_answers_without_counting_again_until_it_is_refreshed(programme, people, bureau, kept):
    first = dashboard(people.office, Selection(people.office))
    with CaptureQueriesContext(connection) as ctx:
        again = dashboard(people.office, Selection(people.office))
    assert len(ctx.captured_queries) <= 3  # the scope and the open round, no figure counted
    assert again.counted_at == first.counted_at
    assert [p.key for p, _f in again] == [p.key for p, _f in first]

    risk(bureau.b, Status.SUBMITTED, people.staff_b)
    stale = {p.key: f for p, f in dashboard(people.office, Selection(people.office))}
    assert row(stale["progress"], "东城区执法大队")["r_reviewing"] == 0  # as counted, and the page says when
    fresh = {p.key: f for p, f in dashboard(people.office, Selection(people.office), fresh=True)}
    assert row(fresh["progress"], "东城区执法大队")["r_reviewing"] == 1


def test_kept_figures_come_back_as_counted_with_their_labels_in_the_snapshot_s_language(programme, people, kept):
    from django.utils.translation import gettext_lazy, override

    from dashboards import snapshots

    first = {p.key: f for p, f in dashboard(people.office, Selection(people.office))}
    again = {p.key: f for p, f in dashboard(people.office, Selection(people.office))}  # read back from the snapshot
    assert repr(again) == repr(first)  # (a panel's items are a query set, equal only to itself)
    with override("en"):
        packed = snapshots.pack({"legend": [(gettext_lazy("一级"), 3)], "none": None})
    with override("zh-hans"):
        assert snapshots.unpack(packed) == {"legend": [("Level 1", 3)], "none": None}  # a str, as counted
    assert type(snapshots.unpack(packed)["legend"][0][0]) is str
    assert snapshots.pack(None) is None and snapshots.unpack(None) is None


def test_the_page_says_when_it_counted_and_recounts_when_asked(programme, people, bureau, client_for, kept):
    client = client_for(people.office)
    assert "统计于" in client.get("/").content.decode()
    kept_page = client.get("/").content.decode()  # the cards come from the snapshot, as HTML
    assert 'id="panel-progress"' in kept_page and "<table" in kept_page and "&lt;table" not in kept_page
    risk(bureau.b, Status.SUBMITTED, people.staff_b)

    def reviewing_in_b(path):
        figures = dict((p.key, f) for p, f in client.get(path).context["dashboard"])
        return row(figures["progress"], "东城区执法大队")["r_reviewing"]

    assert reviewing_in_b("/") == 0
    assert reviewing_in_b("/?refresh=1") == 1
    assert reviewing_in_b("/") == 1  # the recount is kept


def test_a_snapshot_is_never_shared_across_scopes_or_people(programme, people, kept):
    office = figures_of(people.office)
    leader = figures_of(people.leader_a)
    assert [r["label"] for r in leader["progress"]["rows"]] != [r["label"] for r in office["progress"]["rows"]]
    assert figures_of(people.leader_a)["progress"] == leader["progress"]  # read back from its own snapshot
    assert figures_of(people.staff_a)["my_deadlines"]["count"] > 0
    assert figures_of(people.staff_a2)["my_deadlines"]["count"] == 0  # same unit and roles, their own deadlines


def test_the_periodic_refresh_counts_each_scope_once_and_the_home_then_reads_it(programme, people, client_for, kept):
    from dashboards.snapshots import refresh
    from dashboards.tasks import refresh_dashboards

    assert refresh() == 4  # the office, the director, leader A and leader B: four scopes and roles
    client = client_for(people.director)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    warm = len(ctx.captured_queries)
    client.get("/?refresh=1")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/?refresh=1")
    assert warm < len(ctx.captured_queries)
    assert refresh_dashboards.delay().get() == 4


def test_without_snapshots_nothing_is_kept(programme, people, bureau):
    assert figures_of(people.office)["progress"]
    risk(bureau.b, Status.SUBMITTED, people.staff_b)
    assert row(figures_of(people.office)["progress"], "东城区执法大队")["r_reviewing"] == 1
    from dashboards.snapshots import refresh

    assert refresh() == 0
