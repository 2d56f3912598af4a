"""Chinese by default; English when the visitor chooses it or their browser asks for it."""

from django.urls import reverse


def test_chinese_is_the_default(people, client_for):
    html = client_for(people.office).get(reverse("home")).content.decode()
    assert "待我处理" in html and 'lang="zh-hans"' in html


def test_english_when_the_browser_asks(people, client_for):
    html = client_for(people.office).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Waiting for me" in html and "待我处理" not in html


def test_the_language_switch_remembers_the_choice(people, client_for, power_a):
    client = client_for(people.staff_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(power_a.get_absolute_url()).content.decode()
    assert "Legal basis" in html or "Legal Basis" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "法律依据" in client.get(power_a.get_absolute_url()).content.decode()


def test_visitors_can_switch_the_public_site(db, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/public/"})
    assert response.status_code == 302
    assert "Public Notice" in client.get(reverse("public:home")).content.decode() or \
        "public notice" in client.get(reverse("public:home")).content.decode().lower()
