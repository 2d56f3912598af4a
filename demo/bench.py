"""What ``manage.py benchmark`` compares our pages with: a plain Django admin, as any team gets
it for free (list_select_related, a level filter, search fields), and a query counter."""

from django.conf import settings
from django.contrib import admin
from django.db import connection

from powers.models import PowerItem
from public.models import PublicationEntry
from riskpoints.models import RiskPoint

site = admin.AdminSite(name="bench_admin")


@admin.register(RiskPoint, site=site)
class RiskPointAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "unit", "post", "power", "kind", "level", "status")
    list_select_related = ("unit", "post__unit", "power")
    list_filter = ("level", "unit", "status")
    search_fields = ("code", "title", "description")
    list_per_page = settings.PAGINATE_BY
    # What a team does first with 300,000 rows: no drop-down of every risk point on the change form.
    raw_id_fields = ("round", "unit", "post", "power", "step", "previous", "created_by", "submitted_by", "published_record")


@admin.register(PowerItem, site=site)
class PowerItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "unit", "status")
    list_select_related = ("unit",)
    list_filter = ("category", "status")
    search_fields = ("code", "name")
    list_per_page = settings.PAGINATE_BY


@admin.register(PublicationEntry, site=site)
class PublicationEntryAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "unit", "level")
    list_select_related = ("unit",)
    list_filter = ("kind", "level")
    search_fields = ("code", "title")
    list_per_page = settings.PAGINATE_BY


class QueryCountMiddleware:
    """Puts the number of SQL queries a request ran into the ``X-Queries`` response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Queries"] = str(count[0])
        return response
