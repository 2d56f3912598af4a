from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("打印与文档")

    def ready(self):
        from . import catalogue  # noqa: F401  (registers the project's documents)
