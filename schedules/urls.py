from django.urls import path

from . import views

app_name = "schedules"
urlpatterns = [
    path("", views.my_deadlines, name="my_deadlines"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/open/", views.campaign_open_view, name="campaign_open"),
    path("campaigns/<int:pk>/checklist/", views.ChecklistView.as_view(), name="checklist"),
    path("checklist/<int:pk>/", views.ChecklistItemView.as_view(), name="checklist_item"),
    path("checklist/<int:pk>/delete/", views.checklist_item_delete_view, name="checklist_item_delete"),
    path("checklist/<int:pk>/move/", views.checklist_item_move_view, name="checklist_item_move"),
    path("tasks/<int:pk>/", views.TaskView.as_view(), name="task_detail"),
    path("personal-checks/<int:pk>/", views.PersonalCheckView.as_view(), name="personal_check"),
    path("tasks/<int:pk>/submit/", views.task_submit_view, name="task_submit"),
    path("tasks/<int:pk>/review/", views.task_review_view, name="task_review"),
    path("tasks/<int:pk>/score/", views.task_score_view, name="task_score"),
    path("task-files/<uuid:stored_id>/", views.task_file_view, name="task_file"),
    path("task-files/<uuid:stored_id>/delete/", views.task_file_delete_view, name="task_file_delete"),
    path("phases/", views.phase_list, name="phase_list"),
    path("phases/<int:pk>/", views.PhaseView.as_view(), name="phase_detail"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("cadences/", views.CadenceView.as_view(), name="cadences"),
    path("cadences/<int:pk>/", views.CadenceView.as_view(), name="cadence_edit"),
    path("beat/", views.ScheduleView.as_view(), name="periodic"),
]
