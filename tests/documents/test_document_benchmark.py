"""The document benchmark seeds its rows, builds the longest documents and leaves nothing behind."""

from io import StringIO

from django.core.management import call_command

from org.models import Unit
from riskpoints.models import RiskPoint


def test_the_document_benchmark_prints_its_figures_and_rolls_back(db):
    out = StringIO()
    call_command("document_benchmark", risks=40, units=2, stdout=out)
    text = out.getvalue()
    assert "risks (40 items):" in text and "archive (all 2 units):" in text and "peak RSS" in text, text
    assert not RiskPoint.objects.exists() and not Unit.objects.filter(code="BENCH").exists()
