import pytest
from django.urls import reverse

from review.choices import Status
from review.models import ReviewRecord
from tests.factories import PowerItemFactory


@pytest.fixture
def accepted(bureau, people):
    items = PowerItemFactory.create_batch(3, unit=bureau.a, status=Status.ACCEPTED, submitted_by=people.staff_a)
    items.append(PowerItemFactory(unit=bureau.b, status=Status.ACCEPTED, submitted_by=people.staff_b))
    return items


FILING = {"file-filed_on": "2026-11-25", "file-filing_reference": "X法制备〔2026〕12号", "file-filing_bodies": ["legal", "openness"]}


@pytest.mark.parametrize("persona", ["staff_a", "head_a", "leader_a", "director"])
def test_only_the_office_compiles(people, accepted, client_for, persona):
    client = client_for(getattr(people, persona))
    assert client.get(reverse("powers:compile")).status_code == 403
    response = client.post(reverse("powers:compile"), {"action": "file", "item": [p.pk for p in accepted], **FILING})
    assert response.status_code == 403
    assert not ReviewRecord.objects.exists()


def test_office_files_and_publishes_the_compiled_catalogue(people, accepted, client_for):
    client = client_for(people.office)
    assert all(p.name in client.get(reverse("powers:compile")).content.decode() for p in accepted)
    ids = [p.pk for p in accepted]
    client.post(reverse("powers:compile"), {"action": "file", "item": ids, **FILING})
    client.post(reverse("powers:compile"), {"action": "publish", "item": ids, "confirmed": "1"})
    for power in accepted:
        power.refresh_from_db()
        assert power.status == Status.PUBLISHED and power.filing_reference == "X法制备〔2026〕12号"
        assert power.published_record.snapshot["code"] == power.code


def test_publishing_with_one_unfiled_item_changes_nothing(people, accepted, client_for):
    client = client_for(people.office)
    first = accepted[0]
    client.post(reverse("powers:compile"), {"action": "file", "item": [first.pk], **FILING})
    response = client.post(reverse("powers:compile"), {"action": "publish", "item": [p.pk for p in accepted]}, follow=True)
    assert "公布前须先登记" in response.content.decode()
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED
    assert not ReviewRecord.objects.filter(action="publish").exists()


def test_filing_without_reference_is_refused(people, accepted, client_for):
    client = client_for(people.office)
    response = client.post(reverse("powers:compile"), {"action": "file", "item": [accepted[0].pk], "file-filed_on": "2026-11-25"}, follow=True)
    assert "请填写备案日期、文号和报审机关" in response.content.decode()
    accepted[0].refresh_from_db()
    assert accepted[0].filed_on is None
