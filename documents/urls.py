from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("table/<int:unit_id>.pdf", views.DocumentPdfView.as_view(key="unit_table"), name="unit_table"),
    path("register/<int:post_id>.pdf", views.DocumentPdfView.as_view(key="post_register"), name="post_register"),
    path("archive/<int:unit_id>.pdf", views.DocumentPdfView.as_view(key="archive"), name="archive"),
    path("flowchart/<int:power_id>.pdf", views.DocumentPdfView.as_view(key="flowchart"), name="flowchart"),
    path("powers.pdf", views.DocumentPdfView.as_view(key="powers"), name="powers"),
    path("submission.pdf", views.DocumentPdfView.as_view(key="submission"), name="submission"),
    path("risks.pdf", views.DocumentPdfView.as_view(key="risks"), name="risks"),
    path("publication/<int:publication_id>.pdf", login_not_required(views.DocumentPdfView.as_view(key="publication")),
         name="publication"),
    path("builds/<int:pk>/", views.BuildView.as_view(), name="build"),
    path("builds/<int:pk>/file.pdf", views.BuildFileView.as_view(), name="build_file"),
]
