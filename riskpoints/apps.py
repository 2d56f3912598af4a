from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskpointsConfig(AppConfig):
    name = "riskpoints"
    verbose_name = _("廉政风险点")

    def ready(self):
        from powers.hooks import add_step_styler
        from review import registry
        from review.choices import Action

        from .choices import LEVEL_COLOURS, RiskLevel
        from .models import RiskPoint
        from .selectors import flow_step_styles, register_counted

        registry.register(RiskPoint)
        registry.set_tallies(RiskPoint, lambda user: register_counted(user, with_retired=True))
        registry.add_guard(RiskPoint, Action.SUBMIT, RiskPoint.submit_problems)
        add_step_styler(flow_step_styles, legend=[
            (colour, _("%(level)s风险点") % {"level": RiskLevel(level).label}) for level, (_badge, colour) in LEVEL_COLOURS.items()
        ])

        from dashboards.registry import add_panel

        from .panels import PANELS

        for panel in PANELS:
            add_panel(panel)
