from django.urls import path

from . import views

app_name = "controls"
urlpatterns = [
    path("plan/<int:pk>/", views.PlanEditView.as_view(), name="plan"),
    path("measure/<int:pk>/progress/", views.MeasureProgressView.as_view(), name="progress"),
    path("evidence/<uuid:stored_id>/", views.EvidenceView.as_view(), name="evidence"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("rounds/", views.RoundsView.as_view(), name="rounds"),
    path("measures/", views.MeasureListView.as_view(), name="measures"),
    path("measures/export.xlsx", views.MeasureExportView.as_view(), name="measures_export"),
]
