"""Fuzz every page, form and filter as every persona: bad input is never a server error.

The pages come from the URLconf (each pattern's URL kwargs filled with real objects of a small
seeded bureau), the fields from the forms each page renders and the query parameters its own
links use, so a new page or field is covered without touching this file. A pattern whose
kwargs this module cannot fill fails ``test_every_page_is_fuzzed``: teach ``url_kwargs``.

Each form gets a deterministic sweep first (NUL in every free field, then a bad id, a Unicode
digit or an overflow in the fields that render a value), then ``FUZZ_EXAMPLES`` random
Hypothesis examples (default 2; raise it for a longer local run). The public site and the
sign-in pages look the same to everyone, so only the anonymous visitor fuzzes them.

Each request runs in a savepoint that is rolled back, so one example's writes (or an aborted
transaction) never leak into the next. The Django test client re-raises a view's exception;
an exception counts as a failure just like a 500.
"""

import itertools
import os
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, strategies as st
from hypothesis import settings as fuzz_settings

from controls.models import Measure
from controls.services import evidence_add, plan_save
from monitoring.models import RiskInformation
from notices.models import Notification
from public.models import Publication
from public.services import publication_save
from review.choices import Action, Status
from riskpoints.models import RiskPoint, Round
from tests.factories import PostFactory, PowerItemFactory, RiskPointFactory
from tests.public.test_public import publish, walk
from tests.supervision.fuzz import supervision_seed, supervision_urls

ROLES = ["staff_a", "head_a", "leader_a", "office", "director", "nobody", None]  # None: an anonymous visitor
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
MAX_URLS_PER_PATTERN = 3
EXCLUDED = {"logout"}  # and Django's own admin, all but its sign-in page (the project sets that form)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Names a POST-only view may read from request.POST without a form on any page to show them.
LOOSE_POST_FIELDS = ["lock_version", "step", "edge", "id", "item", "decision", "state", "op", "action", "year",
                     "comment", "reason", "text"]
LOOSE_GET_FIELDS = ["page", "q"]

TODAY = timezone.localdate()
# Server errors found here in code this change could not touch, each with a strict xfail in
# tests/test_bad_input.py; tolerated only for that view and that error, until fixed.
KNOWN = set()  # (view name, error text) of errors found but not yet fixed: none


# --- the values ----------------------------------------------------------------------------------

NASTY = [
    "", " ", "abc", "²", "①", "١٢", "１２", "𝟙", "-1", "0", "1.5", "1e309", "nan", "+7", str(2**31), str(2**63),
    "9" * 40, "9" * 5000, "\x00", "a\x00b", "\n", "a\r\nb", "\t", "\x1b[31m", "\u2028", "\u202e", "\ufeff", "😀",
    "👨‍👩‍👧", "x" * 300, "字" * 3000, "2026-02-30", "99999-01-01", "0000-00-00", "2026-13-01", "-2026-01-01",
    "true", "on", "None", "null", "[]", "{}", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "../../etc/passwd",
    "\\", '"', "{{ 7*7 }}", "0x10",
]
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
nasty = st.one_of(st.sampled_from(NASTY), text, st.integers(min_value=-(2**70), max_value=2**70).map(str))


def field_value(options):
    """A value for a field whose rendered values are ``options``: one of them, or something bad;
    sometimes several values under the one name."""
    good = st.sampled_from(options) if options else st.just("")
    one = st.one_of(good, nasty)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def upload():
    return st.builds(lambda name, body: SimpleUploadedFile(name, body),
                     st.sampled_from(["纪要.pdf", "a.exe", "../x.pdf", "\x00.pdf", "x" * 300 + ".pdf", ".pdf", "无扩展名"]),
                     st.sampled_from([PDF, b"", b"MZ\x90\x00", b"<html>", PDF + b"\x00" * 100]))


# --- the pages --------------------------------------------------------------------------------------

class FormParser(HTMLParser):
    """The forms of a page (action, method, fields with their rendered values) and its links."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self.form, self.select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                         "fields": {}, "files": set()}
            self.forms.append(self.form)
        elif self.form is not None and a.get("name"):
            name = a["name"]
            values = self.form["fields"].setdefault(name, [])
            if tag == "input" and (a.get("type") or "").lower() == "file":
                self.form["files"].add(name)
            elif tag in ("input", "button"):
                values.append(a.get("value") or ("on" if (a.get("type") or "") in ("checkbox", "radio") else ""))
            elif tag == "select":
                self.select = values
        if tag == "option" and self.select is not None and a.get("value") is not None:
            self.select.append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def patterns(resolver=None, namespace=""):
    """(name, kwarg names) of every named URL pattern, includes flattened."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            kwargs = list(getattr(p.pattern, "converters", {})) or list(p.pattern.regex.groupindex)
            yield f"{namespace}{p.name}", kwargs


def url_kwargs(name, kwarg_names, seed):
    """Real values for a pattern's kwargs, or None when this module does not know them."""
    namespace = name.split(":")[0]
    special = {
        "public:power": [{"code": c} for c in seed.power_codes],
        "public:risk": [{"code": c} for c in seed.risk_codes],
        "public:opinion": [{"kind": "power", "code": seed.power_codes[0]}, {"kind": "risk", "code": seed.risk_codes[0]}],
        "public:language": [{"code": "zh-hans"}, {"code": "en"}],
        "controls:plan": [{"pk": r.pk} for r in seed.risks],
        "controls:progress": [{"pk": seed.measure.pk}],
        "controls:evidence": [{"stored_id": seed.evidence.stored_id}],
        "schedules:campaign_detail": [{"pk": c.pk} for c in seed.campaigns],
        "schedules:campaign_open": [{"pk": c.pk} for c in seed.campaigns],
        **{f"schedules:task_{v}": [{"pk": t.pk} for t in seed.tasks] for v in ("detail", "submit", "review", "score")},
        "schedules:phase_detail": [{"pk": seed.phase.pk}],
        "schedules:calendar_delete": [{"pk": seed.calendar_day.pk}],
        "schedules:cadence_edit": [{"pk": seed.cadence.pk}],
        "monitoring:from_finding": [{"pk": a.pk} for a in seed.tasks[0].answers.all()[:2]],
        "monitoring:from_risk_check": [{"pk": seed.risk_check.pk}],
        "schedules:checklist": [{"pk": c.pk} for c in seed.campaigns],
        **{f"schedules:checklist_{v}": [{"pk": i.pk} for i in seed.checklist_items] for v in ("item", "item_delete", "item_move")},
        "schedules:personal_check": [{"pk": seed.personal_check.pk}],
        **{f"schedules:task_file{v}": [{"stored_id": seed.task_file.stored_id}] for v in ("", "_delete")},
        "public:publication": [{"pk": p.pk} for p in seed.publications],
        "api:power": [{"code": c} for c in seed.power_codes],
        "api:risk": [{"code": c} for c in seed.risk_codes],
        "api:internal_power": [{"code": p.code} for p in seed.powers],
        "api:internal_risk": [{"code": r.code} for r in seed.risks],
        "api:internal_filing": [{"pk": seed.supervision.filing.pk}],
        "api:internal_warning": [{"pk": w.pk} for w in seed.monitoring.warnings],
        "api:download": [{"pk": seed.publications[0].pk, "name": n} for n in ("manifest.json", "powers.csv")],
        # No build is seeded: an unknown one must answer 404, never 500.
        "documents:build": [{"pk": 1}],
        "documents:build_file": [{"pk": 1}],
        **supervision_urls(seed.supervision, seed.powers[3:5]),
        "monitoring:info_file": [{"stored_id": seed.monitoring.info_file.stored_id}],
        "monitoring:report_file": [{"stored_id": seed.monitoring.report_file.stored_id}],
        "monitoring:adjustment_create": [{"risk_pk": seed.risks[0].pk}, {"risk_pk": seed.monitoring.accepted_risk.pk}],
        **{f"monitoring:{n}": [{"pk": seed.monitoring.info.pk}, {"pk": seed.information.pk}]
           for n in ("info_detail", "info_history", "info_assess")},
        "monitoring:task_detail": [{"pk": seed.monitoring.task.pk}],
        **{f"monitoring:warning_{n}": [{"pk": w.pk} for w in seed.monitoring.warnings]
           for n in ("detail", "history", "notice", "notice_pdf", "acknowledge", "record", "report", "verify", "close")},
        **{f"monitoring:adjustment_{n}": [{"pk": seed.monitoring.adjustment.pk}] for n in ("confirm", "cancel")},
    }
    if name in special:
        return special[name]
    by_name = {
        "pk": {"powers": [p.pk for p in seed.powers], "riskpoints": [r.pk for r in seed.risks],
               "public_admin": [p.pk for p in seed.publications], "monitoring": [seed.information.pk],
               "api": [p.pk for p in seed.publications]}.get(namespace),
        "action": [Action.SUBMIT, Action.UNIT_APPROVE, Action.RETURN, Action.PUBLISH],
        "unit_id": [seed.bureau.a.pk, seed.bureau.b.pk],
        "post_id": [seed.post.pk],
        "power_id": [p.pk for p in seed.powers],
        "publication_id": [p.pk for p in seed.publications],
    }
    values = [by_name.get(k) for k in kwarg_names]
    if not all(values):
        return None
    combos = [dict(zip(kwarg_names, combo)) for combo in itertools.product(*values)]
    step = max(1, len(combos) // MAX_URLS_PER_PATTERN)
    return combos[::step][:MAX_URLS_PER_PATTERN]


def page_urls(seed):
    urls, unknown = [], []
    for name, kwarg_names in patterns():
        if name.startswith("admin:") and name != "admin:login" or name in EXCLUDED:
            continue
        kwargs = url_kwargs(name, kwarg_names, seed) if kwarg_names else [{}]
        if kwargs is None:
            unknown.append(name)
            continue
        urls += [reverse(name, kwargs=k) for k in kwargs]
    return urls, unknown


# --- the bureau -------------------------------------------------------------------------------------

@pytest.fixture
def seed(bureau, people, settings, tmp_path):
    """A little of everything: items in each state, a plan with evidence, a carried-over risk,
    publications, risk information and notifications."""
    settings.MEDIA_ROOT = tmp_path
    post = PostFactory(unit=bureau.a, name="审批岗")
    draft = PowerItemFactory(unit=bureau.a, name="草稿职权")
    submitted = walk(PowerItemFactory(unit=bureau.a), people, to=Status.SUBMITTED)
    approved = walk(PowerItemFactory(unit=bureau.a), people, to=Status.LEADER_APPROVED)
    accepted = walk(PowerItemFactory(unit=bureau.a), people, to=Status.ACCEPTED)
    published = walk(PowerItemFactory(unit=bureau.a), people)
    other = PowerItemFactory(unit=bureau.b)

    last_round = Round.objects.create(bureau=bureau.ju, year=TODAY.year - 1)
    previous = RiskPointFactory(unit=bureau.a, round=last_round)
    carried = RiskPointFactory(unit=bureau.a, previous=previous, title="结转的风险点")
    risk = RiskPointFactory(unit=bureau.a, power=draft, step=draft.steps.first(), post=post)
    plan_save(risk=risk, actor=people.staff_a, lock_version=risk.lock_version, measures=[
        {"kind": "control", "content": "审核清单", "responsible": people.head_a, "supervisor": people.office, "due_date": TODAY}])
    risk.refresh_from_db()
    measure = Measure.objects.get(plan__risk_point=risk)
    evidence = evidence_add(measure=measure, actor=people.staff_a, upload=SimpleUploadedFile("纪要.pdf", PDF))
    published_risk = RiskPointFactory(unit=bureau.a, power=published)
    plan_save(risk=published_risk, actor=people.staff_a, lock_version=published_risk.lock_version, measures=[
        {"kind": "control", "content": "公开的措施", "responsible": people.head_a, "supervisor": None, "due_date": TODAY}])
    published_risk = walk(RiskPoint.objects.get(pk=published_risk.pk), people)
    other_risk = RiskPointFactory(unit=bureau.b)

    live = publish(people)
    draft_publication = publication_save(actor=people.office, publication=Publication(title="草稿公示", starts_on=TODAY))
    information = RiskInformation.objects.create(bureau=bureau.ju, reference="R1", channel="petition",
                                                 received_on=TODAY, content="举报内容")
    for user in vars(people).values():
        Notification.objects.create(recipient=user, subject="提醒", url="/")
    schedules = seed_schedules(bureau, people)
    monitoring = seed_monitoring(bureau, people, risk, accepted_risk=published_risk)
    return SimpleNamespace(**schedules, monitoring=monitoring,
        bureau=bureau, post=post, measure=measure, evidence=evidence, information=information,
        powers=[draft, submitted, approved, accepted, published, other],
        risks=[risk, carried, published_risk, other_risk],
        publications=[live, draft_publication],
        power_codes=[published.code], risk_codes=[published_risk.code],
        supervision=supervision_seed(bureau, people, published),
    )


def seed_monitoring(bureau, people, risk, accepted_risk):
    """Information with an attachment, a task, a 限期整改 reported with evidence, a talk warning,
    and an adjustment asked of the unit: what the monitoring pages take by id."""
    import datetime

    from monitoring import handling
    from monitoring.models import InformationFile, ReportFile
    from monitoring.services import information_record
    from org.files import files_store

    info = information_record(bureau=bureau.ju, channel="petition", content="信访举报", concerns_unit=bureau.a,
                              concerns_risk=risk, reporter="李先生")
    files_store(InformationFile, "information", info, people.office, [SimpleUploadedFile("来信.pdf", PDF)])
    other = information_record(bureau=bureau.ju, channel="case", content="案件查处", concerns_unit=bureau.a)
    task = handling.task_assign(info=other, actor=people.office, unit=bureau.a, kind="new_risk", instruction="查找风险",
                                due_date=TODAY + datetime.timedelta(days=10), reasoning="须单位落实")
    rectify = handling.warning_issue(actor=people.office, method="rectify", nature="sign", unit=bureau.a, reason="台账缺失",
                                     requirement="补齐台账", deadline=TODAY + datetime.timedelta(days=10))
    handling.warning_acknowledge(warning=rectify, actor=people.head_a)
    report = handling.report_submit(warning=rectify, actor=people.head_a, content="已补齐",
                                    uploads=[SimpleUploadedFile("台账.pdf", PDF)])
    talk = handling.warning_issue(actor=people.office, method="admonition", nature="trend", person=people.staff_a,
                                  reason="未回避")
    adjustment = handling.adjust_request(risk=risk, actor=people.office, to_level=1 if risk.level != 1 else 2,
                                         reason="督促调整")
    return SimpleNamespace(info=info, task=task, warnings=[rectify, talk], adjustment=adjustment,
                           info_file=InformationFile.objects.get(information=info),
                           report_file=ReportFile.objects.get(report=report), accepted_risk=accepted_risk)


def seed_schedules(bureau, people):
    """A self-inspection (open) and an assessment (open) with tasks of A and B, a draft campaign,
    a phase, a holiday and a cadence."""
    from schedules.models import (
        Cadence, CalendarDay, Campaign, ChecklistItem, PersonalCheck, Phase, RiskCheck, TaskFile,
    )
    from schedules.services import campaign_create, campaign_open

    campaigns = []
    for kind in ("self", "assessment", "summary"):
        c = campaign_create(actor=people.office, campaign=Campaign(
            title=f"检查{kind}", year=TODAY.year, kind=kind, opens_on=TODAY, due_on=TODAY))
        if kind != "summary":
            campaign_open(campaign=c, actor=people.office)
        campaigns.append(c)
    tasks = [t for c in campaigns[:2] for t in c.tasks.filter(unit__in=[bureau.a, bureau.b])]
    tasks[0].answers.filter(pk=tasks[0].answers.first().pk).update(problems="记录不全")
    risk_check = RiskCheck.objects.create(task=tasks[0], risk_code="X-1", risk_title="风险点", measure_text="措施",
                                          problems="记录不全")
    personal_check = PersonalCheck.objects.create(task=tasks[0], person=people.staff_a, post_name="岗位")
    task_file = TaskFile.objects.create(task=tasks[0], file=SimpleUploadedFile("成果.pdf", PDF), original_name="成果.pdf",
                                        size=len(PDF), content_type="application/pdf", uploaded_by=people.staff_a)
    draft_item = ChecklistItem.objects.create(campaign=campaigns[2], order=1, text="草稿检查项")
    phase = Phase.objects.create(bureau=bureau.ju, year=TODAY.year, code="powers", starts_on=TODAY, ends_on=TODAY)
    day = CalendarDay.objects.create(bureau=bureau.ju, date=TODAY, kind="holiday", name="假日")
    cadence = Cadence.objects.create(bureau=bureau.ju, kind="controls.measure", level=1)
    return {"campaigns": campaigns, "tasks": tasks, "phase": phase, "calendar_day": day, "cadence": cadence,
            "risk_check": risk_check, "personal_check": personal_check, "task_file": task_file,
            "checklist_items": [draft_item, campaigns[0].items.first()]}


# --- requests ---------------------------------------------------------------------------------------

class Visitor:
    """One persona's browser: signed in once (a sign-in costs more than most pages), each request
    in a savepoint that is rolled back; a 500 or an exception fails."""

    def __init__(self, user):
        self.user, self.client = user, Client()
        self.sign_in()

    def sign_in(self):
        if self.user is not None:
            self.client.force_login(self.user)

    def __call__(self, method, url, data):
        with transaction.atomic():
            try:
                response = getattr(self.client, method)(url, data)
            except Exception as exc:
                if any(resolve(urlsplit(url).path).view_name == view and text in str(exc) for view, text in KNOWN):
                    return None
                raise AssertionError(f"{method.upper()} {url} {data!r} as {self.user}: {exc!r}") from exc
            finally:
                transaction.set_rollback(True)
        assert response.status_code < 500, f"{method.upper()} {url} {data!r} as {self.user}: {response.status_code}"
        # What one request changed in the browser must not change the next: the language
        # switch sets a cookie, a rolled-back password change ends the session.
        self.client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        if self.user is not None and "_auth_user_id" not in self.client.session:
            self.sign_in()
        return response


def shared_with_anonymous(url):
    """Public pages look the same to everyone: the anonymous visitor fuzzes them for all."""
    return url.startswith((reverse("public:home"), reverse("login"), reverse("admin:login")))


def targets_of(visit, urls):
    """What to fuzz: each page's forms and the query parameters its links use, deduplicated by
    where they go and which fields they carry; POST-only pages get the loose field names."""
    found = {}

    def add(method, url, fields, files=()):
        path = urlsplit(url).path
        try:
            where = resolve(path).view_name  # one URL of a pattern stands for all of them
        except Http404:
            return
        if visit.user is not None and shared_with_anonymous(path):
            return
        key = (method, where, tuple(sorted(fields)), tuple(sorted(files)))
        found.setdefault(key, (method, path, fields, set(files)))

    for url in urls:
        if visit.user is not None and shared_with_anonymous(url):
            continue
        response = visit("get", url, {})
        if response is None:
            continue
        if response.status_code == 405:
            add("post", url, {name: [] for name in LOOSE_POST_FIELDS})
            continue
        params = {name: [] for name in LOOSE_GET_FIELDS}
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            add("get", url, params)
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urljoin(url, form["action"])
            if not action.startswith("/") or any(action.startswith(reverse(n)) for n in EXCLUDED):
                continue
            add("post" if form["method"] == "post" else "get", action, form["fields"], form["files"])
        for link in parser.links:
            parts = urlsplit(urljoin(url, link))
            if parts.path == urlsplit(url).path and parts.query:
                for name, value in parse_qsl(parts.query, keep_blank_values=True):
                    params.setdefault(name, []).append(value)
        add("get", url, params)
    return list(found.values())


SWEEP = ["a\x00b", "²", "9" * 40]  # NUL for text, a Unicode digit and an overflow for numbers
SWEPT_ONE_BY_ONE = 6


def sweeps(fields):
    """Deterministic bad requests first, from the form as rendered: every free field (rendered
    empty) holding a NUL; then, one at a time, the first fields that render a single value (a
    hidden id or version, a button: what a view may read itself) given a bad one while the
    others keep theirs; then every choice field given a bad choice at once (forms check those)."""
    chosen = {n: v for n, v in fields.items() if any(v) and n != "csrfmiddlewaretoken"}
    free = [n for n in fields if n not in chosen]
    single = [n for n, v in chosen.items() if len(set(v)) == 1]
    choices = [n for n in chosen if n not in single]
    good = {**{n: v[0] for n, v in chosen.items()}, **{n: "" for n in free}}
    out = [{**good, **{n: SWEEP[0] for n in free}}] if free else []
    out += [{**good, name: SWEEP[i % len(SWEEP)]} for i, name in enumerate(single[:SWEPT_ONE_BY_ONE])]
    if choices:
        out.append({**good, **{n: SWEEP[i % len(SWEEP)] for i, n in enumerate(choices)}})
    return out


def fuzz(visit, target):
    method, path, fields, files = target
    files = {name: SimpleUploadedFile("纪要.pdf", PDF) for name in files}
    for data in sweeps({n: v for n, v in fields.items() if n not in files}):
        visit(method, path, {**data, **files})
    if not set(fields) - set(LOOSE_GET_FIELDS) and not files:
        return  # a page whose only parameters are the loose ones: the sweep will do

    @fuzz_settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(data=st.fixed_dictionaries({name: field_value(values) for name, values in fields.items() if name not in files}),
           uploads=st.fixed_dictionaries({name: upload() for name in files}))
    def one(data, uploads):
        visit(method, path, {**data, **uploads})

    one()


# --- the tests --------------------------------------------------------------------------------------

def test_every_page_is_fuzzed(seed):
    urls, unknown = page_urls(seed)
    assert not unknown, f"tests/test_fuzz.py cannot fill the URL kwargs of {unknown}: teach url_kwargs()"
    assert len(urls) > 30


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_no_input_is_a_server_error(seed, people, role):
    visit = Visitor(getattr(people, role) if role else None)
    urls, _unknown = page_urls(seed)
    targets = targets_of(visit, urls)
    assert targets
    for target in targets:
        fuzz(visit, target)
