"""The public read-only API (no login), its documentation page, and the internal token API.

Views stay thin: what the public may read comes from ``api.selectors`` (the public site's own
selections), what a system may read from ``for_user``; the HTTP rules live in ``api.rest``.
"""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views import View
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from controls.models import Measure
from monitoring.choices import WarningState
from monitoring.models import RiskWarning
from org.client import client_ip
from org.inputs import single_line
from org.scoping import visible_unit_ids
from powers.models import PowerItem
from public.models import EntryKind
from public.selectors import entry_keyword_q
from riskpoints.models import RiskPoint
from supervision.choices import Light
from supervision.models import Filing, FilingStep, Finding

from . import selectors
from .forms import (InternalFilingFilterForm, InternalFilterForm, InternalWarningFilterForm, PowerFilterForm,
                    PublicationFilterForm, RiskFilterForm)
from .internal import (InternalFilingSerializer, InternalPowerSerializer, InternalRiskSerializer,
                       InternalWarningSerializer)
from .models import DownloadState, PublicationDownload
from .rest import ClientAddressThrottle, StableCursorPagination, SystemTokenAuthentication
from .serializers import SERIALIZERS, PublicationSerializer
from .services import CONTENT_TYPES, api_client_record_use


def _filtered(form_class, request):
    """The query parameters through their form; a bad one is a 400 naming it, in Chinese."""
    form = form_class(request.query_params)
    if not form.is_valid():
        raise exceptions.ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    return form.cleaned_data


def _code(code):
    if code != single_line(code):  # no code holds a control character; NUL would reach the database
        raise exceptions.NotFound()
    return code


# --- the public API ------------------------------------------------------------------------------

@method_decorator(login_not_required, name="dispatch")
class PublicAPIView(APIView):
    """No login; GET only; per-address rate limit; ETag / Last-Modified with 304; CORS for GET."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientAddressThrottle]
    http_method_names = ["get", "head", "options"]

    def validators(self):
        if not hasattr(self, "_validators"):
            changed = selectors.public_last_modified()
            stamp = changed.timestamp() if changed else 0
            self._validators = (f'"{hashlib.sha256(f"{stamp}".encode()).hexdigest()[:20]}"', changed)
        return self._validators

    def get(self, request, *args, **kwargs):
        # Read first (a few indexed queries), so that only a record that exists can be "not
        # modified"; then answer 304 to a client that already holds this version.
        response = self.read(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        etag, changed = self.validators()
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(changed.timestamp()) if changed else None)
        if not_modified is not None:
            return not_modified
        response["ETag"] = etag
        if changed:
            response["Last-Modified"] = http_date(changed.timestamp())
        return response

    def read(self, request, *args, **kwargs):
        raise NotImplementedError

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Anyone's page may read the open data; no credentials, so any origin is safe.
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
        patch_cache_control(response, public=True, no_cache=True)
        return response


class PublicListView(PublicAPIView, generics.GenericAPIView):
    pagination_class = StableCursorPagination


UNIT_PARAM = OpenApiParameter("unit", int, description="Unit id. 单位编号")
Q_PARAM = OpenApiParameter("q", str, description="Keyword in code, name, content or unit. 关键词")
CATEGORY_PARAM = OpenApiParameter("category", str, description="Category key. 职权类别代码")
LEVEL_PARAM = OpenApiParameter("level", int, enum=[1, 2, 3], description="Risk level. 风险等级")


class EntryListView(PublicListView):
    kind = None
    filter_form = None

    def entries(self, request, **kwargs):
        return selectors.public_items(self.kind)

    def read(self, request, **kwargs):
        params = _filtered(self.filter_form, request)
        entries = self.entries(request, **kwargs)
        if params.get("q"):
            entries = entries.filter(entry_keyword_q(params["q"]))
        if params.get("unit") is not None:
            entries = entries.filter(unit_id=params["unit"])
        if params.get("category"):
            entries = entries.filter(category=params["category"])
        if params.get("level") is not None:
            entries = entries.filter(level=params["level"])
        page = self.paginate_queryset(entries)
        context = {"request": request}
        if self.kind == EntryKind.RISK:
            context["public_powers"] = selectors.public_power_codes(e.data["power"]["code"] for e in page if e.data.get("power"))
        return self.get_paginated_response(SERIALIZERS[self.kind](page, many=True, context=context).data)


@extend_schema(summary="Published powers (current). 正在公示的职权", parameters=[UNIT_PARAM, Q_PARAM, CATEGORY_PARAM],
               responses=SERIALIZERS[EntryKind.POWER](many=True))
class PowerListView(EntryListView):
    kind, filter_form = EntryKind.POWER, PowerFilterForm


@extend_schema(summary="Published risk points (current). 正在公示的廉政风险点", parameters=[UNIT_PARAM, Q_PARAM, LEVEL_PARAM],
               responses=SERIALIZERS[EntryKind.RISK](many=True))
class RiskListView(EntryListView):
    kind, filter_form = EntryKind.RISK, RiskFilterForm


class CurrentPublicationMixin:
    def publication(self, pk):
        publication = selectors.current_publication(pk)
        if publication is None:
            raise exceptions.NotFound(_("该公示不存在或不在公示期内：往期公示只公开其概况。"))
        return publication


@extend_schema(summary="Powers of one current publication. 某期公示中的职权", parameters=[UNIT_PARAM, Q_PARAM, CATEGORY_PARAM],
               responses=SERIALIZERS[EntryKind.POWER](many=True))
class PublicationPowerListView(CurrentPublicationMixin, PowerListView):
    def entries(self, request, pk):
        return selectors.public_items(self.kind, self.publication(pk))


@extend_schema(summary="Risk points of one current publication. 某期公示中的廉政风险点",
               parameters=[UNIT_PARAM, Q_PARAM, LEVEL_PARAM], responses=SERIALIZERS[EntryKind.RISK](many=True))
class PublicationRiskListView(CurrentPublicationMixin, RiskListView):
    def entries(self, request, pk):
        return selectors.public_items(self.kind, self.publication(pk))


class EntryDetailView(PublicAPIView):
    kind = None

    def read(self, request, code):
        entry = selectors.public_items(self.kind).filter(code=_code(code)).first()
        if entry is None:
            raise exceptions.NotFound()
        context = {"request": request}
        if self.kind == EntryKind.RISK and entry.data.get("power"):
            context["public_powers"] = selectors.public_power_codes([entry.data["power"]["code"]])
        return Response(SERIALIZERS[self.kind](entry, context=context).data)


@extend_schema(summary="One published power. 一项正在公示的职权", responses=SERIALIZERS[EntryKind.POWER])
class PowerDetailView(EntryDetailView):
    kind = EntryKind.POWER


@extend_schema(summary="One published risk point. 一个正在公示的廉政风险点", responses=SERIALIZERS[EntryKind.RISK])
class RiskDetailView(EntryDetailView):
    kind = EntryKind.RISK


@extend_schema(summary="Publications, current and archived. 公示（现行与往期）",
               parameters=[OpenApiParameter("current", bool, description="Only current (true) or archived (false). "
                                                                          "只看正在公示（true）或往期（false）")],
               responses=PublicationSerializer(many=True))
class PublicationListView(PublicListView):
    pagination_class = type("PublicationPagination", (StableCursorPagination,), {"ordering": ("-published_at", "-pk")})

    def read(self, request):
        params = _filtered(PublicationFilterForm, request)
        publications = selectors.public_publications()
        if params.get("current") is not None:
            publications = publications.filter(current=params["current"])
        page = self.paginate_queryset(publications)
        context = {"request": request, "counts": selectors.publication_counts(page)}
        return self.get_paginated_response(PublicationSerializer(page, many=True, context=context).data)


@extend_schema(summary="One publication. 一期公示", responses=PublicationSerializer)
class PublicationDetailView(PublicAPIView):
    def read(self, request, pk):
        publication = selectors.public_publications().filter(pk=pk).first()
        if publication is None:
            raise exceptions.NotFound()
        context = {"request": request, "counts": selectors.publication_counts([publication])}
        return Response(PublicationSerializer(publication, context=context).data)


@extend_schema(summary="Units with published items. 有公示内容的单位",
               responses={200: {"type": "array", "items": {"type": "object", "properties": {
                   "id": {"type": "integer"}, "name": {"type": "string"},
                   "powers": {"type": "integer"}, "risks": {"type": "integer"}}}}})
class UnitListView(PublicAPIView):
    def read(self, request):
        return Response(selectors.public_units())


@extend_schema(summary="A bulk file of a current publication: powers.csv, risks.csv, publication.xlsx, "
                       "publication.json or manifest.json. 公示数据批量下载",
               responses={(200, "application/octet-stream"): bytes})
class DownloadView(CurrentPublicationMixin, PublicAPIView):
    def read(self, request, pk, name):
        publication = self.publication(pk)
        download = PublicationDownload.objects.filter(publication=publication, state=DownloadState.READY).first()
        if download is None:
            raise exceptions.NotFound(_("该公示的下载文件正在生成，请稍后再试。"))
        if name == "manifest.json":
            return JsonResponse(download.manifest, json_dumps_params={"ensure_ascii": False, "indent": 1})
        row = download.files.filter(name=name).first()
        if row is None:
            raise exceptions.NotFound()
        suffix = "." + name.rsplit(".", 1)[-1]
        stem = {"powers.csv": "职权目录", "risks.csv": "廉政风险点目录"}.get(name, publication.title)
        return FileResponse(row.file.open("rb"), as_attachment=True, content_type=CONTENT_TYPES[suffix],
                            filename=f"{stem}-{publication.pk}{suffix}")


@method_decorator(login_not_required, name="dispatch")
class DocsView(View):
    """The API documentation (Swagger UI from the vendored package, no CDN)."""

    def get(self, request):
        return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})


# --- the internal API ----------------------------------------------------------------------------

@method_decorator(login_not_required, name="dispatch")
class InternalAPIView(generics.GenericAPIView):
    """A registered system's token; it reads what a staff member of its unit reads. Every
    request it makes is logged, refusals included."""

    authentication_classes = [SystemTokenAuthentication]
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "head", "options"]
    pagination_class = StableCursorPagination

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        client = getattr(request, "_auth", None)
        if client is not None:
            api_client_record_use(client=client, request=request, status=response.status_code, ip=client_ip(request))
        patch_cache_control(response, private=True, no_store=True)
        return response


class InternalListView(InternalAPIView):
    filter_form = InternalFilterForm

    def get_queryset(self):
        raise NotImplementedError

    def get(self, request):
        params = _filtered(self.filter_form, request)
        queryset = self.get_queryset()
        for name, value in params.items():
            if value not in (None, ""):
                queryset = queryset.filter(**{f"{name}_id" if name == "unit" else name: value})
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class InternalDetailView(InternalAPIView):
    """One record by the URL's one key: a power's or a risk point's code, or an id."""

    def get_queryset(self):
        raise NotImplementedError

    def get(self, request, **kwargs):
        ((field, key),) = kwargs.items()
        item = self.get_queryset().filter(**{field: _code(key) if field == "code" else key}).first()
        if item is None:  # out of scope is the same as absent
            raise exceptions.NotFound()
        return Response(self.get_serializer(item).data)


class PowersInScope:
    serializer_class = InternalPowerSerializer

    def get_queryset(self):
        return PowerItem.objects.for_user(self.request.user).select_related("unit")


class RisksInScope:
    serializer_class = InternalRiskSerializer

    def get_queryset(self):
        return RiskPoint.objects.for_user(self.request.user).select_related(
            "unit", "post", "power", "round", "plan").prefetch_related(
            Prefetch("plan__measures", queryset=Measure.objects.order_by("order", "pk")))


class FilingsInScope:
    serializer_class = InternalFilingSerializer
    pagination_class = type("FilingPagination", (StableCursorPagination,), {"ordering": "pk"})

    def get_queryset(self):
        return Filing.objects.for_user(self.request.user).select_related("power", "unit").prefetch_related(
            Prefetch("steps", queryset=FilingStep.objects.order_by("done_on", "pk")),
            Prefetch("findings", queryset=Finding.objects.order_by("found_on", "pk")))


class WarningsInScope:
    """Only a system the administrator allowed to (``ApiClient.reads_warnings``), and then the
    warnings of the units in its scope, state only (``api.internal``)."""

    serializer_class = InternalWarningSerializer
    pagination_class = type("WarningPagination", (StableCursorPagination,), {"ordering": "pk"})

    def get_queryset(self):
        if not self.request.auth.reads_warnings:
            raise exceptions.PermissionDenied(_("该系统未获准读取预警：请本局系统管理员在“接口调用系统”中勾选“可读取预警状态”。"))
        return RiskWarning.objects.filter(unit__in=visible_unit_ids(self.request.user)).select_related("unit")


@extend_schema(summary="Powers in the system's scope, any review state. 范围内的职权（含各审核状态）", parameters=[UNIT_PARAM],
               responses=InternalPowerSerializer(many=True))
class InternalPowerListView(PowersInScope, InternalListView):
    pass


@extend_schema(summary="One power in the system's scope. 范围内的一项职权")
class InternalPowerDetailView(PowersInScope, InternalDetailView):
    pass


@extend_schema(summary="Risk points in the system's scope, with measures' state. 范围内的风险点及措施落实情况",
               parameters=[UNIT_PARAM], responses=InternalRiskSerializer(many=True))
class InternalRiskListView(RisksInScope, InternalListView):
    pass


@extend_schema(summary="One risk point in the system's scope. 范围内的一个风险点")
class InternalRiskDetailView(RisksInScope, InternalDetailView):
    pass


LIGHT_PARAM = OpenApiParameter("light", str, enum=[v for v, _label in Light.choices], description="Result of the checks. 监察结果")
STATE_PARAM = OpenApiParameter("state", str, enum=[v for v, _label in WarningState.choices], description="State. 状态")


@extend_schema(summary="Key-power filings in the system's scope, with their checks (party left out). "
                       "范围内的重点权力运行事项备案及监察结果（不含当事人）",
               parameters=[UNIT_PARAM, LIGHT_PARAM], responses=InternalFilingSerializer(many=True))
class InternalFilingListView(FilingsInScope, InternalListView):
    filter_form = InternalFilingFilterForm


@extend_schema(summary="One key-power filing in the system's scope. 范围内的一件重点权力运行事项备案")
class InternalFilingDetailView(FilingsInScope, InternalDetailView):
    pass


@extend_schema(summary="States of the warnings in the system's scope (systems allowed to read them). "
                       "范围内预警的办理状态（须获准）",
               parameters=[UNIT_PARAM, STATE_PARAM], responses=InternalWarningSerializer(many=True))
class InternalWarningListView(WarningsInScope, InternalListView):
    filter_form = InternalWarningFilterForm


@extend_schema(summary="The state of one warning in the system's scope. 范围内一件预警的办理状态")
class InternalWarningDetailView(WarningsInScope, InternalDetailView):
    pass
