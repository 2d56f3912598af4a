"""Publishing an item and the public seeing it: one step, through the current publication."""

import pytest
from django.urls import reverse
from django.utils import timezone

from controls.services import round_open
from public.models import Publication, PublicationEntry, PublicationState
from public.services import publication_preview
from review.choices import Action, Status
from review.services import WorkflowError, review_transition
from controls.services import plan_save
from tests.factories import PowerItemFactory, RiskPointFactory, RoundFactory
from tests.public.test_public import publish
from tests.workflow import walk

TODAY = timezone.localdate()


def risk_with_plan(bureau, people, title, unit="a", **kw):
    """A risk point of unit A (or B) with a control plan its unit head answers for."""
    risk = RiskPointFactory(unit=getattr(bureau, unit), title=title, **kw)
    plan_save(risk=risk, actor=getattr(people, f"staff_{unit}"), lock_version=risk.lock_version,
              measures=[{"kind": "control", "content": "双人审核", "responsible": getattr(people, f"head_{unit}"),
                         "supervisor": None, "due_date": TODAY}])
    risk.refresh_from_db()
    return risk


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def current(people, bureau):
    """A current publication of the whole bureau, showing one published power of unit A."""
    walk(PowerItemFactory(unit=bureau.a, name="已公示的职权"), people)
    return publish(people, title="2026 年度公示", ends_on=TODAY + timezone.timedelta(days=60))


def test_a_publication_after_one_units_new_round_still_lists_the_other_units(people, bureau, client):
    last = RoundFactory(bureau=bureau.ju, year=TODAY.year - 1)
    walk(risk_with_plan(bureau, people, "甲单位上年风险点", round=last), people)
    walk(risk_with_plan(bureau, people, "乙单位上年风险点", "b", round=last), people, unit="b")
    new, _carried = round_open(actor=people.office, year=TODAY.year)
    # Only unit A gets through next year's review and publishes; B's copies are still drafts.
    walk(risk_with_plan(bureau, people, "甲单位新年度风险点", round=new), people)
    pub = publish(people)
    titles = set(pub.entries.filter(kind="risk").values_list("title", flat=True))
    assert titles == {"甲单位新年度风险点", "乙单位上年风险点"}
    assert "乙单位上年风险点" in client.get(reverse("public:risks")).content.decode()


def test_publish_adds_the_item_to_the_current_publication_without_making_one_by_hand(
        people, bureau, client, client_for, current):
    risk = walk(risk_with_plan(bureau, people, "新公布的风险点NEW-RISK"), people, Status.ACCEPTED)
    office = client_for(people.office)
    page = office.get(risk.get_absolute_url()).content.decode()
    assert "同时加入现行公示《2026 年度公示》" in page and "尚未公示" in page
    response = office.post(reverse("riskpoints:transition", args=[risk.pk, Action.PUBLISH]),
                           {"publish-to_publication": "on"}, follow=True)
    assert any("公众现在可以在公示《2026 年度公示》中看到" in m for m in messages_of(response))
    assert Publication.objects.count() == 2  # the new version, no hand-made one
    new = Publication.objects.get(state=PublicationState.PUBLISHED)
    current.refresh_from_db()
    assert new.previous == current and current.state == PublicationState.SUPERSEDED
    assert (new.title, new.starts_on, new.ends_on, new.all_units) == (current.title, current.starts_on, current.ends_on, True)
    assert new.entries.filter(title="已公示的职权").exists()  # what the old version showed stays
    client.logout()
    assert "NEW-RISK" in client.get(reverse("public:risks")).content.decode()
    assert client.get(reverse("public:risk", args=[risk.code])).status_code == 200
    archive = client.get(reverse("public:archive")).content.decode()
    assert "已更新" in archive and "已撤回" not in archive
    # The item's page says where the public sees it.
    page = client_for(people.staff_a).get(risk.get_absolute_url()).content.decode()
    assert "公众在公示《2026 年度公示》中看到第 1 版" in page and reverse("public:risk", args=[risk.code]) in page


def test_publish_without_the_offer_leaves_the_public_site_as_it_was(people, bureau, client_for, current):
    risk = walk(risk_with_plan(bureau, people, "只公布不公示"), people, Status.ACCEPTED)
    response = client_for(people.office).post(reverse("riskpoints:transition", args=[risk.pk, Action.PUBLISH]), {},
                                              follow=True)
    assert any("尚未公示" in m for m in messages_of(response))
    assert list(Publication.objects.all()) == [current] and current.state == PublicationState.PUBLISHED
    assert "尚未公示" in response.content.decode()


def test_without_a_current_publication_the_office_is_told_what_to_do(people, bureau, client_for):
    risk = walk(risk_with_plan(bureau, people, "无公示"), people, Status.ACCEPTED)
    page = client_for(people.office).get(risk.get_absolute_url()).content.decode()
    assert "本单位目前没有发布中的公示" in page and "to_publication" not in page


def test_a_publication_of_other_units_is_not_offered(people, bureau, client_for):
    walk(PowerItemFactory(unit=bureau.b, name="乙单位职权"), people, unit="b")
    pub = Publication(title="乙单位公示", starts_on=TODAY, all_units=False)
    from public.services import publication_publish, publication_save

    publication_save(actor=people.office, publication=pub, units=[bureau.b])
    publication_publish(actor=people.office, publication=pub)
    risk = walk(risk_with_plan(bureau, people, "甲单位风险点"), people, Status.ACCEPTED)
    review_transition(item=risk, action=Action.PUBLISH, actor=people.office, to_publication=True)
    assert Publication.objects.count() == 1 and not PublicationEntry.objects.filter(title="甲单位风险点").exists()


def test_batch_publish_asks_first_then_makes_one_new_version(people, bureau, client, client_for, current):
    risks = [walk(risk_with_plan(bureau, people, f"批量风险点BATCH-{i}"), people, Status.ACCEPTED) for i in range(3)]
    office = client_for(people.office)
    ids = [r.pk for r in risks]
    confirm = office.post(reverse("riskpoints:compile"), {"action": "publish", "item": ids})
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "确认公布 3 项" in html and "《2026 年度公示》" in html
    assert not any(r.status == Status.PUBLISHED for r in type(risks[0]).objects.filter(pk__in=ids))
    response = office.post(reverse("riskpoints:compile"), {"action": "publish", "item": ids, "confirmed": "1",
                                                           "publish-to_publication": "on"}, follow=True)
    assert any("公众现在可以在公示《2026 年度公示》中看到" in m for m in messages_of(response))
    assert Publication.objects.count() == 2  # one new version for all three
    client.logout()
    listing = client.get(reverse("public:risks")).content.decode()
    assert all(f"BATCH-{i}" in listing for i in range(3))


def test_a_draft_publication_previews_what_it_will_freeze(people, bureau, client_for, current):
    walk(PowerItemFactory(unit=bureau.b, name="乙单位职权"), people, unit="b")
    walk(risk_with_plan(bureau, people, "甲单位风险点"), people)
    draft = Publication(title="下一次公示", starts_on=TODAY)
    from public.services import publication_publish, publication_save

    publication_save(actor=people.office, publication=draft)
    rows, totals = publication_preview(draft)
    assert [(u.code, p, r) for u, p, r in rows] == [("A", 1, 1), ("B", 1, 0)] and totals == {"power": 2, "risk": 1}
    page = client_for(people.office).get(draft.get_absolute_url()).content.decode()
    assert "发布预览" in page and "东城区执法大队" in page
    publication_publish(actor=people.office, publication=draft)
    frozen = sorted(draft.entries.values_list("unit__code", "kind"))
    assert frozen == [("A", "power"), ("A", "risk"), ("B", "power")]


def test_only_a_current_publication_gets_a_new_version(people, current):
    from public.services import publication_renew, publication_withdraw

    publication_withdraw(actor=people.office, publication=current, reason="更正")
    with pytest.raises(WorkflowError, match="只有发布中的公示可以更新"):
        publication_renew(actor=people.office, publication=current)


def test_adding_to_a_version_replaced_meanwhile_goes_to_its_newest_version(people, current):
    from public.services import _newest_version, publication_renew

    newer = publication_renew(actor=people.office, publication=current)
    newest = publication_renew(actor=people.office, publication=newer)
    assert _newest_version(current) == newest
