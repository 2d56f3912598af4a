import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from controls.forms import ControlPlanForm
from controls.models import ControlPlan, Evidence, Measure, ResponsibilityRule
from controls.services import evidence_add, measure_progress, plan_save
from review.choices import Action, Status
from review.services import WorkflowError, review_transition
from tests.factories import RiskPointFactory
from tests.workflow import walk

DUE = datetime.date(2026, 12, 31)


def risk_of(bureau, level, post=None):
    return RiskPointFactory(unit=bureau.a, post=post, level=level, suggested_level=level, level_reason="测试")


def measure(user, **over):
    return {"kind": "control", "content": "双人执法、记录仪全程摄录", "responsible": user, "supervisor": None, "due_date": DUE, **over}


def save(risk, actor, *measures):
    risk.refresh_from_db()
    return plan_save(risk=risk, actor=actor, lock_version=risk.lock_version, measures=list(measures))


# --- one plan per risk point ------------------------------------------------------------------

def test_second_plan_is_refused_by_the_form(bureau, people):
    risk = risk_of(bureau, 2)
    save(risk, people.staff_a, measure(people.head_a))
    form = ControlPlanForm({"risk_point": risk.pk, "monitoring": "", "lock_version": risk.lock_version})
    assert not form.is_valid()
    assert "一个风险点只能有一套防控措施" in form.errors["risk_point"][0]


def test_second_plan_is_refused_by_the_database(bureau):
    risk = risk_of(bureau, 2)
    ControlPlan.objects.create(risk_point=risk)
    with pytest.raises(IntegrityError), transaction.atomic():
        ControlPlan.objects.create(risk_point=risk)


def test_plan_cannot_exist_without_its_risk_point(bureau, people):
    risk = risk_of(bureau, 2)
    save(risk, people.staff_a, measure(people.head_a))
    with pytest.raises(IntegrityError), transaction.atomic():
        ControlPlan.objects.create(risk_point=None)
    risk.delete()
    assert not ControlPlan.objects.exists() and not Measure.objects.exists()


# --- 分级负责: the three layers are tested in test_layers.py ----------------------------------------

# --- acceptance needs the plan --------------------------------------------------------------------

def walk_to_leader_approved(risk, people):
    walk(risk, people, Status.LEADER_APPROVED, meeting_date=DUE)


def test_office_cannot_accept_a_risk_point_without_a_plan(bureau, people):
    risk = risk_of(bureau, 2)
    walk_to_leader_approved(risk, people)
    with pytest.raises(WorkflowError, match="尚未制定防控措施"):
        review_transition(item=risk, action=Action.ACCEPT, actor=people.office)
    risk.refresh_from_db()
    assert risk.status == Status.LEADER_APPROVED


def test_acceptance_freezes_the_plan_in_the_trail(bureau, people):
    risk = risk_of(bureau, 2)
    save(risk, people.staff_a, measure(people.head_a, content="审核与承办分离"))
    walk_to_leader_approved(risk, people)
    record = review_transition(item=risk, action=Action.ACCEPT, actor=people.office)
    assert record.snapshot["plan"]["measures"][0]["content"] == "审核与承办分离"


def test_acceptance_rechecks_responsibility_after_a_rule_change(bureau, people):
    risk = risk_of(bureau, 2)
    save(risk, people.staff_a, measure(people.head_a))
    walk_to_leader_approved(risk, people)
    ControlPlan.objects.filter(risk_point=risk).update(leader_responsible=None)
    ResponsibilityRule.objects.create(bureau=bureau.ju, level=2, answering="leader")
    with pytest.raises(WorkflowError, match="二级风险由责任领导负责，请填写责任领导"):
        review_transition(item=risk, action=Action.ACCEPT, actor=people.office)


# --- plan pages and permissions ---------------------------------------------------------------------

def plan_post(risk, responsible, department=None, **over):
    return {"risk_point": risk.pk, "lock_version": risk.lock_version, "monitoring": "",
            "department_responsible": (department or responsible).pk, "direct_responsible": "", "leader_responsible": "",
            "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "1000",
            "m-0-kind": "control", "m-0-content": "审核清单+审核意见书", "m-0-responsible": responsible.pk,
            "m-0-supervisor": "", "m-0-due_date": "2026-12-31", **over}


def test_staff_writes_a_plan_through_the_page(bureau, people, client_for):
    risk = risk_of(bureau, 2)
    response = client_for(people.staff_a).post(reverse("controls:plan", args=[risk.pk]), plan_post(risk, people.head_a))
    assert response.status_code == 302
    assert risk.plan.measures.get().content == "审核清单+审核意见书"


def test_page_shows_the_responsibility_refusal(bureau, people, client_for):
    risk = risk_of(bureau, 2)
    response = client_for(people.staff_a).post(reverse("controls:plan", args=[risk.pk]),
                                               plan_post(risk, people.head_a, department=people.staff_b))
    assert "部门责任人须为本单位负责人" in response.content.decode()
    assert not ControlPlan.objects.exists()


@pytest.mark.parametrize("persona,status", [("staff_b", 404), ("leader_b", 404), ("leader_a", 403), ("office", 403), ("director", 403)])
def test_only_the_units_editors_write_the_plan(bureau, people, client_for, persona, status):
    risk = risk_of(bureau, 2)
    response = client_for(getattr(people, persona)).post(reverse("controls:plan", args=[risk.pk]), plan_post(risk, people.head_a))
    assert response.status_code == status
    assert not ControlPlan.objects.exists()


def test_published_risk_plan_edit_starts_a_new_revision(bureau, people):
    risk = risk_of(bureau, 2)
    save(risk, people.staff_a, measure(people.head_a, content="第一版措施"))
    walk_to_leader_approved(risk, people)
    review_transition(item=risk, action=Action.ACCEPT, actor=people.office)
    review_transition(item=risk, action=Action.PUBLISH, actor=people.office)
    save(risk, people.staff_a, measure(people.head_a, content="第二版措施"))
    risk.refresh_from_db()
    assert risk.status == Status.DRAFT and risk.revision == 2
    assert risk.published_record.snapshot["plan"]["measures"][0]["content"] == "第一版措施"


# --- progress and evidence --------------------------------------------------------------------------

@pytest.fixture
def planned(bureau, people):
    risk = risk_of(bureau, 2)
    plan = save(risk, people.staff_a, measure(people.head_a, supervisor=people.director))
    return plan.measures.get()


def test_only_supervisor_or_office_find_a_measure_effective(people, planned):
    from django.core.exceptions import PermissionDenied

    measure_progress(measure=planned, actor=people.staff_a, state="done")
    with pytest.raises(PermissionDenied):
        measure_progress(measure=planned, actor=people.staff_a, state="effective")
    measure_progress(measure=planned, actor=people.director, state="effective")
    planned.refresh_from_db()
    assert planned.state == "effective"
    with pytest.raises(PermissionDenied):
        measure_progress(measure=planned, actor=people.staff_b, state="done")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_evidence_is_checked_for_size_and_type(people, planned, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("纪要.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError, match="超过 10 MB"):
        evidence_add(measure=planned, actor=people.staff_a, upload=big)
    with pytest.raises(ValidationError, match="不支持"):
        evidence_add(measure=planned, actor=people.staff_a, upload=SimpleUploadedFile("run.exe", b"MZ\x90\x00"))
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        evidence_add(measure=planned, actor=people.staff_a, upload=SimpleUploadedFile("假的.pdf", b"<html>hi</html>"))
    assert not Evidence.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_evidence_is_served_only_within_scope(people, planned, client_for, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence = evidence_add(measure=planned, actor=people.staff_a, upload=SimpleUploadedFile("整改会议纪要.pdf", PDF))
    stored = evidence.file.name
    assert "整改" not in stored and evidence.stored_id.hex in stored and not stored.startswith("static")
    url = evidence.get_absolute_url()
    assert client.get(url).status_code == 404  # anonymous
    assert client_for(people.staff_b).get(url).status_code == 404
    response = client_for(people.head_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "filename*=utf-8''%E6%95%B4%E6%94%B9" in response["Content-Disposition"]


def test_evidence_upload_through_the_page(bureau, people, planned, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(people.staff_a)
    response = client.post(reverse("controls:progress", args=[planned.pk]),
                           {"state": "done", "file": SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n....")}, follow=True)
    assert "佐证材料已上传" in response.content.decode()
    planned.refresh_from_db()
    assert planned.state == "done" and planned.evidence.get().original_name == "照片.png"
    response = client_for(people.staff_b).post(reverse("controls:progress", args=[planned.pk]), {"state": "improve"})
    assert response.status_code == 404


def test_plan_page_shows_saved_due_dates_in_the_date_inputs(bureau, people, client_for):
    risk = risk_of(bureau, 2)
    save(risk, people.staff_a, measure(people.head_a))
    html = client_for(people.staff_a).get(reverse("controls:plan", args=[risk.pk])).content.decode()
    assert 'value="2026-12-31"' in html


def test_risk_history_lists_measure_changes(bureau, people, client_for):
    risk = risk_of(bureau, 2)
    save(risk, people.staff_a, measure(people.head_a, content="第一稿措施"))
    first = risk.plan.measures.get()
    save(risk, people.staff_a, {**measure(people.head_a, content="第二稿措施"), "id": first.pk})
    html = client_for(people.staff_a).get(reverse("riskpoints:history", args=[risk.pk])).content.decode()
    assert "防控措施" in html and "第一稿措施" in html and "第二稿措施" in html
