"""Who may issue which warning to whom (按照管理权限): the authority table, case by case.

The expected table is written out here by hand, from the work plan's rule, and is not read
from ``monitoring.authority.ISSUERS``: a change to the code's table must show up as a failure
here. Every method × issuer persona × target (a persona, or a unit) is checked twice: through
``issue_refusal`` and through the service ``warning_issue`` (PermissionDenied and nothing
created when refused).
"""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from monitoring.authority import issuable_methods, issue_refusal, target_unit_ids
from monitoring.choices import Method
from monitoring.handling import warning_issue
from monitoring.models import ReferenceCounter, RiskWarning
from notices.models import Notification
from tests.factories import UnitFactory, UserFactory

PERSONAS = ("staff_a", "staff_a2", "squad_staff", "head_a", "staff_b", "head_b", "leader_a", "leader_b", "office",
            "director", "nobody")
PERSON_METHODS = ("heart_talk", "criticism", "petition_talk", "admonition")
UNIT_METHODS = ("leader_admonition", "life_meeting", "rectify")
# The office's own unit is left out here: with no head or leader of its own to acknowledge, a
# warning to it is refused for that reason (tests/monitoring/test_handling_pages.py), not by authority.
UNITS = ("a", "a_squad", "b")

# --- the expected table, written out ------------------------------------------------------------
# Whom each persona may warn, by method. A pair not listed here: nobody at all.
# People of A: staff_a, staff_a2, squad_staff (A's squad), head_a, nobody (A, no role).
# Leaders (leader_a, leader_b, director) are never warned in the bureau's own system; nobody
# warns themselves; a unit head reaches the staff of their unit, never another unit head.
OF_A = "staff_a staff_a2 squad_staff nobody"
A_ALL = "staff_a staff_a2 squad_staff head_a nobody"
BUREAU_BUT_LEADERS = "staff_a staff_a2 squad_staff head_a staff_b head_b office nobody"
PERSON_TABLE = {
    ("head_a", "heart_talk"): OF_A,
    ("head_a", "criticism"): OF_A,
    ("head_b", "heart_talk"): "staff_b",
    ("head_b", "criticism"): "staff_b",
    ("leader_a", "heart_talk"): A_ALL,
    ("leader_a", "criticism"): A_ALL,
    ("leader_a", "petition_talk"): A_ALL,
    ("leader_a", "admonition"): A_ALL,
    ("leader_b", "heart_talk"): "staff_b head_b",
    ("leader_b", "criticism"): "staff_b head_b",
    ("leader_b", "petition_talk"): "staff_b head_b",
    ("leader_b", "admonition"): "staff_b head_b",
    # the office: everyone of the bureau but itself and the leaders
    ("office", "heart_talk"): "staff_a staff_a2 squad_staff head_a staff_b head_b nobody",
    ("office", "criticism"): "staff_a staff_a2 squad_staff head_a staff_b head_b nobody",
    ("office", "petition_talk"): "staff_a staff_a2 squad_staff head_a staff_b head_b nobody",
    ("office", "admonition"): "staff_a staff_a2 squad_staff head_a staff_b head_b nobody",
    # leadership: everyone of the bureau but the leaders (itself among them)
    ("director", "heart_talk"): BUREAU_BUT_LEADERS,
    ("director", "criticism"): BUREAU_BUT_LEADERS,
    ("director", "petition_talk"): BUREAU_BUT_LEADERS,
    ("director", "admonition"): BUREAU_BUT_LEADERS,
}
# Which units each persona may warn, by method (units: a, a_squad, b).
UNIT_TABLE = {
    ("office", "leader_admonition"): "a a_squad b",
    ("office", "life_meeting"): "a a_squad b",
    ("office", "rectify"): "a a_squad b",
    ("director", "leader_admonition"): "a a_squad b",
    ("director", "life_meeting"): "a a_squad b",
    ("director", "rectify"): "a a_squad b",
    ("leader_a", "life_meeting"): "a a_squad",
    ("leader_a", "rectify"): "a a_squad",
    ("leader_b", "life_meeting"): "b",
    ("leader_b", "rectify"): "b",
}

PERSON_CASES = [(i, m, t, t in PERSON_TABLE.get((i, m), "").split())
                for i, m, t in itertools.product(PERSONAS, PERSON_METHODS, PERSONAS)]
UNIT_CASES = [(i, m, u, u in UNIT_TABLE.get((i, m), "").split())
              for i, m, u in itertools.product(PERSONAS, UNIT_METHODS, UNITS)]


def test_the_written_table_has_the_expected_size():
    assert len(PERSON_CASES) == 4 * 11 * 11 and len(UNIT_CASES) == 3 * 11 * 3
    # a sanity check on the literal table: the examples of the work plan
    assert ("head_a", "heart_talk", "staff_a", True) in PERSON_CASES
    assert ("head_a", "admonition", "staff_a", False) in PERSON_CASES
    assert ("leader_a", "admonition", "staff_b", False) in PERSON_CASES


def issue(actor, method, *, person=None, unit=None, **over):
    kwargs = {"actor": actor, "method": method, "nature": "sign", "reason": "执法记录仪未按规定开启。",
              "person": person, "unit": unit}
    if method == Method.RECTIFY:
        kwargs.update(deadline=timezone.localdate() + datetime.timedelta(days=30), requirement="一个月内完成整改。")
    kwargs.update(over)
    return warning_issue(**kwargs)


def assert_nothing_created():
    assert not RiskWarning.objects.exists()
    assert not ReferenceCounter.objects.exists()  # no number used up by a refusal
    assert not Notification.objects.exists()


def each_case(cases, issuer, check):
    """Every case of one issuer in one test, each in a savepoint rolled back after it: the
    fixtures are made once per issuer instead of once per case."""
    for case in (c for c in cases if c[0] == issuer):
        with transaction.atomic():
            check(*case)
            transaction.set_rollback(True)


@pytest.mark.parametrize("issuer", PERSONAS)
def test_person_methods(people, issuer):
    each_case(PERSON_CASES, issuer, lambda *case: person_case(people, *case))


@pytest.mark.parametrize("issuer", PERSONAS)
def test_unit_methods(bureau, people, issuer):
    each_case(UNIT_CASES, issuer, lambda *case: unit_case(bureau, people, *case))


def person_case(people, issuer, method, target, allowed):
    actor, person = getattr(people, issuer), getattr(people, target)
    refusal = issue_refusal(actor, method, person=person)
    if allowed:
        assert refusal is None
        warning = issue(actor, method, person=person)
        assert (warning.target, warning.person, warning.unit, warning.issued_by) == ("person", person, person.unit, actor)
        assert warning.method == method and warning.state == "issued" and warning.deadline is None
        # the person warned is told to acknowledge it
        assert list(Notification.objects.values_list("recipient__username", flat=True)) == [target]
    else:
        assert refusal, "refusal must say why"
        with pytest.raises(PermissionDenied) as exc:
            issue(actor, method, person=person)
        assert str(refusal) in str(exc.value)
        assert_nothing_created()


def unit_case(bureau, people, issuer, method, unit, allowed):
    actor, target = getattr(people, issuer), getattr(bureau, unit)
    refusal = issue_refusal(actor, method, unit=target)
    if allowed:
        assert refusal is None
        warning = issue(actor, method, unit=target)
        assert (warning.target, warning.person, warning.unit, warning.issued_by) == ("unit", None, target, actor)
        assert warning.method == method and warning.state == "issued"
        assert (warning.deadline is not None) == (method == Method.RECTIFY)
    else:
        assert refusal
        with pytest.raises(PermissionDenied):
            issue(actor, method, unit=target)
        assert_nothing_created()


# --- the reasons given --------------------------------------------------------------------------------

@pytest.mark.parametrize("issuer,target,reason", [
    ("office", "office", "不能对本人发出预警"),
    ("director", "director", "不能对本人发出预警"),
    ("leader_a", "leader_a", "不能对本人发出预警"),
    ("head_a", "head_a", "不能对本人发出预警"),
    ("office", "leader_a", "局领导班子成员"),
    ("office", "director", "局领导班子成员"),
    ("director", "leader_b", "局领导班子成员"),
    ("head_a", "head_b", "您没有对该对象作出"),
    ("head_a", "staff_b", "您没有对该对象作出"),
    ("leader_a", "staff_b", "您没有对该对象作出"),
    ("staff_a", "staff_a2", "您没有对该对象作出"),
    ("nobody", "staff_a", "您没有对该对象作出"),
])
def test_refusals_say_why(people, issuer, target, reason):
    assert reason in issue_refusal(getattr(people, issuer), Method.HEART_TALK, person=getattr(people, target))


def test_a_unit_head_may_not_warn_the_head_of_a_unit_under_them(bureau, people):
    """The head of A reaches A's squad, but the squad's head is managed one level up."""
    squad_head = UserFactory(username="head_a1", unit=bureau.a_squad, roles=["unit_head", "staff"])
    for method in (Method.HEART_TALK, Method.CRITICISM):
        assert "单位负责人由分管领导或防控办" in issue_refusal(people.head_a, method, person=squad_head)
        with pytest.raises(PermissionDenied):
            issue(people.head_a, method, person=squad_head)
        # the leader in charge of A and the office may
        assert issue_refusal(people.leader_a, method, person=squad_head) is None
        assert issue_refusal(people.office, method, person=squad_head) is None
    assert_nothing_created()
    # the squad's head warns the squad's staff, not the brigade's
    assert issue_refusal(squad_head, Method.HEART_TALK, person=people.squad_staff) is None
    assert issue_refusal(squad_head, Method.HEART_TALK, person=people.staff_a) is not None
    assert issue_refusal(squad_head, Method.ADMONITION, person=people.squad_staff) is not None


def test_a_person_method_needs_a_person_and_a_unit_method_a_unit(bureau, people):
    assert "对象是个人" in issue_refusal(people.office, Method.ADMONITION, unit=bureau.a)
    assert "对象是单位" in issue_refusal(people.office, Method.RECTIFY, person=people.staff_a)
    with pytest.raises(PermissionDenied):
        issue(people.office, Method.ADMONITION, unit=bureau.a)
    with pytest.raises(PermissionDenied):
        issue(people.office, Method.RECTIFY, person=people.staff_a)
    assert "未知的处置方式" in issue_refusal(people.office, "dismissal", person=people.staff_a)
    with pytest.raises(PermissionDenied):
        issue(people.office, "dismissal", person=people.staff_a)
    assert_nothing_created()


def test_a_person_method_warns_the_person_in_their_own_unit_whatever_unit_is_passed(bureau, people):
    """The unit of a person's warning is the person's: passing another unit cannot widen reach."""
    with pytest.raises(PermissionDenied):
        issue(people.head_a, Method.HEART_TALK, person=people.staff_b, unit=bureau.a)
    warning = issue(people.head_a, Method.HEART_TALK, person=people.staff_a, unit=bureau.b)
    assert warning.unit == bureau.a


def test_a_unit_method_ignores_a_person(bureau, people):
    warning = issue(people.leader_a, Method.RECTIFY, unit=bureau.a, person=people.staff_a)
    assert warning.person is None and warning.target == "unit"


def test_the_bureau_itself_is_not_a_unit_to_warn(bureau, people):
    """Units are warned one by one; the bureau as a whole is its leadership, whom the city
    manages (the issuing form offers only units under the bureau, as task_assign requires).
    A warning to the bureau itself could never be acknowledged: it has no unit head."""
    for method in UNIT_METHODS:
        assert issue_refusal(people.office, method, unit=bureau.ju) is not None, method
        with pytest.raises(PermissionDenied):
            issue(people.office, method, unit=bureau.ju)
    assert_nothing_created()


def test_another_bureaus_office_reaches_nobody_here(bureau, people):
    other = UnitFactory(code="JU2", name="另一个局", kind="bureau")
    other_office = UserFactory(username="office2", unit=UnitFactory(code="FKB2", name="防控办2", parent=other),
                               roles=["office", "staff"])
    for method in PERSON_METHODS:
        assert issue_refusal(other_office, method, person=people.staff_a) is not None
    for method in UNIT_METHODS:
        assert issue_refusal(other_office, method, unit=bureau.a) is not None
        with pytest.raises(PermissionDenied):
            issue(other_office, method, unit=bureau.a)
    assert_nothing_created()


def test_an_inactive_issuer_may_issue_nothing(people):
    people.office.is_active = False
    people.office.save()
    office = type(people.office).objects.get(pk=people.office.pk)
    assert issuable_methods(office) == []
    assert issue_refusal(office, Method.ADMONITION, person=people.staff_a) is not None
    with pytest.raises(PermissionDenied):
        issue(office, Method.ADMONITION, person=people.staff_a)
    assert_nothing_created()


# --- what the pages offer follows the same table ------------------------------------------------------

@pytest.mark.parametrize("persona,methods", [
    ("staff_a", []), ("staff_b", []), ("squad_staff", []), ("nobody", []),
    ("head_a", ["heart_talk", "criticism"]),
    ("leader_a", ["heart_talk", "criticism", "petition_talk", "admonition", "life_meeting", "rectify"]),
    ("office", ["heart_talk", "criticism", "petition_talk", "admonition", "leader_admonition", "life_meeting",
                "rectify"]),
    ("director", ["heart_talk", "criticism", "petition_talk", "admonition", "leader_admonition", "life_meeting",
                  "rectify"]),
])
def test_issuable_methods(people, persona, methods):
    assert [m.value for m in issuable_methods(getattr(people, persona))] == methods


def test_reach_of_each_role(bureau, people):
    assert target_unit_ids(people.head_a, Method.CRITICISM) == {bureau.a.pk, bureau.a_squad.pk}
    assert target_unit_ids(people.head_a, Method.ADMONITION) == frozenset()
    assert target_unit_ids(people.leader_a, Method.RECTIFY) == {bureau.a.pk, bureau.a_squad.pk}
    assert target_unit_ids(people.leader_a, Method.LEADER_ADMONITION) == frozenset()
    assert {bureau.a.pk, bureau.b.pk, bureau.fkb.pk} <= target_unit_ids(people.office, Method.LEADER_ADMONITION)


@pytest.mark.parametrize("persona", ["staff_a", "squad_staff", "nobody"])
def test_staff_get_no_issuing_form(people, client_for, persona):
    client = client_for(getattr(people, persona))
    assert client.get(reverse("monitoring:warning_create")).status_code == 403
    response = client.post(reverse("monitoring:warning_create"), {
        "method": "heart_talk", "person": people.staff_a2.pk, "nature": "sign", "reason": "x"})
    assert response.status_code == 403
    assert_nothing_created()


def test_the_issuing_form_offers_only_what_the_table_allows(people, client_for):
    html = client_for(people.head_a).get(reverse("monitoring:warning_create")).content.decode()
    assert 'value="heart_talk"' in html and 'value="criticism"' in html
    assert 'value="admonition"' not in html and 'value="rectify"' not in html
    assert f'value="{people.staff_a.pk}"' in html and f'value="{people.staff_b.pk}"' not in html


def test_a_forged_post_of_a_refused_warning_creates_nothing(people, client_for):
    """head_a's form does not offer 诫勉谈话; posting it anyway is refused by the service."""
    response = client_for(people.head_a).post(reverse("monitoring:warning_create"), {
        "method": "admonition", "person": people.staff_a.pk, "nature": "sign", "reason": "伪造的提交"})
    assert response.status_code == 400
    response = client_for(people.head_a).post(reverse("monitoring:warning_create"), {
        "method": "heart_talk", "person": people.staff_b.pk, "nature": "sign", "reason": "伪造的提交"})
    assert response.status_code == 400
    assert_nothing_created()


def test_the_issuing_form_warns_through_the_service(people, client_for):
    response = client_for(people.head_a).post(reverse("monitoring:warning_create"), {
        "method": "heart_talk", "person": people.staff_a.pk, "nature": "sign", "reason": "工作作风松散"})
    warning = RiskWarning.objects.get()
    assert response.status_code == 302 and response["Location"] == warning.get_absolute_url()
    assert (warning.person, warning.issued_by, warning.method) == (people.staff_a, people.head_a, "heart_talk")
