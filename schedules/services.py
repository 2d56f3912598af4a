"""Reminders and escalation over every registered deadline, once per step.

``reminders_run(today=)`` asks each source (``schedules.registry``) for its open items, decides
for each which step of its cadence is due (``reminder_step``), claims the steps' keys in the
reminder log and only then notifies. The claim is an insert under a unique key, so two beat
ticks, a retried task or two workers at once send every step once.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from notices.models import NoticeKind
from notices.services import notification_send, notifications_send_many
from org.files import files_store
from org.models import Unit
from org.scoping import office_bureau, user_bureau
from review.services import WorkflowError
from review.workflow import EDITOR, OFFICE

from . import registry
from .calendar import WorkCalendar
from .choices import CalendarDayKind, CampaignKind, CampaignState, PhaseCode, TaskState
from .models import (
    Cadence, CalendarDay, Campaign, CampaignTask, ChecklistItem, PersonalCheck, Phase, Reminder, RiskCheck, TaskAnswer,
    TaskFile,
)
from .people import office_of, unit_heads
from .selectors import programme_units

# Used when the office has set no cadence for a kind: the work plan's usual 30/7/1 days,
# the day itself, every 3 days overdue; the unit head after 1 day, the office after 5.
DEFAULT_CADENCE = Cadence(before="30,7,1", on_due_day=True, overdue_every=3, escalate_head_after=1,
                          escalate_office_after=5, working_days=True)


def work_calendar(bureau_id):
    """The bureau's working-day calendar, from the office's list of holidays and 调休 days."""
    days = CalendarDay.objects.filter(bureau_id=bureau_id).values_list("date", "kind")
    return WorkCalendar(
        holidays=frozenset(d for d, k in days if k == CalendarDayKind.HOLIDAY),
        workdays=frozenset(d for d, k in days if k == CalendarDayKind.WORKDAY),
    )


class Cadences:
    """The cadence of (bureau, kind, level) and the bureau's calendar, read once per run."""

    def __init__(self):
        self._rows = {}
        for c in Cadence.objects.all():
            self._rows[(c.bureau_id, c.kind, c.level)] = c
        self._calendars = {}

    def get(self, bureau_id, kind, level):
        return self._rows.get((bureau_id, kind, level)) or self._rows.get((bureau_id, kind, None)) or DEFAULT_CADENCE

    def calendar(self, bureau_id):
        if bureau_id not in self._calendars:
            self._calendars[bureau_id] = work_calendar(bureau_id)
        return self._calendars[bureau_id]

    def horizon(self, today):
        """The furthest due date any cadence reminds of today (calendar days, with room for
        weekends and holidays when a cadence counts working days)."""
        longest = max([max(c.before_days or [0]) for c in [*self._rows.values(), DEFAULT_CADENCE]])
        return today + datetime.timedelta(days=longest * 2 + 30)


@dataclass(frozen=True)
class Step:
    name: str  # part of the log key: before7, due, overdue3, head, office
    audience: str  # "responsible", "head" or "office"
    offset: int  # days to the due date (negative: overdue), as the cadence counts them


def reminder_steps(cadence, offset):
    """The steps of ``cadence`` due at ``offset`` days before the due date (negative: overdue).

    Before the date, the step is the nearest reminder day not yet passed: an item first seen 5
    days before its date gets the 7-day reminder at once and the 1-day one later, and a day
    missed while the system was down is caught up on the next run. The log keeps each step to
    one sending."""
    steps = []
    if offset > 0:
        upcoming = [d for d in cadence.before_days if d >= offset]
        if upcoming:
            steps.append(Step(f"before{min(upcoming)}", "responsible", offset))
    elif offset == 0:
        if cadence.on_due_day:
            steps.append(Step("due", "responsible", offset))
    else:
        late = -offset
        steps.append(Step(f"overdue{late // cadence.overdue_every * cadence.overdue_every or 1}", "responsible", offset))
        if late >= cadence.escalate_head_after:
            steps.append(Step("head", "head", offset))
        if late >= cadence.escalate_office_after:
            steps.append(Step("office", "office", offset))
    return steps


def _message(source, deadline, step):
    names = {"title": deadline.title, "kind": source.label, "due": deadline.due_date.isoformat(),
             "days": abs(step.offset), "unit": deadline.unit_name}
    if step.offset > 0:
        subject = _("提醒：%(kind)s“%(title)s”将于 %(due)s 到期（还有 %(days)s 天）") % names
    elif step.offset == 0:
        subject = _("提醒：%(kind)s“%(title)s”今天（%(due)s）到期") % names
    elif step.audience == "responsible":
        subject = _("逾期提醒：%(kind)s“%(title)s”已于 %(due)s 到期，逾期 %(days)s 天") % names
    elif deadline.unit_name:
        subject = _("逾期督办：%(unit)s的%(kind)s“%(title)s”已逾期 %(days)s 天（期限 %(due)s）") % names
    else:
        subject = _("逾期督办：%(kind)s“%(title)s”已逾期 %(days)s 天（期限 %(due)s）") % names
    body = _("期限：%(due)s。请打开链接办理。") % names
    return subject, body


def _recipients(deadline, step):
    """Who ``step`` tells: the responsible people, or a link of the escalation chain without
    those an earlier link already tells (the office handling an item is its own unit head; a
    head may also be the leader in charge), so nobody gets the same item twice in a day."""
    chain = deadline.escalation or ((), ())
    links = [deadline.responsible, chain[0], chain[1] if len(chain) > 1 else ()]
    upto = {"responsible": 0, "head": 1, "office": 2}[step.audience]
    told = {person.pk for link in links[:upto] for person in link if person is not None}
    seen, unique = set(told), []
    for person in links[upto]:
        if person is not None and person.pk not in seen and person.is_active:
            seen.add(person.pk)
            unique.append(person)
    return unique


def reminder_key(kind, deadline, step):
    return f"{kind}:{deadline.object_key}:{deadline.due_date.isoformat()}:{step.name}"


def reminders_send(*, source, pending, today):
    """Claim the keys of ``pending`` ``(deadline, step)`` pairs and notify their recipients, in
    one transaction; return how many steps this call claimed (a key taken already, by an
    earlier run or one racing this one, is skipped; so is a step with nobody to tell).

    The claim is one ``INSERT … ON CONFLICT (key) DO NOTHING RETURNING``: on PostgreSQL a
    racing insert of the same key waits for this transaction and then inserts nothing."""
    rows = {}
    for deadline, step in pending:
        recipients = _recipients(deadline, step)
        if recipients:
            rows[reminder_key(source.kind, deadline, step)] = (deadline, step, recipients)
    if not rows:
        return 0
    with transaction.atomic():
        claimed = _claim(source, rows, today)
        notes = []
        for log_id, key in claimed:
            deadline, step, recipients = rows[key]
            subject, body = _message(source, deadline, step)
            kind = NoticeKind.REMINDER if step.audience == "responsible" else NoticeKind.ESCALATION
            notes += [dict(recipient=person, subject=subject, body=body, url=deadline.url, kind=kind,
                           key=f"remind:{log_id}:{person.pk}") for person in recipients]
        notifications_send_many(notes)
    return len(claimed)


def _claim(source, rows, today):
    qn = connection.ops.quote_name
    columns = ("key", "kind", "object_key", "due_date", "step", "run_date", "title", "recipients", "created_at")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = []
    for key, (deadline, step, recipients) in rows.items():
        params += [key, source.kind, deadline.object_key, connection.ops.adapt_datefield_value(deadline.due_date),
                   step.name, connection.ops.adapt_datefield_value(today), deadline.title[:200], len(recipients), now]
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Quoted identifiers of the model and placeholders only; every value goes in as a parameter.
    sql = (f"INSERT INTO {qn(Reminder._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # nosec B608
           f"VALUES {', '.join([one] * len(rows))} ON CONFLICT ({qn('key')}) DO NOTHING RETURNING {qn('id')}, {qn('key')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def reminders_run(*, today=None, kinds=None):
    """Send every reminder and escalation due on ``today`` (default: the local date); return how
    many steps were sent. Safe to run any number of times, at once, on any number of workers."""
    today = today or timezone.localdate()
    cadences = Cadences()
    until = cadences.horizon(today)
    sent = 0
    for source in registry.deadline_sources():
        if kinds and source.kind not in kinds:
            continue
        due = ((deadline, step) for deadline in source.items(until)
               for step in _steps_of(cadences, source, deadline, today))
        for batch in _batches(due, 500):
            # Most steps were sent on an earlier run: leave them out with one query per batch.
            taken = set(Reminder.objects.filter(key__in=[reminder_key(source.kind, d, s) for d, s in batch])
                        .values_list("key", flat=True))
            pending = [(d, s) for d, s in batch if reminder_key(source.kind, d, s) not in taken]
            sent += reminders_send(source=source, pending=pending, today=today)
    return sent


def _steps_of(cadences, source, deadline, today):
    cadence = cadences.get(deadline.bureau_id, source.kind, deadline.level)
    offset = cadences.calendar(deadline.bureau_id).offset(today, deadline.due_date, cadence.working_days)
    return reminder_steps(cadence, offset)


def _batches(iterable, size):
    batch = []
    for row in iterable:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def deadlines_of(user, *, today=None, within=30):
    """The user's own open items due within ``within`` days or overdue, soonest first."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=within)
    found = []
    for source in registry.deadline_sources():
        for deadline in source.items(until, user=user):
            found.append((source, deadline))
    found.sort(key=lambda pair: (pair[1].due_date, pair[1].title))
    return found


# --- campaigns ---------------------------------------------------------------------------------

# What the annual self-inspection asks each unit, as the work plan puts it (§三(二)5, §三(三)).
SELF_INSPECTION_CHECKLIST = (
    _noop("本单位廉政风险点是否已全部查找、评定等级并公示"),
    _noop("每个风险点的防控措施是否落实到位、是否有效"),
    _noop("分级管理、分级负责、责任到人是否落实"),
    _noop("岗位廉政风险点档案是否建立并报防控办备案"),
    _noop("各岗位人员廉洁自律、履职情况自查"),
)
# The office's scoring sheet for 检查考核 (结合党风廉政建设责任制考核), 100 marks.
ASSESSMENT_SHEET = (
    (_noop("组织领导与动员部署"), 10), (_noop("清权确权：职权目录与流程图"), 20),
    (_noop("风险点查找与等级评定"), 20), (_noop("防控措施制定与落实"), 25),
    (_noop("预警处置与整改"), 15), (_noop("总结与资料报送"), 10),
)

OPEN_TASK_STATES = (TaskState.OPEN, TaskState.RETURNED)


def _office_only(actor, message):
    return office_bureau(actor, message)


def campaign_default_items(campaign, rows=None):
    """Fill a new campaign's checklist or scoring sheet: ``rows`` of ``(text, full marks)``, or
    the defaults of its kind."""
    if rows:
        pass
    elif campaign.kind == CampaignKind.ASSESSMENT:
        rows = [(str(_(text)), score) for text, score in ASSESSMENT_SHEET]
    elif campaign.kind == CampaignKind.SELF_INSPECTION:
        rows = [(str(_(text)), 0) for text in SELF_INSPECTION_CHECKLIST]
    else:
        rows = []
    ChecklistItem.objects.bulk_create(
        [ChecklistItem(campaign=campaign, order=i, text=text, max_score=score) for i, (text, score) in enumerate(rows, 1)])


def campaign_create(*, actor, campaign, units=(), items=None):
    """Save a new campaign of the actor's bureau (the office's only) with its checklist
    (``items``, or the default of its kind); raises IntegrityError for a duplicate title."""
    campaign.bureau = _office_only(actor, _("只有防控办可以安排检查验收。"))
    if any(u.parent_id != campaign.bureau.pk for u in units):
        raise PermissionDenied(_("只能选择本局的单位。"))
    with transaction.atomic():
        campaign.created_by = actor
        campaign._history_user = actor
        campaign.save()
        campaign.units.set(units)
        campaign_default_items(campaign, items)
    return campaign


def campaign_units(campaign):
    chosen = list(campaign.units.order_by("order", "code"))
    return chosen or programme_units(campaign.bureau_id)


def campaign_open(*, campaign, actor=None):
    """Open ``campaign``: one task per unit, each with a blank answer per checklist line, and the
    unit's head told that the task waits for them. Opening twice creates nothing more."""
    with transaction.atomic():
        if actor is not None:
            bureau = _office_only(actor, _("只有防控办可以开启检查验收。"))
            if bureau.pk != campaign.bureau_id:
                raise PermissionDenied(_("只有防控办可以开启检查验收。"))
        claimed = Campaign.objects.filter(pk=campaign.pk, state__in=[CampaignState.DRAFT, CampaignState.SCHEDULED]) \
            .update(state=CampaignState.OPEN, opened_at=timezone.now())
        if not claimed:
            return []
        campaign.refresh_from_db()
        items = list(campaign.items.all())
        tasks = []
        for unit in campaign_units(campaign):
            task = CampaignTask.objects.create(campaign=campaign, unit=unit)
            TaskAnswer.objects.bulk_create([TaskAnswer(task=task, item=item) for item in items])
            task_rows_take(task=task)
            tasks.append(task)
            for head in unit_heads(unit):
                notification_send(
                    recipient=head, kind=NoticeKind.ASSIGNED, url=task.get_absolute_url(), key=f"task-open:{task.pk}:{head.pk}",
                    subject=_("%(campaign)s 已开始：请于 %(due)s 前完成本单位的任务") % {
                        "campaign": campaign.title, "due": campaign.due_on.isoformat()},
                    body=_("单位：%(unit)s") % {"unit": unit.name})
    return tasks


def campaigns_open_due(*, today=None):
    """Open every scheduled campaign whose start date has come; return the tasks created."""
    today = today or timezone.localdate()
    created = 0
    for campaign in Campaign.objects.filter(state=CampaignState.SCHEDULED, opens_on__lte=today):
        created += len(campaign_open(campaign=campaign))
    return created


def annual_self_inspection_open(*, today=None):
    """Create this year's 年度自查 in every bureau (once: its title is unique per year) and open
    it for a month; return the tasks created."""
    today = today or timezone.localdate()
    created = 0
    for bureau in Unit.objects.filter(parent__isnull=True):
        title = _("%(year)s 年度廉政风险防控自查") % {"year": today.year}
        with transaction.atomic():
            campaign, new = Campaign.objects.get_or_create(
                bureau=bureau, year=today.year, kind=CampaignKind.SELF_INSPECTION, title=title,
                defaults={"opens_on": today, "due_on": today + datetime.timedelta(days=30),
                          "state": CampaignState.SCHEDULED})
            if new:
                campaign_default_items(campaign)
        created += len(campaign_open(campaign=campaign))
    return created


def task_rows_take(*, task):
    """Fix what a self-inspection task goes through, once: a row per control measure of each of
    the unit's risk points in force (``schedules.registry.inspection_rows``) and a personal
    self-check for each holder of one of the unit's posts. Called when the task opens (and, for
    a task opened before, when it is first filled); later changes to risk points, measures or
    posts leave the task as it is."""
    with transaction.atomic():
        claimed = CampaignTask.objects.filter(pk=task.pk, rows_taken_at__isnull=True,
                                              campaign__kind=CampaignKind.SELF_INSPECTION) \
            .update(rows_taken_at=timezone.now())
        if not claimed:
            return False
        RiskCheck.objects.bulk_create([
            RiskCheck(task_id=task.pk, order=n, **{k: row[k] for k in registry.INSPECTION_ROW_KEYS})
            for n, row in enumerate(registry.inspection_rows(task.unit), 1)])
        holders = get_user_model().objects.filter(is_active=True, post__unit_id=task.unit_id).select_related("post")
        PersonalCheck.objects.bulk_create([
            PersonalCheck(task_id=task.pk, person=person, post_name=person.post.name)
            for person in holders.order_by("post__name", "username")])
    task.rows_taken_at = CampaignTask.objects.values_list("rows_taken_at", flat=True).get(pk=task.pk)
    return True


UNVERSIONED = object()  # an action that comes from no form (submit, review): nothing to be stale


def _task_locked(task, actor, lock_version=UNVERSIONED):
    """The task, locked; a form's missing or old version is refused as stale."""
    locked = CampaignTask.objects.select_for_update().select_related("campaign").get(pk=task.pk)
    if lock_version is not UNVERSIONED and locked.lock_version != lock_version:
        raise WorkflowError(_("该任务已被他人修改，请刷新后重新填写。"))
    return locked


def task_refusal(actor, task, action):
    """Why ``actor`` may not ``action`` (fill, submit, review, score) ``task`` now, or ``None``."""
    campaign = task.campaign
    if action in ("fill", "submit"):
        if campaign.kind == CampaignKind.ASSESSMENT:
            return _("检查考核由防控办打分，单位不需填报。")
        if not EDITOR.covers(actor, task.unit_id):
            return _("只有本单位的人员可以填报本单位的任务。")
        if campaign.state != CampaignState.OPEN or task.state not in OPEN_TASK_STATES:
            return _("当前状态为“%(state)s”，不能填报。") % {"state": task.get_state_display()}
        if action == "submit" and campaign.kind == CampaignKind.SUMMARY and not task.summary.strip():
            return _("请先填写书面总结并保存，再提交。")
        return None
    if not OFFICE.covers(actor, task.unit_id):
        return _("只有防控办可以审核和打分。")
    if action == "review" and task.state != TaskState.SUBMITTED:
        return _("只有已提交的任务可以审核。")
    if action == "score" and (campaign.kind != CampaignKind.ASSESSMENT or campaign.state != CampaignState.OPEN):
        return _("只有进行中的检查考核可以打分。")
    return None


def _guard(actor, task, action):
    reason = task_refusal(actor, task, action)
    if reason:
        raise WorkflowError(reason)


FINDING_FIELDS = ("implemented", "effective", "problems", "plan")


def _save_findings(rows, data, actor):
    for row in rows:
        given = data.get(row.pk)
        if given is None or all(getattr(row, f) == given[f] for f in FINDING_FIELDS):
            continue
        for field in FINDING_FIELDS:
            setattr(row, field, given[field])
        row._history_user = actor
        row.save()


def task_fill(*, task, actor, lock_version, summary, answers, checks=None, uploads=()):
    """Save the unit's answers to the checklist (``{answer_id: {implemented, effective,
    problems, plan}}``), to its risk points' measures (``checks``, the same by risk check id),
    its summary and the attachments it adds (成果资料), as a draft of the task. A bad file
    refuses the whole save (``ValidationError``)."""
    with transaction.atomic():
        locked = _task_locked(task, actor, lock_version)
        _guard(actor, locked, "fill")
        task_rows_take(task=locked)
        _save_findings(locked.answers.select_for_update(), answers, actor)
        _save_findings(locked.risk_checks.select_for_update(), checks or {}, actor)
        locked.summary = summary
        locked.lock_version += 1
        locked._history_user = actor
        locked.save()
        files_store(TaskFile, "task", locked, actor, uploads)
    return locked


def task_file_delete(*, stored, actor):
    """Take back an attachment added since the task was last handed in (a wrong file), while
    the task may still be filled; what the office has seen stays, with its file."""
    with transaction.atomic():
        locked = _task_locked(stored.task, actor)
        _guard(actor, locked, "fill")
        stored = TaskFile.objects.select_for_update().filter(pk=stored.pk, task=locked).first()
        if stored is None:
            raise WorkflowError(_("该附件已被删除。"))
        stored.task = locked
        if stored.handed_in:
            raise WorkflowError(_("附件“%(name)s”已随任务提交防控办，不能删除；如需更正请补充上传。") % {
                "name": stored.original_name})
        stored._history_user = actor
        stored.delete()
        locked.lock_version += 1
        locked._history_user = actor
        locked.save()
        transaction.on_commit(lambda: stored.file.delete(save=False))
    return stored


def task_submit(*, task, actor):
    """Hand the task in to the office, who is told."""
    with transaction.atomic():
        locked = _task_locked(task, actor)
        _guard(actor, locked, "submit")
        missing = [str(c.person) for c in locked.personal_checks.filter(filled_at__isnull=True).select_related("person")]
        if missing:
            raise WorkflowError(_("以下岗位人员尚未完成廉洁自律、履职情况自查，暂不能提交：%(names)s") % {
                "names": "、".join(missing)})
        locked.state, locked.submitted_by, locked.submitted_at = TaskState.SUBMITTED, actor, timezone.now()
        locked.lock_version += 1
        locked._history_user = actor
        locked.save()
        for person in office_of(locked.campaign.bureau_id):
            notification_send(
                recipient=person, kind=NoticeKind.REVIEW, url=locked.get_absolute_url(),
                key=f"task-submit:{locked.pk}:{locked.lock_version}:{person.pk}",
                subject=_("%(unit)s 提交了“%(campaign)s”，请审核") % {"unit": locked.unit.name, "campaign": locked.campaign})
    return locked


def task_review(*, task, actor, accept, comment=""):
    """The office accepts the task or returns it (with a comment) to the unit, who is told."""
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = _task_locked(task, actor)
        _guard(actor, locked, "review")
        if not accept and not comment:
            raise WorkflowError(_("退回时必须填写退回意见。"))
        locked.state = TaskState.ACCEPTED if accept else TaskState.RETURNED
        locked.comment = comment
        locked.lock_version += 1
        locked._history_user = actor
        locked.save()
        if locked.submitted_by_id:
            verb = _("已通过") if accept else _("被退回")
            notification_send(
                recipient=locked.submitted_by, kind=NoticeKind.REVIEW, url=locked.get_absolute_url(),
                key=f"task-review:{locked.pk}:{locked.lock_version}",
                subject=_("“%(task)s”%(verb)s") % {"task": locked, "verb": verb}, body=comment)
    return locked


def task_score(*, task, actor, lock_version, scores, comment=""):
    """The office scores a unit against the sheet (``{answer_id: score}``), each within its
    line's full marks; the total is the task's score and the task is done."""
    with transaction.atomic():
        locked = _task_locked(task, actor, lock_version)
        _guard(actor, locked, "score")
        total = 0
        for answer in locked.answers.select_related("item").select_for_update(of=("self",)):
            value = scores.get(answer.pk)
            if value is None:
                raise WorkflowError(_("请为每一项打分。"))
            if value < 0 or value > answer.item.max_score:
                raise WorkflowError(_("“%(item)s”的得分须在 0 到 %(max)s 之间。") % {
                    "item": answer.item.text, "max": answer.item.max_score})
            answer.score = value
            answer._history_user = actor
            answer.save()
            total += value
        locked.score, locked.comment, locked.state = total, (comment or "").strip(), TaskState.ACCEPTED
        locked.lock_version += 1
        locked._history_user = actor
        locked.save()
    return locked


def personal_check_refusal(actor, check):
    """Why ``actor`` may not fill ``check`` now, or ``None``: only the holder, while the unit's
    task is open for filling."""
    task = check.task
    if actor.pk != check.person_id:
        return _("只能填写本人的廉洁自律、履职情况自查。")
    if task.campaign.state != CampaignState.OPEN or task.state not in OPEN_TASK_STATES:
        return _("本单位的自查任务当前为“%(state)s”，不能填写。") % {"state": task.get_state_display()}
    return None


def personal_check_fill(*, check, actor, lock_version, integrity, duty, has_problems):
    """The post holder's own self-check of 廉洁自律 and 履职情况; both answers are required."""
    integrity, duty = (integrity or "").strip(), (duty or "").strip()
    with transaction.atomic():
        locked = PersonalCheck.objects.select_for_update().select_related("task__campaign").get(pk=check.pk)
        if locked.lock_version != lock_version:
            raise WorkflowError(_("该自查已被修改，请刷新后重新填写。"))
        reason = personal_check_refusal(actor, locked)
        if reason:
            raise WorkflowError(reason)
        if not integrity or not duty:
            raise WorkflowError(_("请填写廉洁自律情况和履职情况。"))
        locked.integrity, locked.duty, locked.has_problems = integrity, duty, has_problems
        locked.filled_at = timezone.now()
        locked.lock_version += 1
        locked._history_user = actor
        locked.save()
    return locked


def checklist_refusal(actor, campaign):
    """Why ``actor`` may not change ``campaign``'s checklist or scoring sheet, or ``None``: the
    office's, and only before the campaign opens (its tasks answer the lines as they were)."""
    if not OFFICE.units(actor) or user_bureau(actor) is None or user_bureau(actor).pk != campaign.bureau_id:
        return _("只有防控办可以修改检查内容和评分表。")
    if campaign.state not in (CampaignState.DRAFT, CampaignState.SCHEDULED) or \
            TaskAnswer.objects.filter(item__campaign=campaign).exists():
        return _("检查验收已开启，检查内容和评分表不能再修改。")
    return None


def _checklist_guard(actor, campaign):
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    reason = checklist_refusal(actor, locked)
    if reason:
        raise WorkflowError(reason)
    return locked


def checklist_item_save(*, actor, item):
    """Add a line to a campaign's checklist (at the end) or change one; an assessment's line
    needs its full marks."""
    with transaction.atomic():
        campaign = _checklist_guard(actor, item.campaign)
        if campaign.kind == CampaignKind.ASSESSMENT and not item.max_score:
            raise WorkflowError(_("检查考核的每一项都要有分值。"), field="max_score")
        if item.pk is None:
            last = campaign.items.order_by("-order").values_list("order", flat=True).first() or 0
            item.order = last + 1
        elif not ChecklistItem.objects.filter(pk=item.pk, campaign=campaign).exists():
            raise PermissionDenied(_("只有防控办可以修改检查内容和评分表。"))
        item._history_user = actor
        item.save()
    return item


def _renumber(items, actor):
    for n, row in enumerate(items, 1):
        if row.order != n:
            row.order = n
            row._history_user = actor
            row.save(update_fields=["order"])


def checklist_item_delete(*, actor, item):
    """Remove a line; the others are renumbered 1, 2, 3 …"""
    with transaction.atomic():
        campaign = _checklist_guard(actor, item.campaign)
        item._history_user = actor
        item.delete()
        _renumber(campaign.items.select_for_update().order_by("order", "pk"), actor)


def checklist_item_move(*, actor, item, up):
    """Move a line one place up or down; the lines are renumbered 1, 2, 3 …"""
    with transaction.atomic():
        campaign = _checklist_guard(actor, item.campaign)
        items = list(campaign.items.select_for_update().order_by("order", "pk"))
        at = next(i for i, row in enumerate(items) if row.pk == item.pk)
        to = at - 1 if up else at + 1
        if 0 <= to < len(items):
            items[at], items[to] = items[to], items[at]
        _renumber(items, actor)


# --- the programme's phases, the calendar, the cadences and the beat entries (the office's) ------

# The work plan's timeline (§三): (phase, start month/day, end month/day, year offset, hand-in).
PHASE_TIMELINE = (
    (PhaseCode.MOBILISE, (6, 1), (6, 10), 0, _noop("动员部署会议纪要、本单位实施方案")),
    (PhaseCode.POWERS, (6, 11), (8, 10), 0, _noop("职权目录、权力运行流程图（集体审定、分管领导审批）")),
    (PhaseCode.RISKS, (8, 11), (9, 20), 0, _noop("廉政风险点及等级评定")),
    (PhaseCode.PUBLISH, (9, 21), (10, 10), 0, _noop("廉政风险点目录公示")),
    (PhaseCode.MEASURES, (10, 21), (12, 31), 0, _noop("一对一防控措施、岗位权力行使风险防控一览表")),
    (PhaseCode.HANDLING, (10, 21), (12, 31), 0, _noop("岗位廉政风险点档案、预警处置记录")),
    (PhaseCode.SUMMARY, (1, 1), (1, 31), 1, _noop("书面总结和成果资料")),
    (PhaseCode.ASSESSMENT, (2, 1), (2, 28), 1, _noop("迎接检查考核")),
)


def phases_ensure(*, bureau, year):
    """The year's phases of ``bureau``, created from the work plan's timeline where missing."""
    for code, start, end, shift, deliverable in PHASE_TIMELINE:
        Phase.objects.get_or_create(
            bureau=bureau, year=year, code=code,
            defaults={"starts_on": datetime.date(year + shift, *start), "ends_on": datetime.date(year + shift, *end),
                      "deliverable": str(_(deliverable))})
    return Phase.objects.filter(bureau=bureau, year=year)


def _office_row(actor, row, message):
    bureau = _office_only(actor, message)
    if row.pk and row.bureau_id != bureau.pk:
        raise PermissionDenied(message)
    row.bureau = bureau
    row._history_user = actor
    return row


def phase_save(*, actor, phase):
    with transaction.atomic():
        _office_row(actor, phase, _("只有防控办可以调整工作阶段。")).save()
    return phase


def calendar_day_save(*, actor, day):
    with transaction.atomic():
        day = _office_row(actor, day, _("只有防控办可以维护节假日和调休。"))
        if CalendarDay.objects.filter(bureau=day.bureau, date=day.date).exclude(pk=day.pk).exists():
            raise WorkflowError(_("%(date)s 已在日历中。") % {"date": day.date.isoformat()}, field="date")
        day.save()
    return day


def calendar_day_delete(*, actor, day):
    with transaction.atomic():
        _office_row(actor, day, _("只有防控办可以维护节假日和调休。"))
        day.delete()


def cadence_save(*, actor, cadence):
    with transaction.atomic():
        cadence = _office_row(actor, cadence, _("只有防控办可以设置提醒频次。"))
        twin = Cadence.objects.filter(bureau=cadence.bureau, kind=cadence.kind, level=cadence.level).exclude(pk=cadence.pk)
        if twin.exists():
            raise WorkflowError(_("该事项类型和等级的提醒频次已设置，请直接修改。"), field="level")
        cadence.save()
    return cadence


def schedule_save(*, actor, entry, minute, hour, day_of_month, month_of_year, enabled):
    """Change one of the programme's beat entries (``schedules.periodic``): its time and whether
    it runs. Beat's database scheduler sees the change on its next tick."""
    from django_celery_beat.models import CrontabSchedule

    from .periodic import PERIODIC_TASKS

    _office_only(actor, _("只有防控办可以修改定时任务。"))
    if entry.task not in {task for _n, task, *_rest in PERIODIC_TASKS}:
        raise PermissionDenied(_("只有防控办可以修改定时任务。"))
    with transaction.atomic():
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=str(minute), hour=str(hour), day_of_month=day_of_month, month_of_year=month_of_year,
            day_of_week="*", timezone=settings.TIME_ZONE)
        entry.crontab, entry.enabled = crontab, enabled
        entry.save()
    return entry
