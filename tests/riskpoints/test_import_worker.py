"""An import on a real Celery worker through the Redis of REDIS_URL: the file is read back from
the shared storage by another thread of execution, and the page reports the outcome."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from riskpoints.choices import ImportState
from riskpoints.models import RegisterImport, RiskPoint, Round
from riskpoints.xlsx import register_import_start
from tests.factories import PostFactory
from tests.riskpoints.test_import import row, workbook_bytes
from tests.waiting import refreshed_until

# Registering needs the year the office opened.
pytestmark = pytest.mark.usefixtures("open_year")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_the_uploaded_sheet(real_worker, people, bureau):
    Round.objects.get_or_create(bureau=bureau.ju, year=timezone.localdate().year)
    PostFactory(unit=bureau.a, name="巡查员")
    data = workbook_bytes(*[row(风险点=f"第{i}个") for i in range(30)])
    job = register_import_start(actor=people.staff_a, file=SimpleUploadedFile("登记表.xlsx", data))
    refreshed_until(job, lambda j: j.finished, 60)
    assert (job.state, job.created_count) == (ImportState.DONE, 30), job.errors
    assert RiskPoint.objects.count() == 30 and not RegisterImport.objects.get().file
