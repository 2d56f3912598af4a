"""The public site (no login) and the office's publication pages."""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import condition
from django.views.decorators.vary import vary_on_cookie

from org.client import client_ip
from org.inputs import parse_int, search_term, single_line
from org.models import Unit
from org.scoping import office_bureau
from powers.choices import PowerCategory
from powers.flowchart import FlowchartError, render_flow_svg
from powers.flows import statutory_total
from review.services import WorkflowError
from review.workflow import OFFICE
from riskpoints.choices import RiskLevel

from . import hooks
from .forms import OpinionForm, PublicationForm, WithdrawForm, new_challenge
from .models import EntryKind, Publication, PublicationState
from .selectors import current_entries, current_unit_counts, entry_keyword_q, last_change
from monitoring.forms import LookupForm

from .services import (
    opinion_lookup, opinion_submit, publication_preview, publication_publish, publication_save, publication_withdraw,
)


def _etag(request, *args, **kwargs):
    # Content changes when a publication is published or withdrawn, when one starts or ends,
    # and with the visitor's language: a browser that switches language must not get a 304.
    if not hasattr(request, "_public_etag"):
        changed = last_change()
        request._public_etag = f"{changed.timestamp() if changed else 0}-{timezone.localdate():%Y%m%d}-{get_language()}"
    return request._public_etag


def _cached(get):
    """Keep the rendered page in the shared cache until the published content changes.

    The key holds the ETag (content and language), the path and the query. A page is stored
    only when nothing in it belongs to one visitor: a page that used a CSRF token, set a cookie
    or was shown to a signed-in user is served fresh, never copied to the next visitor.
    """
    @wraps(get)
    def wrapper(self, request, *args, **kwargs):
        key = "public-page:" + hashlib.sha256(
            f"{_etag(request)}|{request.path}|{sorted(request.GET.lists())}".encode()).hexdigest()
        response = cache.get(key)
        if response is None:
            response = get(self, request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code == 200 and _shareable(request, response):
                cache.set(key, response, PUBLIC_CACHE_SECONDS)
        return response

    return wrapper


def _shareable(request, response):
    return not (request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies or request.user.is_authenticated)


PUBLIC_CACHE_SECONDS = 3600


def public_page(cls=None, *, cached=True):
    """No login, a conditional GET (ETag) for browsers and proxies, and a server-side copy."""
    def decorate(cls):
        if cached:
            cls.get = _cached(cls.get)
        cls = method_decorator(login_not_required, name="dispatch")(cls)
        # The language comes from the visitor's cookie or Accept-Language (LocaleMiddleware
        # adds the latter to Vary); a proxy must not hand one visitor's language to another.
        cls = method_decorator(vary_on_cookie, name="get")(cls)
        return method_decorator(condition(etag_func=_etag), name="get")(cls)

    return decorate(cls) if cls is not None else decorate


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, where a kept count says so, instead of
    counting them again (``count`` is Django's cached property: priming it skips the query)."""

    def __init__(self, object_list, per_page, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count


@public_page
class HomeView(View):
    def get(self, request):
        current = Publication.objects.current().order_by("-published_at")
        return render(request, "public/home.html", {
            "publications": current,
            "power_count": sum(current_unit_counts(EntryKind.POWER).values()),
            "risk_count": sum(current_unit_counts(EntryKind.RISK).values()),
        })


class CatalogueView(View):
    kind = None
    template_name = None
    paginate_by = 30

    def filtered(self, request):
        entries = current_entries(self.kind)
        q = search_term(request.GET.get("q"))
        if q:
            entries = entries.filter(entry_keyword_q(q))
        unit = parse_int(request.GET.get("unit"))
        if unit is not None:  # anything but an id is ignored
            entries = entries.filter(unit_id=unit)
        return entries, q, unit

    def get(self, request):
        entries, q, unit = self.filtered(request)
        extra = self.narrow(request, entries)
        narrowed = extra.pop("entries", entries)
        counts = current_unit_counts(self.kind)
        # Without a keyword or another filter, the kept per-unit counts are the list's length.
        known = None if q or narrowed is not entries else (counts.get(unit, 0) if unit is not None else sum(counts.values()))
        page = CountedPaginator(narrowed.order_by("unit_order", "code"), self.paginate_by, count=known).get_page(
            request.GET.get("page"))
        units = [(u, counts[u.pk]) for u in Unit.objects.filter(pk__in=counts).order_by("order", "code")]
        return render(request, self.template_name, {
            "page_obj": page, "q": q, "units": units, "unit": request.GET.get("unit", ""), **extra,
        })

    def narrow(self, request, entries):
        return {}


@public_page
class PowerCatalogueView(CatalogueView):
    kind = EntryKind.POWER
    template_name = "public/powers.html"

    def narrow(self, request, entries):
        category = request.GET.get("category", "")
        if category in PowerCategory.values:
            entries = entries.filter(category=category)
        return {"entries": entries, "category": category, "categories": PowerCategory.choices}


@public_page
class RiskCatalogueView(CatalogueView):
    kind = EntryKind.RISK
    template_name = "public/risks.html"

    def narrow(self, request, entries):
        level = request.GET.get("level", "")
        if level in ("1", "2", "3"):
            entries = entries.filter(level=int(level))
        return {"entries": entries, "level": level, "levels": RiskLevel.choices}


class EntryView(View):
    kind = None
    template_name = None

    def entry(self, code):
        if code != single_line(code):  # no code holds a control character; NUL would reach the database
            raise Http404
        entry = current_entries(self.kind).filter(code=code).first()
        if entry is None:
            raise Http404
        return entry

    def context(self, entry):
        return {}

    def get(self, request, code, form=None):
        """The page with the opinion form; a refused ``form`` is shown again with its text and
        errors, and every showing gets a new challenge."""
        entry = self.entry(code)
        question, token = new_challenge()
        return render(request, self.template_name, {
            "entry": entry, "d": entry.data, "form": form or OpinionForm(),
            "challenge": question, "challenge_token": token, "links": hooks.links(entry), **self.context(entry),
        })


@public_page(cached=False)  # carries the opinion form and its CSRF token
class PowerView(EntryView):
    kind = EntryKind.POWER
    template_name = "public/power.html"

    def context(self, entry):
        flow = entry.data["flow"]
        try:
            # render_flow_svg escapes every text and attribute it writes.
            svg = mark_safe(render_flow_svg(flow, title=entry.title)) if flow["steps"] else ""  # nosec B308 B703
        except FlowchartError:
            svg = ""
        # The risk points that sit on this power, as the public sees them (their own copies).
        risks = current_entries(EntryKind.RISK).filter(data__power__code=entry.code).order_by("code")
        return {"flow_svg": svg, "flow_total": statutory_total(flow) if flow["steps"] else None, "risks": risks}


@public_page(cached=False)
class RiskView(EntryView):
    kind = EntryKind.RISK
    template_name = "public/risk.html"

    def context(self, entry):
        power = entry.data.get("power")
        # Link the power only while its own page is public (a current publication shows it).
        return {"power_public": bool(power) and current_entries(EntryKind.POWER).filter(code=power["code"]).exists()}


@method_decorator(login_not_required, name="dispatch")
class OpinionView(View):
    """A visitor's opinion on a published power or risk point; it reaches the office as risk
    information. The visitor sees a reference number, never anyone else's opinions."""

    http_method_names = ["post"]
    views = {"power": PowerView, "risk": RiskView}

    def post(self, request, kind, code):
        if kind not in self.views:
            raise Http404
        view = self.views[kind]()
        entry = view.entry(code)
        form = OpinionForm(request.POST)
        if form.is_valid():
            try:
                info = opinion_submit(entry=entry, text=form.cleaned_data["text"], contact=form.cleaned_data["contact"],
                                      ip=client_ip(request))
            except WorkflowError as exc:
                form.add_error(None, exc.message)
            else:
                return render(request, "public/thanks.html", {"entry": entry, "reference": info.reference,
                                                              "lookup_code": info.lookup_code})
        response = view.get(request, code, form=form)
        response.status_code = 400
        return response


@method_decorator(login_not_required, name="dispatch")
class OpinionLookupView(View):
    """A visitor reads the state of their own opinion with its reference and secret code. A
    POST, so that the code stays out of addresses, logs and the language switch's links."""

    def render(self, request, form, result=None, status=200):
        response = render(request, "public/lookup.html", {"form": form, "result": result}, status=status)
        response["Cache-Control"] = "private, no-store"
        return response

    def get(self, request):
        return self.render(request, LookupForm())

    def post(self, request):
        form = LookupForm(request.POST)
        result = None
        if form.is_valid():
            try:
                result = opinion_lookup(ip=client_ip(request), **form.cleaned_data)
            except WorkflowError as exc:
                form.add_error(None, exc.message)
            else:
                if result is None:
                    form.add_error(None, _("编号或查询码不正确。"))
        return self.render(request, form, result, status=200 if result else 400)


@public_page
class ArchiveView(View):
    def get(self, request):
        today = timezone.localdate()
        past = Publication.objects.exclude(state=PublicationState.DRAFT).exclude(
            pk__in=Publication.objects.current(today)).order_by("-published_at")
        return render(request, "public/archive.html", {"publications": past, "today": today})


@public_page
class PublicationView(View):
    """One released publication: its period, state, the units it covers and what it holds."""

    def get(self, request, pk):
        pub = get_object_or_404(Publication.objects.exclude(state=PublicationState.DRAFT).select_related("bureau"), pk=pk)
        rows, totals = _entry_counts(pub)
        units = [pub.bureau] if pub.all_units else list(pub.units.order_by("order", "code"))
        return render(request, "public/publication.html", {
            "publication": pub, "rows": rows, "counts": totals, "units": units, "today": timezone.localdate(),
            "links": hooks.links(pub)})


@method_decorator(login_not_required, name="dispatch")
class LanguageView(View):
    """The public site's language switch: a plain link, so that the cached pages that carry it
    hold no per-visitor CSRF token. It only sets the visitor's own display preference."""

    def get(self, request, code):
        if code not in dict(settings.LANGUAGES):
            raise Http404
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = reverse("public:home")
        response = redirect(target)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite="Lax", secure=request.is_secure())
        return response


# --- the office's pages ---------------------------------------------------------------------------

class OfficeMixin:
    def bureau(self, request):
        return office_bureau(request.user, _("只有防控办可以管理公示。"))

    def units(self, request):
        return Unit.objects.filter(pk__in=OFFICE.units(request.user)).order_by("order", "code")


class PublicationListView(OfficeMixin, View):
    def get(self, request):
        self.bureau(request)
        pubs = Publication.objects.for_user(request.user).annotate(n=Count("entries")).order_by("-created_at")
        return render(request, "public/admin_list.html", {"publications": pubs})


class PublicationEditView(OfficeMixin, View):
    def get_object(self, request, pk):
        self.bureau(request)
        return get_object_or_404(Publication.objects.for_user(request.user), pk=pk) if pk else Publication()

    def get(self, request, pk=None):
        pub = self.get_object(request, pk)
        initial = {} if pk else {"starts_on": timezone.localdate(), "title": _("%(y)s 年度职权目录和廉政风险点公示") % {"y": timezone.localdate().year}}
        form = PublicationForm(instance=pub, initial=initial, units=self.units(request))
        return render(request, "public/admin_form.html", {"form": form, "object": pub if pk else None})

    def post(self, request, pk=None):
        pub = self.get_object(request, pk)
        form = PublicationForm(request.POST, instance=pub, units=self.units(request))
        if form.is_valid():
            try:
                pub = publication_save(actor=request.user, publication=form.save(commit=False), units=form.cleaned_data["units"])
            except WorkflowError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存公示草稿。"))
                return redirect(pub)
        return render(request, "public/admin_form.html", {"form": form, "object": pub if pk else None})


def _entry_counts(publication):
    """Per unit, how many powers and risk points a released publication froze."""
    counts = {}
    for unit_id, kind, n in publication.entries.values_list("unit", "kind").annotate(n=Count("pk")).order_by():
        counts.setdefault(unit_id, {EntryKind.POWER: 0, EntryKind.RISK: 0})[kind] = n
    units = Unit.objects.filter(pk__in=counts).order_by("order", "code")
    rows = [(u, counts[u.pk][EntryKind.POWER], counts[u.pk][EntryKind.RISK]) for u in units]
    return rows, {kind: sum(c[kind] for c in counts.values()) for kind in EntryKind.values}


class PublicationDetailView(OfficeMixin, View):
    def get(self, request, pk):
        self.bureau(request)
        pub = get_object_or_404(Publication.objects.for_user(request.user).select_related("previous"), pk=pk)
        if pub.state == PublicationState.DRAFT:
            # What releasing it now would freeze, counted by the code that freezes it.
            rows, totals = publication_preview(pub)
        else:
            rows, totals = _entry_counts(pub)
        return render(request, "public/admin_detail.html", {
            "object": pub, "rows": rows, "counts": totals,
            "next_version": Publication.objects.filter(previous=pub).first(),
        })

    def post(self, request, pk):
        self.bureau(request)
        pub = get_object_or_404(Publication.objects.for_user(request.user), pk=pk)
        try:
            if request.POST.get("op") == "publish":
                publication_publish(actor=request.user, publication=pub)
                messages.success(request, _("公示已发布：公众现在看到的就是此刻冻结的内容。"))
            elif request.POST.get("op") == "withdraw":
                form = WithdrawForm(request.POST)
                if not form.is_valid():
                    raise WorkflowError("；".join(e for errors in form.errors.values() for e in errors))
                publication_withdraw(actor=request.user, publication=pub, reason=form.cleaned_data["reason"])
                messages.success(request, _("公示已撤回。"))
        except WorkflowError as exc:
            messages.error(request, exc.message)
        return redirect(pub)


