"""List pages: a constant number of queries, and every list exports what it shows."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from supervision.services import filing_create, matter_create

from .conftest import MONDAY, case

LIMIT = MONDAY + datetime.timedelta(days=7)


def add_filings(people, power, n, start=0):
    for i in range(start, start + n):
        data, done = case(power, number=f"L-{i}", decided=LIMIT + datetime.timedelta(days=i % 2), closed=LIMIT + datetime.timedelta(days=1))
        filing_create(actor=people.staff_a, power=power, data=data, done=done)


def add_matters(people, bureau, n):
    for i in range(n):
        matter_create(actor=people.staff_a, members=[], data={
            "unit": bureau.a, "kind": "funds", "subject": f"资金{i}", "amount": Decimal("900000"), "meeting": "",
            "meeting_date": None, "agenda": "", "consulted": True, "legal_reviewed": False, "decision": "同意",
            "decided_on": MONDAY})


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["supervision:filing_list", "supervision:filing_stats", "supervision:matter_list",
                                  "supervision:key_powers"])
def test_list_pages_issue_a_constant_number_of_queries(people, bureau, key_power, client_for, name):
    client = client_for(people.office)
    add_filings(people, key_power, 2)
    add_matters(people, bureau, 2)
    few = count(client, reverse(name))
    add_filings(people, key_power, 6, start=2)
    add_matters(people, bureau, 6)
    assert count(client, reverse(name)) == few


def test_the_filing_list_exports_what_it_shows(people, key_power, client_for):
    add_filings(people, key_power, 4)
    client = client_for(people.staff_a)
    rows = list(load_workbook(BytesIO(client.get(reverse("supervision:filing_list"), {"light": "red", "format": "xlsx"}).content)).active.values)
    assert sorted(r[0] for r in rows[1:]) == ["L-1", "L-3"]
    assert all(r[-1] == "红牌" for r in rows[1:])


def test_the_matter_and_key_power_lists_export(people, bureau, key_power, client_for):
    add_matters(people, bureau, 2)
    client = client_for(people.office)
    rows = list(load_workbook(BytesIO(client.get(reverse("supervision:matter_list"), {"format": "xlsx"}).content)).active.values)
    assert len(rows) == 3 and rows[1][-1] == 1
    rows = list(load_workbook(BytesIO(client.get(reverse("supervision:key_powers"), {"format": "xlsx"}).content)).active.values)
    assert rows[1][0] == key_power.code


def test_the_statistics_show_on_time_rates_and_the_spread_of_fines(people, key_power, client_for):
    add_filings(people, key_power, 4)
    page = client_for(people.office).get(reverse("supervision:filing_stats")).content.decode()
    assert "50.0%" in page  # two of four late
    assert "60000" in page and "6.00%–6.00%" in page


def upload(rows, header):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "filings.xlsx"
    return out
