from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("powers/<int:pk>/benchmark/", views.BenchmarkEditView.as_view(), name="benchmark_edit"),
    path("powers/<int:pk>/benchmark/import/", views.BenchmarkImportView.as_view(), name="benchmark_import"),
    path("powers/<int:pk>/benchmark.xlsx", views.BenchmarkExportView.as_view(), name="benchmark_export"),
    path("degrees/", views.DegreesView.as_view(), name="degrees"),
    path("degrees/<int:pk>/delete/", views.DegreeDeleteView.as_view(), name="degree_delete"),
    path("key-powers/", views.KeyPowerListView.as_view(), name="key_powers"),
    path("key-powers/rules/add/", views.KeyRuleAddView.as_view(), name="key_rule_add"),
    path("key-powers/rules/<int:pk>/delete/", views.KeyRuleDeleteView.as_view(), name="key_rule_delete"),
    path("filings/", views.FilingListView.as_view(), name="filing_list"),
    path("filings/new/", views.FilingCreateView.as_view(), name="filing_create"),
    path("filings/import/", views.FilingImportView.as_view(), name="filing_import"),
    path("filings/import/<int:pk>/", views.FilingImportStatusView.as_view(), name="filing_import_status"),
    path("filings/stats/", views.FilingStatsView.as_view(), name="filing_stats"),
    path("filings/<int:pk>/", views.FilingDetailView.as_view(), name="filing_detail"),
    path("filings/<int:pk>/edit/", views.FilingEditView.as_view(), name="filing_edit"),
    path("filings/<int:pk>/history/", views.FilingHistoryView.as_view(), name="filing_history"),
    path("matters/", views.MatterListView.as_view(), name="matter_list"),
    path("matters/new/", views.MatterCreateView.as_view(), name="matter_create"),
    path("matters/rules/", views.ProcedureRulesView.as_view(), name="procedure_rules"),
    path("matters/<int:pk>/", views.MatterDetailView.as_view(), name="matter_detail"),
    path("matters/<int:pk>/edit/", views.MatterEditView.as_view(), name="matter_edit"),
    path("matters/<int:pk>/history/", views.MatterHistoryView.as_view(), name="matter_history"),
]
