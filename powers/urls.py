from django.urls import path

from . import views

app_name = "powers"
urlpatterns = [
    path("", views.PowerListView.as_view(), name="list"),
    path("new/", views.PowerEditView.as_view(), name="create"),
    path("compile/", views.PowerCompileView.as_view(), name="compile"),
    path("<int:pk>/", views.PowerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PowerEditView.as_view(), name="edit"),
    path("<int:pk>/history/", views.PowerHistoryView.as_view(), name="history"),
    path("<int:pk>/flow/", views.FlowEditorView.as_view(), name="flow"),
    path("<int:pk>/flow/print/", views.FlowPrintView.as_view(), name="flow_print"),
    path("<int:pk>/step/<str:action>/", views.PowerTransitionView.as_view(), name="transition"),
]
