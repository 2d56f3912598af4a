"""Creating and editing power items. Workflow steps go through ``review.services``."""

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from review.services import WorkflowError, children_sync, review_begin_edit, review_create, review_finish_edit

from .flows import flow_problems, has_cycle
from .limits import limit_errors
from .models import CATALOGUE_FIELDS, FlowEdge, FlowStep, PowerItem, flow_data

BASIC_FIELDS = ("code", "category", "name", "sub_item", "content", "unit", "has_discretion")
# Callers that do not know the catalogue columns (older scripts) leave them as they are.
POWER_FIELDS = (*BASIC_FIELDS, *CATALOGUE_FIELDS)
LEGAL_BASIS_FIELDS = ("law_name", "article", "text")


def _check_limits(power):
    for error in limit_errors(statutory=power.statutory_days, promised=power.promised_days):
        raise WorkflowError(error)


def power_create(*, actor, data, legal_bases):
    """Create a power item as a draft of ``actor``'s unit scope, with its legal bases."""
    power = PowerItem(created_by=actor, **{f: data[f] for f in POWER_FIELDS if f in BASIC_FIELDS or f in data})
    _check_limits(power)
    with transaction.atomic():
        review_create(item=power, actor=actor)
        power.posts.set(data.get("posts", []))
        children_sync(parent=power, manager=power.legal_bases, rows=legal_bases, fields=LEGAL_BASIS_FIELDS, actor=actor)
    return power


def power_update(*, power, actor, lock_version, data, legal_bases):
    """Save an edit of ``power``; refused when stale, not editable now, or moved out of scope."""
    with transaction.atomic():
        locked = review_begin_edit(item=power, actor=actor, lock_version=lock_version)
        for field in POWER_FIELDS:
            if field in BASIC_FIELDS or field in data:
                setattr(locked, field, data[field])
        _check_limits(locked)
        review_finish_edit(item=locked, actor=actor)
        locked.posts.set(data.get("posts", []))
        children_sync(parent=locked, manager=locked.legal_bases, rows=legal_bases, fields=LEGAL_BASIS_FIELDS, actor=actor)
    return locked



# --- the process flow -------------------------------------------------------------------------
# Every flow edit is an edit of its power: same scope and state checks, same optimistic lock,
# and editing a published power's flow starts its next revision.

STEP_FIELDS = ("name", "handler_unit", "handler_post", "handler_text", "conditions", "procedure",
               "immediate", "time_limit_days", "promised_days", "party_rights", "supervision", "note")


def _flow_edit(power, actor, lock_version, change):
    with transaction.atomic():
        locked = review_begin_edit(item=power, actor=actor, lock_version=lock_version)
        result = change(locked)
        review_finish_edit(item=locked, actor=actor)
    return result


def _save_child(obj, actor):
    obj._history_user = actor
    obj.save()
    return obj


def flow_step_save(*, power, actor, lock_version, data, step=None, after=None, label=""):
    """Add a step at the end of the flow, or change ``step``.

    A new step is joined after ``after`` (the editor proposes the last step, so a straight flow
    is drawn without a single manual link); ``after=None`` adds it unlinked. A new step has no
    outgoing link yet, so joining it can never close a loop.
    """
    def change(locked):
        target = step or FlowStep(power=locked, order=(locked.steps.aggregate(m=Max("order"))["m"] or 0) + 1)
        if target.power_id != locked.pk or (after is not None and after.power_id != locked.pk):
            raise WorkflowError(_("该环节不属于这个职权的流程。"))
        if step is not None and after is not None:
            raise WorkflowError(_("修改环节时请在“连线”中调整它的前后环节。"))
        for field in STEP_FIELDS:
            setattr(target, field, data.get(field, getattr(target, field)))
        for error in limit_errors(statutory=target.time_limit_days, promised=target.promised_days):
            raise WorkflowError(error)
        saved = _save_child(target, actor)
        if after is not None:
            _save_child(FlowEdge(power=locked, source=after, target=saved, label=label.strip()), actor)
        return saved

    return _flow_edit(power, actor, lock_version, change)


def flow_step_delete(*, power, actor, lock_version, step):
    """Remove a step and the links to and from it."""
    def change(locked):
        if step.power_id != locked.pk:
            raise WorkflowError(_("该环节不属于这个职权的流程。"))
        for edge in FlowEdge.objects.filter(Q(source=step) | Q(target=step)):
            edge._history_user = actor
            edge.delete()
        step._history_user = actor
        step.delete()

    return _flow_edit(power, actor, lock_version, change)


def flow_step_move(*, power, actor, lock_version, step, offset):
    """Move a step up (-1) or down (+1) in the list; the drawing follows the links."""
    def change(locked):
        ordered = list(locked.steps.order_by("order", "pk"))
        index = next(i for i, s in enumerate(ordered) if s.pk == step.pk)
        other = index + offset
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, s in enumerate(ordered, start=1):
            if s.order != position:
                s.order = position
                _save_child(s, actor)

    return _flow_edit(power, actor, lock_version, change)


def flow_edge_add(*, power, actor, lock_version, source, target, label=""):
    """Link two steps of the same flow; refuses links to other flows, duplicates and loops."""
    def change(locked):
        if source.power_id != locked.pk or target.power_id != locked.pk:
            raise WorkflowError(_("只能连接本职权流程中的环节（“%(step)s”不属于本流程）。") % {
                "step": source if source.power_id != locked.pk else target})
        if source.pk == target.pk:
            raise WorkflowError(_("环节“%(step)s”不能连向自己。") % {"step": source})
        if locked.edges.filter(source=source, target=target).exists():
            raise WorkflowError(_("“%(a)s”到“%(b)s”的连线已经存在。") % {"a": source, "b": target})
        data = flow_data(locked)
        data["edges"].append({"source": source.pk, "target": target.pk, "label": label,
                              "source_power": locked.pk, "target_power": locked.pk})
        if has_cycle(data):
            raise WorkflowError(_("从“%(a)s”连到“%(b)s”会形成回路。流程图不允许回路，补正等情形请画成向前的分支。") % {"a": source, "b": target})
        return _save_child(FlowEdge(power=locked, source=source, target=target, label=label.strip()), actor)

    return _flow_edit(power, actor, lock_version, change)


def flow_edge_delete(*, power, actor, lock_version, edge):
    def change(locked):
        if edge.power_id != locked.pk:
            raise WorkflowError(_("该连线不属于这个职权的流程。"))
        edge._history_user = actor
        edge.delete()

    return _flow_edit(power, actor, lock_version, change)


def flow_replace(*, power, actor, lock_version, steps, edges):
    """Replace the whole flow at once (demo data, imports): ``steps`` are dicts of
    ``STEP_FIELDS`` plus a ``key``; ``edges`` are (source key, target key, label) tuples.

    The new flow must satisfy every rule of ``flows.flow_problems``; otherwise nothing changes.
    """
    def change(locked):
        for old in list(locked.edges.all()) + list(locked.steps.all()):
            old._history_user = actor
            old.delete()
        by_key = {}
        for order, row in enumerate(steps, start=1):
            step = FlowStep(power=locked, order=order, **{f: row[f] for f in STEP_FIELDS if f in row})
            by_key[row["key"]] = _save_child(step, actor)
        for source, target, label in edges:
            _save_child(FlowEdge(power=locked, source=by_key[source], target=by_key[target], label=label), actor)
        problems = flow_problems(flow_data(locked))
        if problems:
            raise WorkflowError("；".join(problems))

    return _flow_edit(power, actor, lock_version, change)
