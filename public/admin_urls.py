from django.urls import path

from . import views

app_name = "public_admin"
urlpatterns = [
    path("", views.PublicationListView.as_view(), name="list"),
    path("new/", views.PublicationEditView.as_view(), name="create"),
    path("<int:pk>/", views.PublicationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PublicationEditView.as_view(), name="edit"),
]
