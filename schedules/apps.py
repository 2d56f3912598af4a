from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "schedules"
    verbose_name = _("期限与提醒")

    def ready(self):
        from review import registry as review_registry

        from . import reminders  # noqa: F401  (registers the campaign tasks' and phases' deadlines)
        from .selectors import my_deadlines_panel

        review_registry.add_home_panel(my_deadlines_panel)
