"""Tokens of other systems, and the bulk downloads of released publications."""

import csv
import hashlib
import io
import json
import secrets

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from org.choices import Role
from org.scoping import bureau_unit_ids
from public.models import EntryKind, Publication, PublicationState

from .models import ApiClient, ApiClientUse, DownloadFile, DownloadState, PublicationDownload
from .serializers import SERIALIZERS

# --- tokens of other systems ---------------------------------------------------------------------

TOKEN_PREFIX = "lz_"  # nosec B105 # the tokens' visible prefix, not a secret


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _require_admin(actor, unit):
    """Administrators issue and revoke tokens, within their own bureau (a superuser anywhere)."""
    if actor.is_superuser:
        return
    if not actor.has_role(Role.ADMIN) or unit.pk not in bureau_unit_ids(actor):
        raise PermissionDenied(_("只有本局的系统管理员可以管理接口令牌。"))


def api_client_issue(*, actor, name, unit, expires_at, reads_warnings=False):
    """Register a system and issue its token. Returns ``(client, token)``: the token is shown
    this once; only its hash is kept."""
    _require_admin(actor, unit)
    if expires_at <= timezone.now():
        raise PermissionDenied(_("有效期必须晚于现在。"))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(name=name, unit=unit, expires_at=expires_at, reads_warnings=reads_warnings, created_by=actor,
                       token_prefix=token[:10], token_hash=_token_hash(token))
    client._history_user = actor
    client.save()
    return client, token


def api_client_revoke(*, actor, client):
    """Revoke the token at once; the system's next request answers 401."""
    _require_admin(actor, client.unit)
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.revoked_at is None:
            locked.revoked_at, locked.revoked_by = timezone.now(), actor
            locked._history_user = actor
            locked.save()
    return locked


def api_client_for_token(token):
    """The usable client holding ``token``, or None (unknown, expired or revoked)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return ApiClient.objects.usable().select_related("unit").filter(token_hash=_token_hash(token)).first()


def api_client_record_use(*, client, request, status, ip):
    """Log one request of ``client`` (the internal API logs every one, refusals included)."""
    now = timezone.now()
    ApiClientUse.objects.create(client=client, at=now, method=request.method[:8], path=request.get_full_path()[:300],
                                status=status, ip=ip)
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)


# --- bulk downloads ----------------------------------------------------------------------------------

# One table per kind: (column header, value of an item as the API shows it). CSV and XLSX both
# read it, so that the two formats hold the same columns.
def _joined(rows, fmt):
    return "；".join(fmt(r) for r in rows)


COLUMNS = {
    EntryKind.POWER: [
        ("职权编码", lambda d: d["code"]), ("职权类别", lambda d: d["category_label"]), ("职权名称", lambda d: d["name"]),
        ("子项", lambda d: d["sub_item"]), ("实施单位", lambda d: d["unit"]["name"]), ("职权内容", lambda d: d["content"]),
        ("实施主体", lambda d: d["legal_body"]), ("承办机构", lambda d: d["handling_body"]),
        ("承办岗位", lambda d: "、".join(d["posts"])),
        ("法律依据", lambda d: _joined(d["legal_bases"], lambda b: f"{b['law']}{b['article']}")),
        ("责任事项", lambda d: d["duties"]), ("追责情形", lambda d: d["accountability"]),
        ("法定时限（工作日）", lambda d: d["statutory_days"]), ("承诺时限（工作日）", lambda d: d["promised_days"]),
        ("自由裁量权", lambda d: "有" if d["has_discretion"] else "无"), ("是否收费", lambda d: "是" if d["charges_fee"] else "否"),
        ("收费依据", lambda d: d["fee_basis"]), ("监督电话", lambda d: d["supervision_phone"]),
        ("流程环节", lambda d: " → ".join(s["name"] for s in d["flow"]["steps"])),
        ("裁量基准", lambda d: _joined(d["benchmark"], lambda b: f"{b['circumstance']}（{b['degree_label']}）：{b['penalty']}")),
        ("备注", lambda d: d["remarks"]),
    ],
    EntryKind.RISK: [
        ("登记编号", lambda d: d["code"]), ("年度", lambda d: d["year"]), ("单位", lambda d: d["unit"]["name"]),
        ("岗位", lambda d: d["post"]), ("涉及职权", lambda d: d["power"]["name"] if d["power"] else ""),
        ("流程环节", lambda d: d["step"]), ("查找层面", lambda d: d["finding_level"]), ("风险类型", lambda d: d["kind"]),
        ("风险点", lambda d: d["title"]), ("风险表现形式", lambda d: d["description"]),
        ("风险等级", lambda d: d["level_label"]),
        ("防控措施", lambda d: _joined(d["measures"], lambda m: f"【{m['kind_label']}】{m['content']}（{m['due_date']}）")),
    ],
}
FILE_STEMS = {EntryKind.POWER: "powers", EntryKind.RISK: "risks"}
SHEET_TITLES = {EntryKind.POWER: "职权目录", EntryKind.RISK: "廉政风险点目录"}
CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _items(publication, kind):
    """The publication's items of ``kind`` as the API shows them (without absolute links)."""
    from .selectors import public_items

    entries = list(public_items(kind, publication).order_by("code"))
    context = {"public_powers": {e.code for e in publication.entries.filter(kind=EntryKind.POWER)}}
    return SERIALIZERS[kind](entries, many=True, context=context).data


def _csv(items, kind):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([h for h, _f in COLUMNS[kind]])
    for item in items:
        writer.writerow(["" if v is None else v for v in (f(item) for _h, f in COLUMNS[kind])])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def _xlsx(tables):
    book = Workbook(write_only=True)
    for kind, items in tables.items():
        sheet = book.create_sheet(SHEET_TITLES[kind])
        sheet.append([h for h, _f in COLUMNS[kind]])
        for item in items:
            sheet.append([f(item) for _h, f in COLUMNS[kind]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def publication_meta(publication):
    return {"id": publication.pk, "title": publication.title, "starts_on": publication.starts_on.isoformat(),
            "ends_on": publication.ends_on.isoformat() if publication.ends_on else None,
            "published_at": publication.published_at.isoformat(), "bureau": publication.bureau.name}


def downloads_build(*, publication_id):
    """Build the bulk files of a released publication once: CSV per kind, one XLSX, one JSON,
    and the manifest with counts and SHA-256 of each file. Running it again changes nothing."""
    publication = Publication.objects.select_related("bureau").get(pk=publication_id)
    if publication.state == PublicationState.DRAFT:
        return None
    download, _created = PublicationDownload.objects.get_or_create(publication=publication)
    if download.state == DownloadState.READY:
        return download
    tables = {kind: _items(publication, kind) for kind in (EntryKind.POWER, EntryKind.RISK)}
    meta = publication_meta(publication)
    payload = {f"{FILE_STEMS[k]}.csv": _csv(items, k) for k, items in tables.items()}
    payload["publication.xlsx"] = _xlsx(tables)
    payload["publication.json"] = json.dumps(
        {"publication": meta, "powers": tables[EntryKind.POWER], "risks": tables[EntryKind.RISK]},
        ensure_ascii=False, indent=1).encode("utf-8")
    files = [{"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in payload.items()]
    manifest = {**meta, "generated_at": timezone.now().isoformat(),
                "counts": {"powers": len(tables[EntryKind.POWER]), "risks": len(tables[EntryKind.RISK])},
                "files": files}
    with transaction.atomic():
        download = PublicationDownload.objects.select_for_update().get(pk=download.pk)
        if download.state == DownloadState.READY:  # another worker finished first
            return download
        download.files.all().delete()
        for row in files:
            DownloadFile.objects.create(
                download=download, name=row["name"], size=row["bytes"], sha256=row["sha256"],
                file=ContentFile(payload[row["name"]], name=f"{publication.pk}-{row['name']}"))
        download.state, download.manifest, download.finished_at, download.error = (
            DownloadState.READY, manifest, timezone.now(), "")
        download.save()
    return download


def downloads_failed(*, publication_id, error):
    PublicationDownload.objects.filter(publication_id=publication_id).exclude(state=DownloadState.READY).update(
        state=DownloadState.FAILED, error=str(error)[:300])
