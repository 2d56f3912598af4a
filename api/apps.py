from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("数据接口")

    def ready(self):
        from public import hooks

        from .links import public_links
        from .tasks import enqueue_downloads

        # Each released publication gets its bulk downloads built once, in the background.
        hooks.on_release(enqueue_downloads)
        # The public pages link each record to the same record here.
        hooks.add_links(public_links)
