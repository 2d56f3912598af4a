"""The office changes when each periodic task runs, on its own page; nobody else can."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask


@pytest.fixture
def entry(db):
    if not PeriodicTask.objects.filter(task="dashboards.tasks.refresh_dashboards").exists():
        call_command("migrate", "schedules", verbosity=0)  # another test's flush emptied the table
    return PeriodicTask.objects.select_related("crontab").get(task="dashboards.tasks.refresh_dashboards")


def post(client, entry, **values):
    data = {"entry": entry.pk, **{f"e{entry.pk}-{k}": v for k, v in values.items()}}
    return client.post(reverse("schedules:periodic"), data)


def test_the_office_sets_every_n_minutes_and_a_time_of_day(people, client_for, entry):
    client = client_for(people.office)
    assert entry.crontab.minute == "*/5" and "*/5" in client.get(reverse("schedules:periodic")).content.decode()
    post(client, entry, minute="*/10", hour="*", day_of_month="*", month_of_year="*", enabled="on")
    entry.refresh_from_db()
    assert (entry.crontab.minute, entry.crontab.hour, entry.enabled) == ("*/10", "*", True)
    post(client, entry, minute="15", hour="7", day_of_month="*", month_of_year="*")
    entry.refresh_from_db()
    assert (entry.crontab.minute, entry.crontab.hour, entry.enabled) == ("15", "7", False)


@pytest.mark.parametrize("minute, hour", [("*/0", "*"), ("*/x", "*"), ("60", "1"), ("*/５", "*"), ("1", "24"), ("-1", "1")])
def test_a_wrong_field_is_refused_in_chinese_and_changes_nothing(people, client_for, entry, minute, hour):
    before = (entry.crontab_id, entry.enabled)
    response = post(client_for(people.office), entry, minute=minute, hour=hour, day_of_month="*", month_of_year="*")
    assert response.status_code == 200 and "请填写 *、*/n 或" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.crontab_id, entry.enabled) == before


@pytest.mark.parametrize("persona", ["staff_a", "head_a", "director", "leader_a"])
def test_only_the_office_changes_a_schedule(people, client_for, entry, persona):
    response = post(client_for(getattr(people, persona)), entry, minute="1", hour="1", day_of_month="*",
                    month_of_year="*", enabled="on")
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.crontab.minute == "*/5"
