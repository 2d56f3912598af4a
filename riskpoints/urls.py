from django.urls import path

from . import views

app_name = "riskpoints"
urlpatterns = [
    path("", views.RiskListView.as_view(), name="list"),
    path("new/", views.RiskEditView.as_view(), name="create"),
    path("compile/", views.RiskCompileView.as_view(), name="compile"),
    path("export.xlsx", views.ExportView.as_view(), name="export"),
    path("exports/<int:pk>/", views.ExportStatusView.as_view(), name="export_status"),
    path("exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="export_download"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template.xlsx", views.TemplateView.as_view(), name="import_template"),
    path("import/<int:pk>/", views.ImportStatusView.as_view(), name="import_status"),
    path("rubric/", views.RubricView.as_view(), name="rubric"),
    path("form/suggestion/", views.SuggestionView.as_view(), name="suggest"),
    path("form/powers/", views.PowerOptionsView.as_view(), name="power_options"),
    path("form/steps/", views.PowerStepsView.as_view(), name="power_steps"),
    path("register/<int:post_id>/key/", views.PostKeyView.as_view(), name="post_key"),
    path("key-posts/", views.KeyPostListView.as_view(), name="key_posts"),
    path("key-posts/export.xlsx", views.KeyPostExportView.as_view(), name="key_posts_export"),
    path("table/", views.MyTableView.as_view(), name="my_table"),
    path("table/<int:unit_id>/", views.UnitTableView.as_view(), name="unit_table"),
    path("register/<int:post_id>/", views.PostRegisterView.as_view(), name="post_register"),
    path("<int:pk>/", views.RiskDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.RiskEditView.as_view(), name="edit"),
    path("<int:pk>/carry/", views.RiskCarryView.as_view(), name="carry"),
    path("<int:pk>/history/", views.RiskHistoryView.as_view(), name="history"),
    path("<int:pk>/delete/", views.RiskDeleteView.as_view(), name="delete"),
    path("<int:pk>/step/<str:action>/", views.RiskTransitionView.as_view(), name="transition"),
]
