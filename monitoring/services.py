import hashlib
import hmac
import secrets

from django.conf import settings

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notices.services import notification_send
from org.choices import Role
from org.files import files_store
from org.models import Unit, User
from org.scoping import bureau_unit_ids, office_bureau, overseen_unit_ids, own_unit_ids, subtree_q, user_bureau
from powers.models import PowerItem
from review.services import WorkflowError
from review.workflow import EDITOR, OFFICE
from riskpoints.choices import FoundBy
from riskpoints.models import RiskPoint

from .choices import Channel, Credibility, InfoState, Outcome, ProposalState
from .models import Assessment, MonitoringConfig, ReferenceCounter, RiskInformation, RiskProposal


def reference_prefix(bureau):
    """The bureau's prefix of reference numbers, as the office set it (else the bureau's code)."""
    config = MonitoringConfig.objects.filter(bureau=bureau).first()
    return config.prefix if config else bureau.code


def next_number(bureau, kind, year):
    """The next number of ``kind`` for the bureau and year; concurrent callers never share one."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
                    bureau=bureau, kind=kind, year=year)
                counter.last += 1
                counter.save(update_fields=["last"])
                return counter.last
        except IntegrityError:  # two first numbers of the year at once: the loser reads the row
            continue
    raise RuntimeError("could not allocate a number")


def lookup_hash(reference, code):
    return hashlib.sha256(f"{settings.SECRET_KEY}:lookup:{reference}:{code}".encode()).hexdigest()


def information_record(*, bureau, channel, content, contact="", source_key="", recorded_by=None,
                       concerns_unit=None, concerns_power=None, concerns_risk=None, concerns_person=None,
                       reporter="", source_reference="", received_on=None, credibility=Credibility.UNVERIFIED):
    """Register one piece of risk information under the bureau's next reference number.

    Information from the public gets a secret lookup code, returned once as ``lookup_code``
    on the result and kept only as a hash: with it and the reference, the visitor can read the
    state of their own opinion.
    """
    today = timezone.localdate()
    code = secrets.token_hex(4).upper() if channel == Channel.PUBLIC else ""
    with transaction.atomic():
        number = next_number(bureau, "information", today.year)
        reference = f"{reference_prefix(bureau)}{today.year}-{number:05d}"
        info = RiskInformation(
            bureau=bureau, reference=reference, channel=channel, received_on=received_on or today, content=content,
            contact=contact, source_key=source_key, recorded_by=recorded_by, concerns_unit=concerns_unit,
            concerns_power=concerns_power, concerns_risk=concerns_risk, concerns_person=concerns_person,
            reporter=reporter, source_reference=source_reference, credibility=credibility,
            lookup_hash=lookup_hash(reference, code) if code else "")
        info._history_user = recorded_by
        info.save()
    info.lookup_code = code
    return info


def information_lookup(reference, code):
    """The state of a public opinion, for its reference and secret code (``None`` if either is wrong)."""
    reference, code = (reference or "").strip(), (code or "").strip().upper()
    if not reference or not code:
        return None
    wanted = lookup_hash(reference, code)
    for info in RiskInformation.objects.filter(reference=reference, channel=Channel.PUBLIC).exclude(lookup_hash=""):
        if hmac.compare_digest(info.lookup_hash, wanted):
            return info
    return None


def information_units(user):
    """Units whose information ``user`` may record: the office the bureau's, a unit head their own."""
    if user.has_role(Role.OFFICE):
        return set(bureau_unit_ids(user))
    if user.has_role(Role.UNIT_HEAD):
        return set(own_unit_ids(user))
    return set()


def information_create(*, actor, data, uploads=()):
    """The office (bureau-wide) or a unit head (for their units) records information from any
    channel but the public site's, with its attachments; any bad file refuses the whole entry."""
    from .models import InformationFile

    units = information_units(actor)
    if not units:
        raise PermissionDenied(_("只有防控办和单位负责人可以登记廉政风险信息。"))
    if data.get("channel") == Channel.PUBLIC:
        raise ValidationError({"channel": _("群众提的信息来自公示网站留言，不能手工登记。")})
    unit = data.get("concerns_unit")
    if not actor.has_role(Role.OFFICE) and unit is None:
        raise ValidationError({"concerns_unit": _("请选择涉及的本单位。")})
    if unit is not None and unit.pk not in units:
        raise ValidationError({"concerns_unit": _("您只能登记涉及本单位的信息。")})
    person, risk, power = data.get("concerns_person"), data.get("concerns_risk"), data.get("concerns_power")
    if person is not None and person.unit_id not in bureau_unit_ids(actor):
        raise ValidationError({"concerns_person": _("涉及人员须为本局人员。")})
    if risk is not None and not RiskPoint.objects.for_user(actor).filter(pk=risk.pk).exists():
        raise ValidationError({"concerns_risk": _("您不能引用该风险点。")})
    if power is not None and not PowerItem.objects.for_user(actor).filter(pk=power.pk).exists():
        raise ValidationError({"concerns_power": _("您不能引用该职权。")})
    if data["received_on"] > timezone.localdate():
        raise ValidationError({"received_on": _("收到日期不能晚于今天。")})
    with transaction.atomic():
        info = information_record(
            bureau=user_bureau(actor), recorded_by=actor,
            **{k: data.get(k) for k in ("channel", "content", "concerns_unit", "concerns_power", "concerns_risk",
                                        "concerns_person", "received_on")},
            **{k: data.get(k) or "" for k in ("contact", "reporter", "source_reference")},
            credibility=data.get("credibility") or Credibility.UNVERIFIED)
        files_store(InformationFile, "information", info, actor, uploads)
    return info


def config_save(*, actor, prefix):
    bureau = office_bureau(actor, _("只有防控办可以修改文号前缀。"))
    prefix = prefix.strip()
    if not prefix:
        raise ValidationError({"prefix": _("请填写文号前缀。")})
    others = Unit.objects.filter(parent__isnull=True).exclude(pk=bureau.pk)
    if (MonitoringConfig.objects.filter(prefix=prefix).exclude(bureau=bureau).exists()
            or others.filter(code=prefix).exclude(pk__in=MonitoringConfig.objects.values("bureau")).exists()):
        raise ValidationError({"prefix": _("“%(prefix)s”已是其他局的文号前缀，请另选一个。") % {"prefix": prefix}})
    config = MonitoringConfig.objects.filter(bureau=bureau).first() or MonitoringConfig(bureau=bureau)
    config.prefix = prefix
    config._history_user = actor
    config.save()
    return config


# --- proposals of risk points (领导点、专家评、相互帮、组织审、群众提) ------------------------------------

# Who may propose a risk point, by how it was found, and to which units: the roles, and the
# units those roles reach. 群众提 comes from a public opinion the office turned into a proposal.
PROPOSERS = {
    FoundBy.LEADER: ((Role.LEADER, Role.LEADERSHIP),
                     lambda user: set(overseen_unit_ids(user)) | (set(bureau_unit_ids(user)) if user.has_role(Role.LEADERSHIP) else set())),
    FoundBy.EXPERT: ((Role.EXPERT,), lambda user: set(bureau_unit_ids(user))),
    FoundBy.MUTUAL: ((Role.STAFF, Role.UNIT_HEAD), lambda user: set(bureau_unit_ids(user)) - set(own_unit_ids(user))),
    FoundBy.ORGANISATION: ((Role.OFFICE,), lambda user: set(bureau_unit_ids(user))),
    FoundBy.PUBLIC: ((Role.OFFICE,), lambda user: set(bureau_unit_ids(user))),
}
PROPOSER_WORDS = {
    FoundBy.LEADER: gettext_lazy("领导点：分管领导向分管单位、局领导向本局各单位提出"),
    FoundBy.EXPERT: gettext_lazy("专家评：评审专家向本局各单位提出"),
    FoundBy.MUTUAL: gettext_lazy("相互帮：本局其他单位的工作人员或负责人提出，不能提给本单位"),
    FoundBy.ORGANISATION: gettext_lazy("组织审：防控办向本局各单位提出"),
    FoundBy.PUBLIC: gettext_lazy("群众提：防控办将群众意见转为建议"),
}


def proposal_target_ids(user, found_by):
    """Units ``user`` may propose a risk point to, as ``found_by``."""
    roles, units = PROPOSERS.get(found_by, ((), None))
    if not (user.is_authenticated and user.is_active and user.has_role(*roles)):
        return set()
    return units(user)


def proposal_channels(user, *, public=False):
    """How ``user`` may propose (the channels with any unit to propose to)."""
    return [fb for fb in PROPOSERS if (fb == FoundBy.PUBLIC) == public and proposal_target_ids(user, fb)]


def proposal_refusal(user, found_by, unit):
    if unit is None or unit.pk not in proposal_target_ids(user, found_by):
        return _("您不能以“%(how)s”方式向%(unit)s提出风险点建议（%(rule)s）。") % {
            "how": FoundBy(found_by).label if found_by in FoundBy.values else found_by,
            "unit": unit or _("该单位"), "rule": PROPOSER_WORDS.get(found_by, "")}
    return None


def proposal_create(*, actor, found_by, target_unit, title, description, power=None, post=None, information=None):
    """Propose a risk point to ``target_unit`` and tell its staff and head."""
    if (information is not None) != (found_by == FoundBy.PUBLIC):
        raise ValidationError(_("群众提的建议须由防控办从一条风险信息转来。"))
    if refusal := proposal_refusal(actor, found_by, target_unit):
        raise PermissionDenied(refusal)
    if post is not None and post.unit_id != target_unit.pk:
        raise ValidationError(_("岗位“%(post)s”不属于%(unit)s。") % {"post": post, "unit": target_unit})
    if power is not None and not PowerItem.objects.for_user(actor).filter(pk=power.pk).exists():
        raise PermissionDenied(_("您不能引用该职权。"))
    if information is not None and not RiskInformation.objects.for_user(actor).filter(pk=information.pk).exists():
        raise PermissionDenied(_("您不能引用该风险信息。"))
    with transaction.atomic():
        proposal = RiskProposal(bureau=target_unit.bureau, proposer=actor, found_by=found_by, target_unit=target_unit,
                                power=power, post=post, title=title, description=description, information=information)
        proposal._history_user = actor
        proposal.save()
        if information is not None and information.state != InfoState.CLOSED:
            Assessment.objects.create(information=information, outcome=Outcome.TASK, assessed_by=actor,
                                      reasoning=_("转为风险点建议，提给%(unit)s：%(title)s") % {"unit": target_unit, "title": title})
            information.state, information.assessed_at = InfoState.ASSESSED, timezone.now()
            information._history_user = actor
            information.save(update_fields=["state", "assessed_at"])
        for person in proposal_answerers(proposal):
            notification_send(
                recipient=person, url=proposal.get_absolute_url(), key=f"proposal-{proposal.pk}-new-{person.pk}",
                subject=_("%(how)s：%(who)s向%(unit)s提出风险点“%(title)s”，请处理") % {
                    "how": proposal.get_found_by_display(), "who": actor.display_name, "unit": target_unit.name,
                    "title": title},
                body=description)
    return proposal


def proposal_answerers(proposal):
    """Who is told of a new proposal: the target unit's active staff and heads."""
    return User.objects.filter(is_active=True, unit=proposal.target_unit,
                               groups__name__in=[Role.STAFF, Role.UNIT_HEAD]).distinct()


def proposal_may_answer(user, proposal):
    return EDITOR.covers(user, proposal.target_unit_id)


def _answer_guard(proposal, actor):
    if not proposal_may_answer(actor, proposal):
        raise PermissionDenied(_("只有%(unit)s的工作人员或负责人可以处理这条建议。") % {"unit": proposal.target_unit})
    locked = RiskProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state != ProposalState.PENDING:
        raise WorkflowError(_("这条建议已处理（%(state)s），不能再次处理。") % {"state": locked.get_state_display()})
    return locked


def _answered(locked, actor, state, answer="", risk=None):
    locked.state, locked.answer, locked.risk_point = state, answer, risk
    locked.answered_by, locked.answered_at = actor, timezone.now()
    locked._history_user = actor
    locked.save()
    if locked.information_id:
        from .handling import information_settle

        information_settle([locked.information_id], actor)
    notification_send(
        recipient=locked.proposer, url=locked.get_absolute_url(), key=f"proposal-{locked.pk}-answer",
        subject=_("%(unit)s%(state)s您提出的风险点“%(title)s”") % {
            "unit": locked.target_unit.name, "state": locked.get_state_display(), "title": locked.title},
        body=answer or (_("已登记为风险点 %(code)s。") % {"code": risk.code} if risk else ""))


def proposal_accept(*, proposal, actor, data):
    """The unit accepts a proposal into its register: the risk point is registered (as a draft
    of the open round, found as the proposal says) and linked back to the proposal."""
    from riskpoints.services import risk_create

    target = proposal.target_unit
    if data["unit"].pk != target.pk and not Unit.objects.filter(subtree_q([target.pk]), pk=data["unit"].pk).exists():
        raise ValidationError(_("建议提给%(unit)s：风险点须登记在该单位或其下属单位。") % {"unit": target})
    with transaction.atomic():
        locked = _answer_guard(proposal, actor)
        risk = risk_create(actor=actor, data={**data, "found_by": locked.found_by})
        _answered(locked, actor, ProposalState.ACCEPTED, risk=risk)
    return risk


def proposal_decline(*, proposal, actor, reason):
    """The unit answers why the proposal is not taken into its register (a reason is required)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明不采纳的理由。"))
    with transaction.atomic():
        locked = _answer_guard(proposal, actor)
        _answered(locked, actor, ProposalState.DECLINED, answer=reason)
    return locked


FINDING_TASK_STATES = ("submitted", "accepted")


def finding_refusal(actor, task):
    """Why ``actor`` may not turn a finding of ``task`` into risk information, or ``None``: the
    office, or the head of the unit, once the self-inspection is handed in."""
    if task.unit_id not in information_units(actor):
        return _("只有防控办和本单位负责人可以把自查发现的问题登记为廉政风险信息。")
    if task.state not in FINDING_TASK_STATES:
        return _("自查提交后，才能把发现的问题登记为廉政风险信息。")
    return None


def _from_finding(*, actor, task, key, subject, problems, plan, risk=None):
    if task.unit_id not in information_units(actor):
        raise PermissionDenied(finding_refusal(actor, task))
    reason = finding_refusal(actor, task)
    if reason:
        raise WorkflowError(reason)
    if not problems.strip():
        raise WorkflowError(_("这一项没有填写发现的问题。"))
    with transaction.atomic():
        existing = RiskInformation.objects.select_for_update().filter(bureau_id=task.campaign.bureau_id, source_key=key).first()
        if existing:
            existing.already = True
            return existing
        content = _("%(campaign)s · %(unit)s · %(item)s：%(problems)s") % {
            "campaign": task.campaign.title, "unit": task.unit.name, "item": subject, "problems": problems}
        if plan:
            content += "\n" + _("整改打算：%(plan)s") % {"plan": plan}
        info = information_record(bureau=task.campaign.bureau, channel=Channel.SELF_INSPECTION, content=content,
                                  source_key=key, recorded_by=actor, concerns_unit=task.unit, concerns_risk=risk,
                                  source_reference=str(task)[:100])
    info.already = False
    return info


def information_from_finding(*, actor, answer):
    """Turn a problem a unit found on a line of its self-inspection checklist into risk
    information (channel 自查), once: a second call returns the information already recorded
    (``already`` set)."""
    return _from_finding(actor=actor, task=answer.task, key=answer.finding_key, subject=answer.item.text,
                         problems=answer.problems, plan=answer.plan)


def information_from_risk_check(*, actor, check):
    """Turn a problem a unit found with a measure of one of its risk points into risk
    information (channel 自查) about that risk point, once, as ``information_from_finding``."""
    risk = RiskPoint.objects.filter(pk=check.risk_point_id).first() if check.risk_point_id else None
    subject = f"{check.risk_code} {check.risk_title}"
    if check.measure_text:
        subject += _("（措施：%(measure)s）") % {"measure": check.measure_text[:60]}
    return _from_finding(actor=actor, task=check.task, key=check.finding_key, subject=subject,
                         problems=check.problems, plan=check.plan, risk=risk)
