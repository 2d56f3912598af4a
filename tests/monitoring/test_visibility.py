"""Who reads warnings, and which parts of them (``monitoring.visibility``).

A person's warning is read by the office, bureau leadership, the leader in charge of the unit,
the unit's head and the person warned; nobody else, not even a colleague of the same unit. The
person warned never sees the information it rests on; reporters and their contacts are the
office's alone; nothing of it reaches the public site.
"""

import datetime
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from controls.services import plan_save
from monitoring.choices import Method
from monitoring.handling import report_submit, warning_acknowledge, warning_issue, warning_record_save
from monitoring.services import information_create, information_record
from public.models import Publication
from public.services import publication_publish, publication_save
from tests import workflow
from tests.factories import RiskPointFactory, UnitFactory, UserFactory

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

READERS = ["office", "director", "leader_a", "head_a", "staff_a"]
OUTSIDERS = ["staff_a2", "squad_staff", "staff_b", "head_b", "leader_b", "nobody"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def info(bureau, people):
    """A petition about unit A, with who reported it: the office's alone."""
    return information_record(bureau=bureau.ju, channel="petition", recorded_by=people.office, concerns_unit=bureau.a,
                              concerns_person=people.staff_a, content="反映执法人员收受好处MARK-INFO",
                              reporter="举报人王某MARK-REPORTER", contact="13912345678")


@pytest.fixture
def warning(people, info):
    return warning_issue(actor=people.office, method=Method.ADMONITION, person=people.staff_a, nature="sign",
                         reason="收受管理对象宴请MARK-REASON", information=[info], reasoning="经核实基本属实")


def pages(warning):
    return {
        "detail": reverse("monitoring:warning_detail", args=[warning.pk]),
        "notice": reverse("monitoring:warning_notice", args=[warning.pk]),
        "history": reverse("monitoring:warning_history", args=[warning.pk]),
    }


def exported(client, url, **query):
    response = client.get(url, {"export": "xlsx", **query})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(response.content)).active
    return [[cell for cell in row] for row in ws.iter_rows(values_only=True)]


def cells(rows):
    return "\n".join(str(c) for row in rows for c in row if c is not None)


# --- a person's warning ---------------------------------------------------------------------------

@pytest.mark.parametrize("persona", READERS)
def test_readers_see_a_persons_warning_everywhere(people, warning, client_for, persona):
    client = client_for(getattr(people, persona))
    assert warning.number in client.get(reverse("monitoring:warning_list")).content.decode()
    for name, url in pages(warning).items():
        response = client.get(url)
        assert response.status_code == 200, name
        if name != "history":
            assert "MARK-REASON" in response.content.decode(), name
    assert warning.number in cells(exported(client, reverse("monitoring:warning_list")))


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_others_do_not_see_a_persons_warning(people, warning, client_for, persona):
    client = client_for(getattr(people, persona))
    listing = client.get(reverse("monitoring:warning_list"))
    assert listing.status_code in (200, 403)
    assert warning.number not in listing.content.decode() and "MARK-REASON" not in listing.content.decode()
    assert warning.number not in client.get(reverse("monitoring:warning_list") + "?waiting=1").content.decode()
    for name, url in pages(warning).items():
        assert client.get(url).status_code == 404, name
    # nor can they act on it
    for action in ("warning_acknowledge", "warning_record", "warning_close"):
        assert client.post(reverse(f"monitoring:{action}", args=[warning.pk]), {"note": "x"}).status_code == 404
    response = client.get(reverse("monitoring:warning_list"), {"export": "xlsx"})
    if response.status_code == 200:
        text = cells(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
        assert warning.number not in text and "MARK-REASON" not in text
    else:
        assert response.status_code == 403


def test_another_bureaus_office_and_leadership_do_not_see_it(people, warning, info, client_for):
    other = UnitFactory(code="JU2", name="另一个局", kind="bureau")
    fkb2 = UnitFactory(code="FKB2", name="防控办2", parent=other)
    for user in (UserFactory(username="office2", unit=fkb2, roles=["office", "staff"]),
                 UserFactory(username="director2", unit=other, roles=["leadership"])):
        client = client_for(user)
        assert warning.number not in client.get(reverse("monitoring:warning_list")).content.decode()
        for name, url in pages(warning).items():
            assert client.get(url).status_code == 404, (user, name)
        assert client.get(info.get_absolute_url()).status_code == 404
        assert info.reference not in client.get(reverse("monitoring:info_list")).content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(warning, client):
    for url in [reverse("monitoring:warning_list"), reverse("monitoring:warning_list") + "?export=xlsx",
                *pages(warning).values()]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
        assert "MARK-REASON" not in response.content.decode()


def test_the_person_warned_sees_the_warning_but_not_its_sources(people, warning, info, client_for):
    client = client_for(people.staff_a)
    for name, url in pages(warning).items():
        html = client.get(url).content.decode()
        assert info.reference not in html, name
        assert "MARK-INFO" not in html and "MARK-REPORTER" not in html and "13912345678" not in html, name
    assert client.get(info.get_absolute_url()).status_code in (403, 404)
    # the office sees them, and where they lead
    html = client_for(people.office).get(warning.get_absolute_url()).content.decode()
    assert info.reference in html and info.get_absolute_url() in html


def test_the_person_warned_sees_no_risk_point_outside_their_scope(bureau, people, client_for):
    """A warning may name a risk point of another unit; staff of A do not read B's register."""
    risk_b = RiskPointFactory(unit=bureau.b, title="乙单位风险点MARK-RISK-B")
    warning = warning_issue(actor=people.office, method=Method.HEART_TALK, person=people.staff_a, nature="sign",
                            reason="MARK-REASON", risk_points=[risk_b])
    client = client_for(people.staff_a)
    for name, url in pages(warning).items():
        assert "MARK-RISK-B" not in client.get(url).content.decode(), name
    assert "MARK-RISK-B" in client_for(people.office).get(warning.get_absolute_url()).content.decode()


def test_a_unit_head_warned_does_not_see_the_sources_either(bureau, people, info, client_for):
    """head_a reads A's information, but not as the sources of their own warning."""
    warning = warning_issue(actor=people.leader_a, method=Method.CRITICISM, person=people.head_a, nature="sign",
                            reason="对下属疏于管理", information=[info])
    client = client_for(people.head_a)
    assert client.get(info.get_absolute_url()).status_code == 200  # as the unit's head
    for name, url in pages(warning).items():
        assert info.reference not in client.get(url).content.decode(), name
    assert info.reference in client_for(people.leader_a).get(warning.get_absolute_url()).content.decode()


def test_a_reader_sees_only_the_sources_they_may_read(bureau, people, info, client_for):
    """A warning of A may rest on information about B too: A's head and leader see A's piece only."""
    info_b = information_record(bureau=bureau.ju, channel="audit", recorded_by=people.office, concerns_unit=bureau.b,
                                content="乙单位审计发现MARK-INFO-B")
    warning = warning_issue(actor=people.office, method=Method.CRITICISM, person=people.staff_a, nature="sign",
                            reason="MARK-REASON", information=[info, info_b], reasoning="属实")
    for persona in ("head_a", "leader_a"):
        html = client_for(getattr(people, persona)).get(warning.get_absolute_url()).content.decode()
        assert info.reference in html and info_b.reference not in html, persona
    for persona in ("office", "director"):
        html = client_for(getattr(people, persona)).get(warning.get_absolute_url()).content.decode()
        assert info.reference in html and info_b.reference in html, persona


def test_the_head_of_a_unit_above_reads_the_squads_warnings(bureau, people, client_for):
    warning = warning_issue(actor=people.leader_a, method=Method.HEART_TALK, person=people.squad_staff, nature="sign",
                            reason="MARK-SQUAD")
    assert client_for(people.head_a).get(warning.get_absolute_url()).status_code == 200
    assert client_for(people.leader_a).get(warning.get_absolute_url()).status_code == 200
    for persona in ("staff_a", "head_b", "leader_b"):
        assert client_for(getattr(people, persona)).get(warning.get_absolute_url()).status_code == 404, persona
    squad_head = UserFactory(username="head_a1", unit=bureau.a_squad, roles=["unit_head", "staff"])
    a_warning = warning_issue(actor=people.leader_a, method=Method.HEART_TALK, person=people.staff_a, nature="sign",
                              reason="MARK-A")
    assert client_for(squad_head).get(warning.get_absolute_url()).status_code == 200
    assert client_for(squad_head).get(a_warning.get_absolute_url()).status_code == 404  # the unit above is not theirs


# --- a unit's warning (限期整改) ----------------------------------------------------------------------

@pytest.fixture
def rectification(people, bureau):
    warning = warning_issue(actor=people.office, method=Method.RECTIFY, unit=bureau.a, nature="trend",
                            reason="案件移送不及时MARK-UNIT", requirement="建立台账",
                            deadline=TODAY + datetime.timedelta(days=10))
    warning_acknowledge(warning=warning, actor=people.head_a)
    report = report_submit(warning=warning, actor=people.head_a, content="已建立台账MARK-REPORT",
                           uploads=[SimpleUploadedFile("台账.pdf", PDF)])
    return warning, report.files.get()


@pytest.mark.parametrize("persona,sees", [
    ("office", True), ("director", True), ("leader_a", True), ("head_a", True),
    ("staff_a", False), ("staff_a2", False), ("squad_staff", False), ("head_b", False), ("leader_b", False),
    ("nobody", False),
])
def test_a_units_warning_is_read_by_those_above_the_unit_not_its_staff(people, rectification, client_for, persona, sees):
    warning, stored = rectification
    client = client_for(getattr(people, persona))
    assert (warning.number in client.get(reverse("monitoring:warning_list")).content.decode()) is sees
    for name, url in pages(warning).items():
        assert client.get(url).status_code == (200 if sees else 404), name
    assert client.get(stored.get_absolute_url()).status_code == (200 if sees else 404)


# --- information: reporters are the office's ------------------------------------------------------------

def test_the_office_alone_sees_who_reported(bureau, people, info, client_for):
    office = client_for(people.office)
    html = office.get(info.get_absolute_url()).content.decode()
    assert "MARK-REPORTER" in html and "13912345678" in html
    assert office.get(reverse("monitoring:info_history", args=[info.pk])).status_code == 200
    text = cells(exported(office, reverse("monitoring:info_list")))
    assert "MARK-REPORTER" in text and "13912345678" in text
    for persona in ("head_a", "leader_a", "director"):
        client = client_for(getattr(people, persona))
        response = client.get(info.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200 and "MARK-INFO" in html, persona
        assert "MARK-REPORTER" not in html and "13912345678" not in html, persona
        assert reverse("monitoring:info_history", args=[info.pk]) not in html, persona
        assert client.get(reverse("monitoring:info_history", args=[info.pk])).status_code == 403, persona
        listing = client.get(reverse("monitoring:info_list")).content.decode()
        assert info.reference in listing and "MARK-REPORTER" not in listing and "13912345678" not in listing
        text = cells(exported(client, reverse("monitoring:info_list")))
        assert info.reference in text and "MARK-REPORTER" not in text and "13912345678" not in text, persona


def test_a_unit_head_does_not_see_the_reporter_of_information_they_recorded(bureau, people, client_for):
    info = information_create(actor=people.head_a, data={
        "channel": "self", "content": "自查发现MARK-SELF", "concerns_unit": bureau.a, "received_on": TODAY,
        "reporter": "本单位职工李某MARK-REPORTER", "contact": "13700000000"})
    client = client_for(people.head_a)
    html = client.get(info.get_absolute_url()).content.decode()
    assert "MARK-SELF" in html and "MARK-REPORTER" not in html and "13700000000" not in html
    assert client.get(reverse("monitoring:info_history", args=[info.pk])).status_code == 403


@pytest.mark.parametrize("persona,status", [
    ("head_b", 404), ("leader_b", 404), ("staff_a", 403), ("nobody", 403),
])
def test_information_of_a_unit_is_not_read_outside_it(people, info, client_for, persona, status):
    client = client_for(getattr(people, persona))
    assert client.get(info.get_absolute_url()).status_code == status
    assert client.get(reverse("monitoring:info_history", args=[info.pk])).status_code in (403, 404)
    listing = client.get(reverse("monitoring:info_list"))
    assert info.reference not in listing.content.decode()


def test_information_files_follow_the_information(bureau, people, client_for):
    info = information_create(actor=people.office, data={
        "channel": "petition", "content": "附件测试", "concerns_unit": bureau.a, "received_on": TODAY},
        uploads=[SimpleUploadedFile("信访件.pdf", PDF)])
    url = info.files.get().get_absolute_url()
    for persona, status in (("office", 200), ("head_a", 200), ("leader_a", 200), ("staff_a", 404), ("head_b", 404)):
        assert client_for(getattr(people, persona)).get(url).status_code == status, persona


# --- nothing of it reaches the public site --------------------------------------------------------------

def public_crawl(client):
    seen, queue, html = set(), [reverse("public:home")], {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        html[url] = response.content.decode()
        for link in re.findall(r'href="(/public/[^"#]*)"', html[url]):
            if not link.startswith("/public/language/"):
                queue.append(link.replace("&amp;", "&"))
    return html


def test_no_warning_information_or_record_reaches_the_public_site(bureau, people, client):
    risk = RiskPointFactory(unit=bureau.a, title="公开的风险点PUBLIC-RISK")
    plan_save(risk=risk, actor=people.staff_a, lock_version=risk.lock_version,
              measures=[{"kind": "control", "content": "公开的措施PUBLIC-MEASURE", "responsible": people.head_a,
                         "supervisor": people.director, "due_date": TODAY}])
    risk = workflow.walk(risk, people)
    pub = Publication(title="公示", starts_on=TODAY)
    publication_save(actor=people.office, publication=pub)
    publication_publish(actor=people.office, publication=pub)

    info = information_record(bureau=bureau.ju, channel="petition", recorded_by=people.office, concerns_unit=bureau.a,
                              concerns_risk=risk, content="信访内容MARK-PUB-INFO", reporter="MARK-PUB-REPORTER",
                              contact="MARK-PUB-CONTACT")
    talk = warning_issue(actor=people.office, method=Method.ADMONITION, person=people.staff_a, nature="sign",
                         reason="预警事由MARK-PUB-REASON", information=[info], risk_points=[risk], reasoning="属实")
    warning_acknowledge(warning=talk, actor=people.staff_a)
    warning_record_save(warning=talk, actor=people.office, data={
        "held_at": timezone.now(), "place": "谈话室MARK-PUB-PLACE", "participants": "MARK-PUB-PARTICIPANTS",
        "content": "谈话记录MARK-PUB-TALK", "statement": "本人表态MARK-PUB-STATEMENT"})
    rectify = warning_issue(actor=people.office, method=Method.RECTIFY, unit=bureau.a, nature="trend",
                            reason="整改事由MARK-PUB-RECTIFY", requirement="整改要求MARK-PUB-REQUIREMENT",
                            deadline=TODAY, risk_points=[risk])
    warning_acknowledge(warning=rectify, actor=people.head_a)
    report_submit(warning=rectify, actor=people.head_a, content="整改报告MARK-PUB-REPORT")

    html = "\n".join(public_crawl(client).values())
    assert "PUBLIC-RISK" in html and "PUBLIC-MEASURE" in html  # the crawl did reach the risk point
    for marker in ("MARK-PUB-INFO", "MARK-PUB-REPORTER", "MARK-PUB-CONTACT", "MARK-PUB-REASON", "MARK-PUB-PLACE",
                   "MARK-PUB-PARTICIPANTS", "MARK-PUB-TALK", "MARK-PUB-STATEMENT", "MARK-PUB-RECTIFY",
                   "MARK-PUB-REQUIREMENT", "MARK-PUB-REPORT", info.reference, talk.number, rectify.number,
                   "/monitoring/"):
        assert marker not in html, marker
    # nor do the public site's own addresses open them
    for url in ("/public/warnings/", f"/public/information/{info.pk}/", f"/public/risks/{info.reference}/"):
        response = client.get(url)
        assert response.status_code == 404 and "MARK-PUB" not in response.content.decode(), url
