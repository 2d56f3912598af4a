"""监督预警 on the dashboard: information received by channel, warnings issued by method, and
what is still open (information to assess, 限期整改 overdue), each figure a link to the list
filtered to exactly the rows it counts."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dashboards import audience
from dashboards.registry import Panel

from .choices import Channel, InfoState, Method, WarningState
from .models import RiskInformation
from .visibility import warnings_for


def _period(selection):
    return {"received_after": selection.date_from.isoformat(), "received_before": selection.date_to.isoformat()}


def monitoring_panel(user, selection):
    information = selection.scope(RiskInformation.objects.for_user(user), "concerns_unit")
    warnings = selection.scope(warnings_for(user), "unit")
    received = {row["channel"]: row["n"] for row in information.filter(
        received_on__gte=selection.date_from, received_on__lte=selection.date_to).values("channel").annotate(n=Count("pk"))}
    issued = {row["method"]: row["n"] for row in warnings.filter(
        issued_on__gte=selection.date_from, issued_on__lte=selection.date_to).values("method").annotate(n=Count("pk"))}
    late = Q(method=Method.RECTIFY, deadline__lt=selection.today) & ~Q(state=WarningState.CLOSED)
    open_ = warnings.aggregate(open=Count("pk", filter=~Q(state=WarningState.CLOSED)), overdue=Count("pk", filter=late))
    to_assess = information.filter(state=InfoState.NEW).count()
    period = _period(selection)
    warned = {"issued_after": period["received_after"], "issued_before": period["received_before"]}
    return {
        "channels": [(c.label, received.get(c.value, 0), selection.link("monitoring:info_list", channel=c.value, **period))
                     for c in Channel if received.get(c.value)],
        "received": sum(received.values()),
        "received_url": selection.link("monitoring:info_list", **period),
        "methods": [(m.label, issued.get(m.value, 0), selection.link("monitoring:warning_list", method=m.value, **warned))
                    for m in Method],
        "open": [
            (_("待研判的风险信息"), to_assess, selection.link("monitoring:info_list", state=InfoState.NEW)),
            (_("未办结的预警"), open_["open"], selection.link("monitoring:warning_list", closed="false")),
            (_("逾期的限期整改"), open_["overdue"], selection.link("monitoring:warning_list", overdue="true")),
        ],
    }


PANELS = (
    Panel("monitoring", _("监督预警"), "monitoring/panels/monitoring.html", monitoring_panel, audience.leading, order=30),
)
