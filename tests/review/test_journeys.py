"""The daily journeys around review: batch acceptance, returned items, who acts next, and
deleting a draft that was never submitted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from controls.services import plan_save
from review.choices import Action, Status
from review.models import ReviewRecord
from review.services import WorkflowError, review_delete, review_transition
from riskpoints.models import RiskPoint
from tests.factories import PowerItemFactory, RiskPointFactory
from tests.workflow import walk

TODAY = timezone.localdate()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def risk(bureau, people, title, plan=True):
    item = RiskPointFactory(unit=bureau.a, title=title)
    if plan:
        plan_save(risk=item, actor=people.staff_a, lock_version=item.lock_version,
                  measures=[{"kind": "control", "content": "双人审核", "responsible": people.head_a,
                             "supervisor": None, "due_date": TODAY}])
    return walk(item, people, Status.LEADER_APPROVED)


# --- batch acceptance -------------------------------------------------------------------------------

def test_the_office_accepts_many_risk_points_at_once(people, bureau, client_for):
    items = [risk(bureau, people, f"风险点{i}") for i in range(3)]
    client = client_for(people.office)
    page = client.get(reverse("riskpoints:compile")).content.decode()
    assert all(i.title in page for i in items) and "验收所选事项" in page
    response = client.post(reverse("riskpoints:compile"), {"action": "accept", "item": [i.pk for i in items]},
                           follow=True)
    assert any("已对 3 项执行“防控办验收”" in m for m in messages_of(response))
    assert set(RiskPoint.objects.values_list("status", flat=True)) == {Status.ACCEPTED}


def test_one_risk_point_without_a_plan_refuses_the_whole_batch_and_is_named(people, bureau, client_for):
    good = [risk(bureau, people, f"有措施{i}") for i in range(2)]
    bad = risk(bureau, people, "没有措施的风险点", plan=False)
    records = ReviewRecord.objects.count()
    response = client_for(people.office).post(
        reverse("riskpoints:compile"), {"action": "accept", "item": [i.pk for i in (*good, bad)]}, follow=True)
    assert any("没有措施的风险点" in m and "尚未制定防控措施" in m for m in messages_of(response))
    assert set(RiskPoint.objects.values_list("status", flat=True)) == {Status.LEADER_APPROVED}
    assert ReviewRecord.objects.count() == records


@pytest.mark.parametrize("persona", ["staff_a", "head_a", "leader_a", "director"])
def test_only_the_office_opens_the_batch_page(people, bureau, client_for, persona):
    item = risk(bureau, people, "风险点")
    client = client_for(getattr(people, persona))
    assert client.get(reverse("riskpoints:compile")).status_code == 403
    assert client.post(reverse("riskpoints:compile"), {"action": "accept", "item": [item.pk]}).status_code == 403
    item.refresh_from_db()
    assert item.status == Status.LEADER_APPROVED


def test_publishing_selected_items_asks_for_confirmation_first(people, bureau, client_for):
    item = walk(risk(bureau, people, "待公布"), people, Status.ACCEPTED)
    client = client_for(people.office)
    page = client.post(reverse("riskpoints:compile"), {"action": "publish", "item": [item.pk]}).content.decode()
    assert "确认公布" in page and 'name="confirmed" value="1"' in page and "<script>" not in page
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED
    client.post(reverse("riskpoints:compile"), {"action": "publish", "item": [item.pk], "confirmed": "1"})
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


# --- returned items and who acts next ---------------------------------------------------------------

@pytest.mark.parametrize("kind", ["power", "risk"])
def test_a_returned_item_shows_the_reason_who_and_when_on_top(people, bureau, client_for, kind):
    item = PowerItemFactory(unit=bureau.a) if kind == "power" else RiskPointFactory(unit=bureau.a)
    review_transition(item=item, action=Action.SUBMIT, actor=people.staff_a)
    review_transition(item=item, action=Action.RETURN, actor=people.head_a, comment="第一次意见")
    review_transition(item=item, action=Action.SUBMIT, actor=people.staff_a)
    review_transition(item=item, action=Action.RETURN, actor=people.head_a, comment="请补充法律依据的具体条款")
    html = client_for(people.staff_a).get(item.get_absolute_url()).content.decode()
    top = html[html.index('class="alert alert-danger return-reason"'):html.index('class="row g-3"')]
    assert "请补充法律依据的具体条款" in top and "第一次意见" not in top
    assert people.head_a.display_name in top and "<time" in top


def test_no_return_reason_once_resubmitted(people, power_a, client_for):
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    review_transition(item=power_a, action=Action.RETURN, actor=people.head_a, comment="请补充")
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    assert "return-reason" not in client_for(people.staff_a).get(power_a.get_absolute_url()).content.decode()


@pytest.mark.parametrize("kind", ["power", "risk"])
def test_after_submitting_the_page_says_who_acts_next(people, bureau, client_for, kind):
    item = PowerItemFactory(unit=bureau.a) if kind == "power" else RiskPointFactory(unit=bureau.a)
    app = "powers" if kind == "power" else "riskpoints"
    response = client_for(people.staff_a).post(reverse(f"{app}:transition", args=[item.pk, Action.SUBMIT]), follow=True)
    message = messages_of(response)[0]
    assert message.startswith("已提交审核，等待 规划执法大队 单位负责人（") and people.head_a.display_name in message
    assert "审核" in message
    response = client_for(people.head_a).post(reverse(f"{app}:transition", args=[item.pk, Action.UNIT_APPROVE]),
                                              {"unit_approve-meeting_date": TODAY.isoformat()}, follow=True)
    assert f"分管领导（{people.leader_a.display_name}） 审批" in messages_of(response)[0]
    assert people.leader_b.display_name not in messages_of(response)[0]


# --- deleting a draft -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["power", "risk"])
def test_the_unit_deletes_its_never_submitted_draft_after_confirming(people, bureau, client_for, kind):
    item = PowerItemFactory(unit=bureau.a) if kind == "power" else RiskPointFactory(unit=bureau.a)
    model, app = type(item), item._meta.app_label
    client = client_for(people.staff_a2)
    assert reverse(f"{app}:delete", args=[item.pk]) in client.get(item.get_absolute_url()).content.decode()
    confirm = client.get(reverse(f"{app}:delete", args=[item.pk]))
    assert confirm.status_code == 200 and "确定删除" in confirm.content.decode()
    assert model.objects.filter(pk=item.pk).exists()  # asking deletes nothing
    response = client.post(reverse(f"{app}:delete", args=[item.pk]), follow=True)
    assert any("已删除草稿" in m for m in messages_of(response))
    assert not model.objects.filter(pk=item.pk).exists()
    deleted = model.history.filter(id=item.pk).latest("history_date")
    assert deleted.history_type == "-" and deleted.history_user == people.staff_a2


def test_other_units_cannot_delete_a_draft(people, power_a, client_for):
    assert client_for(people.staff_b).post(reverse("powers:delete", args=[power_a.pk])).status_code == 404
    for persona in ("leader_a", "office", "director", "nobody"):
        client = client_for(getattr(people, persona))
        assert client.post(reverse("powers:delete", args=[power_a.pk])).status_code in (403, 404)
    assert type(power_a).objects.filter(pk=power_a.pk).exists()


def test_a_submitted_returned_or_revised_item_cannot_be_deleted(people, bureau, power_a, client_for):
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    review_transition(item=power_a, action=Action.RETURN, actor=people.head_a, comment="请补充")
    with pytest.raises(WorkflowError, match="只有从未提交过的草稿"):
        review_delete(item=power_a, actor=people.staff_a)
    assert client_for(people.staff_a).get(reverse("powers:delete", args=[power_a.pk])).status_code == 403
    revised = PowerItemFactory(unit=bureau.a, revision=2)
    with pytest.raises(WorkflowError):
        review_delete(item=revised, actor=people.staff_a)


def test_a_draft_power_a_risk_point_refers_to_cannot_be_deleted(people, bureau, power_a):
    RiskPointFactory(unit=bureau.a, power=power_a, kind="process")
    with pytest.raises(WorkflowError, match="已被其他记录引用"):
        review_delete(item=power_a, actor=people.staff_a)
    assert type(power_a).objects.filter(pk=power_a.pk).exists()


def test_a_reviewer_on_a_phone_sees_the_review_card_first(people, power_a, client_for):
    """The side column (with 审核操作) is ordered before the record on small screens, for the
    person who may act; others keep the record first."""
    from review.choices import Action
    from review.services import review_transition

    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    reviewer = client_for(people.head_a).get(power_a.get_absolute_url()).content.decode()
    assert 'col-lg-4 order-1 order-lg-2' in reviewer and 'col-lg-8 order-2 order-lg-1' in reviewer
    reader = client_for(people.director).get(power_a.get_absolute_url()).content.decode()
    assert "order-1 order-lg-2" not in reader
