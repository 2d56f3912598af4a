"""``ChoiceDisplay`` gives what Django's ``get_FOO_display`` gives, for every choice field of
every model that uses it, each value and one that is not a choice, in both languages."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from org.choices import ChoiceDisplay

MODELS = [m for m in apps.get_models() if issubclass(m, ChoiceDisplay)]


def test_the_reviewable_models_use_it():
    assert {m._meta.label for m in MODELS} >= {"powers.PowerItem", "riskpoints.RiskPoint"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_label_is_djangos(model, language):
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields
    with translation.override(language):
        for field in fields:
            for value in [v for v, _label in field.flatchoices] + ["不是选项"]:
                item = model(**{field.attname: value})
                ours = getattr(item, f"get_{field.name}_display")()
                assert ours == models.Model._get_FIELD_display(item, field) and type(ours) is str
