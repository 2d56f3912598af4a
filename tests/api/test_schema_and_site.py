"""The OpenAPI schema covers every endpoint and validates; the docs page is served offline;
the public pages link each record to the API and show the fuller catalogue."""

import re

import pytest
from django.urls import URLPattern, reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from api import urls as api_urls
from tests.factories import PowerItemFactory
from tests.public.test_public import TODAY, publish, published_power, published_risk, risk_with_plan, walk  # noqa: F401

NOT_IN_SCHEMA = {"schema", "docs"}


def _openapi_path(pattern):
    return "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern)).replace("{pk}", "{id}")


def test_the_schema_validates_and_names_every_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # drf-spectacular's own check against the OpenAPI 3 specification
    endpoints = {_openapi_path(p) for p in api_urls.urlpatterns if isinstance(p, URLPattern) and p.name not in NOT_IN_SCHEMA}
    assert endpoints <= set(schema["paths"]), endpoints - set(schema["paths"])
    power = schema["components"]["schemas"]["Power"]["properties"]
    assert "职权名称" in power["name"]["description"] and "Name" in power["name"]["description"]


def test_schema_and_docs_page_are_served_without_login_and_without_any_outside_address(db, client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and b"/api/v1/powers/" in schema.content
    page = client.get(reverse("api:docs"))
    html = page.content.decode()
    assert page.status_code == 200 and "swagger-ui-bundle.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "the intranet has no internet: nothing from outside"
    assert "<script>" not in html  # CSP: no inline script
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        from django.contrib.staticfiles import finders

        assert finders.find(asset.removeprefix("/static/")), asset


def test_a_power_page_lists_its_risk_points_and_their_measures(people, bureau, client, published_power):
    risk = walk(risk_with_plan(bureau, people, "挂在职权上的风险RISK-ON-POWER", power=published_power), people)
    walk(risk_with_plan(bureau, people, "别的风险OTHER-RISK"), people)
    publish(people)
    html = client.get(reverse("public:power", args=[published_power.code])).content.decode()
    assert "RISK-ON-POWER" in html and "公开的措施PUBLIC-MEASURE" in html and "OTHER-RISK" not in html
    assert reverse("public:risk", args=[risk.code]) in html
    assert reverse("api:power", args=[published_power.code]) in html


def test_a_risk_page_shows_its_post_and_power_and_links_to_the_api(people, bureau, client, published_power):
    from tests.factories import PostFactory

    post = PostFactory(unit=bureau.a, name="巡查员岗位POST")
    risk = walk(risk_with_plan(bureau, people, "风险R", power=published_power, post=post), people)
    publish(people)
    html = client.get(reverse("public:risk", args=[risk.code])).content.decode()
    assert "巡查员岗位POST" in html and "公开的职权PUBLIC-POWER" in html
    assert reverse("api:risk", args=[risk.code]) in html


def test_a_publication_page_names_its_units_and_links_its_downloads(people, bureau, client, published_power):
    from public.models import Publication
    from public.services import publication_publish, publication_save, publication_withdraw

    pub = Publication(title="甲单位公示", starts_on=TODAY, all_units=False)
    publication_save(actor=people.office, publication=pub, units=[bureau.a])
    pub = publication_publish(actor=people.office, publication=pub)
    html = client.get(reverse("public:publication", args=[pub.pk])).content.decode()
    assert "规划执法大队" in html and "东城区执法大队" not in html
    for name in ("powers.csv", "risks.csv", "publication.xlsx", "publication.json", "manifest.json"):
        assert reverse("api:download", args=[pub.pk, name]) in html
    assert reverse("public:publication", args=[pub.pk]) in client.get(reverse("public:home")).content.decode()
    publication_withdraw(actor=people.office, publication=pub, reason="更正")
    html = client.get(reverse("public:publication", args=[pub.pk])).content.decode()
    assert "已撤回" in html and "powers.csv" not in html
    assert reverse("public:publication", args=[pub.pk]) in client.get(reverse("public:archive")).content.decode()


def test_a_draft_publication_has_no_public_page(people, client, published_power):
    from public.models import Publication
    from public.services import publication_save

    pub = Publication(title="草稿公示DRAFT-PUB", starts_on=TODAY)
    publication_save(actor=people.office, publication=pub)
    assert client.get(reverse("public:publication", args=[pub.pk])).status_code == 404
    assert client.get(reverse("api:publication", args=[pub.pk])).status_code == 404


@pytest.mark.parametrize("size", [2, 12])
def test_power_page_query_count_does_not_grow_with_its_risks(people, bureau, client, published_power,
                                                             django_assert_num_queries, size):
    for i in range(size):
        walk(risk_with_plan(bureau, people, f"风险{i}", power=published_power), people)
    publish(people)
    with django_assert_num_queries(POWER_PAGE_QUERIES):
        assert client.get(reverse("public:power", args=[published_power.code])).status_code == 200


POWER_PAGE_QUERIES = 3  # the ETag, the entry, its risk points
