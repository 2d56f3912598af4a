from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("information/", views.InformationListView.as_view(), name="info_list"),
    path("information/<int:pk>/", views.InformationDetailView.as_view(), name="info_detail"),
    path("findings/<int:pk>/information/", views.information_from_finding_view, name="from_finding"),
    path("proposals/", views.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/new/", views.ProposalCreateView.as_view(), name="proposal_create"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/accept/", views.ProposalAcceptView.as_view(), name="proposal_accept"),
    path("proposals/<int:pk>/decline/", views.ProposalDeclineView.as_view(), name="proposal_decline"),
]
