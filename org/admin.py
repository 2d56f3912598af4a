from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Post, Unit, User


class PostInline(admin.TabularInline):
    model = Post
    extra = 0


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "parent", "order")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    inlines = [PostInline]


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ("name", "unit", "tier", "is_key")
    list_editable = ("is_key",)
    list_filter = ("tier", "is_key", "unit")
    search_fields = ("name", "unit__name")


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "real_name", "unit", "post", "role_list", "is_active")
    list_filter = ("groups", "unit", "is_active")
    search_fields = ("username", "real_name", "email")
    filter_horizontal = ("groups", "user_permissions", "oversees")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("单位、岗位与分管"), {"fields": ("real_name", "unit", "post", "title", "oversees")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("单位与岗位"), {"fields": ("real_name", "unit", "post", "groups")}),
    )

    @admin.display(description=_("角色"))
    def role_list(self, obj):
        return "、".join(str(label) for label in obj.role_labels)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "post").prefetch_related("groups")
