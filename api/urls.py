from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"
urlpatterns = [
    path("v1/publications/", views.PublicationListView.as_view(), name="publications"),
    path("v1/publications/<int:pk>/", views.PublicationDetailView.as_view(), name="publication"),
    path("v1/publications/<int:pk>/powers/", views.PublicationPowerListView.as_view(), name="publication_powers"),
    path("v1/publications/<int:pk>/risks/", views.PublicationRiskListView.as_view(), name="publication_risks"),
    path("v1/publications/<int:pk>/downloads/<str:name>", views.DownloadView.as_view(), name="download"),
    path("v1/powers/", views.PowerListView.as_view(), name="powers"),
    path("v1/powers/<str:code>/", views.PowerDetailView.as_view(), name="power"),
    path("v1/risks/", views.RiskListView.as_view(), name="risks"),
    path("v1/risks/<str:code>/", views.RiskDetailView.as_view(), name="risk"),
    path("v1/units/", views.UnitListView.as_view(), name="units"),
    path("v1/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("internal/v1/powers/", views.InternalPowerListView.as_view(), name="internal_powers"),
    path("internal/v1/powers/<str:code>/", views.InternalPowerDetailView.as_view(), name="internal_power"),
    path("internal/v1/risks/", views.InternalRiskListView.as_view(), name="internal_risks"),
    path("internal/v1/risks/<str:code>/", views.InternalRiskDetailView.as_view(), name="internal_risk"),
    path("internal/v1/filings/", views.InternalFilingListView.as_view(), name="internal_filings"),
    path("internal/v1/filings/<int:pk>/", views.InternalFilingDetailView.as_view(), name="internal_filing"),
    path("internal/v1/warnings/", views.InternalWarningListView.as_view(), name="internal_warnings"),
    path("internal/v1/warnings/<int:pk>/", views.InternalWarningDetailView.as_view(), name="internal_warning"),
]
