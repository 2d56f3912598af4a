"""Proposals of risk points (领导点、专家评、相互帮、组织审、群众提) and the unit's answer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from monitoring.models import RiskProposal
from monitoring.services import information_record, proposal_accept, proposal_create, proposal_decline
from notices.models import Notification
from review.services import WorkflowError
from riskpoints.models import RiskPoint
from tests.factories import PostFactory, UserFactory


@pytest.fixture
def expert(bureau):
    return UserFactory(username="expert", unit=bureau.ju, roles=["expert"])


@pytest.fixture
def post_a(bureau):
    return PostFactory(unit=bureau.a, name="审批岗")


def propose(actor, unit, found_by="leader", **over):
    return proposal_create(actor=actor, found_by=found_by, target_unit=unit, title="案件移送前无人复核",
                           description="承办人可自行决定是否移送，存在选择性执法风险。", **over)


RISK_FORM = {"finding_level": "post", "kind": "process", "importance": "3", "discretion": "3",
             "probability": "2", "harm": "2", "level": "1", "level_reason": "涉及行政处罚"}


def accept_data(proposal, **over):
    return {"unit": proposal.target_unit_id, "post": proposal.post_id or "", "power": proposal.power_id or "",
            "step": "", "found_by": "self", "title": proposal.title, "description": proposal.description,
            "lock_version": "", **RISK_FORM, **over}


# --- who may propose to whom ---------------------------------------------------------------------

@pytest.mark.parametrize("persona,found_by,unit,ok", [
    ("leader_a", "leader", "a", True), ("leader_a", "leader", "a_squad", True), ("leader_a", "leader", "b", False),
    ("director", "leader", "b", True),
    ("expert", "expert", "b", True), ("staff_a", "expert", "b", False),
    ("staff_a", "mutual", "b", True), ("head_b", "mutual", "a", True), ("staff_a", "mutual", "a", False),
    ("staff_a", "mutual", "a_squad", False),
    ("office", "organisation", "a", True), ("head_a", "organisation", "b", False),
    ("staff_a", "leader", "b", False), ("nobody", "mutual", "b", False),
])
def test_who_may_propose_to_which_unit(bureau, people, expert, persona, found_by, unit, ok):
    actor = expert if persona == "expert" else getattr(people, persona)
    if ok:
        assert propose(actor, getattr(bureau, unit), found_by).found_by == found_by
    else:
        with pytest.raises(PermissionDenied, match="您不能以"):
            propose(actor, getattr(bureau, unit), found_by)
        assert not RiskProposal.objects.exists()


def test_public_proposals_only_come_from_risk_information(bureau, people):
    with pytest.raises(ValidationError, match="群众提"):
        propose(people.office, bureau.a, "public")


def test_a_post_of_another_unit_is_refused(bureau, people):
    with pytest.raises(ValidationError, match="不属于"):
        propose(people.leader_a, bureau.a, post=PostFactory(unit=bureau.b))


# --- a leader's proposal accepted by the unit -----------------------------------------------------

def test_a_leaders_proposal_is_accepted_into_the_register(bureau, people, open_year, post_a, power_a, client_for):
    proposal = propose(people.leader_a, bureau.a, post=post_a, power=power_a)
    # The unit's staff and head are told; others are not.
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"staff_a", "head_a"} <= told and "staff_b" not in told and "leader_a" not in told
    client = client_for(people.head_a)
    assert proposal.title in client.get(reverse("monitoring:proposal_list") + "?show=todo").content.decode()
    form = client.get(reverse("monitoring:proposal_accept", args=[proposal.pk])).content.decode()
    assert proposal.title in form and "根据" in form  # the risk form, pre-filled from the proposal
    assert f'value="leader" selected' in form or 'value="leader" checked' in form
    response = client.post(reverse("monitoring:proposal_accept", args=[proposal.pk]), accept_data(proposal))
    risk = RiskPoint.objects.get()
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    assert (risk.unit, risk.post, risk.power, risk.found_by, risk.title) == \
        (bureau.a, post_a, power_a, "leader", proposal.title)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.risk_point, proposal.answered_by) == ("accepted", risk, people.head_a)
    assert Notification.objects.filter(recipient=people.leader_a, subject__contains="已采纳").exists()
    detail = client_for(people.leader_a).get(proposal.get_absolute_url()).content.decode()
    assert risk.code in detail
    # Answered once only.
    with pytest.raises(WorkflowError, match="已处理"):
        proposal_accept(proposal=proposal, actor=people.head_a, data={"unit": bureau.a})


def test_a_proposal_is_declined_with_a_reason(bureau, people, client_for):
    proposal = propose(people.leader_a, bureau.a)
    client = client_for(people.staff_a)
    url = reverse("monitoring:proposal_decline", args=[proposal.pk])
    response = client.post(url, {"reason": "  "}, follow=True)
    proposal.refresh_from_db()
    assert proposal.state == "pending" and "不采纳的理由" in response.content.decode()
    client.post(url, {"reason": "该环节已由法制科集体审核，不存在此风险。"})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.answer) == ("declined", "该环节已由法制科集体审核，不存在此风险。")
    note = Notification.objects.get(recipient=people.leader_a)
    assert "未采纳" in note.subject and "法制科" in note.body
    assert not RiskPoint.objects.exists()
    with pytest.raises(WorkflowError):
        proposal_decline(proposal=proposal, actor=people.staff_a, reason="再答一次")


# --- scope and permission -----------------------------------------------------------------------------

@pytest.mark.parametrize("persona,status", [
    ("staff_b", 404), ("head_b", 404), ("leader_b", 404), ("nobody", 404),
    ("staff_a", 200), ("head_a", 200), ("squad_staff", 404), ("leader_a", 200), ("office", 200), ("director", 200),
])
def test_a_proposal_is_seen_only_within_scope(bureau, people, client_for, persona, status):
    proposal = propose(people.leader_a, bureau.a)
    assert client_for(getattr(people, persona)).get(proposal.get_absolute_url()).status_code == status


def test_another_units_proposal_cannot_be_answered_by_guessed_url(bureau, people, client_for, open_year):
    proposal = propose(people.leader_a, bureau.a)
    client = client_for(people.staff_b)
    assert client.get(reverse("monitoring:proposal_accept", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("monitoring:proposal_accept", args=[proposal.pk]), accept_data(proposal)).status_code == 404
    assert client.post(reverse("monitoring:proposal_decline", args=[proposal.pk]), {"reason": "x"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.state == "pending" and not RiskPoint.objects.exists()


@pytest.mark.parametrize("persona", ["leader_a", "office", "director"])
def test_those_who_see_but_are_not_the_unit_cannot_answer(bureau, people, client_for, open_year, persona):
    proposal = propose(people.leader_a, bureau.a)
    client = client_for(getattr(people, persona))
    response = client.post(reverse("monitoring:proposal_accept", args=[proposal.pk]), accept_data(proposal))
    assert response.status_code == 403 and "只有规划执法大队的工作人员或负责人" in response.content.decode()
    assert client.post(reverse("monitoring:proposal_decline", args=[proposal.pk]), {"reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        proposal_decline(proposal=proposal, actor=getattr(people, persona), reason="x")


def test_a_mutual_proposer_sees_their_own_proposal_and_its_answer(bureau, people, client_for):
    proposal = propose(people.staff_b, bureau.a, "mutual")
    client = client_for(people.staff_b)
    assert client.get(proposal.get_absolute_url()).status_code == 200
    assert client.post(reverse("monitoring:proposal_decline", args=[proposal.pk]), {"reason": "x"}).status_code == 403
    assert client_for(people.head_b).get(proposal.get_absolute_url()).status_code == 404  # B's head did not propose


def test_accepting_into_another_unit_is_refused(bureau, people, open_year):
    proposal = propose(people.leader_a, bureau.a)
    with pytest.raises(ValidationError, match="须登记在该单位或其下属单位"):
        proposal_accept(proposal=proposal, actor=people.head_b, data={"unit": bureau.b})
    with pytest.raises(PermissionDenied):
        proposal_accept(proposal=proposal, actor=people.staff_b, data={"unit": bureau.a})


def test_the_form_offers_only_the_users_channels_and_units(bureau, people, client_for):
    html = client_for(people.leader_a).get(reverse("monitoring:proposal_create")).content.decode()
    assert "领导点" in html and "组织审" not in html and bureau.b.name not in html and bureau.a.name in html
    assert client_for(people.nobody).get(reverse("monitoring:proposal_create")).status_code == 403
    response = client_for(people.leader_a).post(reverse("monitoring:proposal_create"), {
        "found_by": "leader", "target_unit": bureau.b.pk, "title": "x", "description": "y"})
    assert response.status_code == 200 and not RiskProposal.objects.exists()


def test_a_leader_proposes_through_the_page(bureau, people, client_for):
    response = client_for(people.leader_a).post(reverse("monitoring:proposal_create"), {
        "found_by": "leader", "target_unit": bureau.a.pk, "power": "", "post": "",
        "title": "罚没款收缴不及时", "description": "现场收缴罚款后未在规定时间内上缴。"})
    proposal = RiskProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert (proposal.proposer, proposal.found_by, proposal.bureau) == (people.leader_a, "leader", bureau.ju)


# --- public opinions become proposals (群众提) -----------------------------------------------------------

def test_the_office_turns_a_public_opinion_into_a_proposal(bureau, people, client_for):
    info = information_record(bureau=bureau.ju, channel="public", content="执法队员现场收罚款不开票据。",
                              contact="13800000000", concerns_unit=bureau.a)
    client = client_for(people.office)
    page = client.get(info.get_absolute_url()).content.decode()
    link = reverse("monitoring:proposal_create") + f"?information={info.pk}"
    assert link.replace("&", "&amp;") in page
    form = client.get(link).content.decode()
    assert "群众提" in form and "执法队员现场收罚款不开票据" in form and "组织审" not in form
    client.post(link, {"found_by": "public", "target_unit": bureau.a.pk, "title": "现场收缴罚款不开票",
                       "description": info.content})
    proposal = RiskProposal.objects.get()
    assert (proposal.found_by, proposal.information, proposal.target_unit) == ("public", info, bureau.a)
    assert "13800000000" not in client_for(people.head_a).get(proposal.get_absolute_url()).content.decode()
    info.refresh_from_db()
    assert info.state == "assessed"
    # Only the office may do it, and only with information it can read.
    assert client_for(people.head_a).get(link).status_code == 403
    assert client_for(people.office).get(reverse("monitoring:proposal_create") + "?information=999999").status_code == 404
    assert client_for(people.office).get(reverse("monitoring:proposal_create") + "?information=x").status_code == 404


def test_the_information_page_still_works_without_proposals(bureau, people, client_for):
    info = information_record(bureau=bureau.ju, channel="petition", content="反映内容")
    html = client_for(people.office).get(info.get_absolute_url()).content.decode()
    assert "反映内容" in html and "转为风险点建议" in html
    assert client_for(people.director).get(info.get_absolute_url()).status_code == 200
    # A unit head reads only information about their units; staff read none.
    assert client_for(people.head_a).get(info.get_absolute_url()).status_code == 404
    assert client_for(people.staff_a).get(info.get_absolute_url()).status_code == 403


def test_a_pending_proposal_waits_on_the_units_start_page(people, bureau, client_for):
    from monitoring.services import proposal_create

    assert "/monitoring/proposals/?show=todo" not in client_for(people.head_a).get("/").content.decode()
    proposal_create(actor=people.leader_a, target_unit=bureau.a, found_by="leader", title="建议关注违建巡查",
                    description="巡查记录与卫片比对有漏报。")
    html = client_for(people.head_a).get("/").content.decode()
    assert "/monitoring/proposals/?show=todo" in html
    assert "/monitoring/proposals/?show=todo" not in client_for(people.head_b).get("/").content.decode()
