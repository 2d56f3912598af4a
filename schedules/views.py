from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from django_celery_beat.models import PeriodicTask

from org.files import stored_file_response
from org.inputs import parse_int
from org.scoping import user_bureau
from review.services import WorkflowError
from review.workflow import OFFICE

from . import registry
from .choices import CampaignKind, CampaignState
from .forms import (
    CadenceForm, CalendarDayForm, CampaignForm, ChecklistItemForm, PersonalCheckForm, PhaseForm, ScheduleForm, TaskFillForm,
    TaskReviewForm, TaskScoreForm,
)
from .models import Cadence, CalendarDay, ChecklistItem, PersonalCheck, Phase, TaskFile
from .periodic import PERIODIC_TASKS
from .selectors import campaigns_for, phase_units_progress, phases_for, programme_units, tasks_for
from .services import (
    cadence_save, calendar_day_delete, calendar_day_save, campaign_create, campaign_open, checklist_item_delete,
    checklist_item_move, checklist_item_save, checklist_refusal, deadlines_of, personal_check_fill, personal_check_refusal,
    phase_save, phases_ensure, schedule_save, task_file_delete, task_fill, task_refusal, task_review, task_score,
    task_submit,
)


def _is_office(user):
    return bool(OFFICE.units(user))


def _refused(request, exc, target):
    messages.error(request, str(getattr(exc, "message", None) or exc))
    return redirect(target)


@require_GET
def my_deadlines(request):
    today = timezone.localdate()
    rows = [{"source": s, "deadline": d, "days": (d.due_date - today).days,
             "late": (today - d.due_date).days} for s, d in deadlines_of(request.user, within=60)]
    return render(request, "schedules/my_deadlines.html", {"rows": rows})


# --- campaigns ---------------------------------------------------------------------------------

@require_GET
def campaign_list(request):
    qs = campaigns_for(request.user).order_by("-year", "-opens_on", "-pk")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "schedules/campaign_list.html", {"page_obj": page, "is_office": _is_office(request.user)})


class CampaignCreateView(View):
    def form(self, request, data=None):
        bureau = user_bureau(request.user)
        if not _is_office(request.user) or bureau is None:
            raise PermissionDenied(_("只有防控办可以安排检查验收。"))
        from org.models import Unit

        units = Unit.objects.filter(parent=bureau).order_by("order", "code")
        initial = {"year": timezone.localdate().year, "opens_on": timezone.localdate(), "kind": CampaignKind.SELF_INSPECTION}
        return CampaignForm(data, units=units, initial=initial)

    def get(self, request):
        return render(request, "schedules/campaign_form.html", {"form": self.form(request)})

    def post(self, request):
        form = self.form(request, request.POST)
        if form.is_valid():
            campaign = form.save(commit=False)
            campaign.state = CampaignState.SCHEDULED if form.cleaned_data["schedule"] else CampaignState.DRAFT
            try:
                campaign_create(actor=request.user, campaign=campaign, units=form.cleaned_data["units"],
                                items=form.cleaned_data["checklist"])
            except IntegrityError:
                form.add_error("title", _("本年度已有同名同类的检查验收。"))
            else:
                messages.success(request, _("已保存：%(c)s") % {"c": campaign})
                return redirect(campaign)
        return render(request, "schedules/campaign_form.html", {"form": form})


@require_GET
def campaign_detail(request, pk):
    campaign = get_object_or_404(campaigns_for(request.user), pk=pk)
    tasks = tasks_for(request.user).filter(campaign=campaign).order_by("unit__order", "unit__code")
    return render(request, "schedules/campaign_detail.html", {
        "object": campaign, "tasks": tasks, "items": campaign.items.all(), "is_office": _is_office(request.user),
        "may_open": _is_office(request.user) and campaign.state in (CampaignState.DRAFT, CampaignState.SCHEDULED),
        "may_edit_items": _is_office(request.user) and checklist_refusal(request.user, campaign) is None,
    })


@require_POST
def campaign_open_view(request, pk):
    campaign = get_object_or_404(campaigns_for(request.user), pk=pk)
    try:
        tasks = campaign_open(campaign=campaign, actor=request.user)
    except PermissionDenied as exc:
        return _refused(request, exc, campaign)
    messages.success(request, _("已开启，建立了 %(n)s 项单位任务。") % {"n": len(tasks)})
    return redirect(campaign)


class TaskView(View):
    """A unit's task: the unit fills and submits it; the office reviews or scores it. A
    self-inspection also goes through the unit's risk points' measures and shows the post
    holders' own self-checks (each to those who may read it)."""

    def rows(self, task):
        return list(task.answers.select_related("item")), list(task.risk_checks.all())

    def context(self, request, task, fill=None, score=None):
        answers, checks = self.rows(task)
        user = request.user
        may_fill = task_refusal(user, task, "fill") is None
        may_score = task_refusal(user, task, "score") is None
        actions = registry.finding_actions(user, task, answers + checks)
        for row in answers + checks:
            row.actions = actions.get(row.finding_key, [])
        personal = list(PersonalCheck.objects.for_user(user).filter(task=task).select_related("person"))
        counts = task.personal_checks.aggregate(total=Count("pk"), filled=Count("pk", filter=Q(filled_at__isnull=False)))
        return {
            "object": task, "campaign": task.campaign, "answers": answers, "checks": checks,
            "files": task.files.select_related("uploaded_by"), "may_fill": may_fill,
            "personal": personal, "personal_counts": counts,
            "mine": next((c for c in personal if c.person_id == user.pk), None),
            "fill_form": fill or (TaskFillForm(answers=answers, checks=checks, lock_item=task,
                                               initial={"summary": task.summary}) if may_fill else None),
            "may_submit": task_refusal(user, task, "submit") is None,
            "review_form": TaskReviewForm() if task_refusal(user, task, "review") is None else None,
            "score_form": score or (TaskScoreForm(answers=answers, lock_item=task, initial={"comment": task.comment})
                                    if may_score else None),
        }

    def task(self, request, pk):
        return get_object_or_404(tasks_for(request.user), pk=pk)

    def get(self, request, pk):
        task = self.task(request, pk)
        return render(request, "schedules/task_detail.html", self.context(request, task))

    def post(self, request, pk):
        task = self.task(request, pk)
        answers, checks = self.rows(task)
        form = TaskFillForm(request.POST, request.FILES, answers=answers, checks=checks, lock_item=task)
        if form.is_valid():
            try:
                task_fill(task=task, actor=request.user, lock_version=form.cleaned_data["lock_version"],
                          summary=form.cleaned_data["summary"], answers=form.answers_data(), checks=form.checks_data(),
                          uploads=form.cleaned_data["files"])
            except WorkflowError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error("files", exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(task)
        return render(request, "schedules/task_detail.html", self.context(request, task, fill=form), status=200)


class PersonalCheckView(View):
    """A post holder's own 廉洁自律、履职情况 self-check: the holder fills it while the unit's
    task is open; the unit head and the office read it."""

    def check(self, request, pk):
        return get_object_or_404(PersonalCheck.objects.for_user(request.user)
                                 .select_related("task__campaign", "task__unit", "person"), pk=pk)

    def render_page(self, request, check, form=None):
        reason = personal_check_refusal(request.user, check)
        if form is None and reason is None:
            form = PersonalCheckForm(lock_item=check, initial={
                "integrity": check.integrity, "duty": check.duty, "has_problems": check.has_problems})
        return render(request, "schedules/personal_check.html", {
            "object": check, "task": check.task, "form": form,
            "refusal": reason if check.person_id == request.user.pk else None})

    def get(self, request, pk):
        return self.render_page(request, self.check(request, pk))

    def post(self, request, pk):
        check = self.check(request, pk)
        if check.person_id != request.user.pk:
            raise PermissionDenied(_("只能填写本人的廉洁自律、履职情况自查。"))
        form = PersonalCheckForm(request.POST, lock_item=check)
        if form.is_valid():
            try:
                personal_check_fill(check=check, actor=request.user, lock_version=form.cleaned_data["lock_version"],
                                    **{k: form.cleaned_data[k] for k in ("integrity", "duty", "has_problems")})
            except WorkflowError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存本人的自查。"))
                return redirect(check.task)
        return self.render_page(request, check, form)


# --- the checklist or scoring sheet of a campaign, the office's while it is a draft --------------

def _office_campaign(request, pk):
    campaign = get_object_or_404(campaigns_for(request.user), pk=pk)
    if not _is_office(request.user):
        raise PermissionDenied(_("只有防控办可以修改检查内容和评分表。"))
    return campaign


def _office_item(request, pk):
    item = get_object_or_404(ChecklistItem.objects.filter(campaign__in=campaigns_for(request.user))
                             .select_related("campaign"), pk=pk)
    if not _is_office(request.user):
        raise PermissionDenied(_("只有防控办可以修改检查内容和评分表。"))
    return item


class ChecklistView(View):
    """The lines of a campaign's checklist (自查) or scoring sheet (检查考核): the office adds,
    changes, moves and removes them until the campaign opens."""

    def render_page(self, request, campaign, form=None, editing=None):
        reason = checklist_refusal(request.user, campaign)
        if form is None and reason is None:
            form = ChecklistItemForm(instance=editing, scored=campaign.scored)
        return render(request, "schedules/checklist.html", {
            "object": campaign, "items": campaign.items.all(), "form": form if reason is None else None,
            "refusal": reason, "editing": editing})

    def get(self, request, pk):
        return self.render_page(request, _office_campaign(request, pk))

    def post(self, request, pk):
        campaign = _office_campaign(request, pk)
        return _item_save(request, campaign, ChecklistItem(campaign=campaign), self)


def _item_save(request, campaign, item, page):
    form = ChecklistItemForm(request.POST, instance=item, scored=campaign.scored)
    if form.is_valid():
        try:
            checklist_item_save(actor=request.user, item=form.save(commit=False))
        except WorkflowError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("schedules:checklist", pk=campaign.pk)
    return page.render_page(request, campaign, form, editing=item if item.pk else None)


class ChecklistItemView(ChecklistView):
    def get(self, request, pk):
        item = _office_item(request, pk)
        return self.render_page(request, item.campaign, editing=item)

    def post(self, request, pk):
        item = _office_item(request, pk)
        return _item_save(request, item.campaign, item, self)


@require_POST
def checklist_item_delete_view(request, pk):
    item = _office_item(request, pk)
    try:
        checklist_item_delete(actor=request.user, item=item)
    except WorkflowError as exc:
        return _refused(request, exc, reverse("schedules:checklist", args=[item.campaign_id]))
    messages.success(request, _("已删除：%(text)s") % {"text": item.text})
    return redirect("schedules:checklist", pk=item.campaign_id)


@require_POST
def checklist_item_move_view(request, pk):
    item = _office_item(request, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("请选择上移或下移。"))
        return redirect("schedules:checklist", pk=item.campaign_id)
    try:
        checklist_item_move(actor=request.user, item=item, up=direction == "up")
    except WorkflowError as exc:
        return _refused(request, exc, reverse("schedules:checklist", args=[item.campaign_id]))
    return redirect("schedules:checklist", pk=item.campaign_id)


def _task_file(request, stored_id):
    return get_object_or_404(TaskFile.objects.for_user(request.user).select_related("task"), stored_id=stored_id)


@require_GET
def task_file_view(request, stored_id):
    """An attachment, to whoever may open its task; anyone else gets 404."""
    return stored_file_response(_task_file(request, stored_id))


@require_POST
def task_file_delete_view(request, stored_id):
    stored = _task_file(request, stored_id)
    try:
        task_file_delete(stored=stored, actor=request.user)
    except WorkflowError as exc:
        return _refused(request, exc, stored.task)
    messages.success(request, _("已删除附件“%(name)s”。") % {"name": stored.original_name})
    return redirect(stored.task)


@require_POST
def task_submit_view(request, pk):
    task = get_object_or_404(tasks_for(request.user), pk=pk)
    try:
        task_submit(task=task, actor=request.user)
    except WorkflowError as exc:
        return _refused(request, exc, task)
    messages.success(request, _("已提交防控办。"))
    return redirect(task)


@require_POST
def task_review_view(request, pk):
    task = get_object_or_404(tasks_for(request.user), pk=pk)
    form = TaskReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
        return redirect(task)
    try:
        task_review(task=task, actor=request.user, accept=form.cleaned_data["decision"] == "accept",
                    comment=form.cleaned_data["comment"])
    except WorkflowError as exc:
        return _refused(request, exc, task)
    messages.success(request, _("已审核。"))
    return redirect(task)


@require_POST
def task_score_view(request, pk):
    task = get_object_or_404(tasks_for(request.user), pk=pk)
    reason = task_refusal(request.user, task, "score")
    if reason:
        raise PermissionDenied(reason)
    answers = list(task.answers.select_related("item"))
    form = TaskScoreForm(request.POST, answers=answers, lock_item=task)
    if form.is_valid():
        try:
            task_score(task=task, actor=request.user, lock_version=form.cleaned_data["lock_version"],
                       scores=form.scores(), comment=form.cleaned_data["comment"])
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已打分。"))
            return redirect(task)
    return render(request, "schedules/task_detail.html", TaskView().context(request, task, score=form))


# --- phases ------------------------------------------------------------------------------------

@require_GET
def phase_list(request):
    today = timezone.localdate()
    year = parse_int(request.GET.get("year"), min_value=2000, max_value=2100) or today.year
    bureau = user_bureau(request.user)
    if bureau is not None and _is_office(request.user) and not Phase.objects.filter(bureau=bureau, year=year).exists():
        phases_ensure(bureau=bureau, year=year)
    phases = list(phases_for(request.user).filter(year=year).order_by("starts_on", "pk"))
    units = programme_units(bureau.pk) if bureau else []
    rows = []
    for phase in phases:
        progress = phase_units_progress(phase, units)
        measured = registry.phase_progress(phase.code) is not None
        done = sum(1 for r in progress if r["done"])
        rows.append({"phase": phase, "measured": measured, "done": done, "units": len(units),
                     "current": phase.starts_on <= today <= phase.ends_on})
    return render(request, "schedules/phase_list.html", {"rows": rows, "year": year, "is_office": _is_office(request.user)})


class PhaseView(View):
    def phase(self, request, pk):
        return get_object_or_404(phases_for(request.user), pk=pk)

    def render_page(self, request, phase, form=None):
        if form is None and _is_office(request.user):
            form = PhaseForm(instance=phase)
        return render(request, "schedules/phase_detail.html", {
            "object": phase, "form": form, "progress": phase_units_progress(phase),
            "measured": registry.phase_progress(phase.code) is not None})

    def get(self, request, pk):
        return self.render_page(request, self.phase(request, pk))

    def post(self, request, pk):
        phase = self.phase(request, pk)
        form = PhaseForm(request.POST, instance=phase)
        if form.is_valid():
            phase_save(actor=request.user, phase=form.save(commit=False))
            messages.success(request, _("已保存。"))
            return redirect(phase)
        return self.render_page(request, phase, form)


# --- the office's settings: calendar, cadences, beat entries -------------------------------------

class CalendarView(View):
    def render_page(self, request, form=None):
        days = CalendarDay.objects.for_user(request.user).order_by("-date")
        page = Paginator(days, 50).get_page(request.GET.get("page"))
        if form is None and _is_office(request.user):
            form = CalendarDayForm()
        return render(request, "schedules/calendar.html", {"page_obj": page, "form": form})

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            try:
                calendar_day_save(actor=request.user, day=form.save(commit=False))
            except WorkflowError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("已保存。"))
                return redirect("schedules:calendar")
        return self.render_page(request, form)


@require_POST
def calendar_delete(request, pk):
    day = get_object_or_404(CalendarDay.objects.for_user(request.user), pk=pk)
    calendar_day_delete(actor=request.user, day=day)
    messages.success(request, _("已删除。"))
    return redirect("schedules:calendar")


def _kinds():
    return [(s.kind, s.label) for s in registry.deadline_sources()]


class CadenceView(View):
    """The office's cadences: the list, a form to add one, and (``pk``) a form to change one."""

    def row(self, request, pk):
        return get_object_or_404(Cadence.objects.for_user(request.user), pk=pk) if pk else None

    def render_page(self, request, form=None, row=None):
        labels = dict(_kinds())
        rows = [(c, labels.get(c.kind, c.kind)) for c in Cadence.objects.for_user(request.user).order_by("kind", "level")]
        if form is None and _is_office(request.user):
            form = CadenceForm(instance=row, kinds=_kinds())
        return render(request, "schedules/cadences.html", {"rows": rows, "form": form, "editing": row})

    def get(self, request, pk=None):
        return self.render_page(request, row=self.row(request, pk))

    def post(self, request, pk=None):
        row = self.row(request, pk)
        form = CadenceForm(request.POST, instance=row, kinds=_kinds())
        if form.is_valid():
            try:
                cadence_save(actor=request.user, cadence=form.save(commit=False))
            except WorkflowError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("已保存。"))
                return redirect("schedules:cadences")
        return self.render_page(request, form, row)


def _entries():
    return PeriodicTask.objects.filter(task__in=[t for _n, t, *_r in PERIODIC_TASKS]).select_related("crontab").order_by("pk")


class ScheduleView(View):
    """The programme's beat entries; the office changes when each runs."""

    def render_page(self, request, forms=None):
        if not user_bureau(request.user):
            raise PermissionDenied(_("只有本局人员可以查看定时任务。"))
        office = _is_office(request.user)
        rows = []
        for entry in _entries():
            c = entry.crontab
            initial = {"minute": c.minute if c else 0, "hour": c.hour if c else 8, "enabled": entry.enabled,
                       "day_of_month": c.day_of_month if c else "*", "month_of_year": c.month_of_year if c else "*"}
            form = (forms or {}).get(entry.pk) or (ScheduleForm(initial=initial, prefix=f"e{entry.pk}") if office else None)
            rows.append({"entry": entry, "form": form})
        return render(request, "schedules/periodic.html", {"rows": rows})

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        pk = parse_int(request.POST.get("entry"))
        entry = get_object_or_404(_entries(), pk=pk) if pk else None
        if entry is None:
            messages.error(request, _("请选择定时任务。"))
            return redirect("schedules:periodic")
        form = ScheduleForm(request.POST, prefix=f"e{entry.pk}")
        if form.is_valid():
            schedule_save(actor=request.user, entry=entry, **form.cleaned_data)
            messages.success(request, _("已保存：%(name)s") % {"name": entry.name})
            return redirect("schedules:periodic")
        return self.render_page(request, {entry.pk: form})
