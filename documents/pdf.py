"""PDFs from the print templates (WeasyPrint with the Noto CJK fonts).

The API other apps call::

    from documents.pdf import render_pdf, pdf_response
    data = render_pdf(request, "monitoring/warning_notice.html", {"warning": w}, draft=False)
    return pdf_response(data, "warning-notice.pdf")

The template extends ``frame`` (``{% extends frame %}``) and fills ``{% block sheet %}``; on
screen the same template extends the screen frame (``documents/frame_screen.html``, the
default of ``frame``), so a page and its PDF are one template. Every PDF is A4 (``landscape``
on demand) with the bureau's name and the date at the top, 第 X 页 共 Y 页 at the bottom,
table headers repeated on each page and no row split across pages where avoidable; ``draft``
prints a 草稿 watermark on every page. Fonts: Noto Serif CJK SC (text, real bold) and Noto
Sans CJK SC (tables), embedded as subsets, so the text stays extractable. Nothing is fetched
while rendering: every resource is inline (flowcharts are inline SVG).
"""

import hashlib
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

PDF_FRAME = "documents/frame_pdf.html"
SCREEN_FRAME = "documents/frame_screen.html"
STYLESHEET = Path(settings.BASE_DIR) / "static" / "documents" / "print.css"


class DocumentFetchRefused(ValueError):
    pass


def _no_fetch(url, *args, **kwargs):
    """WeasyPrint's URL fetcher: documents carry everything inline, so nothing is fetched
    (a user's text cannot make the server read a file or call a URL)."""
    raise DocumentFetchRefused(url)


def _css_text(value):
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(*, bureau_name, printed_on, landscape, draft):
    """The page box: A4, the bureau and the date in the header (and 草稿 for a draft, besides
    the watermark), 第 X 页 共 Y 页 in the footer."""
    label = _("第 {page} 页 共 {pages} 页")
    counter = " ".join(
        part for part in (_css_text(label.split("{page}")[0]), "counter(page)",
                          _css_text(label.split("{page}")[1].split("{pages}")[0]), "counter(pages)",
                          _css_text(label.split("{pages}")[1])) if part != '""')
    return (
        f"@page {{ size: A4{' landscape' if landscape else ''};"
        f" @top-left {{ content: {_css_text(bureau_name)}; }}"
        f" @top-right {{ content: {_css_text(printed_on)}; }}"
        + (f" @top-center {{ content: {_css_text(_('草稿'))}; color: #a00; font-weight: bold; }}" if draft else "")
        + f" @bottom-center {{ content: {counter}; }} }}"
    )


def _user_of(request_or_user):
    return getattr(request_or_user, "user", request_or_user)


def document_context(user, *, bureau=None, landscape=False, draft=False):
    """What the PDF frame reads besides the document's own context."""
    bureau = bureau or (user.unit.bureau if getattr(user, "unit_id", None) else None)
    return {"frame": PDF_FRAME, "landscape": landscape, "draft": draft, "pdf": True,
            "bureau_name": bureau.name if bureau else "", "printed_on": timezone.localdate()}


def render_html(request_or_user, template, context, *, landscape=False, draft=False, bureau=None):
    """The document's HTML in the PDF frame (what ``render_pdf`` lays out; also hashed)."""
    user = _user_of(request_or_user)
    extra = document_context(user, bureau=bureau, landscape=landscape, draft=draft)
    request = request_or_user if hasattr(request_or_user, "user") else None
    return render_to_string(template, {**context, **extra, "user": user}, request=request), extra


def _stylesheets(extra):
    """The CSS texts a document is laid out with: the print stylesheet and its page box."""
    date = extra["printed_on"]
    return [STYLESHEET.read_text(encoding="utf-8"),
            page_css(bureau_name=extra["bureau_name"], landscape=extra["landscape"], draft=extra["draft"],
                     printed_on=_("%(y)d年%(m)d月%(d)d日") % {"y": date.year, "m": date.month, "d": date.day})]


def layout_digest(html, extra):
    """What the laid-out PDF depends on, hashed: the HTML and every stylesheet (so a changed
    stylesheet, or the date in the page header, lays a kept document out again)."""
    return hashlib.sha256("\0".join([html, *_stylesheets(extra)]).encode()).hexdigest()


def html_to_pdf(html, extra, *, pages=False):
    """The laid-out PDF's bytes (and, with ``pages``, its page count)."""
    from weasyprint import CSS, HTML

    stylesheets = [CSS(string=text, base_url=str(settings.BASE_DIR)) for text in _stylesheets(extra)]
    document = HTML(string=html, url_fetcher=_no_fetch, base_url=str(settings.BASE_DIR)).render(stylesheets=stylesheets)
    data = document.write_pdf()
    return (data, len(document.pages)) if pages else data


def render_pdf(request_or_user, template, context, *, landscape=False, draft=False, bureau=None):
    """``template`` rendered with ``context`` as PDF bytes (see the module's docstring).

    ``request_or_user``: the request (or, in a task, the user) the document is made for; the
    bureau in the header is theirs unless ``bureau`` is given.
    """
    html, extra = render_html(request_or_user, template, context, landscape=landscape, draft=draft, bureau=bureau)
    return html_to_pdf(html, extra)


def pdf_response(data, filename, *, inline=True):
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response
