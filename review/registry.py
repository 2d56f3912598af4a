"""Reviewable models register here so that shared pages (待我处理) can list them without the
review layer importing the apps above it."""

_models = []


def register(model):
    if model not in _models:
        _models.append(model)
    return model


def reviewable_models():
    return list(_models)
