"""Every bureau gets the four degrees that used to be fixed, and benchmark rows and filings
(with their history) point at their bureau's degree of the code they stored."""

from collections import defaultdict

from django.db import migrations

DEFAULTS = [("minor", "轻微", 1), ("general", "一般", 2), ("serious", "较重", 3), ("severe", "严重", 4)]


def _bureaus(apps):
    parents = dict(apps.get_model("org", "Unit").objects.values_list("pk", "parent_id"))

    def bureau(unit_id):
        while parents.get(unit_id) is not None:
            unit_id = parents[unit_id]
        return unit_id

    return [pk for pk, parent in parents.items() if parent is None], bureau


def forward(apps, schema_editor):
    Degree = apps.get_model("supervision", "ViolationDegree")
    bureaus, bureau = _bureaus(apps)
    degrees = {}
    for bureau_id in bureaus:
        for code, name, order in DEFAULTS:
            degree, _created = Degree.objects.get_or_create(bureau_id=bureau_id, code=code,
                                                            defaults={"name": name, "order": order})
            degrees[(bureau_id, code)] = degree.pk
    power_units = dict(apps.get_model("powers", "PowerItem").objects.values_list("pk", "unit_id"))
    for model, unit_of in [
        ("BenchmarkRow", lambda row: power_units.get(row["power_id"])),
        ("HistoricalBenchmarkRow", lambda row: power_units.get(row["power_id"])),
        ("Filing", lambda row: row["unit_id"]),
        ("HistoricalFiling", lambda row: row["unit_id"]),
    ]:
        manager = apps.get_model("supervision", model).objects
        key = "history_id" if model.startswith("Historical") else "pk"
        groups = defaultdict(list)
        fields = (key, "degree", "power_id") if "Benchmark" in model else (key, "degree", "unit_id")
        for row in manager.exclude(degree="").values(*fields):
            degree = degrees.get((bureau(unit_of(row)), row["degree"]))
            if degree is not None:
                groups[degree].append(row[key])
        for degree, pks in groups.items():
            manager.filter(**{f"{key}__in": pks}).update(degree_ref_id=degree)


def backward(apps, schema_editor):
    codes = dict(apps.get_model("supervision", "ViolationDegree").objects.values_list("pk", "code"))
    for model in ("BenchmarkRow", "HistoricalBenchmarkRow", "Filing", "HistoricalFiling"):
        manager = apps.get_model("supervision", model).objects
        for degree_id, code in codes.items():
            manager.filter(degree_ref_id=degree_id).update(degree=code)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0005_violation_degrees"),
    ]

    operations = [migrations.RunPython(forward, backward)]
