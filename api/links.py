"""The links the public pages show to the same record in the open-data API and its downloads."""

from django.urls import reverse
from django.utils.translation import gettext as _

from public.models import EntryKind, Publication, PublicationEntry

DOWNLOADS = (("powers.csv", "CSV（职权）"), ("risks.csv", "CSV（风险点）"), ("publication.xlsx", "Excel"),
             ("publication.json", "JSON"), ("manifest.json", None))


def public_links(obj):
    if isinstance(obj, PublicationEntry):
        name = "power" if obj.kind == EntryKind.POWER else "risk"
        return [{"label": _("接口数据（JSON）"), "url": reverse(f"api:{name}", args=[obj.code])},
                {"label": _("本期公示的批量下载"), "url": reverse("public:publication", args=[obj.publication_id])}]
    if isinstance(obj, Publication):
        links = [{"label": _("接口数据（JSON）"), "url": reverse("api:publication", args=[obj.pk])}]
        if obj.is_current:
            links += [{"label": label or _("清单（数量与 SHA-256）"), "url": reverse("api:download", args=[obj.pk, name])}
                      for name, label in DOWNLOADS]
        links.append({"label": _("接口说明"), "url": reverse("api:docs")})
        return links
    return []
