"""Shared copies of public pages never carry one visitor's language or token to another, and
the opinion limit holds when one address sends many opinions at once."""

import ipaddress
import threading

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from monitoring.models import RiskInformation
from public.services import OPINION_LIMIT_PER_HOUR
from tests.public.test_public import opinion, publish, published_power, published_risk  # noqa: F401 (fixtures)


def test_cached_pages_follow_the_visitors_language(people, client, published_power):
    publish(people)
    url = reverse("public:powers")
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "职权目录" in zh.content.decode() and "Catalogue" in en.content.decode()
    assert zh["ETag"] != en["ETag"]  # a browser that switches language gets the page, not a 304
    assert "Cookie" in en["Vary"] and "Accept-Language" in en["Vary"]
    again = Client().get(url, HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_IF_NONE_MATCH=en["ETag"])
    assert again.status_code == 200 and "职权目录" in again.content.decode()


def test_cached_pages_carry_no_csrf_token_and_the_switch_works_for_the_next_visitor(people, client, published_power):
    publish(people)
    for url in (reverse("public:home"), reverse("public:powers"), reverse("public:risks"), reverse("public:archive")):
        first = client.get(url).content.decode()
        assert "csrfmiddlewaretoken" not in first, url
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(reverse("public:powers")).content.decode()  # served from the cache
    switch = reverse("public:language", args=["en"]) + "?next=" + reverse("public:powers")
    assert reverse("public:language", args=["en"]) in page
    response = visitor.get(switch)
    assert response.status_code == 302 and response["Location"] == reverse("public:powers")
    assert "Catalogue" in visitor.get(reverse("public:powers")).content.decode()


def test_language_switch_refuses_other_sites_and_unknown_languages(client):
    response = client.get(reverse("public:language", args=["en"]) + "?next=https://evil.example/")
    assert response["Location"] == reverse("public:home")
    assert client.get(reverse("public:language", args=["xx"])).status_code == 404


def test_a_page_that_used_a_token_is_not_shared():
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    from public.views import _shareable

    request = RequestFactory().get("/public/")
    from django.contrib.auth.models import AnonymousUser
    request.user = AnonymousUser()
    assert _shareable(request, HttpResponse("x"))
    get_token(request)
    assert not _shareable(request, HttpResponse("x"))


@pytest.mark.django_db(transaction=True)
def test_simultaneous_opinions_from_one_address_stop_at_the_limit(people, published_risk):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL 的并发写入（SQLite 的内存测试库不支持多线程并发写入）")
    publish(people)
    barrier, codes = threading.Barrier(20), []

    def send():
        try:
            barrier.wait()
            codes.append(opinion(Client(), published_risk.code, ip="10.9.9.9").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(codes) == [200] * OPINION_LIMIT_PER_HOUR + [400] * (20 - OPINION_LIMIT_PER_HOUR)
    assert RiskInformation.objects.count() == OPINION_LIMIT_PER_HOUR


PROXY = (ipaddress.ip_network("10.0.0.5/32"),)


@override_settings(TRUSTED_PROXIES=PROXY)
def test_behind_the_trusted_proxy_each_visitor_has_their_own_limit(people, client, published_risk):
    publish(people)
    for _ in range(OPINION_LIMIT_PER_HOUR):
        assert client.post(*_opinion_args(published_risk), REMOTE_ADDR="10.0.0.5",
                           HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    assert client.post(*_opinion_args(published_risk), REMOTE_ADDR="10.0.0.5",
                       HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 400
    # another visitor through the same proxy is not blocked by the first one
    assert client.post(*_opinion_args(published_risk), REMOTE_ADDR="10.0.0.5",
                       HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200
    # and a visitor cannot dodge the limit by claiming another address in the header
    assert client.post(*_opinion_args(published_risk), REMOTE_ADDR="10.0.0.5",
                       HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7").status_code == 400


def _opinion_args(risk):
    from django.core import signing

    from public.forms import CHALLENGE_SALT
    return (reverse("public:opinion", args=["risk", risk.code]),
            {"text": "该岗位执法人员收受好处，请核查。", "answer": 7, "token": signing.dumps(7, salt=CHALLENGE_SALT)})
