from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LegalBasis, PowerItem


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0
    can_delete = False


@admin.register(PowerItem)
class PowerItemAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "category", "unit", "status", "revision")
    list_filter = ("category", "status", "unit")
    search_fields = ("code", "name")
    inlines = [LegalBasisInline]

    # Powers change only through the application's forms and workflow, which check scope,
    # stale edits and review state; the admin is for looking.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
