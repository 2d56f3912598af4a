from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "powers"
    verbose_name = _("职权目录")

    def ready(self):
        from review import registry
        from review.choices import Action

        from .models import PowerItem

        registry.register(PowerItem)
        registry.add_guard(PowerItem, Action.SUBMIT, PowerItem.flow_problems)
