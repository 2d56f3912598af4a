"""A visitor's lookup of their own opinion, and the reference numbers of information and warnings.

A public opinion gets a reference and a secret lookup code, shown once; with both the visitor
reads the state of the opinion in words — never its content or its handling — and every try
counts against the visitor's hour. References carry the bureau's prefix, and numbers are never
given out twice, even to callers at the same moment.
"""

import re
import threading

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from controls.services import plan_save
from monitoring.choices import Method
from monitoring.handling import assess, warning_issue
from monitoring.models import ReferenceCounter, RiskInformation
from monitoring.services import config_save, information_lookup, information_record, next_number, reference_prefix
from public.forms import CHALLENGE_SALT
from public.models import Publication
from public.services import LOOKUP_LIMIT_PER_HOUR, publication_publish, publication_save
from tests import workflow
from tests.factories import RiskPointFactory, UnitFactory, UserFactory

TODAY = timezone.localdate()
YEAR = TODAY.year
OPINION_TEXT = "该岗位执法人员收受好处MARK-OPINION，请核查。"
CONTACT = "13800138000"


@pytest.fixture
def published_risk(bureau, people):
    risk = RiskPointFactory(unit=bureau.a, title="公开的风险点")
    plan_save(risk=risk, actor=people.staff_a, lock_version=risk.lock_version,
              measures=[{"kind": "control", "content": "双人执法", "responsible": people.head_a,
                         "supervisor": people.director, "due_date": TODAY}])
    risk = workflow.walk(risk, people)
    pub = Publication(title="公示", starts_on=TODAY)
    publication_save(actor=people.office, publication=pub)
    publication_publish(actor=people.office, publication=pub)
    return risk


def submit_opinion(client, risk, ip="10.0.0.1", text=OPINION_TEXT):
    data = {"text": text, "contact": CONTACT, "answer": 7, "token": signing.dumps(7, salt=CHALLENGE_SALT)}
    response = client.post(reverse("public:opinion", args=["risk", risk.code]), data, REMOTE_ADDR=ip)
    assert response.status_code == 200
    html = response.content.decode()
    reference = re.search(r'class="reference">([^<]+)<', html).group(1)
    code = re.search(r'class="lookup-code">([^<]+)<', html).group(1)
    return reference, code


def lookup(client, reference, code, ip="10.0.0.1"):
    response = client.post(reverse("public:opinion_lookup"), {"reference": reference, "code": code}, REMOTE_ADDR=ip)
    assert response.status_code in (200, 400)  # 400: the form again, with why
    return response, response.content.decode()


@pytest.fixture
def opinion(client, published_risk):
    return submit_opinion(client, published_risk)


# --- the one-time code --------------------------------------------------------------------------

def test_an_opinion_gets_a_reference_and_a_one_time_code(opinion, people, client_for):
    reference, code = opinion
    info = RiskInformation.objects.get()
    assert info.reference == reference and info.channel == "public"
    assert re.fullmatch(r"[0-9A-F]{8}", code)
    # the code is kept only as a hash: not in any field, not in the office's pages
    assert code not in info.lookup_hash and all(code not in str(getattr(info, f.attname))
                                                for f in RiskInformation._meta.concrete_fields)
    office = client_for(people.office)
    for url in (info.get_absolute_url(), reverse("monitoring:info_history", args=[info.pk]),
                reverse("monitoring:info_list")):
        assert code not in office.get(url).content.decode(), url
    assert all(code not in str(h.__dict__) for h in info.history.all())


def test_the_right_reference_and_code_show_the_state_and_no_content(client, opinion):
    reference, code = opinion
    response, html = lookup(client, reference, code)
    assert "已受理，等待研判" in html and 'class="lookup-state"' in html and reference in html
    assert "MARK-OPINION" not in html and CONTACT not in html and "收受好处" not in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # the code is not case-sensitive, and surrounding spaces do not matter
    assert "已受理，等待研判" in lookup(client, f" {reference} ", f" {code.lower()} ")[1]


def test_the_lookup_page_does_not_echo_the_code(client, opinion):
    """The code is shown once, on the thanks page; the lookup form leaves its field empty, and
    no other part of the answer (a link, the language switch) carries it on."""
    reference, code = opinion
    html = lookup(client, reference, code)[1]
    assert 'name="code" maxlength="20" value=""' in html
    assert code not in html and code.lower() not in html


@pytest.mark.parametrize("wrong", ["code", "reference", "both", "empty_code"])
def test_a_wrong_code_or_reference_shows_nothing_of_it(client, opinion, wrong):
    reference, code = opinion
    bad_code = "0" * 8 if code != "0" * 8 else "1" * 8
    bad_ref = reference[:-1] + ("9" if reference[-1] != "9" else "8")
    ref, c = {"code": (reference, bad_code), "reference": (bad_ref, code), "both": (bad_ref, bad_code),
              "empty_code": (reference, "")}[wrong]
    _response, html = lookup(client, ref, c)
    assert 'class="lookup-state"' not in html
    for state in ("已受理，等待研判", "已研判", "正在处置", "已办结"):
        assert state not in html
    assert "MARK-OPINION" not in html and CONTACT not in html
    if wrong != "empty_code":
        assert "编号或查询码不正确" in html


def test_one_opinions_code_does_not_open_another(client, published_risk):
    first_ref, first_code = submit_opinion(client, published_risk, text="第一条MARK-ONE")
    second_ref, second_code = submit_opinion(client, published_risk, text="第二条MARK-TWO")
    assert first_ref != second_ref and first_code != second_code
    assert "编号或查询码不正确" in lookup(client, first_ref, second_code)[1]
    assert "编号或查询码不正确" in lookup(client, second_ref, first_code)[1]
    assert "已受理" in lookup(client, second_ref, second_code)[1]


def test_information_from_other_channels_cannot_be_looked_up(bureau, people, client):
    info = information_record(bureau=bureau.ju, channel="petition", content="信访件MARK-PETITION",
                              recorded_by=people.office, concerns_unit=bureau.a)
    assert info.lookup_code == "" and info.lookup_hash == ""
    assert information_lookup(info.reference, "") is None
    assert information_lookup(info.reference, "00000000") is None
    html = lookup(client, info.reference, "00000000")[1]
    assert "编号或查询码不正确" in html and "MARK-PETITION" not in html


def test_the_state_follows_the_handling_in_words_only(client, opinion, people):
    reference, code = opinion
    info = RiskInformation.objects.get()
    assess(info=info, actor=people.office, outcome="observe", reasoning="内部研判意见MARK-ASSESS")
    html = lookup(client, reference, code)[1]
    assert "已研判，存档观察" in html and "MARK-ASSESS" not in html
    warning_issue(actor=people.office, method=Method.RECTIFY, unit=info.concerns_unit, nature="sign",
                  reason="内部预警事由MARK-WARN", requirement="整改", deadline=TODAY, information=[info],
                  reasoning="属实MARK-REASONING")
    html = lookup(client, reference, code, ip="10.0.0.2")[1]
    assert "已研判，正在处置" in html
    for marker in ("MARK-WARN", "MARK-REASONING", people.office.real_name, people.head_a.real_name):
        assert marker not in html, marker


def test_rejecting_the_opinion_shows_it_closed(client, opinion, people):
    reference, code = opinion
    assess(info=RiskInformation.objects.get(), actor=people.office, outcome="reject", reasoning="查无实据")
    html = lookup(client, reference, code)[1]
    assert "已办结" in html and "查无实据" not in html


# --- trying codes is rate-limited ------------------------------------------------------------------

def test_after_ten_tries_in_an_hour_the_lookup_is_refused_even_with_the_right_code(client, opinion):
    reference, code = opinion
    assert LOOKUP_LIMIT_PER_HOUR == 10
    for i in range(LOOKUP_LIMIT_PER_HOUR - 1):
        html = lookup(client, reference, f"{i:08X}" if f"{i:08X}" != code else "FFFFFFFF", ip="10.0.0.9")[1]
        assert "编号或查询码不正确" in html and "查询过于频繁" not in html, i
    # the tenth try is still answered
    assert "已受理，等待研判" in lookup(client, reference, code, ip="10.0.0.9")[1]
    # the eleventh is not, right code or not
    for _ in range(2):
        html = lookup(client, reference, code, ip="10.0.0.9")[1]
        assert "查询过于频繁" in html
        assert 'class="lookup-state"' not in html and "已受理，等待研判" not in html
    # another visitor is not held back
    assert "已受理，等待研判" in lookup(client, reference, code, ip="10.0.0.10")[1]


def test_the_next_hour_opens_the_lookup_again(client, opinion, monkeypatch):
    reference, code = opinion
    for _ in range(LOOKUP_LIMIT_PER_HOUR):
        lookup(client, reference, "00000000", ip="10.0.0.9")
    assert "查询过于频繁" in lookup(client, reference, code, ip="10.0.0.9")[1]
    later = timezone.now() + timezone.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "已受理，等待研判" in lookup(client, reference, code, ip="10.0.0.9")[1]


# --- reference numbers ---------------------------------------------------------------------------------

def record(bureau, **kw):
    return information_record(bureau=bureau, channel="petition", content="反映问题", **kw)


def test_references_use_the_bureau_code_until_the_office_sets_a_prefix(bureau, people):
    assert reference_prefix(bureau.ju) == "JU"
    first = record(bureau.ju)
    assert first.reference == f"JU{YEAR}-00001"
    config_save(actor=people.office, prefix=" 城执 ")
    assert reference_prefix(bureau.ju) == "城执"
    second = record(bureau.ju)
    assert second.reference == f"城执{YEAR}-00002"  # the count goes on; the prefix is new
    first.refresh_from_db()
    assert first.reference == f"JU{YEAR}-00001"  # numbers already given do not change
    config_save(actor=people.office, prefix="城管")
    assert record(bureau.ju).reference == f"城管{YEAR}-00003"


def test_warning_numbers_use_the_prefix_and_a_count_of_their_own(bureau, people):
    config_save(actor=people.office, prefix="城执")
    record(bureau.ju)
    talk = warning_issue(actor=people.office, method=Method.HEART_TALK, person=people.staff_a, nature="sign",
                         reason="事由")
    rectify = warning_issue(actor=people.office, method=Method.RECTIFY, unit=bureau.a, nature="sign", reason="事由",
                            requirement="整改", deadline=TODAY)
    again = warning_issue(actor=people.office, method=Method.CRITICISM, person=people.staff_b, nature="sign",
                          reason="事由")
    assert talk.number == f"城执廉预〔{YEAR}〕1号"
    assert rectify.number == f"城执整改〔{YEAR}〕1号"
    assert again.number == f"城执廉预〔{YEAR}〕2号"


def test_a_public_opinion_takes_its_number_from_the_same_count(client, bureau, people, published_risk):
    config_save(actor=people.office, prefix="城执")
    record(bureau.ju)
    reference, _code = submit_opinion(client, published_risk)
    assert reference == f"城执{YEAR}-00002"


def test_each_bureau_has_its_own_prefix_and_count(bureau, people):
    other = UnitFactory(code="JU2", name="另一个局", kind="bureau")
    other_office = UserFactory(username="office2", unit=UnitFactory(code="FKB2", name="防控办2", parent=other),
                               roles=["office", "staff"])
    config_save(actor=people.office, prefix="城执")
    config_save(actor=other_office, prefix="二局")
    assert record(bureau.ju).reference == f"城执{YEAR}-00001"
    assert record(other).reference == f"二局{YEAR}-00001"
    assert record(bureau.ju).reference == f"城执{YEAR}-00002"


def test_two_bureaus_choosing_the_same_prefix_still_get_distinct_references(bureau, people):
    """References are unique across the system while counters are per bureau: a second bureau
    taking a prefix already in use (or another bureau's code) must be refused, or its numbers
    must still differ — never a failure when information is recorded."""
    other = UnitFactory(code="JU2", name="另一个局", kind="bureau")
    other_office = UserFactory(username="office2", unit=UnitFactory(code="FKB2", name="防控办2", parent=other),
                               roles=["office", "staff"])
    config_save(actor=people.office, prefix="城执")
    for prefix in ("城执", "JU"):
        try:
            config_save(actor=other_office, prefix=prefix)
        except ValidationError:
            continue  # refused: the prefix is taken
        mine, theirs = record(bureau.ju), record(other)  # must not raise IntegrityError
        assert mine.reference != theirs.reference
        mine_w = warning_issue(actor=people.office, method=Method.HEART_TALK, person=people.staff_a, nature="sign",
                               reason="事由")
        staff_2 = UserFactory(username=f"staff2_{prefix}", unit=other_office.unit, roles=["staff"])
        theirs_w = warning_issue(actor=other_office, method=Method.HEART_TALK, person=staff_2, nature="sign",
                                 reason="事由")
        assert mine_w.number != theirs_w.number


@pytest.mark.parametrize("persona", ["head_a", "director", "leader_a", "staff_a"])
def test_only_the_office_sets_the_prefix(bureau, people, client_for, persona):
    with pytest.raises(PermissionDenied):
        config_save(actor=getattr(people, persona), prefix="乱改")
    client = client_for(getattr(people, persona))
    assert client.get(reverse("monitoring:config")).status_code == 403
    assert client.post(reverse("monitoring:config"), {"prefix": "乱改"}).status_code == 403
    assert reference_prefix(bureau.ju) == "JU"


def test_the_office_sets_the_prefix_through_its_page(bureau, people, client_for):
    client = client_for(people.office)
    assert 'value="JU"' in client.get(reverse("monitoring:config")).content.decode()
    response = client.post(reverse("monitoring:config"), {"prefix": "城执"})
    assert response.status_code == 302
    assert reference_prefix(bureau.ju) == "城执"
    assert client.post(reverse("monitoring:config"), {"prefix": ""}).status_code == 200  # the form again
    assert reference_prefix(bureau.ju) == "城执"


def test_next_number_counts_per_kind_and_year(bureau):
    assert [next_number(bureau.ju, "information", YEAR) for _ in range(3)] == [1, 2, 3]
    assert next_number(bureau.ju, "warning", YEAR) == 1
    assert next_number(bureau.ju, "information", YEAR + 1) == 1
    assert next_number(bureau.ju, "information", YEAR) == 4


# --- at the same moment ----------------------------------------------------------------------------------

def run_together(n, work):
    """Run ``work(i)`` in ``n`` threads released at once; return results and errors."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_share_a_number(bureau):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL 的行锁（SQLite 的内存测试库不支持多线程并发写入）")
    per_thread = 5

    def take(_i):
        return [next_number(bureau.ju, "information", YEAR) for _ in range(per_thread)]

    # the first numbers of the year: no counter yet, every thread tries to create it
    results, errors = run_together(6, take)
    numbers = sorted(n for batch in results for n in batch)
    assert not errors, errors
    assert numbers == list(range(1, 6 * per_thread + 1))
    # and again with the counter there
    results, errors = run_together(6, take)
    assert not errors, errors
    assert sorted(n for batch in results for n in batch) == list(range(6 * per_thread + 1, 12 * per_thread + 1))
    assert ReferenceCounter.objects.get(bureau=bureau.ju, kind="information", year=YEAR).last == 12 * per_thread


@pytest.mark.django_db(transaction=True)
def test_concurrent_information_gets_distinct_references(bureau):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL 的行锁（SQLite 的内存测试库不支持多线程并发写入）")

    def register(i):
        return information_record(bureau=bureau.ju, channel="public" if i % 2 else "petition",
                                  content=f"同时提交的信息{i}").reference

    results, errors = run_together(8, register)
    assert not errors, errors
    assert len(set(results)) == 8 and RiskInformation.objects.count() == 8
    assert sorted(results) == [f"JU{YEAR}-{n:05d}" for n in range(1, 9)]
