"""The project's URLs with the benchmark's Django admin beside them (config.settings.benchmark)."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

from .bench import site

urlpatterns = [path("bench-admin/", site.urls), *project_urlpatterns]
