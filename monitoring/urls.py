from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("information/", views.InformationListView.as_view(), name="info_list"),
    path("information/<int:pk>/", views.InformationDetailView.as_view(), name="info_detail"),
]
