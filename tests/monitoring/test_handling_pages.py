"""Handling risk information through the pages, as the personas do it: 限期整改 from a petition
to its acceptance, a 诫勉谈话 to its record, level adjustments, a task to a unit, and the query
counts of the lists and of a warning's page."""

import datetime
import re
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from controls.choices import Layer
from controls.services import plan_save
from monitoring.choices import Method
from monitoring.handling import (
    may_acknowledge, report_submit, warning_acknowledge, warning_issue, warning_receivers,
)
from monitoring.models import (
    Assessment, LevelAdjustment, RectificationReport, ReportFile, RiskInformation, RiskWarning, UnitTask, WarningRecord,
)
from monitoring.services import information_record
from notices.models import Notification
from public.models import Publication
from public.services import publication_publish, publication_save
from review.services import review_transition
from tests import workflow
from tests.factories import RiskPointFactory

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def said(response):
    """The messages this request left for the next page (not those of earlier requests)."""
    return " ".join(str(m) for m in get_messages(response.wsgi_request)._queued_messages)


def as_(client, user):
    client.force_login(user)
    return client


def record_petition(client, bureau, **over):
    data = {"channel": "petition", "received_on": TODAY.isoformat(), "source_reference": "信访〔2026〕18号",
            "content": "群众反映规划执法大队对违建查处不及时。", "reporter": "张某", "contact": "13900001111",
            "concerns_unit": bureau.a.pk, "credibility": "high", "files": [pdf("信访件.pdf")], **over}
    return client.post(reverse("monitoring:info_create"), data)


def warning_form(**over):
    return {"method": "rectify", "unit": "", "person": "", "nature": "trend", "reason": "违建查处台账不全，处置滞后。",
            "requirement": "建立违建查处台账，逐件销号。", "deadline": (TODAY + datetime.timedelta(days=20)).isoformat(),
            "reasoning": "经核实，反映情况基本属实。", **over}


# --- 限期整改, end to end ------------------------------------------------------------------------------

def test_rectification_from_a_petition_to_its_acceptance(bureau, people, client):
    office = as_(client, people.office)
    # the office records the petition, with the petition itself attached
    response = record_petition(office, bureau)
    info = RiskInformation.objects.get()
    assert response.status_code == 302 and response["Location"] == info.get_absolute_url()
    assert (info.channel, info.state, info.recorded_by, info.concerns_unit) == ("petition", "new", people.office, bureau.a)
    stored = info.files.get()
    assert stored.original_name == "信访件.pdf" and stored.content_type == "application/pdf"
    assert office.get(stored.get_absolute_url()).status_code == 200
    html = office.get(info.get_absolute_url()).content.decode()
    assert "信访件.pdf" in html and reverse("monitoring:warning_create") + f"?information={info.pk}" in html

    # a 限期整改 from it: the reasoning of the assessment is required
    create = reverse("monitoring:warning_create") + f"?information={info.pk}"
    form = office.get(create)
    assert form.status_code == 200 and f'value="{bureau.a.pk}" selected' in form.content.decode()
    response = office.post(create, warning_form(unit=bureau.a.pk, reasoning=""))
    assert response.status_code == 400 and "请写明研判理由" in response.content.decode()
    response = office.post(create, warning_form(unit=bureau.a.pk, deadline=""))
    assert response.status_code == 400 and "限期整改须规定整改期限" in response.content.decode()
    assert not RiskWarning.objects.exists()
    response = office.post(create, warning_form(unit=bureau.a.pk))
    warning = RiskWarning.objects.get()
    assert response.status_code == 302 and response["Location"] == warning.get_absolute_url()
    assert (warning.method, warning.target, warning.unit, warning.state) == ("rectify", "unit", bureau.a, "issued")
    assert list(warning.information.all()) == [info]
    info.refresh_from_db()
    assert info.state == "assessed" and Assessment.objects.get(information=info).outcome == "warn"
    assert warning.number == f"JU整改〔{TODAY.year}〕1号"
    notice = office.get(reverse("monitoring:warning_notice", args=[warning.pk])).content.decode()
    assert "整改通知书" in notice and warning.number in notice and "建立违建查处台账" in notice

    # the unit's head acknowledges it; staff of the unit do not even see it
    assert as_(client, people.staff_a).post(reverse("monitoring:warning_acknowledge", args=[warning.pk])).status_code == 404
    head = as_(client, people.head_a)
    assert "请确认已收到本通知" in head.get(warning.get_absolute_url()).content.decode()
    head.post(reverse("monitoring:warning_acknowledge", args=[warning.pk]))
    warning.refresh_from_db()
    assert (warning.state, warning.acknowledged_by) == ("acknowledged", people.head_a)
    again = head.post(reverse("monitoring:warning_acknowledge", args=[warning.pk]))
    assert again.status_code == 403  # once only
    warning.refresh_from_db()
    assert warning.state == "acknowledged"

    # the head reports, with evidence
    report_url = reverse("monitoring:warning_report", args=[warning.pk])
    head.post(report_url, {"content": "已建立台账，逐件销号。", "files": [pdf("台账.pdf")]})
    warning.refresh_from_db()
    first = RectificationReport.objects.get()
    assert warning.state == "reported" and first.submitted_by == people.head_a and first.verdict == "pending"
    assert first.files.get().original_name == "台账.pdf"
    assert head.post(report_url, {"content": "再报一次"}).status_code == 403  # not while it waits
    assert RectificationReport.objects.count() == 1

    # the office returns it: a reason is required
    office = as_(client, people.office)
    verify_url = reverse("monitoring:warning_verify", args=[warning.pk])
    assert office.get(first.files.get().get_absolute_url()).status_code == 200
    response = office.post(verify_url, {"verdict": "returned", "comment": ""})
    assert "退回重报须写明理由" in said(response)
    first.refresh_from_db()
    warning.refresh_from_db()
    assert first.verdict == "pending" and warning.state == "reported"
    office.post(verify_url, {"verdict": "returned", "comment": "台账缺少销号依据。"})
    first.refresh_from_db()
    warning.refresh_from_db()
    assert (first.verdict, first.verdict_comment, first.verified_by) == ("returned", "台账缺少销号依据。", people.office)
    assert warning.state == "acknowledged"

    # the head reports again; the office accepts: the warning and the information are closed
    head = as_(client, people.head_a)
    assert "台账缺少销号依据" in head.get(warning.get_absolute_url()).content.decode()
    head.post(report_url, {"content": "已补齐销号依据。", "files": [pdf("销号依据.pdf")]})
    second = RectificationReport.objects.latest("pk")
    assert second.pk != first.pk and second.verdict == "pending"
    office = as_(client, people.office)
    office.post(verify_url, {"verdict": "accepted", "comment": ""})
    second.refresh_from_db()
    warning.refresh_from_db()
    info.refresh_from_db()
    assert second.verdict == "accepted" and warning.state == "closed" and warning.closed_by == people.office
    assert info.state == "closed" and info.closed_at is not None
    assert "没有待验收的整改报告" in said(office.post(verify_url, {"verdict": "accepted"}))

    # the history lists each step
    history = office.get(reverse("monitoring:warning_history", args=[warning.pk])).content.decode()
    for step in ("新建", "签收", "提交整改报告", "退回重报", "办结", "整改报告"):
        assert step in history, step
    assert "台账缺少销号依据" in history


def test_a_bad_attachment_refuses_the_whole_entry_and_uses_no_number(bureau, people, client):
    office = as_(client, people.office)
    response = record_petition(office, bureau, files=[pdf("信访件.pdf"), SimpleUploadedFile("假的.pdf", b"<html>hi</html>")])
    assert response.status_code == 400 and "内容与扩展名不符" in response.content.decode()
    assert not RiskInformation.objects.exists()
    record_petition(office, bureau, files=[])
    assert RiskInformation.objects.get().reference == f"JU{TODAY.year}-00001"


def test_a_unit_head_records_information_of_their_own_unit_only(bureau, people, client):
    head = as_(client, people.head_a)
    assert record_petition(head, bureau, concerns_unit=bureau.b.pk, files=[]).status_code == 400
    assert record_petition(head, bureau, concerns_unit="", files=[]).status_code == 400
    assert record_petition(head, bureau, channel="public", files=[]).status_code == 400
    assert not RiskInformation.objects.exists()
    assert record_petition(head, bureau, channel="self", files=[]).status_code == 302
    info = RiskInformation.objects.get()
    assert (info.recorded_by, info.concerns_unit, info.channel) == (people.head_a, bureau.a, "self")
    for persona in ("staff_a", "leader_a", "director"):
        assert record_petition(as_(client, getattr(people, persona)), bureau, files=[]).status_code == 403, persona
    assert RiskInformation.objects.count() == 1


def test_the_information_history_lists_its_handling(bureau, people, client):
    """The office's history of a piece of information, once it has been assessed and settled."""
    office = as_(client, people.office)
    record_petition(office, bureau)
    info = RiskInformation.objects.get()
    url = reverse("monitoring:info_history", args=[info.pk])
    assert office.get(url).status_code == 200  # only its creation so far
    office.post(reverse("monitoring:info_assess", args=[info.pk]), {"outcome": "observe", "reasoning": "先存档观察"})
    info.refresh_from_db()
    assert info.state == "observing"
    response = office.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for step in ("新建", "存档观察", "研判记录", "风险信息附件", "先存档观察"):
        assert step in html, step


def test_only_the_issuer_and_the_office_verify(bureau, people, client):
    warning = warning_issue(actor=people.leader_a, method=Method.RECTIFY, unit=bureau.a, nature="sign", reason="事由",
                            requirement="要求", deadline=TODAY)
    warning_acknowledge(warning=warning, actor=people.head_a)
    report_submit(warning=warning, actor=people.head_a, content="已整改")
    url = reverse("monitoring:warning_verify", args=[warning.pk])
    for persona in ("head_a", "director"):
        response = as_(client, getattr(people, persona)).post(url, {"verdict": "accepted", "comment": ""})
        assert response.status_code == 403, persona
    warning.refresh_from_db()
    assert warning.state == "reported"
    as_(client, people.leader_a).post(url, {"verdict": "accepted", "comment": "好"})  # the issuer
    warning.refresh_from_db()
    assert warning.state == "closed"


@pytest.mark.parametrize("method,unit", [("rectify", "a_squad"), ("life_meeting", "a_squad"),
                                         ("leader_admonition", "fkb")])
def test_every_warning_issued_can_be_acknowledged_by_someone(bureau, people, method, unit):
    """A unit's warning is acknowledged by its receivers (the unit's heads; for 对责任领导诫勉谈话
    its leaders in charge). A squad without a head of its own, or a unit no leader oversees, must
    either be refused at issue or still have someone to acknowledge — else the warning can never
    be acknowledged, reported on or closed."""
    try:
        warning = warning_issue(actor=people.office, method=method, unit=getattr(bureau, unit), nature="sign",
                                reason="事由", requirement="要求", deadline=TODAY)
    except (PermissionDenied, ValidationError):
        return
    everyone = [getattr(people, p) for p in vars(people)]
    assert warning_receivers(warning), "nobody is told to acknowledge it"
    assert any(may_acknowledge(u, warning) for u in everyone), "nobody may acknowledge it"


def test_overdue_comes_from_the_deadline(bureau, people, client):
    late = warning_issue(actor=people.office, method=Method.RECTIFY, unit=bureau.a, nature="sign", reason="逾期的",
                         requirement="要求", deadline=TODAY + datetime.timedelta(days=5))
    on_time = warning_issue(actor=people.office, method=Method.RECTIFY, unit=bureau.b, nature="sign", reason="未逾期",
                            requirement="要求", deadline=TODAY + datetime.timedelta(days=5))
    talk = warning_issue(actor=people.office, method=Method.HEART_TALK, person=people.staff_a, nature="sign",
                         reason="谈话")
    assert not late.overdue
    RiskWarning.objects.filter(pk=late.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.overdue and not on_time.overdue and not talk.overdue
    office = as_(client, people.office)
    listing = reverse("monitoring:warning_list")

    def numbers(query):
        html = office.get(listing, query).content.decode()
        return {w.number for w in (late, on_time, talk) if w.number in html}

    assert numbers({"overdue": "true"}) == {late.number}
    assert numbers({"overdue": "false"}) == {on_time.number, talk.number}
    assert numbers({}) == {late.number, on_time.number, talk.number}
    assert "已逾期" in office.get(late.get_absolute_url()).content.decode()
    assert "已逾期" not in office.get(on_time.get_absolute_url()).content.decode()
    rows = office.get(listing, {"overdue": "true", "export": "xlsx"})
    data = list(load_workbook(BytesIO(rows.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in data[1:]] == [late.number] and data[1][-1] == "是"
    # a closed rectification is no longer overdue
    RiskWarning.objects.filter(pk=late.pk).update(state="closed")
    late.refresh_from_db()
    assert not late.overdue
    assert numbers({"overdue": "true"}) == set()


# --- 诫勉谈话 ------------------------------------------------------------------------------------------

def test_an_admonition_closes_only_after_it_is_acknowledged_and_recorded(bureau, people, client):
    office = as_(client, people.office)
    response = office.post(reverse("monitoring:warning_create"), warning_form(
        method="admonition", person=people.staff_a.pk, requirement="", deadline="", reasoning=""))
    warning = RiskWarning.objects.get()
    assert response.status_code == 302
    assert (warning.method, warning.person, warning.unit, warning.deadline) == ("admonition", people.staff_a, bureau.a, None)
    close_url = reverse("monitoring:warning_close", args=[warning.pk])
    record_url = reverse("monitoring:warning_record", args=[warning.pk])
    detail = office.get(warning.get_absolute_url()).content.decode()
    assert "预警尚未签收，不能办结" in detail and close_url not in detail
    assert "预警尚未签收，不能办结" in said(office.post(close_url, {"note": "已谈话"}))
    warning.refresh_from_db()
    assert warning.state == "issued"

    # the person warned acknowledges; they may neither record nor close
    staff = as_(client, people.staff_a)
    staff.post(reverse("monitoring:warning_acknowledge", args=[warning.pk]))
    warning.refresh_from_db()
    assert (warning.state, warning.acknowledged_by) == ("acknowledged", people.staff_a)
    assert staff.post(close_url, {"note": "我自己办结"}).status_code == 403
    assert staff.post(record_url, {"held_at": "2026-11-20T10:00", "place": "x", "participants": "x",
                                   "content": "x"}).status_code == 403

    office = as_(client, people.office)
    assert "请先填写谈话（会议）记录" in said(office.post(close_url, {"note": "已谈话"}))
    warning.refresh_from_db()
    assert warning.state == "acknowledged"
    assert "记录未保存" in said(office.post(record_url, {"place": "谈话室"}))
    assert not WarningRecord.objects.exists()
    office.post(record_url, {"held_at": "2026-11-20T10:00", "place": "局谈话室", "participants": "防控办主任、本人",
                             "content": "指出问题，提出要求。", "statement": "认识到错误，保证改正。"})
    record = WarningRecord.objects.get()
    assert (record.place, record.recorded_by) == ("局谈话室", people.office)
    assert "请填写办结意见" in said(office.post(close_url, {"note": ""}))
    office.post(close_url, {"note": "谈话已完成，本人表态诚恳。"})
    warning.refresh_from_db()
    assert (warning.state, warning.closed_by, warning.closing_note) == ("closed", people.office, "谈话已完成，本人表态诚恳。")
    assert "记录不能再修改" in said(office.post(record_url, {"held_at": "2026-11-21T10:00", "place": "改", "participants": "改",
                                                      "content": "改"}))
    assert WarningRecord.objects.get().place == "局谈话室"
    history = office.get(reverse("monitoring:warning_history", args=[warning.pk])).content.decode()
    for step in ("签收", "办结", "谈话（会议）记录"):
        assert step in history, step
    # the person warned reads the record of their own talk
    assert "认识到错误" in as_(client, people.staff_a).get(warning.get_absolute_url()).content.decode()


# --- level adjustment --------------------------------------------------------------------------------

def risk_with_plan(bureau, people, layers=None, **kw):
    risk = RiskPointFactory(unit=bureau.a, **kw)
    plan_save(risk=risk, actor=people.staff_a, lock_version=risk.lock_version, layers=layers,
              measures=[{"kind": "control", "content": "双人执法", "responsible": people.head_a,
                         "supervisor": people.director, "due_date": TODAY}])
    risk.refresh_from_db()
    return risk


def publish(people):
    pub = Publication(title="公示", starts_on=TODAY)
    publication_save(actor=people.office, publication=pub)
    return publication_publish(actor=people.office, publication=pub)


def public_level(client, risk):
    html = client.get(reverse("public:risk", args=[risk.code])).content.decode()
    return re.search(r'<h1 class="h4">.*?<span class="badge[^"]*">([^<]+)</span>', html, re.S).group(1).strip()


def test_adjusting_a_level_needs_a_reason(bureau, people, client):
    risk = workflow.walk(risk_with_plan(bureau, people), people, to="accepted")
    url = reverse("monitoring:adjustment_create", args=[risk.pk])
    office = as_(client, people.office)
    for reason in ("", "   "):
        response = office.post(url, {"mode": "direct", "to_level": 1, "reason": reason})
        assert response.status_code == 400, reason
    response = office.post(url, {"mode": "direct", "to_level": 2, "reason": "理由"})
    assert response.status_code == 400 and "调整后的等级与现等级相同" in response.content.decode()
    assert not LevelAdjustment.objects.exists()
    risk.refresh_from_db()
    assert risk.level == 2
    for persona in ("head_a", "leader_a", "director"):
        assert as_(client, getattr(people, persona)).post(url, {"mode": "direct", "to_level": 1, "reason": "理由"}
                                                          ).status_code == 403, persona
    assert not LevelAdjustment.objects.exists()


def test_a_direct_adjustment_of_a_published_risk_point_is_a_new_revision(bureau, people, client):
    risk = workflow.walk(risk_with_plan(bureau, people), people)
    publish(people)
    revision = risk.revision
    assert public_level(client, risk) == "二级"
    office = as_(client, people.office)
    response = office.post(reverse("monitoring:adjustment_create", args=[risk.pk]),
                           {"mode": "direct", "to_level": 1, "reason": "群众反映集中，上调一级。"})
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    risk.refresh_from_db()
    assert (risk.level, risk.status, risk.revision) == (1, "accepted", revision + 1)
    adjustment = LevelAdjustment.objects.get()
    assert (adjustment.mode, adjustment.state, adjustment.from_level, adjustment.to_level) == ("direct", "done", 2, 1)
    assert not adjustment.plan_flagged and adjustment.done_by == people.office
    client.logout()
    assert public_level(client, risk) == "二级"  # the public keeps the frozen revision
    # once the office publishes the new revision into the current publication, the public sees it
    review_transition(item=risk, action="publish", actor=people.office, to_publication=True)
    risk.refresh_from_db()
    assert risk.status == "published"
    assert public_level(client, risk) == "一级"


def test_an_adjustment_that_breaks_layered_responsibility_returns_the_risk_point(bureau, people, client):
    """Level 2 is answered by the unit's head, level 1 by the leader in charge: a plan naming no
    leader no longer holds once the level is raised, so the risk point goes back to its unit."""
    risk = workflow.walk(risk_with_plan(bureau, people, layers={Layer.DEPARTMENT: people.head_a}), people)
    publish(people)
    office = as_(client, people.office)
    response = office.post(reverse("monitoring:adjustment_create", args=[risk.pk]),
                           {"mode": "direct", "to_level": 1, "reason": "涉及重大行政处罚。"})
    assert response.status_code == 302
    adjustment = LevelAdjustment.objects.get()
    assert adjustment.plan_flagged and "责任领导" in adjustment.plan_problems
    assert "风险点已退回单位" in said(response)
    risk.refresh_from_db()
    assert (risk.level, risk.status) == (1, "returned")
    client.logout()
    assert public_level(client, risk) == "二级"
    # the unit is told what to fix
    told = Notification.objects.filter(recipient=people.head_a, subject__contains=risk.code).first()
    assert told is not None and "责任领导" in told.body


def test_a_direct_adjustment_is_refused_at_the_units_stage(bureau, people, client):
    risk = risk_with_plan(bureau, people)  # a draft: the unit's to change
    response = as_(client, people.office).post(reverse("monitoring:adjustment_create", args=[risk.pk]),
                                               {"mode": "direct", "to_level": 1, "reason": "理由"})
    assert response.status_code == 400 and "督促单位调整" in response.content.decode()
    assert not LevelAdjustment.objects.exists()


def test_a_direct_adjustment_does_not_close_information_that_still_has_open_handling(bureau, people, client):
    """Information is closed when every task, warning and adjustment from it is done
    (``information_settle``): adjusting a level from it must not close it while its task to the
    unit is still open."""
    risk = workflow.walk(risk_with_plan(bureau, people), people, to="accepted")
    office = as_(client, people.office)
    record_petition(office, bureau, files=[], concerns_risk=risk.pk)
    info = RiskInformation.objects.get()
    office.post(reverse("monitoring:task_create") + f"?information={info.pk}", {
        "unit": bureau.a.pk, "kind": "change_plan", "risk_point": risk.pk, "instruction": "修改防控措施",
        "due_date": (TODAY + datetime.timedelta(days=30)).isoformat(), "reasoning": "措施不足"})
    task = UnitTask.objects.get()
    response = office.post(reverse("monitoring:adjustment_create", args=[risk.pk]) + f"?information={info.pk}",
                           {"mode": "direct", "to_level": 1, "reason": "同时上调等级"})
    assert response.status_code == 302
    task.refresh_from_db()
    info.refresh_from_db()
    assert task.state == "open"
    assert info.state == "assessed", "the information was closed while its task is still open"


def edit_level(client, risk, level, reason):
    data = {"unit": risk.unit_id, "post": risk.post_id or "", "power": risk.power_id or "", "step": risk.step_id or "",
            "finding_level": risk.finding_level, "kind": risk.kind, "found_by": risk.found_by, "key_area": risk.key_area,
            "title": risk.title, "description": risk.description, "importance": risk.importance,
            "discretion": risk.discretion, "probability": risk.probability, "harm": risk.harm, "level": level,
            "level_reason": reason, "lock_version": risk.lock_version}
    return client.post(reverse("riskpoints:edit", args=[risk.pk]), data)


def test_urging_the_unit_to_adjust(bureau, people, client):
    risk = risk_with_plan(bureau, people, layers={Layer.DEPARTMENT: people.head_a, Layer.LEADER: people.leader_a})
    info = information_record(bureau=bureau.ju, channel="inspection", content="监督检查发现风险被低估",
                              concerns_unit=bureau.a, concerns_risk=risk, recorded_by=people.office)
    office = as_(client, people.office)
    url = reverse("monitoring:adjustment_create", args=[risk.pk]) + f"?information={info.pk}"
    form = office.get(url).content.decode()
    assert 'value="requested" checked' in form or re.search(r'value="requested"[^>]*checked', form)
    response = office.post(url, {"mode": "requested", "to_level": 1, "reason": "监督检查发现风险被低估。"})
    assert response.status_code == 302
    adjustment = LevelAdjustment.objects.get()
    assert (adjustment.mode, adjustment.state, adjustment.information) == ("requested", "pending", info)
    info.refresh_from_db()
    assert info.state == "assessed"
    risk.refresh_from_db()
    assert risk.level == 2  # the unit changes it, through its own edit
    again = office.post(reverse("monitoring:adjustment_create", args=[risk.pk]),
                        {"mode": "requested", "to_level": 1, "reason": "再督促一次"})
    assert again.status_code == 400 and "已有待单位落实的等级调整" in again.content.decode()

    confirm = reverse("monitoring:adjustment_confirm", args=[adjustment.pk])
    assert as_(client, people.head_b).post(confirm).status_code == 404
    assert as_(client, people.office).post(confirm).status_code == 403  # the unit confirms, not the office
    staff = as_(client, people.staff_a)
    assert "尚未调整为" in said(staff.post(confirm))
    adjustment.refresh_from_db()
    assert adjustment.state == "pending"
    response = edit_level(staff, risk, 1, "按防控办督促上调为一级。")
    assert response.status_code == 302, response.content.decode()[:2000]
    risk.refresh_from_db()
    assert risk.level == 1
    staff.post(confirm)
    adjustment.refresh_from_db()
    info.refresh_from_db()
    assert (adjustment.state, adjustment.done_by) == ("done", people.staff_a) and not adjustment.plan_flagged
    assert info.state == "closed"
    listing = as_(client, people.office).get(reverse("monitoring:adjustment_list")).content.decode()
    assert risk.code in listing


def test_the_office_cancels_an_urged_adjustment(bureau, people, client):
    risk = risk_with_plan(bureau, people)
    office = as_(client, people.office)
    office.post(reverse("monitoring:adjustment_create", args=[risk.pk]),
                {"mode": "requested", "to_level": 3, "reason": "风险被高估"})
    adjustment = LevelAdjustment.objects.get()
    cancel = reverse("monitoring:adjustment_cancel", args=[adjustment.pk])
    assert as_(client, people.staff_a).post(cancel).status_code == 403
    as_(client, people.office).post(cancel)
    adjustment.refresh_from_db()
    assert adjustment.state == "cancelled"


# --- a task to a unit --------------------------------------------------------------------------------------

def test_a_task_to_the_unit_is_carried_out_with_a_new_risk_point(bureau, people, client):
    office = as_(client, people.office)
    record_petition(office, bureau, files=[])
    info = RiskInformation.objects.get()
    old_risk = RiskPointFactory(unit=bureau.a, title="交办前已有的风险点")
    url = reverse("monitoring:task_create") + f"?information={info.pk}"
    data = {"unit": bureau.a.pk, "kind": "new_risk", "risk_point": "", "instruction": "查找违建查处环节的风险点并制定措施。",
            "due_date": (TODAY + datetime.timedelta(days=30)).isoformat(), "reasoning": ""}
    assert office.post(url, data).status_code == 400  # the reasoning of the assessment is required
    assert office.post(url, {**data, "reasoning": "x", "due_date": "2000-01-01"}).status_code == 400
    assert not UnitTask.objects.exists()
    assert as_(client, people.head_a).post(url, {**data, "reasoning": "x"}).status_code == 403
    response = as_(client, people.office).post(url, {**data, "reasoning": "需从制度上防范。"})
    task = UnitTask.objects.get()
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    info.refresh_from_db()
    assert info.state == "assessed" and task.state == "open" and task.unit == bureau.a

    head = as_(client, people.head_a)
    assert "查找违建查处环节" in head.get(task.get_absolute_url()).content.decode()
    response = head.post(task.get_absolute_url(), {"risk": old_risk.pk, "answer": "用旧的充数"})
    assert response.status_code == 400
    new_risk = RiskPointFactory(unit=bureau.a, title="违建查处不及时")
    assert as_(client, people.head_b).post(task.get_absolute_url(), {"risk": new_risk.pk, "answer": "x"}).status_code == 404
    head = as_(client, people.head_a)
    assert head.post(task.get_absolute_url(), {"risk": new_risk.pk, "answer": ""}).status_code == 400
    response = head.post(task.get_absolute_url(), {"risk": new_risk.pk, "answer": "已登记风险点并制定措施。"})
    assert response.status_code == 302
    task.refresh_from_db()
    info.refresh_from_db()
    assert (task.state, task.result_risk, task.done_by) == ("done", new_risk, people.head_a)
    assert info.state == "closed"
    assert head.post(task.get_absolute_url(), {"risk": new_risk.pk, "answer": "再报一次"}).status_code in (400, 403)


def test_a_closed_information_takes_no_more_handling(bureau, people, client):
    office = as_(client, people.office)
    record_petition(office, bureau, files=[])
    info = RiskInformation.objects.get()
    office.post(reverse("monitoring:info_assess", args=[info.pk]), {"outcome": "reject", "reasoning": "查无实据"})
    info.refresh_from_db()
    assert info.state == "closed"
    for name in ("monitoring:warning_create", "monitoring:task_create"):
        assert office.get(reverse(name) + f"?information={info.pk}").status_code == 403, name
    assert not RiskWarning.objects.exists() and not UnitTask.objects.exists()


# --- query counts ------------------------------------------------------------------------------------------

def queries(client, url):
    client.get(url)  # warm: caches filled once do not count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_information(bureau, people, n, risk):
    for i in range(n):
        information_record(bureau=bureau.ju, channel="petition", content=f"信息{i}", recorded_by=people.office,
                           concerns_unit=bureau.a if i % 2 else bureau.b, concerns_person=people.staff_a,
                           concerns_risk=risk, reporter=f"反映人{i}", contact="139")


def add_warnings(bureau, people, n, info):
    targets = [people.staff_a, people.staff_b, people.head_a, people.squad_staff]
    for i in range(n):
        if i % 2:
            warning_issue(actor=people.office, method=Method.CRITICISM, person=targets[i % 4], nature="sign",
                          reason=f"事由{i}", information=[info])
        else:
            warning_issue(actor=people.office, method=Method.RECTIFY, unit=[bureau.a, bureau.b][i % 4 // 2],
                          nature="trend", reason=f"事由{i}", requirement="要求", deadline=TODAY)


def test_list_query_counts_do_not_grow_with_rows(bureau, people, client):
    risk = RiskPointFactory(unit=bureau.a)
    office = as_(client, people.office)
    add_information(bureau, people, 3, risk)
    info = RiskInformation.objects.first()
    add_warnings(bureau, people, 3, info)
    small = {name: queries(office, reverse(name)) for name in ("monitoring:info_list", "monitoring:warning_list")}
    add_information(bureau, people, 17, risk)
    add_warnings(bureau, people, 17, info)
    assert RiskInformation.objects.count() == 20 and RiskWarning.objects.count() == 20
    large = {name: queries(office, reverse(name)) for name in ("monitoring:info_list", "monitoring:warning_list")}
    assert large == small


def warning_with(bureau, people, n):
    """A 限期整改 with ``n`` risk points, ``n`` pieces of information and ``n`` reports with a file each."""
    risks = [RiskPointFactory(unit=bureau.a) for _ in range(n)]
    infos = [information_record(bureau=bureau.ju, channel="petition", content=f"信息{i}", concerns_unit=bureau.a)
             for i in range(n)]
    warning = warning_issue(actor=people.office, method=Method.RECTIFY, unit=bureau.a, nature="sign", reason="事由",
                            requirement="要求", deadline=TODAY, information=infos, risk_points=risks, reasoning="属实")
    for i in range(n):
        report = RectificationReport.objects.create(
            warning=warning, content=f"报告{i}", submitted_by=people.head_a,
            verdict="returned" if i < n - 1 else "pending", verdict_comment="退回" if i < n - 1 else "",
            verified_by=people.office if i < n - 1 else None)
        ReportFile.objects.create(report=report, file=f"evidence/r{i}.pdf", original_name=f"材料{i}.pdf", size=10,
                                  content_type="application/pdf", uploaded_by=people.head_a)
    RiskWarning.objects.filter(pk=warning.pk).update(state="reported")
    return warning


@pytest.mark.parametrize("persona", ["office", "head_a"])
def test_warning_page_query_count_does_not_grow_with_its_rows(bureau, people, client, persona):
    small, large = warning_with(bureau, people, 3), warning_with(bureau, people, 20)
    reader = as_(client, getattr(people, persona))
    assert queries(reader, small.get_absolute_url()) == queries(reader, large.get_absolute_url())
    html = reader.get(large.get_absolute_url()).content.decode()
    assert html.count("材料") >= 20
