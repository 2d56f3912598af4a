"""The materialised current entries are always exactly what the anti-join gives."""

import collections
import datetime

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from public.models import EntryKind, PublicationEntry
from public.selectors import _newest_current, current_entries, current_unit_counts
from public.services import publication_renew, publication_withdraw
from tests.factories import PowerItemFactory
from tests.public.test_public import TODAY, publish, risk_with_plan, walk


def agrees():
    """The flags are the anti-join's entries, and the kept per-unit counts are theirs."""
    for kind in EntryKind.values:
        flagged = set(current_entries(kind).values_list("pk", flat=True))
        assert flagged == set(_newest_current(kind).values_list("pk", flat=True)), kind
        counted = collections.Counter(_newest_current(kind).values_list("unit_id", flat=True))
        assert current_unit_counts(kind) == dict(counted), kind
    return True


def test_current_entries_follow_publish_renew_withdraw_and_the_calendar(people, bureau, client, monkeypatch):
    walk(risk_with_plan(bureau, people, "甲风险"), people)
    walk(PowerItemFactory(unit=bureau.a), people)
    first = publish(people, title="第一次", ends_on=TODAY)
    assert agrees() and current_entries(EntryKind.RISK).count() == 1
    later = publish(people, title="明天开始", starts_on=TODAY + datetime.timedelta(days=1))
    assert agrees() and set(current_entries(EntryKind.RISK).values_list("publication", flat=True)) == {first.pk}
    walk(risk_with_plan(bureau, people, "乙风险"), people)
    renewed = publication_renew(actor=people.office, publication=first)
    assert agrees() and set(current_entries(EntryKind.RISK).values_list("publication", flat=True)) == {renewed.pk}
    # Midnight: the first publication's period is over and the next one starts; the first read
    # of the day sees it without anyone publishing.
    tomorrow = TODAY + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a: tomorrow)
    assert agrees() and set(current_entries(EntryKind.RISK).values_list("publication", flat=True)) == {later.pk}
    assert "甲风险" in client.get(reverse("public:risks")).content.decode()
    publication_withdraw(actor=people.office, publication=later, reason="更正")
    assert agrees() and not current_entries(EntryKind.RISK).exists()


def test_entries_keep_their_units_order(people, bureau):
    walk(risk_with_plan(bureau, people, "甲风险"), people)
    publish(people)
    assert set(PublicationEntry.objects.filter(current=True).values_list("unit_order", flat=True)) == {bureau.a.order}


def test_a_lost_cache_only_costs_a_check(people, bureau, django_assert_max_num_queries):
    walk(risk_with_plan(bureau, people, "甲风险"), people)
    publish(people)
    cache.clear()
    with django_assert_max_num_queries(6):  # lock the mark, which publications are current, their stamps, the read
        assert list(current_entries(EntryKind.RISK))
