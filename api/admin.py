from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiClient, ApiClientUse, PublicationDownload
from .services import api_client_issue, api_client_revoke


@admin.register(ApiClient)
class ApiClientAdmin(SimpleHistoryAdmin):
    """An administrator registers a system here; the token is shown once, on saving."""

    list_display = ["name", "unit", "token_prefix", "expires_at", "reads_warnings", "revoked_at", "last_used_at"]
    list_filter = ["unit"]
    fields = ["name", "unit", "expires_at", "reads_warnings", "token_prefix", "created_by", "created_at", "revoked_at", "revoked_by",
              "last_used_at"]
    readonly_fields = ["token_prefix", "created_by", "created_at", "revoked_at", "revoked_by", "last_used_at"]
    actions = ["revoke"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.for_user(request.user)

    def get_readonly_fields(self, request, obj=None):
        # A token's unit and expiry are fixed once issued: issue a new one instead.
        return self.readonly_fields + (["unit", "expires_at"] if obj else [])

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj.save()
            return
        client, token = api_client_issue(actor=request.user, name=obj.name, unit=obj.unit, expires_at=obj.expires_at,
                                         reads_warnings=obj.reads_warnings)
        obj.pk = client.pk
        messages.warning(request, _("系统“%(name)s”的令牌（只显示这一次，请立即交给对方系统保存）：%(token)s")
                         % {"name": client.name, "token": token})

    @admin.action(description=_("吊销所选系统的令牌"))
    def revoke(self, request, queryset):
        for client in queryset:
            api_client_revoke(actor=request.user, client=client)
        messages.success(request, _("已吊销。"))



@admin.register(PublicationDownload)
class PublicationDownloadAdmin(admin.ModelAdmin):
    list_display = ["publication", "state", "finished_at"]
    readonly_fields = ["publication", "state", "manifest", "error", "finished_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiClientUse)
class ApiClientUseAdmin(admin.ModelAdmin):
    """Every request of every system, newest first (read only)."""

    list_display = ["at", "client", "method", "path", "status", "ip"]
    list_filter = ["client", "status"]
    list_select_related = ["client"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(client__in=ApiClient.objects.for_user(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
