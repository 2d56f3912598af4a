from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("工作台")

    def ready(self):
        from . import panels, registry

        for panel in panels.PANELS:
            registry.add_panel(panel)
