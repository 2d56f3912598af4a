from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from django.db.models import Q

from org.choices import Role
from org.scoping import bureau_unit_ids, overseen_unit_ids, own_unit_ids
from review.workflow import EDITOR
from schedules.models import CampaignTask, RiskCheck, TaskAnswer

from .choices import OPEN_INFO_STATES, InfoState, Method, ProposalState, TaskState, WarningState
from .models import RiskInformation, RiskProposal, UnitTask
from .visibility import warnings_for


def information_for(user):
    """Risk information the user may read (``RiskInformation.objects.for_user``): the office and
    leadership bureau-wide, leaders in charge and unit heads what concerns their units."""
    if not user.has_role(Role.OFFICE, Role.LEADERSHIP, Role.LEADER, Role.UNIT_HEAD):
        raise PermissionDenied(_("只有防控办、局领导、分管领导和单位负责人可以查看廉政风险信息。"))
    return RiskInformation.objects.for_user(user).select_related(
        "concerns_unit", "concerns_risk", "concerns_power", "concerns_person", "recorded_by")


def information_open(user):
    """定期研判评估: what is still open, oldest first, with how long it has waited."""
    return information_for(user).filter(state__in=OPEN_INFO_STATES).order_by("received_on", "pk")


def warnings_waiting(user):
    """Warnings that wait for ``user``: to acknowledge, to report on, to verify or to close."""
    mine = Q(person=user, state=WarningState.ISSUED)
    if user.has_role(Role.UNIT_HEAD):
        unit = Q(person__isnull=True, unit__in=own_unit_ids(user)) & ~Q(method=Method.LEADER_ADMONITION)
        mine |= unit & (Q(state=WarningState.ISSUED) | Q(state=WarningState.ACKNOWLEDGED, method=Method.RECTIFY))
    if user.has_role(Role.LEADER):
        mine |= Q(method=Method.LEADER_ADMONITION, state=WarningState.ISSUED, unit__in=overseen_unit_ids(user))
    handler = Q(issued_by=user)
    if user.has_role(Role.OFFICE):
        handler |= Q(bureau__in=bureau_unit_ids(user))
    mine |= handler & (Q(state=WarningState.REPORTED) | (Q(state=WarningState.ACKNOWLEDGED) & ~Q(method=Method.RECTIFY)))
    return warnings_for(user).filter(mine)


def tasks_waiting(user):
    return UnitTask.objects.filter(state=TaskState.OPEN, unit__in=EDITOR.units(user))


def _panel(title, qs, url):
    count = qs.count()
    return {"title": title, "count": count, "url": url} if count else None


def warnings_panel(user):
    return _panel(_("预警处置"), warnings_waiting(user), reverse("monitoring:warning_list") + "?waiting=1")


def tasks_panel(user):
    if not EDITOR.units(user):
        return None
    return _panel(_("防范任务"), tasks_waiting(user), reverse("monitoring:task_list") + "?state=open")


def information_panel(user):
    if not user.has_role(Role.OFFICE):
        return None
    return _panel(_("待研判的风险信息"), information_for(user).filter(state=InfoState.NEW),
                  reverse("monitoring:info_list") + "?state=new")


def proposals_waiting(user):
    """Pending proposals addressed to units whose register the user keeps: theirs to answer."""
    return RiskProposal.objects.for_user(user).filter(state=ProposalState.PENDING, target_unit__in=EDITOR.units(user))


def proposals_panel(user):
    """The start page's line for proposals waiting for the user's unit (none: no line)."""
    count = proposals_waiting(user).count() if EDITOR.units(user) else 0
    if not count:
        return None
    return {"title": _("风险点建议"), "count": count, "url": reverse("monitoring:proposal_list") + "?show=todo"}


def finding_task(info, user):
    """The self-inspection task, in ``user``'s scope, whose finding ``info`` was registered from
    (``monitoring.services.information_from_finding`` keys it), or ``None``."""
    kind, _sep, pk = (info.source_key or "").partition(":")
    rows = {"finding": TaskAnswer, "risk-finding": RiskCheck}.get(kind)
    if rows is None or not pk.isdigit():
        return None
    task_id = rows.objects.filter(pk=int(pk)).values_list("task_id", flat=True).first()
    return CampaignTask.objects.for_user(user).filter(pk=task_id).select_related("campaign", "unit").first()
