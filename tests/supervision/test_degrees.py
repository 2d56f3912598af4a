"""The office's degrees of violation: four defaults per bureau, renamed without touching what was
published, a degree in use not deleted, only the office changes the list."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from supervision.models import ViolationDegree
from supervision.services import degree_add, degree_delete, degree_update, degrees_for


def test_every_bureau_has_the_four_defaults_in_order(bureau):
    assert [d.name for d in degrees_for(bureau.ju)] == ["轻微", "一般", "较重", "严重"]
    assert list(degrees_for(bureau.ju)) == list(degrees_for(bureau.ju))  # created once


def test_a_degree_in_use_cannot_be_deleted_and_an_unused_one_can(people, bureau, power_a, client_for):
    used = power_a.benchmark_rows.get().degree
    with pytest.raises(ValidationError, match="不能删除"):
        degree_delete(actor=people.office, degree=used)
    client = client_for(people.office)
    response = client.post(reverse("supervision:degree_delete", args=[used.pk]), follow=True)
    assert "不能删除" in response.content.decode() and ViolationDegree.objects.filter(pk=used.pk).exists()
    spare = degree_add(actor=people.office, name="特别严重", order=5)
    client.post(reverse("supervision:degree_delete", args=[spare.pk]))
    assert not ViolationDegree.objects.filter(pk=spare.pk).exists()


def test_only_the_office_keeps_the_list_and_names_stay_unique(people, bureau, client_for):
    general = degrees_for(bureau.ju).get(code="general")
    for user in (people.staff_a, people.leader_a, people.director):
        assert client_for(user).get(reverse("supervision:degrees")).status_code == 403
        with pytest.raises(PermissionDenied):
            degree_update(actor=user, degree=general, name="普通", order=2)
    with pytest.raises(ValidationError, match="已有名为"):
        degree_add(actor=people.office, name="一般", order=9)
    client = client_for(people.office)
    page = client.get(reverse("supervision:degrees")).content.decode()
    assert "较重" in page and "新增违法程度" in page
    bad = client.post(reverse("supervision:degrees"), {"degree": general.pk, f"d{general.pk}-name": "轻微",
                                                       f"d{general.pk}-order": 2})
    assert bad.status_code == 400 and ViolationDegree.objects.get(pk=general.pk).name == "一般"
    ok = client.post(reverse("supervision:degrees"), {"degree": general.pk, f"d{general.pk}-name": "普通",
                                                      f"d{general.pk}-order": 2, f"d{general.pk}-description": "x"})
    assert ok.status_code == 302 and ViolationDegree.objects.get(pk=general.pk).name == "普通"
    assert client.post(reverse("supervision:degrees"), {"degree": "abc"}).status_code == 404


def test_renaming_a_degree_keeps_the_published_benchmark_as_published(people, key_power, client):
    from public.models import Publication
    from public.services import publication_publish, publication_save
    from django.utils import timezone

    pub = Publication(title="公示", starts_on=timezone.localdate())
    publication_save(actor=people.office, publication=pub)
    publication_publish(actor=people.office, publication=pub)
    degree = key_power.benchmark_rows.get().degree
    degree_update(actor=people.office, degree=degree, name="一般情节", order=degree.order)
    page = client.get(reverse("public:power", args=[key_power.code])).content.decode()
    assert "一般" in page and "一般情节" not in page
    api = client.get(reverse("api:power", args=[key_power.code])).json()["benchmark"][0]
    assert (api["degree"], api["degree_label"]) == ("general", "一般")
