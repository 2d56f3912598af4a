from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
]
urlpatterns.append(path("settings/", views.PreferencesView.as_view(), name="preferences"))
