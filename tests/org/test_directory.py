"""Directory login against a real OpenLDAP server (Debian's slapd), started for these tests."""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse

from org.models import User

SLAPD = "/usr/sbin/slapd"
BASE = "dc=cgzf,dc=example,dc=gov,dc=cn"
PEOPLE = f"ou=people,{BASE}"
ROOT_DN, ROOT_PW = f"cn=admin,{BASE}", "root-secret"

CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile {dir}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{root}"
rootpw {password}
directory {dir}/data
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    """A slapd on a free loopback port with three directory users; stopped by its pid file."""
    if not os.path.exists(SLAPD):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true 但没有 slapd：目录登录测试不得跳过（scripts/install-system-deps.sh test 会安装它）。")
        pytest.skip("没有 slapd（apt-get install slapd），跳过目录登录测试。")
    import ldap3

    here = tmp_path_factory.mktemp("slapd")
    (here / "data").mkdir()
    conf = here / "slapd.conf"
    conf.write_text(CONFIG.format(dir=here, base=BASE, root=ROOT_DN, password=ROOT_PW))
    url = f"ldap://127.0.0.1:{_free_port()}"
    subprocess.run([SLAPD, "-f", str(conf), "-h", url], check=True, timeout=30)
    pidfile = Path(here / "slapd.pid")
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                conn = ldap3.Connection(ldap3.Server(url), ROOT_DN, ROOT_PW, auto_bind=True)
                break
            except ldap3.core.exceptions.LDAPException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        conn.add(BASE, ["dcObject", "organization"], {"o": "城管执法局", "dc": "cgzf"})
        conn.add(PEOPLE, ["organizationalUnit"], {"ou": "people"})
        for uid, cn, dept, extra in (
            ("zhangwei", "张伟", "规划执法大队", {}),
            ("lina", "李娜", "EAST", {}),
            ("retired", "已停用", "规划执法大队", {"employeeType": "disabled"}),
        ):
            assert conn.add(f"uid={uid},{PEOPLE}", ["inetOrgPerson"], {
                "cn": cn, "sn": cn[0], "mail": f"{uid}@cgzf.example.gov.cn", "departmentNumber": dept,
                "userPassword": f"{uid}-pass", **extra}), conn.result
        conn.unbind()
        yield url
    finally:
        if pidfile.exists():
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
        shutil.rmtree(here, ignore_errors=True)


@pytest.fixture
def directory(slapd, settings, bureau):
    settings.LDAP_AUTH_URL = [slapd]
    settings.LDAP_AUTH_SEARCH_BASE = PEOPLE
    settings.LDAP_DEPARTMENT_UNITS = {"EAST": bureau.b.code}
    settings.LDAP_ACTIVE_FILTER = "(!(employeeType=disabled))"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "django_python3_ldap.auth.LDAPBackend"]
    return slapd


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_directory_user_signs_in_and_lands_in_the_unit_of_their_department(client, bureau, directory):
    response = login(client, "zhangwei", "zhangwei-pass")
    assert response.status_code == 302, response.content.decode()[:500]
    user = User.objects.get(username="zhangwei")
    assert user.unit == bureau.a and user.real_name == "张伟" and user.has_role("staff")
    assert not user.has_usable_password()  # the directory keeps the password
    assert client.get(reverse("home")).status_code == 200


def test_the_department_mapping_names_the_unit(client, bureau, directory):
    assert login(client, "lina", "lina-pass").status_code == 302
    assert User.objects.get(username="lina").unit == bureau.b


def test_a_wrong_password_is_refused_and_creates_nobody(client, directory):
    response = login(client, "zhangwei", "wrong")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert not User.objects.filter(username="zhangwei").exists()


def test_a_disabled_directory_account_is_refused(client, directory):
    response = login(client, "retired", "retired-pass")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert not User.objects.filter(username="retired").exists()


def test_local_accounts_keep_working(client, people, directory):
    people.staff_a.set_password("local-pass-123")
    people.staff_a.save()
    assert login(client, "staff_a", "local-pass-123").status_code == 302
    assert client.session["_auth_user_id"] == str(people.staff_a.pk)


def test_a_later_login_follows_the_directory_department(client, bureau, directory, settings):
    assert login(client, "zhangwei", "zhangwei-pass").status_code == 302
    client.logout()
    settings.LDAP_DEPARTMENT_UNITS = {"规划执法大队": bureau.b.code}
    assert login(client, "zhangwei", "zhangwei-pass").status_code == 302
    assert User.objects.get(username="zhangwei").unit == bureau.b


def test_without_the_setting_there_is_no_directory_login(client, slapd, bureau, settings):
    settings.LDAP_AUTH_URL = [slapd]
    settings.LDAP_AUTH_SEARCH_BASE = PEOPLE
    assert "django_python3_ldap.auth.LDAPBackend" not in settings.AUTHENTICATION_BACKENDS
    assert login(client, "zhangwei", "zhangwei-pass").status_code == 200
