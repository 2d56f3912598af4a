"""Reads of measures with the user's scope."""

from django.db.models import Q
from django.utils import timezone

from riskpoints.choices import CarryDecision

from .choices import MeasureState
from .models import Measure

DONE_STATES = (MeasureState.DONE, MeasureState.EFFECTIVE)
OPEN_STATES = (MeasureState.PLANNED, MeasureState.IMPROVE)


def measures_for(user):
    """Measures of the risk points the user may see, without those of retired risk points."""
    return Measure.objects.for_user(user).exclude(plan__risk_point__carry_decision=CarryDecision.RETIRED)


def done_q():
    return Q(state__in=DONE_STATES)


def overdue_q(today=None):
    """Not carried out and past its due date: the one definition of an overdue measure."""
    return Q(state__in=OPEN_STATES, due_date__lt=today or timezone.localdate())
