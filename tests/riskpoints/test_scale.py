"""The register at a province's scale: tallies kept by the database, keyset pages, indexed search."""

import collections
import datetime
import itertools

import pytest
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from controls.services import round_open
from org.keyset import encode, keyset_page
from review.choices import Action, Status
from review.services import review_delete, review_transition
from riskpoints.choices import HEATMAPS, CarryDecision
from riskpoints.models import RiskPoint, RiskProfile, RiskTally
from riskpoints.selectors import register_for, search_q
from riskpoints.services import risk_carry_decide, risk_create, risk_create_many, risk_update
from tests.factories import PostFactory, RiskPointFactory, RoundFactory
from tests.plans import bitmap_plan

KEY = [f.removesuffix("_id") for f in RiskTally.TALLY_FIELDS]


def tallies():
    return {tuple(t[k] for k in KEY): t["n"] for t in RiskTally.objects.exclude(n=0).values(*KEY, "n")}


def direct_counts():
    return {tuple(r[k] for k in KEY): r["n"] for r in RiskPoint.objects.values(*KEY).annotate(n=Count("pk")).order_by()}


def profiles():
    return {tuple(getattr(t, f) for f in RiskProfile.PROFILE_FIELDS): t.n for t in RiskProfile.objects.exclude(n=0)}


def direct_profiles():
    """The profile tallies counted from the rows by hand: each risk point in one cell of each
    heat map and, when new, in its local month of registration."""
    counts = collections.Counter()
    for r in RiskPoint.objects.all():
        where = (r.round_id, r.unit_id, r.carry_decision)
        for factors in HEATMAPS:
            counts[(*where, "-".join(factors), *(getattr(r, f) for f in factors))] += 1
        if r.previous_id is None:
            counts[(*where, RiskProfile.MONTH, int(timezone.localtime(r.created_at).strftime("%Y%m")), 0)] += 1
    return dict(counts)


def assert_tallied(steps):
    assert tallies() == direct_counts(), steps
    assert profiles() == direct_profiles(), steps


def data(bureau, **over):
    return {"unit": bureau.a, "kind": "system", "finding_level": "department", "found_by": "self",
            "title": "审核走过场", "description": "审核不到位。", "importance": 2, "discretion": 2,
            "probability": 2, "harm": 2, "level": 2, "level_reason": "按实际情况确定。", **over}


def test_tallies_equal_a_direct_count_after_every_kind_of_change(people, bureau):
    """Create, bulk import, edit, transition, carry over, confirm, retire, delete: after each,
    the tallies the triggers keep (``RiskTally``, ``RiskProfile``) are exactly a count of the
    risk points."""
    assert connection.vendor == "postgresql"
    RoundFactory(bureau=bureau.ju, year=2030)
    steps = []
    first = risk_create(actor=people.staff_a, data=data(bureau))
    steps.append("create")
    post = PostFactory(unit=bureau.a)
    risk_create_many(actor=people.staff_a, round_=first.round,
                     rows=[data(bureau, post=post, finding_level="post", level=lvl) for lvl in (1, 2, 3, 3)])
    steps.append("import")
    first = risk_update(risk=first, actor=people.staff_a, lock_version=first.lock_version, data=data(bureau, level=1))
    steps.append("edit")
    review_transition(item=first, action=Action.SUBMIT, actor=people.staff_a)
    first.refresh_from_db()
    steps.append("transition")
    RiskPoint.objects.filter(round=first.round).update(status=Status.PUBLISHED)  # a bulk update as compile does
    steps.append("bulk update")
    assert_tallied(steps)
    RiskPoint.objects.filter(pk=first.pk).update(created_at=first.created_at - datetime.timedelta(days=40), harm=3)
    steps.append("registered earlier")
    assert_tallied(steps)
    _, carried = round_open(actor=people.office, year=2031)
    assert carried == 5
    steps.append("carry over")
    assert_tallied(steps)
    new = list(RiskPoint.objects.filter(round__year=2031).order_by("pk"))
    risk_carry_decide(risk=new[0], actor=people.staff_a, decision=CarryDecision.RETIRED, lock_version=new[0].lock_version)
    risk_carry_decide(risk=new[1], actor=people.staff_a, decision=CarryDecision.UNCHANGED, lock_version=new[1].lock_version)
    steps.append("retire / confirm")
    assert_tallied(steps)
    draft = risk_create(actor=people.staff_a, data=data(bureau, title="将删除"))
    review_delete(item=draft, actor=people.staff_a)
    steps.append("delete")
    assert_tallied(steps)
    assert sum(tallies().values()) == RiskPoint.objects.count() == 10
    assert sum(n for key, n in profiles().items() if key[3] == "probability-harm") == 10


def register_figures(client, **params):
    html = client.get(reverse("riskpoints:list"), params).content.decode()
    return [int(html.split(label, 1)[1].split("<", 1)[0].strip()) for label in ("一级 ", "二级 ", "三级 ", "关键岗位 ")]


@pytest.mark.parametrize("params", [{}, {"level": 1}, {"status": "draft"}, {"key_post": "true"}, {"q": "占道"},
                                    {"unit": "a"}, {"key_area": "any"}, {"power": "abc", "ordering": " "},
                                    {"level": 1, "ordering": "nonsense"}])
def test_register_counts_from_tallies_equal_the_rows_shown(people, bureau, client_for, params):
    key_post = PostFactory(unit=bureau.a, is_key=True)
    for i, (lvl, status) in enumerate(itertools.product((1, 2, 3), (Status.DRAFT, Status.PUBLISHED))):
        RiskPointFactory(unit=bureau.a if i % 2 else bureau.b, level=lvl, status=status,
                         post=key_post if i % 3 == 0 else None, title="违规占道" if i % 4 == 0 else "审核",
                         key_area="penalty" if i == 5 else "")
    params = {k: bureau.a.pk if v == "a" else v for k, v in params.items()}
    figures = register_figures(client_for(people.office), **params)
    from riskpoints.filters import RiskPointFilter
    from riskpoints.selectors import current_round, level_counts

    rows = RiskPointFilter(data=params, queryset=register_for(people.office), user=people.office,
                           current_round=current_round(people.office)).qs
    direct = level_counts(rows)
    assert figures == [direct["l1"], direct["l2"], direct["l3"], direct["key_post"]]
    assert sum(figures[:3]) == rows.count()


@pytest.mark.parametrize("params", [{}, {"key_post": "true"}, {"key_area": "any"}, {"key_post": "false", "key_area": "penalty"}])
def test_the_unit_table_s_counts_from_tallies_equal_its_rows(people, bureau, open_year, client_for, params):
    """The 一览表 counts one unit (not those under it) in one year; other units and years, and the
    retired, are tallied too and must not show."""
    from tests.factories import RoundFactory

    key_post = PostFactory(unit=bureau.a, is_key=True)
    last_year = RoundFactory(bureau=bureau.ju, year=open_year.year - 1)
    for i, (lvl, status) in enumerate(itertools.product((1, 2, 3), (Status.DRAFT, Status.ACCEPTED, Status.PUBLISHED))):
        RiskPointFactory(unit=bureau.a, round=open_year, level=lvl, status=status, post=key_post if i % 3 == 0 else None,
                         key_area="penalty" if i % 4 == 0 else "", carry_decision="retired" if i == 7 else "")
        RiskPointFactory(unit=(bureau.a_squad, bureau.b)[i % 2], round=open_year, level=lvl, status=status)
        RiskPointFactory(unit=bureau.a, round=last_year, level=lvl, status=status)
    response = client_for(people.office).get(reverse("riskpoints:unit_table", args=[bureau.a.pk]), params)
    counts = response.context["counts"]
    shown = [row for _post, rows in response.context["groups"] for row in rows]
    assert counts["total"] == response.context["item_count"] == len(shown) > 0
    assert [counts[f"l{lvl}"] for lvl in (1, 2, 3)] == [sum(r["level"] == lvl for r in shown) for lvl in (1, 2, 3)]
    assert counts["unprinted"] == sum(r["status"] not in ("accepted", "published") for r in shown)
    assert response.context["draft"] == bool(counts["unprinted"])


@pytest.mark.parametrize("term", ["罚", "罚款", "压低罚", "风险点1", "T-0", "审核走过场", "XYZ", "走过场，受"])
def test_search_finds_substrings_of_one_two_three_characters(bureau, term):
    RiskPointFactory(unit=bureau.a, title="违规减免罚款", description="审核走过场，受请托压低罚款。")
    RiskPointFactory(unit=bureau.a, title="xyz 检查", description="无")
    RiskPointFactory(unit=bureau.b, title="违建拆除", description="选择性执法。")
    RiskPointFactory.create_batch(5, unit=bureau.b, description="其他")
    found = set(RiskPoint.objects.filter(search_q(term)).values_list("pk", flat=True))
    expected = {r.pk for r in RiskPoint.objects.all()
                if any(term.lower() in s.lower() for s in (r.code, r.title, r.description))}
    assert found == expected


def test_search_uses_the_gram_index(bureau):
    RiskPointFactory.create_batch(3, unit=bureau.a)
    assert "riskpoints_riskpoint_grams" in bitmap_plan(RiskPoint.objects.filter(search_q("送达")).values("pk"))


ORDERS = [["code"], ["-code"], ["level", "code"], ["-level", "code"], ["unit__order", "code"], ["status", "code"],
          ["-updated_at", "code"]]


@pytest.mark.parametrize("order", ORDERS)
def test_keyset_pages_return_every_row_once_while_rows_are_added(bureau, order):
    for i in range(23):
        RiskPointFactory(unit=(bureau.a, bureau.b)[i % 2], level=i % 3 + 1,
                         status=(Status.DRAFT, Status.PUBLISHED, Status.SUBMITTED)[i % 3], code=f"K-{i * 2:03d}")
    before = list(RiskPoint.objects.select_related("unit").order_by(*order))
    seen, page, added = [], keyset_page(RiskPoint.objects.select_related("unit"), order=order, per_page=5), 0
    while True:
        seen += page.rows
        # Rows registered meanwhile, with codes between those already seen.
        RiskPointFactory(unit=bureau.a, level=2, code=f"K-{added * 2 + 1:03d}")
        added += 1
        if not page.has_next:
            break
        page = keyset_page(RiskPoint.objects.select_related("unit"), order=order, per_page=5, after=page.next_cursor)
    old = [r for r in seen if r in before]
    assert old == before  # every row there at the start, once, in order
    assert len(seen) == len(set(r.pk for r in seen))


@pytest.mark.parametrize("order", ORDERS)
def test_keyset_pages_backwards_are_the_same_pages(bureau, order):
    for i in range(12):
        RiskPointFactory(unit=bureau.a, level=i % 3 + 1)
    qs = RiskPoint.objects.select_related("unit")
    expected = list(qs.order_by(*order))
    page, pages = keyset_page(qs, order=order, per_page=5, before=""), []
    while True:
        pages.insert(0, page.rows)
        if not page.has_previous:
            break
        page = keyset_page(qs, order=order, per_page=5, before=page.previous_cursor)
    assert sum(pages, []) == expected
    assert [len(p) for p in pages] == [2, 5, 5]


def test_the_register_pages_through_every_row_and_jumps_to_a_code(people, bureau, client_for, settings):
    settings.PAGINATE_BY = 4
    codes = [RiskPointFactory(unit=bureau.a, code=f"J-{i:03d}").code for i in range(10)]
    client = client_for(people.office)
    seen, params = [], {}
    for _ in range(5):
        response = client.get(reverse("riskpoints:list"), params)
        page = response.context["page"]
        seen += [r.code for r in page]
        if not page.has_next:
            break
        params = {"after": page.next_cursor}
    assert seen == codes
    jumped = client.get(reverse("riskpoints:list"), {"from": "J-005"}).context["page"]
    assert [r.code for r in jumped] == codes[5:9]
    last = client.get(reverse("riskpoints:list"), {"before": ""}).context["page"]
    assert [r.code for r in last] == codes[6:] and not last.has_next


@pytest.mark.parametrize("cursor", ["", "x", "!!!!", encode(["a", "b"]), encode([{"a": 1}]), "A" * 5000,
                                    encode(["\x00"]), encode(["T-\x00"]), encode([10**30]),
                                    encode([2, "\x00"]), encode([[1], "a"])])
def test_a_bad_cursor_opens_the_first_page(people, bureau, client_for, cursor):
    RiskPointFactory.create_batch(3, unit=bureau.a)
    client = client_for(people.office)
    for param, ordering in itertools.product(("after", "before"), ("-updated", "code", "level")):
        response = client.get(reverse("riskpoints:list"), {param: cursor, "ordering": ordering})
        assert response.status_code == 200


@pytest.mark.parametrize("start", ["\x00", "T-\x00", "A" * 5000, "①", "%_"])
def test_a_bad_jump_is_no_error(people, bureau, client_for, start):
    RiskPointFactory.create_batch(3, unit=bureau.a)
    assert client_for(people.office).get(reverse("riskpoints:list"), {"from": start}).status_code == 200


def test_the_level_ordered_cursor_is_typed(bureau):
    RiskPointFactory.create_batch(3, unit=bureau.a)
    page = keyset_page(RiskPoint.objects.all(), order=["level", "code"], per_page=1, after=encode(["x", "T"]))
    assert not page.has_previous  # an undecodable value is no cursor

