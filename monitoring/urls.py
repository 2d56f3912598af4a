from django.urls import path

from . import views
from . import views_handling as handling

app_name = "monitoring"
urlpatterns = [
    path("information/", handling.InformationListView.as_view(), name="info_list"),
    path("information/new/", handling.InformationCreateView.as_view(), name="info_create"),
    path("information/open/", handling.OpenInformationView.as_view(), name="info_open"),
    path("information/<int:pk>/", handling.InformationDetailView.as_view(), name="info_detail"),
    path("information/<int:pk>/history/", handling.InformationHistoryView.as_view(), name="info_history"),
    path("information/<int:pk>/assess/", handling.InformationAssessView.as_view(), name="info_assess"),
    path("information/files/<uuid:stored_id>/", handling.InformationFileView.as_view(), name="info_file"),
    path("tasks/", handling.TaskListView.as_view(), name="task_list"),
    path("tasks/new/", handling.TaskCreateView.as_view(), name="task_create"),
    path("tasks/<int:pk>/", handling.TaskDetailView.as_view(), name="task_detail"),
    path("warnings/", handling.WarningListView.as_view(), name="warning_list"),
    path("warnings/new/", handling.WarningCreateView.as_view(), name="warning_create"),
    path("warnings/<int:pk>/", handling.WarningDetailView.as_view(), name="warning_detail"),
    path("warnings/<int:pk>/history/", handling.WarningHistoryView.as_view(), name="warning_history"),
    path("warnings/<int:pk>/notice/", handling.WarningNoticeView.as_view(), name="warning_notice"),
    path("warnings/<int:pk>/notice.pdf", handling.WarningNoticeView.as_view(pdf=True), name="warning_notice_pdf"),
    path("warnings/<int:pk>/acknowledge/", handling.WarningAcknowledgeView.as_view(), name="warning_acknowledge"),
    path("warnings/<int:pk>/record/", handling.WarningRecordView.as_view(), name="warning_record"),
    path("warnings/<int:pk>/report/", handling.WarningReportView.as_view(), name="warning_report"),
    path("warnings/<int:pk>/verify/", handling.WarningVerifyView.as_view(), name="warning_verify"),
    path("warnings/<int:pk>/close/", handling.WarningCloseView.as_view(), name="warning_close"),
    path("warnings/reports/files/<uuid:stored_id>/", handling.ReportFileView.as_view(), name="report_file"),
    path("adjustments/", handling.AdjustmentListView.as_view(), name="adjustment_list"),
    path("adjustments/risk/<int:risk_pk>/", handling.AdjustmentCreateView.as_view(), name="adjustment_create"),
    path("adjustments/<int:pk>/confirm/", handling.AdjustmentConfirmView.as_view(), name="adjustment_confirm"),
    path("adjustments/<int:pk>/cancel/", handling.AdjustmentCancelView.as_view(), name="adjustment_cancel"),
    path("settings/", handling.ConfigView.as_view(), name="config"),
    path("findings/<int:pk>/information/", views.information_from_finding_view, name="from_finding"),
    path("risk-findings/<int:pk>/information/", views.information_from_risk_check_view, name="from_risk_check"),
    path("proposals/", views.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/new/", views.ProposalCreateView.as_view(), name="proposal_create"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/accept/", views.ProposalAcceptView.as_view(), name="proposal_accept"),
    path("proposals/<int:pk>/decline/", views.ProposalDeclineView.as_view(), name="proposal_decline"),
]
