"""What the public may see of a published item — decided here, field by field, and nowhere else.

A publication copies each item's frozen snapshot (its last published review record) through
these functions. Anything not named here never reaches a public page: no review comments, no
names of people (responsible persons, submitters, reporters), no evidence files, no internal
assessment notes, no user accounts.
"""

POWER_FIELDS = ("code", "category", "category_label", "name", "sub_item", "content", "has_discretion")
LEGAL_BASIS_FIELDS = ("law", "article", "text")
# Handlers are units and posts (positions), not persons; supervision channels are public by design.
FLOW_STEP_FIELDS = ("id", "name", "handler", "conditions", "procedure", "immediate", "days", "time_limit", "supervision")
FLOW_EDGE_FIELDS = ("source", "target", "label")

RISK_FIELDS = ("code", "year", "title", "description", "kind", "level", "level_label", "finding_level")
# Measures: what is done and by when; not who answers for it or who supervises.
MEASURE_FIELDS = ("kind_label", "content", "due_date")


def _pick(data, fields):
    return {f: data.get(f) for f in fields}


def public_power(snapshot):
    flow = snapshot.get("flow") or {"steps": [], "edges": []}
    return {
        **_pick(snapshot, POWER_FIELDS),
        "unit": snapshot["unit"]["name"],
        "posts": [p["name"] for p in snapshot.get("posts", [])],
        "legal_bases": [_pick(b, LEGAL_BASIS_FIELDS) for b in snapshot.get("legal_bases", [])],
        "flow": {
            "steps": [_pick(s, FLOW_STEP_FIELDS) for s in flow["steps"]],
            "edges": [_pick(e, FLOW_EDGE_FIELDS) for e in flow["edges"]],
        },
    }


def public_risk(snapshot):
    plan = snapshot.get("plan") or {"measures": []}
    return {
        **_pick(snapshot, RISK_FIELDS),
        "unit": snapshot["unit"]["name"],
        "post": (snapshot.get("post") or {}).get("name", ""),
        "power": {"code": snapshot["power"]["code"], "name": snapshot["power"]["name"]} if snapshot.get("power") else None,
        "step": (snapshot.get("step") or {}).get("name", ""),
        "measures": [_pick(m, MEASURE_FIELDS) for m in plan["measures"]],
    }
