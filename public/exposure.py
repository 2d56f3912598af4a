"""What the public may see of a published item — decided here, field by field, and nowhere else.

A publication copies each item's frozen snapshot (its last published review record) through
these functions. Anything not named here never reaches a public page: no review comments, no
names of people (responsible persons, submitters, reporters), no evidence files, no internal
assessment notes, no user accounts.

An item's snapshot also names the records it links to (a risk point names its power and flow
step), copied as they stood when the item was reviewed — possibly a draft. What the public sees
of a linked record therefore comes from that record's own published snapshot, passed in by the
caller, or does not appear at all.
"""

# The catalogue columns are all public, 备注 included: it is a column of the published 职权目录
# forms, and the power form says so (internal notes belong in review comments, which never show).
POWER_FIELDS = ("code", "category", "category_label", "name", "sub_item", "content", "has_discretion",
                "legal_body", "handling_body", "duties", "accountability", "statutory_days", "promised_days",
                "charges_fee", "fee_basis", "supervision_phone", "remarks")
LEGAL_BASIS_FIELDS = ("law", "article", "text")
# Handlers are units and posts (positions), not persons; supervision channels are public by design.
# A step's 备注 (note) stays internal.
FLOW_STEP_FIELDS = ("id", "name", "handler", "conditions", "procedure", "immediate", "days", "time_limit",
                    "promised_days", "promised_time_limit", "party_rights", "supervision")
FLOW_EDGE_FIELDS = ("source", "target", "label")
# A discretion benchmark (裁量基准) is published with its power, every column of it.
BENCHMARK_FIELDS = ("circumstance", "degree", "degree_label", "conditions", "penalty", "fine_basis", "fine_basis_label",
                    "fine_min", "fine_max", "legal_basis")

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
        "benchmark": [_pick(r, BENCHMARK_FIELDS) for r in snapshot.get("benchmark") or []],
    }


def public_power_ref(power_snapshot, step_id=None):
    """How a linked power (and one step of its flow) is named publicly: from the power's own
    published snapshot only. A step the published flow does not have is left out."""
    if not power_snapshot:
        return None, ""
    power = public_power(power_snapshot)
    title = power["name"] + (f"（{power['sub_item']}）" if power["sub_item"] else "")
    step = next((s["name"] for s in power["flow"]["steps"] if step_id is not None and s["id"] == step_id), "")
    return {"code": power["code"], "name": title}, step


def public_risk(snapshot, power_snapshot=None):
    """``power_snapshot`` is the published snapshot of the power the risk point sits on (None
    when that power has never been published): the risk's own copy of the power is not used."""
    plan = snapshot.get("plan") or {"measures": []}
    power, step = public_power_ref(power_snapshot, (snapshot.get("step") or {}).get("id"))
    return {
        **_pick(snapshot, RISK_FIELDS),
        "unit": snapshot["unit"]["name"],
        "post": (snapshot.get("post") or {}).get("name", ""),
        "power": power,
        "step": step,
        "measures": [_pick(m, MEASURE_FIELDS) for m in plan["measures"]],
    }
