"""Celery application. Tasks live in each app's ``tasks.py`` and are autodiscovered.

Production settings unless DJANGO_SETTINGS_MODULE says otherwise (workers and beat run only in
deployments; a developer's worker passes ``DJANGO_SETTINGS_MODULE=config.settings.local``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("lianzheng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
