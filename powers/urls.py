from django.urls import path

from review.views import DeleteView

from . import views
from .models import PowerItem

app_name = "powers"
urlpatterns = [
    path("", views.PowerListView.as_view(), name="list"),
    path("new/", views.PowerEditView.as_view(), name="create"),
    path("compile/", views.PowerCompileView.as_view(), name="compile"),
    path("export.xlsx", views.ExportView.as_view(), name="export"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", views.ImportStatusView.as_view(), name="import_status"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("<int:pk>/", views.PowerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PowerEditView.as_view(), name="edit"),
    path("<int:pk>/history/", views.PowerHistoryView.as_view(), name="history"),
    path("<int:pk>/delete/", DeleteView.as_view(model=PowerItem), name="delete"),
    path("<int:pk>/flow/", views.FlowEditorView.as_view(), name="flow"),
    path("<int:pk>/flow/print/", views.FlowPrintView.as_view(), name="flow_print"),
    path("<int:pk>/flow/steps/save/", views.FlowStepSaveView.as_view(), name="flow_step_save"),
    path("<int:pk>/flow/steps/delete/", views.FlowStepDeleteView.as_view(), name="flow_step_delete"),
    path("<int:pk>/flow/steps/up/", views.FlowStepMoveView.as_view(offset=-1), name="flow_step_up"),
    path("<int:pk>/flow/steps/down/", views.FlowStepMoveView.as_view(offset=1), name="flow_step_down"),
    path("<int:pk>/flow/edges/add/", views.FlowEdgeAddView.as_view(), name="flow_edge_add"),
    path("<int:pk>/flow/edges/delete/", views.FlowEdgeDeleteView.as_view(), name="flow_edge_delete"),
    path("<int:pk>/step/<str:action>/", views.PowerTransitionView.as_view(), name="transition"),
]
