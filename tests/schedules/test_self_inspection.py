"""The yearly self-inspection: a unit goes through its own risk points' measures, each post holder
fills their own 廉洁自律、履职情况 self-check, the office keeps the checklist while it is a draft,
and a finding becomes risk information once."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from controls.models import ControlPlan, Measure
from monitoring.models import RiskInformation
from review.choices import Status
from riskpoints.choices import CarryDecision
from schedules.choices import CampaignKind, CampaignState, TaskState
from schedules.models import Campaign, CampaignTask, ChecklistItem, PersonalCheck, RiskCheck
from schedules.services import campaign_create, campaign_open, personal_check_fill, task_submit
from tests.factories import PostFactory, RiskPointFactory

D = datetime.date


def measures(risk, *texts):
    plan, _created = ControlPlan.objects.get_or_create(risk_point=risk)
    responsible = get_user_model().objects.order_by("pk").first()
    return [Measure.objects.create(plan=plan, kind="control", content=t, due_date=D(2026, 12, 31), order=n,
                                   responsible=responsible) for n, t in enumerate(texts)]


@pytest.fixture
def unit_a_year(bureau, people, open_year):
    """Unit A's register this year: two risk points in force (one with two measures, one
    published without any yet), a draft and a retired one that do not count; B's own; and two
    post holders in A (its staff member and its head)."""
    in_force = RiskPointFactory(unit=bureau.a, title="罚款金额自由裁量", status=Status.ACCEPTED, code="A-001")
    measures(in_force, "重大处罚案件集体讨论", "裁量基准公开")
    published = RiskPointFactory(unit=bureau.a_squad, title="暂扣物品处置", status=Status.PUBLISHED, code="A-002")
    measures(RiskPointFactory(unit=bureau.a, title="草稿风险点", code="A-003"), "不应出现")
    RiskPointFactory(unit=bureau.a, title="已撤销风险点", status=Status.ACCEPTED, code="A-004",
                     carry_decision=CarryDecision.RETIRED)
    RiskPointFactory(unit=bureau.b, title="乙单位风险点", status=Status.ACCEPTED, code="B-001")
    for person, name in ((people.staff_a, "执法岗"), (people.head_a, "大队长")):
        person.post = PostFactory(unit=bureau.a, name=name)
        person.save()
    return {"in_force": in_force, "published": published}


def open_self_inspection(people, **over):
    campaign = Campaign(title=over.pop("title", "年度自查"), year=2026, kind=CampaignKind.SELF_INSPECTION,
                        opens_on=D(2026, 12, 1), due_on=D(2026, 12, 31), **over)
    campaign_create(actor=people.office, campaign=campaign)
    campaign_open(campaign=campaign, actor=people.office)
    return campaign


def fill_personal_checks(task):
    for check in task.personal_checks.all():
        personal_check_fill(check=check, actor=check.person, lock_version=check.lock_version,
                            integrity="遵守廉洁自律各项规定", duty="按岗位职责履职", has_problems=False)


def test_the_task_goes_through_the_units_risk_points_in_force_as_they_were_when_it_opened(bureau, people, unit_a_year):
    task = CampaignTask.objects.get(campaign=open_self_inspection(people), unit=bureau.a)
    rows = list(task.risk_checks.values_list("risk_code", "measure_text"))
    assert rows == [("A-001", "重大处罚案件集体讨论"), ("A-001", "裁量基准公开"), ("A-002", "")]
    assert sorted(task.personal_checks.values_list("post_name", flat=True)) == ["大队长", "执法岗"]
    assert not CampaignTask.objects.get(campaign=task.campaign, unit=bureau.b).personal_checks.exists()
    # Later edits of the register change nothing in the task.
    Measure.objects.filter(content="裁量基准公开").update(content="改过的措施")
    RiskPointFactory(unit=bureau.a, title="后来登记的", status=Status.ACCEPTED)
    assert list(task.risk_checks.values_list("risk_code", "measure_text")) == rows


def test_a_unit_fills_only_its_own_risk_checks_and_a_stale_or_late_form_changes_nothing(bureau, people, client_for,
                                                                                     unit_a_year):
    task = CampaignTask.objects.get(campaign=open_self_inspection(people), unit=bureau.a)
    check = task.risk_checks.first()
    data = {"lock_version": task.lock_version, "summary": "自查情况", f"rimplemented_{check.pk}": "on",
            f"rproblems_{check.pk}": "集体讨论记录缺签名", f"rplan_{check.pk}": "本月补签"}
    other = client_for(people.staff_b)
    assert other.get(task.get_absolute_url()).status_code == 404
    assert other.post(task.get_absolute_url(), data).status_code == 404
    check.refresh_from_db()
    assert check.problems == ""

    client = client_for(people.staff_a)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "罚款金额自由裁量" in page and "重大处罚案件集体讨论" in page and "草稿风险点" not in page
    assert "乙单位风险点" not in page and "已撤销风险点" not in page
    assert client.post(task.get_absolute_url(), data).status_code == 302
    check.refresh_from_db()
    assert check.implemented and not check.effective and check.problems == "集体讨论记录缺签名"
    html = client.post(task.get_absolute_url(), {**data, f"rproblems_{check.pk}": "旧表单"}).content.decode()
    assert "已被他人修改" in html
    check.refresh_from_db()
    assert check.problems == "集体讨论记录缺签名"

    fill_personal_checks(task)
    assert client.post(reverse("schedules:task_submit", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED
    page = client.get(task.get_absolute_url()).content.decode()
    assert f'name="rproblems_{check.pk}"' not in page  # handed in: read only
    client.post(task.get_absolute_url(), {**data, "lock_version": task.lock_version, f"rproblems_{check.pk}": "改"})
    check.refresh_from_db()
    assert check.problems == "集体讨论记录缺签名"


def test_each_post_holder_fills_only_their_own_self_check_and_the_head_and_office_read_all(bureau, people, client_for,
                                                                                         unit_a_year):
    task = CampaignTask.objects.get(campaign=open_self_inspection(people), unit=bureau.a)
    mine = PersonalCheck.objects.get(task=task, person=people.staff_a)
    heads = PersonalCheck.objects.get(task=task, person=people.head_a)
    answer = {"integrity": "未收受礼品礼金", "duty": "按时办结案件", "has_problems": "on"}

    staff = client_for(people.staff_a)
    assert staff.get(heads.get_absolute_url()).status_code == 404  # a colleague's is not theirs to read
    assert staff.post(heads.get_absolute_url(), {**answer, "lock_version": 0}).status_code == 404
    assert "大队长" not in staff.get(task.get_absolute_url()).content.decode().split("岗位人员廉洁自律")[1]
    for outsider in (people.staff_b, people.head_b, people.staff_a2):
        assert client_for(outsider).get(mine.get_absolute_url()).status_code == 404
    # The head and the office read it but cannot fill it for the holder.
    for reader in (people.head_a, people.office):
        assert client_for(reader).get(mine.get_absolute_url()).status_code == 200
        assert client_for(reader).post(mine.get_absolute_url(), {**answer, "lock_version": 0}).status_code == 403
    mine.refresh_from_db()
    assert not mine.filled

    staff = client_for(people.staff_a)
    assert staff.post(mine.get_absolute_url(), {"integrity": "", "duty": "x", "lock_version": 0}).status_code == 200
    assert staff.post(mine.get_absolute_url(), {**answer, "lock_version": 0}).status_code == 302
    mine.refresh_from_db()
    assert mine.filled and mine.has_problems and mine.integrity == "未收受礼品礼金"
    html = staff.post(mine.get_absolute_url(), {**answer, "duty": "旧表单", "lock_version": 0}).content.decode()
    assert "已被修改" in html

    # The unit cannot hand in while the head's own is missing; the refusal names who is missing.
    assert staff.post(reverse("schedules:task_submit", args=[task.pk]), follow=True).status_code == 200
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    head = client_for(people.head_a)
    page = head.get(task.get_absolute_url()).content.decode()
    assert "未收受礼品礼金" in page and "已填写 1 / 2 人" in page
    head.post(heads.get_absolute_url(), {**answer, "lock_version": heads.lock_version})
    assert head.post(reverse("schedules:task_submit", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED
    # Handed in: the holders' answers stay as they were.
    mine.refresh_from_db()
    assert client_for(people.staff_a).post(mine.get_absolute_url(),
                                           {**answer, "duty": "提交后再改", "lock_version": mine.lock_version}).status_code == 200
    mine.refresh_from_db()
    assert mine.duty == "按时办结案件"


def test_submit_lists_the_holders_still_missing(bureau, people, unit_a_year):
    from review.services import WorkflowError

    task = CampaignTask.objects.get(campaign=open_self_inspection(people), unit=bureau.a)
    with pytest.raises(WorkflowError) as refused:
        task_submit(task=task, actor=people.head_a)
    assert str(people.staff_a) in refused.value.message and str(people.head_a) in refused.value.message


def test_only_the_office_edits_the_checklist_and_only_before_the_campaign_opens(bureau, people, client_for):
    campaign = Campaign(title="草稿自查", year=2026, kind=CampaignKind.SELF_INSPECTION, opens_on=D(2026, 12, 1),
                        due_on=D(2026, 12, 31))
    campaign_create(actor=people.office, campaign=campaign, items=[("第一项", 0), ("第二项", 0)])
    first, second = campaign.items.order_by("order")
    add = reverse("schedules:checklist", args=[campaign.pk])
    for persona in (people.head_a, people.staff_a, people.leader_a, people.director):
        client = client_for(persona)
        for url, data in ((add, {"text": "乱加", "max_score": 0}), (reverse("schedules:checklist_item", args=[first.pk]),
                                                                  {"text": "乱改", "max_score": 0}),
                          (reverse("schedules:checklist_item_delete", args=[first.pk]), {}),
                          (reverse("schedules:checklist_item_move", args=[first.pk]), {"direction": "down"})):
            assert client.post(url, data).status_code in (403, 404)
        assert client.get(add).status_code in (403, 404)
    assert client_for(people.director).get(add).status_code == 403  # sees the bureau's campaigns, may not edit
    assert list(campaign.items.order_by("order").values_list("text", flat=True)) == ["第一项", "第二项"]

    office = client_for(people.office)
    assert "编辑检查内容" in office.get(campaign.get_absolute_url()).content.decode()
    assert office.post(add, {"text": "第三项", "max_score": 0}).status_code == 302
    assert office.post(add, {"text": "", "max_score": 0}).status_code == 200  # refused with a message
    assert office.post(add, {"text": "分值太大", "max_score": 99999}).status_code == 200
    assert office.post(reverse("schedules:checklist_item", args=[second.pk]),
                       {"text": "第二项（改）", "max_score": 0}).status_code == 302
    office.post(reverse("schedules:checklist_item_move", args=[second.pk]), {"direction": "up"})
    office.post(reverse("schedules:checklist_item_move", args=[second.pk]), {"direction": "sideways"})
    office.post(reverse("schedules:checklist_item_delete", args=[first.pk]))
    assert list(campaign.items.order_by("order").values_list("text", "order")) == [("第二项（改）", 1), ("第三项", 2)]

    campaign_open(campaign=campaign, actor=people.office)
    item = campaign.items.first()
    html = office.post(add, {"text": "开启后加", "max_score": 0}).content.decode()
    assert "不能再修改" in html
    office.post(reverse("schedules:checklist_item_delete", args=[item.pk]))
    office.post(reverse("schedules:checklist_item", args=[item.pk]), {"text": "开启后改", "max_score": 0})
    assert list(campaign.items.order_by("order").values_list("text", flat=True)) == ["第二项（改）", "第三项"]
    assert "编辑检查内容" not in office.get(campaign.get_absolute_url()).content.decode()


def test_an_assessment_line_needs_its_full_marks(bureau, people, client_for):
    campaign = Campaign(title="考核草稿", year=2026, kind=CampaignKind.ASSESSMENT, opens_on=D(2027, 2, 1),
                        due_on=D(2027, 2, 28), state=CampaignState.SCHEDULED)
    campaign_create(actor=people.office, campaign=campaign)
    count = campaign.items.count()
    office = client_for(people.office)
    assert office.post(reverse("schedules:checklist", args=[campaign.pk]), {"text": "新增项", "max_score": 0}).status_code == 200
    assert campaign.items.count() == count
    office.post(reverse("schedules:checklist", args=[campaign.pk]), {"text": "新增项", "max_score": 5})
    assert ChecklistItem.objects.filter(campaign=campaign, text="新增项", max_score=5, order=count + 1).exists()


def test_a_finding_on_a_measure_becomes_risk_information_about_its_risk_point_once(bureau, people, client_for,
                                                                                 unit_a_year):
    task = CampaignTask.objects.get(campaign=open_self_inspection(people), unit=bureau.a)
    check = task.risk_checks.get(measure_text="裁量基准公开")
    RiskCheck.objects.filter(pk=check.pk).update(problems="裁量基准未在窗口公示", plan="下周公示")
    url = reverse("monitoring:from_risk_check", args=[check.pk])
    client_for(people.office).post(url)  # not yet handed in
    assert not RiskInformation.objects.exists()
    fill_personal_checks(task)
    task_submit(task=task, actor=people.head_a)

    assert client_for(people.staff_a).post(url).status_code == 403
    assert client_for(people.staff_b).post(url).status_code == 404
    assert client_for(people.head_b).post(url).status_code == 404
    head = client_for(people.head_a)
    assert "转为廉政风险信息" in head.get(task.get_absolute_url()).content.decode()
    assert head.post(url).status_code == 302
    assert client_for(people.office).post(url).status_code == 302  # the second time: the same item
    info = RiskInformation.objects.get()
    assert info.channel == "self" and info.concerns_risk == unit_a_year["in_force"] and info.concerns_unit == bureau.a
    assert "裁量基准未在窗口公示" in info.content and "下周公示" in info.content
    page = client_for(people.office).get(task.get_absolute_url()).content.decode()
    assert info.reference in page and "不会重复登记" in page
    assert task.get_absolute_url() in client_for(people.office).get(info.get_absolute_url()).content.decode()


@pytest.mark.parametrize("risks", [2, 8])
def test_the_task_page_keeps_its_query_count_whatever_the_number_of_risk_points(bureau, people, client_for, open_year,
                                                                              django_assert_max_num_queries, risks):
    for n in range(risks):
        risk = RiskPointFactory(unit=bureau.a, status=Status.ACCEPTED)
        measures(risk, f"措施{n}甲", f"措施{n}乙")
        PostFactory(unit=bureau.a, name=f"岗位{n}").holders.add(people.staff_a if n == 0 else
                                                              type(people.staff_a).objects.create(
                                                                  username=f"holder{n}", unit=bureau.a))
    task = CampaignTask.objects.get(campaign=open_self_inspection(people), unit=bureau.a)
    assert task.risk_checks.count() == risks * 2
    RiskCheck.objects.filter(task=task).update(problems="发现问题")
    for check in task.personal_checks.all():
        personal_check_fill(check=check, actor=check.person, lock_version=0, integrity="无", duty="正常",
                            has_problems=False)
    for persona in (people.staff_a, people.head_a):
        client = client_for(persona)
        with django_assert_max_num_queries(16):
            assert client.get(task.get_absolute_url()).status_code == 200
    task_submit(task=task, actor=people.head_a)
    client = client_for(people.office)
    with django_assert_max_num_queries(16):  # the findings' buttons included
        assert client.get(task.get_absolute_url()).status_code == 200
