from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("监督与预警")

    def ready(self):
        from review import registry

        from . import reminders  # noqa: F401  (information left unassessed reminds the office)
        from .selectors import information_panel, proposals_panel, tasks_panel, warnings_panel

        for panel in (proposals_panel, warnings_panel, tasks_panel, information_panel):
            registry.add_home_panel(panel)

        from riskpoints.models import RiskPoint

        from .models import LevelAdjustment

        registry.add_history_child(RiskPoint, LevelAdjustment, "risk_point_id")

        from dashboards.registry import add_panel

        from .panels import PANELS

        for panel in PANELS:
            add_panel(panel)
