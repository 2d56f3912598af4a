"""A missing public page is the public site's own 404, with DEBUG on or off."""

import pytest
from django.test import override_settings
from django.urls import reverse


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/public/powers/NO-SUCH-CODE/", "/public/risks/NO-SUCH/", "/public/no/such/page"])
def test_missing_public_pages_use_the_public_404(db, client, path, debug):
    with override_settings(DEBUG=debug):
        response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert "找不到该页面" in html and 'class="public"' in html
    assert "URLconf" not in html and reverse("login") not in html


def test_every_page_has_the_favicon(db, client):
    for url in ("/public/", reverse("login")):
        assert 'rel="icon" href="/static/img/favicon.svg"' in client.get(url).content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
