from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views import View

from .models import RiskInformation
from .selectors import information_for


class InformationListView(View):
    def get(self, request):
        qs = information_for(request.user)
        channels = RiskInformation._meta.get_field("channel").choices
        channel = request.GET.get("channel")
        if channel in dict(channels):  # anything else is ignored
            qs = qs.filter(channel=channel)
        else:
            channel = None
        page = Paginator(qs, 25).get_page(request.GET.get("page"))
        return render(request, "monitoring/info_list.html", {"page_obj": page, "channel": channel,
                                                             "channels": channels})


class InformationDetailView(View):
    def get(self, request, pk):
        info = get_object_or_404(information_for(request.user), pk=pk)
        return render(request, "monitoring/info_detail.html", {"object": info})
