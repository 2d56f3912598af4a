"""Control plans and their measures, measure progress, evidence, and the yearly round."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notices.models import NoticeKind
from notices.services import notification_send
from org.choices import Role
from org.files import files_store
from org.models import Unit, User
from org.scoping import office_bureau, subtree_q
from review.choices import Status
from review.services import WorkflowError, children_sync, review_begin_edit, review_finish_edit
from review.workflow import EDITOR, OFFICE
from riskpoints.choices import CarryDecision
from riskpoints.models import RiskPoint, Round
from riskpoints.services import risk_code_next

from .choices import DEFAULT_ANSWERING, KINDS_FOR_RISK, LAYER_FIELDS, Layer, MeasureKind, MeasureState
from .models import ControlPlan, Evidence, Measure, ResponsibilityRule

MEASURE_FIELDS = ("kind", "content", "responsible", "supervisor", "due_date")


# --- 分级负责 ---------------------------------------------------------------------------------

def responsibility_rules(bureau):
    """{level: Layer}: which layer answers for a risk of each level, with the defaults where unset."""
    rules = dict(DEFAULT_ANSWERING)
    rules.update((level, Layer(layer)) for level, layer in
                 ResponsibilityRule.objects.filter(bureau=bureau).values_list("level", "answering"))
    return rules


def responsibility_rules_save(*, actor, rules):
    """The office sets, per level, which layer answers for the risk ({level: Layer})."""
    bureau = office_bureau(actor, _("只有防控办可以修改分级负责规则。"))
    if any(layer not in Layer.values for layer in rules.values()):
        raise ValidationError(_("无效的责任层级。"))
    with transaction.atomic():
        for level, layer in rules.items():
            rule, _created = ResponsibilityRule.objects.get_or_create(
                bureau=bureau, level=level, defaults={"answering": layer})
            if rule.answering != layer:
                rule.answering = layer
                rule._history_user = actor
                rule.save()


# Who may be named in each layer, and the rule said in the words a refusal uses.
LAYER_RULES = {
    Layer.DIRECT: gettext_lazy("直接责任人须为该岗位的在岗人员或本单位工作人员"),
    Layer.DEPARTMENT: gettext_lazy("部门责任人须为本单位负责人（中队的风险点也可由所属大队负责人担任）"),
    Layer.LEADER: gettext_lazy("责任领导须为分管本单位的局领导"),
}


def _has_role(role):
    return Exists(User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=role))


def layer_eligible_q(layer, risk):
    """A condition on users: who may be named as ``layer`` for ``risk`` (one definition, used
    to check a choice and to list the eligible people first)."""
    unit = risk.unit
    if layer == Layer.DIRECT:
        return Q(unit_id=unit.pk) | (Q(post_id=risk.post_id) if risk.post_id else Q(pk__in=[]))
    if layer == Layer.DEPARTMENT:
        return Q(unit_id__in=[u for u in (unit.pk, unit.parent_id) if u]) & Q(_has_role(Role.UNIT_HEAD))
    ancestors = [unit.pk, unit.parent_id, unit.parent.parent_id if unit.parent_id else None]
    oversees = Exists(User.oversees.through.objects.filter(
        user_id=OuterRef("pk"), unit_id__in=[u for u in ancestors if u]))
    return Q(_has_role(Role.LEADER)) & Q(oversees)


def bureau_people(risk):
    """Active people of the risk's bureau: everyone who may be named at all."""
    return User.objects.filter(is_active=True, unit__in=Unit.objects.filter(subtree_q([risk.unit.bureau.pk])))


def layer_candidates(layer, risk):
    """The bureau's people with those eligible for ``layer`` first (``eligible`` annotated)."""
    return (bureau_people(risk).select_related("unit")
            .annotate(eligible=Case(When(layer_eligible_q(layer, risk), then=Value(1)), default=Value(0),
                                    output_field=IntegerField()))
            .order_by("-eligible", "unit__order", "username"))


def layer_refusal(layer, user, risk):
    """Why ``user`` cannot be named as ``layer`` for ``risk``, or ``None``."""
    if user is None:
        return None
    if not bureau_people(risk).filter(pk=user.pk).filter(layer_eligible_q(layer, risk)).exists():
        return _("%(rule)s，%(user)s 不符合。") % {"rule": LAYER_RULES[layer], "user": user.display_name}
    return None


def layers_refusals(risk, layers, rules=None):
    """Every reason the three layers ``{Layer: user or None}`` do not satisfy 分级负责."""
    answering = (rules or responsibility_rules(risk.unit.bureau))[risk.level]
    errors = []
    if layers.get(answering) is None:
        errors.append(_("%(level)s风险由%(layer)s负责，请填写%(layer)s。") % {
            "level": risk.get_level_display(), "layer": answering.label})
    errors += [msg for layer in Layer if (msg := layer_refusal(layer, layers.get(layer), risk))]
    return errors


def layers_default(risk, measures=()):
    """Who would normally stand in each layer: the post's holder (else a measure's responsible
    person of the unit), the unit's head, the leader overseeing the unit — each only if eligible.
    People already named on the measures are preferred."""
    named = [m[k] for m in measures for k in ("responsible", "supervisor") if m.get(k) is not None]
    found = {}
    for layer in Layer:
        eligible = bureau_people(risk).filter(layer_eligible_q(layer, risk))
        on_measures = [u for u in named if eligible.filter(pk=u.pk).exists()]
        if layer == Layer.DIRECT and risk.post_id:
            found[layer] = eligible.filter(post_id=risk.post_id).order_by("username").first() or \
                (on_measures[0] if on_measures else None)
        elif on_measures:
            found[layer] = on_measures[0]
        elif layer == Layer.DIRECT:
            found[layer] = None  # without a post nobody is the obvious direct person
        elif layer == Layer.DEPARTMENT:
            found[layer] = eligible.filter(unit_id=risk.unit_id).order_by("username").first() or \
                eligible.order_by("username").first()
        else:
            found[layer] = eligible.order_by("username").first()
    return found


def responsible_refusal(user, risk, rules=None):
    """Why ``user`` cannot carry out a measure of ``risk``, or ``None``: anyone of the bureau may."""
    bureau = risk.unit.bureau
    if user.unit_id is None or user.unit.bureau.pk != bureau.pk:
        return _("%(user)s 不是本局人员。") % {"user": user.display_name}
    return None


def measure_kind_warning(risk, kinds):
    """A warning (never a refusal) when none of a plan's measures is of a kind that meets the
    risk's kind (§三(二)4: 岗位职责 → 分权、示权、控权; 业务流程 → 流程优化; 制度机制 → 制度建设)."""
    expected = KINDS_FOR_RISK.get(risk.kind, ())
    if not expected or not kinds or set(kinds) & set(expected):
        return None
    return _("%(kind)s方面的风险点，工作方案要求通过%(expected)s等方式防控；本方案还没有这类措施，请确认。") % {
        "kind": risk.get_kind_display(), "expected": "、".join(str(MeasureKind(k).label) for k in expected)}


# --- the plan -----------------------------------------------------------------------------------

def plan_save(*, risk, actor, lock_version, measures, monitoring="", layers=None):
    """Create or change the control plan of ``risk``: its three layers, its measures' content
    and people.

    Part of the risk point's content: same scope, lock and revision rules as editing the risk
    point. ``layers`` ({Layer: user or None}) name who answers for the risk; without it, the
    plan keeps its layers and fills empty ones with ``layers_default``. The layer the level
    requires must be named and everyone named must be eligible (分级负责).
    """
    if not measures:
        raise ValidationError(_("防控方案至少要有一条措施。"))
    with transaction.atomic():
        locked = review_begin_edit(item=risk, actor=actor, lock_version=lock_version)
        plan = ControlPlan.objects.filter(risk_point=locked).first() or ControlPlan(risk_point=locked)
        if layers is None:
            defaults = layers_default(locked, measures)
            layers = {layer: plan.layer_person(layer) if getattr(plan, LAYER_FIELDS[layer] + "_id") else defaults[layer]
                      for layer in Layer}
        errors = layers_refusals(locked, layers)
        errors += [f"{_('第 %(n)d 条措施') % {'n': i}}：{msg}" for i, m in enumerate(measures, start=1)
                   if (msg := responsible_refusal(m["responsible"], locked))]
        if errors:
            raise ValidationError(errors)
        changed = plan.pk is None or plan.monitoring != monitoring or any(
            getattr(plan, LAYER_FIELDS[layer] + "_id") != (layers.get(layer).pk if layers.get(layer) else None)
            for layer in Layer)
        if changed:
            plan.monitoring = monitoring
            for layer in Layer:
                setattr(plan, LAYER_FIELDS[layer], layers.get(layer))
            plan._history_user = actor
            plan.save()
        children_sync(parent=plan, manager=plan.measures, rows=measures, fields=MEASURE_FIELDS, actor=actor)
        review_finish_edit(item=locked, actor=actor)
    return plan


def plan_acceptance_problems(risk):
    """Guard on the office's acceptance: a complete plan that follows 分级负责."""
    plan = ControlPlan.objects.filter(risk_point=risk).select_related(*LAYER_FIELDS.values()).first()
    measures = list(plan.measures.select_related("responsible__unit") if plan else [])
    if not measures:
        return [_("尚未制定防控措施：有一个风险点就要有一套完整的对应防控措施")]
    problems = layers_refusals(risk, dict(plan.layers))
    return problems + [msg for m in measures if (msg := responsible_refusal(m.responsible, risk))]


def plan_snapshot(risk):
    plan = ControlPlan.objects.filter(risk_point=risk).select_related(*LAYER_FIELDS.values()).first()
    if plan is None:
        return None
    answering = responsibility_rules(risk.unit.bureau)[risk.level]
    return {
        "monitoring": plan.monitoring,
        "answering": answering.value, "answering_label": str(answering.label),
        "layers": [{"layer": layer.value, "label": str(layer.label), "name": user.display_name if user else "",
                    "title": user.title if user else ""} for layer, user in plan.layers],
        "measures": [
            {"kind": m.kind, "kind_label": str(m.get_kind_display()), "content": m.content,
             "responsible": m.responsible.display_name, "responsible_title": m.responsible.title,
             "supervisor": m.supervisor.display_name if m.supervisor_id else "",
             "due_date": m.due_date.isoformat()}
            for m in plan.measures.select_related("responsible", "supervisor")
        ],
    }


# --- carrying out the measures ------------------------------------------------------------------

def measure_progress(*, measure, actor, state):
    """Record how a measure is carried out. The unit and the responsible person report;
    only the supervisor or the office may find a measure effective."""
    risk = measure.plan.risk_point
    reporter = EDITOR.covers(actor, risk.unit_id) or measure.responsible_id == actor.pk
    assessor = measure.supervisor_id == actor.pk or OFFICE.covers(actor, risk.unit_id)
    if state not in MeasureState.values:
        raise ValidationError(_("无效的落实情况。"))
    if state == MeasureState.EFFECTIVE and not assessor:
        raise PermissionDenied(_("只有监督人或防控办可以评估措施有效。"))
    if not (reporter or assessor):
        raise PermissionDenied(_("您不能填报这条措施的落实情况。"))
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        locked.state = state
        locked._history_user = actor
        locked.save()
    return locked


def evidence_add(*, measure, actor, upload):
    risk = measure.plan.risk_point
    if not (EDITOR.covers(actor, risk.unit_id) or measure.responsible_id == actor.pk):
        raise PermissionDenied(_("您不能为这条措施上传佐证材料。"))
    return files_store(Evidence, "measure", measure, actor, [upload])[0]


# --- the yearly round ---------------------------------------------------------------------------

def round_open(*, actor, year):
    """Open ``year``'s round: last round's accepted and published risk points, with their
    plans, are carried over as drafts to be confirmed (unchanged / changed / retired)."""
    bureau = office_bureau(actor, _("只有防控办可以开启新年度。"))
    with transaction.atomic():
        previous = Round.objects.filter(bureau=bureau).order_by("-year").first()
        if previous and year <= previous.year:
            raise WorkflowError(_("%(year)s 年度已开启或早于当前年度。") % {"year": year})
        new = Round.objects.create(bureau=bureau, year=year, opened_by=actor)
        if previous is None:
            return new, 0
        carried = 0
        old_risks = (
            RiskPoint.objects.filter(round=previous, status__in=[Status.ACCEPTED, Status.PUBLISHED])
            .exclude(carry_decision=CarryDecision.RETIRED)
            .select_related("unit", "plan").order_by("code")
        )
        for old in old_risks:
            copy = RiskPoint(
                round=new, code=risk_code_next(new, old.unit), previous=old, carry_decision=CarryDecision.PENDING,
                created_by=actor, **{f.name: getattr(old, f.name) for f in RiskPoint._meta.fields if f.name in _CARRIED},
            )
            copy._history_user = actor
            copy._change_reason = _("从 %(year)s 年度结转") % {"year": previous.year}
            copy.save()
            old_plan = getattr(old, "plan", None)
            if old_plan is not None:
                plan = ControlPlan.objects.create(risk_point=copy, monitoring=old_plan.monitoring,
                                                  **{f: getattr(old_plan, f) for f in LAYER_FIELDS.values()})
                for m in old_plan.measures.all():
                    Measure.objects.create(
                        plan=plan, kind=m.kind, content=m.content, responsible_id=m.responsible_id,
                        supervisor_id=m.supervisor_id, order=m.order, due_date=_next_year(m.due_date))
            carried += 1
        _notify_carried(new, previous)
    return new, carried


def _notify_carried(new, previous):
    """Tell each unit's staff and head that last year's risk points wait for their confirmation."""
    counts = RiskPoint.objects.filter(round=new, carry_decision=CarryDecision.PENDING).values("unit_id").annotate(n=Count("pk"))
    url = reverse("riskpoints:list") + "?carry=pending"
    for row in counts:
        people = User.objects.filter(is_active=True, unit_id=row["unit_id"], groups__name__in=[Role.STAFF, Role.UNIT_HEAD]).distinct()
        for person in people:
            notification_send(
                recipient=person, kind=NoticeKind.ASSIGNED, url=url, key=f"carry:{new.pk}:{person.pk}",
                subject=_("%(year)s 年度已开启：本单位 %(n)s 个风险点从 %(last)s 年度结转，请逐项确认") % {
                    "year": new.year, "n": row["n"], "last": previous.year})


_CARRIED = {"unit", "post", "power", "step", "finding_level", "kind", "found_by", "title", "description",
            "importance", "discretion", "probability", "harm", "suggested_level", "level", "level_reason"}


def _next_year(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + datetime.timedelta(days=365)
