from django.urls import path

from . import views
from .middleware import not_found

app_name = "public"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("powers/", views.PowerCatalogueView.as_view(), name="powers"),
    path("powers/<str:code>/", views.PowerView.as_view(), name="power"),
    path("risks/", views.RiskCatalogueView.as_view(), name="risks"),
    path("risks/<str:code>/", views.RiskView.as_view(), name="risk"),
    path("opinion/lookup/", views.OpinionLookupView.as_view(), name="opinion_lookup"),
    path("opinion/<str:kind>/<str:code>/", views.OpinionView.as_view(), name="opinion"),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path("publications/<int:pk>/", views.PublicationView.as_view(), name="publication"),
    path("language/<str:code>/", views.LanguageView.as_view(), name="language"),
    path("<path:rest>", not_found),  # last: any other address is the public site's 404
]
