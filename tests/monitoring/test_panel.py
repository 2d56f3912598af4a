"""The dashboard's 监督预警 panel: every figure is the number of rows of the list it links to."""

import datetime

from django.utils import timezone

from dashboards.selection import Selection
from monitoring.handling import warning_issue
from monitoring.models import RiskWarning
from monitoring.panels import monitoring_panel
from monitoring.services import information_record


def rows_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def test_each_figure_is_the_rows_of_its_list(bureau, people, client_for):
    today = timezone.localdate()
    for channel, unit in (("petition", bureau.a), ("petition", bureau.b), ("audit", bureau.a), ("case", bureau.a)):
        information_record(bureau=bureau.ju, channel=channel, content="反映", concerns_unit=unit)
    information_record(bureau=bureau.ju, channel="survey", content="很久以前", concerns_unit=bureau.a,
                       received_on=today - datetime.timedelta(days=800))
    warning_issue(actor=people.office, method="criticism", nature="sign", person=people.staff_a, reason="事由")
    late = warning_issue(actor=people.office, method="rectify", nature="sign", unit=bureau.a, reason="事由",
                         requirement="整改", deadline=today + datetime.timedelta(days=1))
    RiskWarning.objects.filter(pk=late.pk).update(deadline=today - datetime.timedelta(days=3))
    warning_issue(actor=people.office, method="rectify", nature="sign", unit=bureau.b, reason="事由",
                  requirement="整改", deadline=today + datetime.timedelta(days=9))

    for user, received in ((people.office, 4), (people.leader_a, 3)):
        client = client_for(user)
        panel = monitoring_panel(user, Selection(user))
        assert panel["received"] == received == rows_of(client, panel["received_url"])
        for _label, n, url in panel["channels"] + panel["methods"] + panel["open"]:
            assert n == rows_of(client, url), url
    office = monitoring_panel(people.office, Selection(people.office))
    assert [n for _l, n, _u in office["open"]] == [5, 3, 1]
    assert dict((label, n) for label, n, _u in office["channels"])["信访举报投诉"] == 2


def test_the_panel_is_on_the_dashboards_of_those_who_read_across_units(people, client_for):
    assert "发出的预警（按处置方式）" in client_for(people.director).get("/").content.decode()
    assert "发出的预警（按处置方式）" not in client_for(people.staff_a).get("/").content.decode()
