from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("公示")

    def ready(self):
        from review import registry

        from .services import KINDS, public_presence, publication_add, publication_target

        # Publishing an item offers to add it to the current publication of its unit.
        for model in KINDS:
            registry.set_publisher(model, target=publication_target, add=publication_add, presence=public_presence)
