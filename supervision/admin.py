from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import WorkCalendarDay


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
