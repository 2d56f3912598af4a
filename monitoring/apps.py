from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("监督与预警")

    def ready(self):
        from review import registry

        from . import reminders  # noqa: F401  (information left unassessed reminds the office)
        from .selectors import proposals_panel

        registry.add_home_panel(proposals_panel)
