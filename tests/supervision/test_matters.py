"""三重一大 records: each breach of the rules of procedure raised once as risk information;
filed by the unit, read by the office and leadership, never by another unit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from monitoring.models import RiskInformation
from supervision.models import Matter
from supervision.services import matter_check, matter_create, procedure_rule_save

DAY = datetime.date(2026, 5, 6)


def data(unit, **over):
    return {"unit": unit, "kind": "project", "subject": "执法指挥中心信息化项目", "amount": Decimal("1200000"),
            "meeting": "局党组会议（第 9 次）", "meeting_date": DAY, "agenda": "审议项目方案", "consulted": True,
            "legal_reviewed": True, "decision": "同意实施", "decided_on": DAY, **over}


def members(leader_order=5):
    names = ["甲", "乙", "丙", "丁"]
    rows = [{"name": n, "title": "副局长", "is_main_leader": False, "present": True, "speaking_order": i,
             "opinion": "同意", "vote": "for"} for i, n in enumerate(names, start=1) if i != leader_order]
    rows.append({"name": "局长", "title": "局长", "is_main_leader": True, "present": True, "speaking_order": leader_order,
                 "opinion": "同意", "vote": "for"})
    return rows


def test_a_matter_that_follows_the_rules_raises_nothing(people, bureau):
    matter = matter_create(actor=people.staff_a, data=data(bureau.a), members=members())
    assert not matter.breaches.exists() and not RiskInformation.objects.exists()


def test_the_main_leader_speaking_first_is_raised_once(people, bureau):
    matter = matter_create(actor=people.staff_a, data=data(bureau.a), members=members(leader_order=1))
    assert [b.kind for b in matter.breaches.all()] == ["leader_not_last"]
    info = RiskInformation.objects.get()
    assert info.channel == "efficiency" and info.concerns_unit == bureau.a and "主要负责人局长在第 1 位发言" in info.content
    matter_check(matter=matter)
    assert RiskInformation.objects.count() == 1


def test_the_office_configures_the_rules(people, bureau):
    procedure_rule_save(actor=people.office, kind="funds", data={
        "quorum": "half", "leader_last": True, "consultation": False, "legal_review": False, "meeting_from": Decimal("100000")})
    small = matter_create(actor=people.staff_a, data=data(bureau.a, kind="funds", amount=Decimal("90000"), meeting="",
                                                           meeting_date=None, consulted=False), members=[])
    assert not small.breaches.exists()
    large = matter_create(actor=people.staff_a, data=data(bureau.a, kind="funds", amount=Decimal("300000"), meeting="",
                                                           meeting_date=None, consulted=False), members=[])
    assert [b.kind for b in large.breaches.all()] == ["no_meeting"]
    with pytest.raises(PermissionDenied):
        procedure_rule_save(actor=people.staff_a, kind="funds", data={})


def test_a_unit_records_only_its_own_matters_and_others_cannot_read_them(people, bureau, client_for):
    with pytest.raises(PermissionDenied):
        matter_create(actor=people.staff_b, data=data(bureau.a), members=members())
    with pytest.raises(ValidationError):
        matter_create(actor=people.staff_a, data=data(bureau.a), members=members() + [{**members()[-1], "name": "另一位"}])
    matter = matter_create(actor=people.staff_a, data=data(bureau.a), members=members(leader_order=1))
    assert client_for(people.staff_b).get(matter.get_absolute_url()).status_code == 404
    assert client_for(people.leader_b).get(matter.get_absolute_url()).status_code == 404
    for user in (people.staff_a, people.leader_a, people.office, people.director):
        page = client_for(user).get(matter.get_absolute_url())
        assert page.status_code == 200 and "主要负责人未末位表态" in page.content.decode()
    assert client_for(people.staff_b).get(reverse("supervision:procedure_rules")).status_code == 403
    assert client_for(people.director).get(reverse("supervision:matter_create")).status_code == 403


def test_the_form_records_the_meeting_and_its_members(people, bureau, client_for):
    client = client_for(people.staff_a)
    form = {f: v for f, v in data(bureau.a).items()}
    form.update(unit=bureau.a.pk, meeting_date=DAY.isoformat(), decided_on=DAY.isoformat(), consulted="on", legal_reviewed="on")
    rows = members(leader_order=1)
    post = {**form, "members-TOTAL_FORMS": len(rows), "members-INITIAL_FORMS": 0}
    for i, m in enumerate(rows):
        post.update({f"members-{i}-{k}": ("on" if v is True else v) for k, v in m.items() if v is not False})
    response = client.post(reverse("supervision:matter_create"), post)
    matter = Matter.objects.get()
    assert response.status_code == 302 and matter.members.count() == len(rows) and matter.breaches.count() == 1
    bad = client.post(reverse("supervision:matter_create"), {**post, "amount": "-5", "subject": "a\x01b"})
    assert bad.status_code == 200 and Matter.objects.count() == 1
