"""The control measures' due dates, declared to the reminder run (``schedules.registry``), and
the per-unit completion of the programme's phases that the registers below show."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from powers.models import PowerItem
from review.choices import Status
from riskpoints.choices import CarryDecision
from riskpoints.models import RiskPoint
from riskpoints.selectors import unit_risks_in_force
from schedules.choices import PhaseCode
from schedules.people import EscalationChains
from schedules.registry import Deadline, add_deadline_source, add_phase_progress, read_rows, set_inspection_rows
from schedules.selectors import rollup

from .choices import MeasureState
from .models import Measure

OPEN_STATES = (MeasureState.PLANNED, MeasureState.IMPROVE)


def measure_deadlines(until, user=None):
    """Measures not yet carried out, of risk points still current (not carried over into a
    newer round, not retired), due on or before ``until``; the responsible person is reminded,
    the unit head, the leader in charge and the office are told when overdue."""
    qs = (
        Measure.objects.filter(state__in=OPEN_STATES, due_date__lte=until, plan__risk_point__carried_into__isnull=True)
        .exclude(plan__risk_point__carry_decision=CarryDecision.RETIRED)
        .select_related("responsible", "plan__risk_point__unit__parent__parent")
        .order_by("due_date", "pk")
    )
    if user is not None:
        qs = qs.filter(responsible=user)
    chains = EscalationChains()
    for m in read_rows(qs, user):
        risk = m.plan.risk_point
        yield Deadline(
            object_key=f"measure:{m.pk}", title=f"{risk.title}：{m.content[:40]}", due_date=m.due_date,
            url=risk.get_absolute_url(), bureau_id=risk.unit.bureau.pk, responsible=(m.responsible,),
            escalation=chains(risk.unit) if user is None else (), level=risk.level, unit_name=risk.unit.name,
        )


add_deadline_source("controls.measure", label=_("防控措施"), items=measure_deadlines)


# --- per-unit completion of the programme's phases, from the registers ---------------------------

def _figures(qs, done_q, units):
    from django.db.models import Count

    rows = qs.values("unit_id", "unit__parent_id").annotate(done=Count("pk", filter=done_q), total=Count("pk"))
    return rollup(units, [(r["unit_id"], r["unit__parent_id"], r["done"], r["total"]) for r in rows])


def powers_progress(phase, units):
    """清权确权: the unit's powers accepted (or published) by the office, of all its powers."""
    return _figures(PowerItem.objects.filter(unit__in=_subtree(units)),
                    Q(status__in=[Status.ACCEPTED, Status.PUBLISHED]), units)


def _risks(phase, units):
    return RiskPoint.objects.filter(round__year=phase.year, round__bureau_id=phase.bureau_id, unit__in=_subtree(units)) \
        .exclude(carry_decision=CarryDecision.RETIRED)


def risks_progress(phase, units):
    """查找廉政风险点: the year's risk points sent into review, of all registered."""
    return _figures(_risks(phase, units), ~Q(status__in=[Status.DRAFT, Status.RETURNED]), units)


def publish_progress(phase, units):
    """公示廉政风险点: the year's risk points published."""
    return _figures(_risks(phase, units), Q(status=Status.PUBLISHED), units)


def measures_progress(phase, units):
    """制定防控措施: the year's risk points with at least one measure."""
    return _figures(_risks(phase, units), Q(plan__measures__isnull=False), units)


def _subtree(units):
    from org.models import Unit
    from org.scoping import subtree_q

    return Unit.objects.filter(subtree_q([u.pk for u in units])).values("pk")


add_phase_progress(PhaseCode.POWERS, powers_progress)
add_phase_progress(PhaseCode.RISKS, risks_progress)
add_phase_progress(PhaseCode.PUBLISH, publish_progress)
add_phase_progress(PhaseCode.MEASURES, measures_progress)


def inspection_rows(unit):
    """What the unit's yearly self-inspection goes through: each control measure of each of its
    risk points in force, in register order; a risk point without measures yet is one row."""
    risks = (unit_risks_in_force(unit).select_related("post", "plan")
             .prefetch_related("plan__measures").order_by("code"))
    for risk in risks:
        plan = getattr(risk, "plan", None)
        measures = list(plan.measures.all()) if plan is not None else []
        common = {"risk_point_id": risk.pk, "risk_code": risk.code, "risk_title": risk.title, "risk_level": risk.level,
                  "post_name": risk.post.name if risk.post_id else ""}
        if not measures:
            yield {**common, "measure_id": None, "measure_kind": "", "measure_text": ""}
        for m in measures:
            yield {**common, "measure_id": m.pk, "measure_kind": str(m.get_kind_display()), "measure_text": m.content}


set_inspection_rows(inspection_rows)
