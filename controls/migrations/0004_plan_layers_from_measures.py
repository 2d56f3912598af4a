"""Existing data under the three-layer rule.

- Each bureau's old rule (who must be every measure's responsible person) becomes the layer
  that answers for the level: 局领导 → 责任领导, 单位负责人 → 部门责任人, 岗位责任人 → 直接责任人;
  不限 falls back to the level's default.
- Each existing plan gets its three layers: a person already named on its measures (as
  responsible or supervisor) who is eligible for a layer stands in it; otherwise the post's
  holder, the unit's head and the leader overseeing the unit, as the plan form suggests.
"""

from django.db import migrations

OLD_TO_LAYER = {"bureau_leader": "leader", "unit_head": "department", "post_holder": "direct"}
DEFAULT_ANSWERING = {1: "leader", 2: "department", 3: "direct"}


def rules_forward(apps, schema_editor):
    Rule = apps.get_model("controls", "ResponsibilityRule")
    for rule in Rule.objects.all():
        rule.answering = OLD_TO_LAYER.get(rule.responsible, DEFAULT_ANSWERING[rule.level])
        rule.save(update_fields=["answering"])


def layers_forward(apps, schema_editor):
    ControlPlan = apps.get_model("controls", "ControlPlan")
    User = apps.get_model("org", "User")

    def has_role(user, role):
        return user.groups.filter(name=role).exists()

    plans = ControlPlan.objects.select_related("risk_point__unit__parent", "risk_point__post")
    for plan in plans:
        risk = plan.risk_point
        unit = risk.unit
        ancestors = [u for u in (unit.pk, unit.parent_id, unit.parent.parent_id if unit.parent_id else None) if u]
        eligible = {
            "direct": lambda u: u.unit_id == unit.pk or (risk.post_id is not None and u.post_id == risk.post_id),
            "department": lambda u: u.unit_id in (unit.pk, unit.parent_id) and has_role(u, "unit_head"),
            "leader": lambda u: has_role(u, "leader") and u.oversees.filter(pk__in=ancestors).exists(),
        }
        named = []
        for measure in plan.measures.order_by("order", "pk").select_related("responsible", "supervisor"):
            named += [u for u in (measure.responsible, measure.supervisor) if u is not None and u.is_active]
        active = User.objects.filter(is_active=True).order_by("username")
        fallback = {
            "direct": lambda: active.filter(post_id=risk.post_id).first() if risk.post_id else None,
            "department": lambda: (active.filter(unit_id=unit.pk, groups__name="unit_head").first()
                                   or active.filter(unit_id=unit.parent_id, groups__name="unit_head").first()),
            "leader": lambda: active.filter(groups__name="leader", oversees__in=ancestors).distinct().first(),
        }
        changed = []
        for layer in ("direct", "department", "leader"):
            field = f"{layer}_responsible"
            if getattr(plan, f"{field}_id") is not None:
                continue
            holder = fallback["direct"]() if layer == "direct" else None
            person = holder or next((u for u in named if eligible[layer](u)), None) or fallback[layer]()
            if person is not None:
                setattr(plan, field, person)
                changed.append(field)
        if changed:
            plan.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("controls", "0003_plan_layers"), ("org", "0002_roles")]
    operations = [
        migrations.RunPython(rules_forward, migrations.RunPython.noop),
        migrations.RunPython(layers_forward, migrations.RunPython.noop),
    ]
