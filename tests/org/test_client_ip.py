"""The client's address behind the bureau's reverse proxy: one helper for the opinion limit and
the login lockout, and a forged forwarding header from outside is never believed."""

import ipaddress
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from org.client import client_ip

PROXIES = (ipaddress.ip_network("10.0.0.5/32"), ipaddress.ip_network("172.16.0.0/12"))


def ip(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_socket_address_counts():
    assert ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=PROXIES)
@pytest.mark.parametrize("remote, forwarded, expected", [
    ("10.0.0.5", "203.0.113.7", "203.0.113.7"),                       # one proxy
    ("10.0.0.5", "203.0.113.7, 172.16.3.4", "203.0.113.7"),           # two proxies in a chain
    ("10.0.0.5", "198.51.100.1, 203.0.113.7", "203.0.113.7"),         # a forged left-most entry is ignored
    ("10.0.0.5", "", "10.0.0.5"),                                     # no header: the proxy itself
    ("10.0.0.5", "garbage, 203.0.113.7", "203.0.113.7"),
    ("10.0.0.5", "203.0.113.7, garbage", "10.0.0.5"),                 # nothing left of a garbled hop is believed
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),                   # not from a proxy: header ignored
    ("2001:db8::1", None, "2001:db8::1"),
    ("not-an-address", None, ""),
])
def test_the_right_most_untrusted_hop_is_the_client(remote, forwarded, expected):
    assert ip(remote, forwarded) == expected


def test_malformed_trusted_proxies_stop_the_start():
    env = {**os.environ, "TRUSTED_PROXIES": "10.0.0.0/8,not-a-network", "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "TRUSTED_PROXIES" in result.stderr


@override_settings(TRUSTED_PROXIES=PROXIES, AXES_FAILURE_LIMIT=3)
def test_login_lockout_counts_the_client_not_the_proxy(people, client):
    url = reverse("login")
    for _ in range(3):
        client.post(url, {"username": "staff_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.5",
                    HTTP_X_FORWARDED_FOR="203.0.113.7")
    locked = client.post(url, {"username": "staff_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.5",
                         HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429
    # the same user from another client behind the same proxy is not locked out by the attacker
    other = client.post(url, {"username": "staff_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.5",
                        HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 200


def test_office_bureau_is_the_one_answer_to_whose_office_this_is(people, bureau):
    from django.core.exceptions import PermissionDenied

    from org.scoping import office_bureau, user_bureau

    assert office_bureau(people.office, "x") == bureau.ju
    for persona in ("staff_a", "head_a", "leader_a", "director", "nobody"):
        with pytest.raises(PermissionDenied):
            office_bureau(getattr(people, persona), "只有防控办")
    assert user_bureau(people.squad_staff) == bureau.ju
