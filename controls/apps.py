from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlsConfig(AppConfig):
    name = "controls"
    verbose_name = _("防控措施")

    def ready(self):
        from review import registry
        from review.choices import Action
        from riskpoints.models import RiskPoint

        from . import reminders  # noqa: F401  (the measures' due dates remind their owners)
        from .models import ControlPlan, Measure
        from .services import plan_acceptance_problems, plan_snapshot

        registry.add_guard(RiskPoint, Action.ACCEPT, plan_acceptance_problems)
        registry.add_snapshot_part(RiskPoint, "plan", plan_snapshot)
        registry.add_history_child(RiskPoint, ControlPlan, "risk_point_id")
        registry.add_history_child(RiskPoint, Measure, "plan__risk_point_id")

        from dashboards.registry import add_panel

        from .panels import PANELS

        for panel in PANELS:
            add_panel(panel)
