from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "schedules"
    verbose_name = _("期限与提醒")

    def ready(self):
        from review import registry as review_registry

        from . import reminders  # noqa: F401  (registers the campaign tasks' and phases' deadlines)
        from .selectors import my_deadlines_panel

        review_registry.add_home_panel(my_deadlines_panel)
        post_migrate.connect(_periodic_tasks, sender=self)


def _periodic_tasks(sender, **kwargs):
    """After ``migrate``: every periodic task of the programme has its beat entry, a task added
    later included (an entry the office changed is left as it is)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from .periodic import ensure_periodic_tasks

    ensure_periodic_tasks(CrontabSchedule, PeriodicTask)
