from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from org.choices import Role

from .models import RiskInformation


def _office_only(request):
    if not request.user.has_role(Role.OFFICE, Role.LEADERSHIP):
        raise PermissionDenied(_("只有防控办和局领导可以查看廉政风险信息。"))


class InformationListView(View):
    def get(self, request):
        _office_only(request)
        qs = RiskInformation.objects.for_user(request.user).select_related("concerns_unit", "concerns_risk", "concerns_power")
        channel = request.GET.get("channel")
        if channel:
            qs = qs.filter(channel=channel)
        page = Paginator(qs, 25).get_page(request.GET.get("page"))
        return render(request, "monitoring/info_list.html", {"page_obj": page, "channel": channel,
                                                             "channels": RiskInformation._meta.get_field("channel").choices})


class InformationDetailView(View):
    def get(self, request, pk):
        _office_only(request)
        info = get_object_or_404(RiskInformation.objects.for_user(request.user), pk=pk)
        return render(request, "monitoring/info_detail.html", {"object": info})
