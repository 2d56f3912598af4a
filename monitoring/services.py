import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import RiskInformation


def information_record(*, bureau, channel, content, contact="", source_key="", recorded_by=None,
                       concerns_unit=None, concerns_power=None, concerns_risk=None):
    """Register one piece of risk information under a fresh, unguessable reference number."""
    today = timezone.localdate()
    for _attempt in range(5):
        reference = f"XX{today:%Y%m%d}{secrets.randbelow(10**6):06d}"
        try:
            with transaction.atomic():
                return RiskInformation.objects.create(
                    bureau=bureau, reference=reference, channel=channel, received_on=today, content=content,
                    contact=contact, source_key=source_key, recorded_by=recorded_by, concerns_unit=concerns_unit,
                    concerns_power=concerns_power, concerns_risk=concerns_risk,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a reference number")
