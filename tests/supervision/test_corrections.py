"""Correcting filings and 三重一大 records: only the handling unit, in scope and in time, from a
form that is not stale; the record is checked again without raising anything twice."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from monitoring.models import RiskInformation
from review.services import StaleEdit
from supervision.models import Breach, Filing, Matter
from supervision.services import CORRECTION_DAYS, filing_create, filing_update, matter_create, matter_update

from .conftest import MONDAY, benchmark_id, case, flow_ids
from .test_matters import DAY, data as matter_data, members

LIMIT = MONDAY + datetime.timedelta(days=7)


@pytest.fixture
def open_filing(people, key_power):
    """An open case whose fine is above the benchmark (red) and whose 决定 is overdue."""
    data, done = case(key_power, fine_amount=Decimal("150000"))
    return filing_create(actor=people.staff_a, power=key_power, data=data, done=done)


def form_post(filing, **over):
    ids = flow_ids(filing.power)
    post = {"unit": filing.unit_id, "case_number": filing.case_number, "party": filing.party,
            "opened_on": filing.opened_on.isoformat(), "closed_on": "", "decision": "",
            f"step_{ids['受理']}": filing.opened_on.isoformat(), "benchmark_id": benchmark_id(filing.power),
            "stated_conditions": filing.stated_conditions, "base_amount": "1000000", "fine_amount": "150000",
            "lock_version": filing.lock_version}
    post.update(over)
    return post


def kinds(filing):
    return sorted((f.kind, f.resolved_on is not None) for f in filing.findings.all())


def test_a_corrected_filing_is_checked_again_without_raising_anything_twice(people, open_filing):
    assert kinds(open_filing) == [("late", False), ("range", False)]
    assert RiskInformation.objects.count() == 2
    data, done = case(open_filing.power, fine_amount=Decimal("80000"))
    fixed = filing_update(actor=people.staff_a, filing=open_filing, lock_version=0, data=data, done=done)
    assert kinds(fixed) == [("late", False), ("range", True)]  # the fine no longer deviates
    assert fixed.light == "red" and fixed.lock_version == 1 and RiskInformation.objects.count() == 2
    data, done = case(open_filing.power, fine_amount=Decimal("150000"))
    again = filing_update(actor=people.staff_a, filing=fixed, lock_version=1, data=data, done=done)
    assert kinds(again) == [("late", False), ("range", False)]  # holds again, still one information
    assert RiskInformation.objects.count() == 2
    ids = flow_ids(open_filing.power)
    data, done = case(open_filing.power, fine_amount=Decimal("80000"), decided=LIMIT)
    on_time = filing_update(actor=people.staff_a, filing=again, lock_version=2, data=data, done=done)
    assert kinds(on_time) == [("late", True), ("range", True)] and on_time.light == "green"
    assert set(on_time.steps.values_list("step_id", flat=True)) == {ids["受理"], ids["决定"]}


def test_a_stale_correction_is_refused_and_changes_nothing(people, open_filing):
    data, done = case(open_filing.power, fine_amount=Decimal("80000"))
    filing_update(actor=people.staff_a, filing=open_filing, lock_version=0, data=data, done=done)
    with pytest.raises(StaleEdit):
        filing_update(actor=people.staff_a2, filing=open_filing, lock_version=0,
                      data={**data, "party": "另一人"}, done=done)
    assert Filing.objects.get().party == "某置业有限公司"


def test_only_the_handling_unit_corrects_and_only_in_time(people, key_power, open_filing, client_for):
    data, done = case(key_power, fine_amount=Decimal("80000"))
    for user in (people.staff_b, people.leader_a, people.office, people.director):
        with pytest.raises(PermissionDenied):
            filing_update(actor=user, filing=open_filing, lock_version=0, data=data, done=done)
    url = reverse("supervision:filing_edit", args=[open_filing.pk])
    for user in (people.staff_b, people.leader_b):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, form_post(open_filing)).status_code == 404
    for user in (people.leader_a, people.office, people.director):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, form_post(open_filing, party="改")).status_code == 403
        assert url not in client_for(user).get(open_filing.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):  # not under another unit's name
        filing_update(actor=people.staff_a, filing=open_filing, lock_version=0, data={**data, "unit": people.staff_b.unit},
                      done=done)
    closed_long_ago = filing_create(actor=people.staff_a, power=key_power, done=case(key_power, "案-旧", decided=LIMIT, closed=LIMIT)[1],
                                    data=case(key_power, "案-旧", decided=LIMIT, closed=LIMIT)[0])
    assert LIMIT + datetime.timedelta(days=CORRECTION_DAYS) < timezone.localdate()
    assert client_for(people.staff_a).get(reverse("supervision:filing_edit", args=[closed_long_ago.pk])).status_code == 403
    assert Filing.objects.get(pk=open_filing.pk).lock_version == 0


def test_the_correction_page_saves_shows_the_history_and_refuses_bad_input(people, open_filing, client_for):
    client = client_for(people.staff_a)
    url = reverse("supervision:filing_edit", args=[open_filing.pk])
    page = client.get(url).content.decode()
    assert "150000" in page and 'name="lock_version"' in page and "已不成立" in page
    bad = client.post(url, form_post(open_filing, fine_amount="-1", party="a\x00"))
    assert bad.status_code == 400 and Filing.objects.get().party == "某置业有限公司"
    stale = client.post(url, form_post(open_filing, lock_version="7", party="乙公司"))
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    wrong_date = client.post(url, form_post(open_filing, closed_on=(MONDAY - datetime.timedelta(days=1)).isoformat()))
    assert wrong_date.status_code == 400 and "办结日期不能早于" in wrong_date.content.decode()
    response = client.post(url, form_post(open_filing, party="乙公司", fine_amount="80000"))
    assert response.status_code == 302 and response.url == open_filing.get_absolute_url()
    detail = client.get(open_filing.get_absolute_url()).content.decode()
    assert "更正后已不成立" in detail and "乙公司" in detail and people.staff_a.display_name in detail
    assert "某置业有限公司" in detail  # the old value in the change list
    history = client.get(reverse("supervision:filing_history", args=[open_filing.pk]))
    assert history.status_code == 200 and "乙公司" in history.content.decode()
    assert client_for(people.staff_b).get(reverse("supervision:filing_history", args=[open_filing.pk])).status_code == 404
    assert RiskInformation.objects.count() == 2


# --- 三重一大 -----------------------------------------------------------------------------------

def member_post(rows, matter=None):
    post = {"members-TOTAL_FORMS": len(rows), "members-INITIAL_FORMS": len(rows) if matter else 0}
    existing = list(matter.members.order_by("order", "pk")) if matter else []
    for i, m in enumerate(rows):
        post.update({f"members-{i}-{k}": ("on" if v is True else v) for k, v in m.items() if v is not False})
        if existing:
            post[f"members-{i}-id"] = existing[i].pk
    return post


def test_a_corrected_matter_is_checked_again_without_raising_anything_twice(people, bureau):
    matter = matter_create(actor=people.staff_a, data=matter_data(bureau.a), members=members(leader_order=1))
    assert [b.kind for b in matter.breaches.all()] == ["leader_not_last"]
    rows = [{**m, "id": pk} for m, pk in zip(members(leader_order=1), matter.members.order_by("order").values_list("pk", flat=True))]
    for row in rows:  # the leader spoke last after all: the minutes were typed wrong
        row["speaking_order"] = 5 if row["is_main_leader"] else row["speaking_order"]
    fixed = matter_update(actor=people.staff_a, matter=matter, lock_version=0, data=matter_data(bureau.a), members=rows)
    breach = Breach.objects.get()
    assert breach.resolved_on is not None and fixed.lock_version == 1 and RiskInformation.objects.count() == 1
    assert fixed.members.count() == 4
    matter_update(actor=people.staff_a, matter=fixed, lock_version=1, data=matter_data(bureau.a, consulted=False), members=rows)
    assert sorted(Breach.objects.values_list("kind", flat=True)) == ["leader_not_last", "no_consultation"]
    assert RiskInformation.objects.count() == 2
    with pytest.raises(StaleEdit):
        matter_update(actor=people.staff_a, matter=fixed, lock_version=1, data=matter_data(bureau.a), members=rows)
    with pytest.raises(ValidationError):
        matter_update(actor=people.staff_a, matter=fixed, lock_version=2, data=matter_data(bureau.a),
                      members=rows + [{**rows[-1], "id": None, "name": "另一位"}])
    assert Matter.objects.get().lock_version == 2


def test_only_the_unit_corrects_a_matter_in_time(people, bureau, client_for):
    matter = matter_create(actor=people.staff_a, data=matter_data(bureau.a), members=members())
    url = reverse("supervision:matter_edit", args=[matter.pk])
    for user in (people.staff_b, people.leader_b):
        assert client_for(user).get(url).status_code == 404
    for user in (people.leader_a, people.office, people.director):
        assert client_for(user).get(url).status_code == 403
        with pytest.raises(PermissionDenied):
            matter_update(actor=user, matter=matter, lock_version=0, data=matter_data(bureau.a), members=members())
    Matter.objects.filter(pk=matter.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert client_for(people.staff_a).get(url).status_code == 403


def test_the_matter_correction_page_saves_and_refuses_a_stale_form(people, bureau, client_for):
    matter = matter_create(actor=people.staff_a, data=matter_data(bureau.a), members=members(leader_order=1))
    client = client_for(people.staff_a)
    url = reverse("supervision:matter_edit", args=[matter.pk])
    assert 'name="lock_version"' in client.get(url).content.decode()
    form = {**matter_data(bureau.a), "unit": bureau.a.pk, "meeting_date": DAY.isoformat(), "decided_on": DAY.isoformat(),
            "consulted": "on", "legal_reviewed": "on", "amount": "1200000", "lock_version": 0,
            "subject": "执法指挥中心信息化项目（二期）"}
    rows = members(leader_order=1)
    rows = [{**r, "speaking_order": 5 if r["is_main_leader"] else r["speaking_order"]} for r in rows]
    stale = client.post(url, {**form, "lock_version": 3, **member_post(rows, matter)})
    assert stale.status_code == 400 and Matter.objects.get().subject == "执法指挥中心信息化项目"
    response = client.post(url, {**form, **member_post(rows, matter)})
    assert response.status_code == 302
    detail = client.get(matter.get_absolute_url()).content.decode()
    assert "（二期）" in detail and "更正后已不成立" in detail and "符合议事规则" in detail
    assert client.get(reverse("supervision:matter_history", args=[matter.pk])).status_code == 200
    assert RiskInformation.objects.count() == 1
