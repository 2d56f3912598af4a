"""What the public sees of a record that a published item links to comes from that record's own
published revision, or does not appear: a risk point published on a draft power, or on a power
whose new revision is still in review, must not carry the draft's text to the public."""

import pytest
from django.db import models
from django.urls import reverse

from powers.models import FlowEdge, FlowStep, LegalBasis, PowerItem
from review.choices import Status
from review.services import review_begin_edit, review_finish_edit
from tests.factories import PowerItemFactory
from tests.public.test_public import crawl, publish, risk_with_plan, walk

MARK = "MARK-LINKED"


def _text_fields(model):
    return [f for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.name != "code"]


def plant(power, tag):
    """A marker in every text field of the power, its legal bases, its flow steps and edges."""
    for obj in [power, *power.legal_bases.all(), *power.steps.all(), *power.edges.all()]:
        for field in _text_fields(type(obj)):
            setattr(obj, field.name, f"{MARK}-{tag}-{field.name}"[: field.max_length or 200])
        obj.save()


def draft_revision_of(power, people):
    """Start the published power's next revision as a draft, the way an edit does."""
    locked = review_begin_edit(item=power, actor=people.staff_a, lock_version=power.lock_version)
    review_finish_edit(item=locked, actor=people.staff_a)
    locked.refresh_from_db()
    assert locked.status == Status.DRAFT and locked.published_record_id
    return locked


@pytest.fixture
def linked(people, bureau):
    """Published risk points on powers in every state of their own review."""
    published = walk(PowerItemFactory(unit=bureau.a, name="已公布职权PUBLIC-LINKED"), people)
    step = published.steps.get(name="决定")
    edited = draft_revision_of(published, people)
    plant(edited, "EDITED")
    powers = {"edited": edited}
    for state, to in (("draft", None), ("submitted", Status.SUBMITTED), ("accepted", Status.ACCEPTED)):
        power = PowerItemFactory(unit=bureau.a, code=f"UNPUB-{state}")
        if to:
            walk(power, people, to=to)
        plant(power, state)
        powers[state] = power
    risks = {}
    for state, power in powers.items():
        risk_step = step if state == "edited" else power.steps.first()
        risks[state] = walk(risk_with_plan(bureau, people, f"风险点{state}PUBLIC-RISK", kind="process",
                                           power=power, step=risk_step), people)
    publish(people)
    return powers, risks


def test_linked_powers_show_only_their_published_revision(client, linked):
    powers, risks = linked
    html = "\n".join(crawl(client).values())
    assert MARK not in html
    for state in ("draft", "submitted", "accepted"):
        assert f"UNPUB-{state}" not in html  # neither text nor code nor a link of an unpublished power
    page = client.get(reverse("public:risk", args=[risks["edited"].code])).content.decode()
    assert "已公布职权PUBLIC-LINKED" in page and "决定" in page
    assert reverse("public:power", args=[powers["edited"].code]) in page


def test_risk_on_unpublished_power_names_no_power(client, linked):
    _powers, risks = linked
    page = client.get(reverse("public:risk", args=[risks["draft"].code])).content.decode()
    assert "涉及职权" not in page and "/public/powers/" not in page.split("</nav>", 2)[-1].split("<footer")[0]


def test_power_outside_the_public_catalogue_is_named_but_not_linked(people, bureau, client):
    """An internal power's page is not public (by default): its risk names it without a dead link."""
    power = walk(PowerItemFactory(unit=bureau.a, name="干部选任PUBLIC-INTERNAL", category="personnel"), people)
    risk = walk(risk_with_plan(bureau, people, "选任风险PUBLIC-RISK", kind="process", power=power,
                               step=power.steps.first()), people)
    publish(people)
    page = client.get(reverse("public:risk", args=[risk.code])).content.decode()
    assert "干部选任PUBLIC-INTERNAL" in page
    assert reverse("public:power", args=[power.code]) not in page
    assert client.get(reverse("public:power", args=[power.code])).status_code == 404


def test_internal_powers_are_public_only_when_the_publication_says_so(people, bureau, client):
    internal = {c: walk(PowerItemFactory(unit=bureau.a, category=c, name=f"内部{c}"), people)
                for c in ("personnel", "finance", "procurement", "project")}
    outward = walk(PowerItemFactory(unit=bureau.a, category="penalty", name="对外处罚"), people)
    publish(people)
    html = client.get(reverse("public:powers")).content.decode()
    assert "对外处罚" in html and not any(f"内部{c}" in html for c in internal)
    publish(people, title="含内部", include_internal_powers=True)
    html = client.get(reverse("public:powers")).content.decode()
    assert all(f"内部{c}" in html for c in internal) and outward.name in html
