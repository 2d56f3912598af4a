"""The year has one definition: the round the office opened last. Registering never opens one."""

import pytest
from django.urls import reverse

from controls.services import round_open
from riskpoints.choices import ImportState
from riskpoints.models import RegisterImport, RiskPoint, Round
from riskpoints.selectors import current_round
from riskpoints.services import risk_create
from riskpoints.tasks import run_register_import
from review.services import WorkflowError
from tests.factories import PostFactory, RoundFactory
from tests.riskpoints.test_import import row, sheet

NO_ROUND = "防控办"


def data(bureau, **over):
    return {"unit": bureau.a, "kind": "system", "finding_level": "department", "found_by": "self",
            "title": "审核走过场", "description": "审核不到位。", "importance": 2, "discretion": 2,
            "probability": 2, "harm": 2, "level": 2, **over}


def test_registration_without_an_open_round_is_refused_and_opens_none(people, bureau):
    with pytest.raises(WorkflowError, match="尚未开启年度风险排查"):
        risk_create(actor=people.staff_a, data=data(bureau))
    assert not Round.objects.exists() and not RiskPoint.objects.exists()


def test_the_register_page_says_the_office_must_open_the_year(people, bureau, client_for):
    form = {**data(bureau), "unit": bureau.a.pk, "level_reason": ""}
    response = client_for(people.staff_a).post(reverse("riskpoints:create"), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "尚未开启年度风险排查" in html and NO_ROUND in html
    assert not Round.objects.exists() and not RiskPoint.objects.exists()


def test_registration_goes_into_the_year_the_office_opened_last(people, bureau):
    RoundFactory(bureau=bureau.ju, year=2025)
    opened, _carried = round_open(actor=people.office, year=2031)
    risk = risk_create(actor=people.staff_a, data=data(bureau))
    assert risk.round == opened and risk.code.startswith("2031-A-")
    assert current_round(people.staff_a) == opened  # the lists show the same year
    assert Round.objects.count() == 2


def test_an_import_without_an_open_round_is_refused_with_the_message(people, bureau, client_for,
                                                                     django_capture_on_commit_callbacks):
    PostFactory(unit=bureau.a, name="巡查员")
    client_for(people.staff_a).post(reverse("riskpoints:import"), {"file": sheet(row())})
    job = RegisterImport.objects.get()
    assert run_register_import(job.pk) == ImportState.REFUSED
    job.refresh_from_db()
    assert "尚未开启年度风险排查" in str(job.errors)
    assert not Round.objects.exists() and not RiskPoint.objects.exists()
