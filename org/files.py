"""Uploaded files kept by the app (佐证材料, 附件, 成果资料): one set of rules for what may be
uploaded, where it is stored and how it is handed back, whichever record the file belongs to."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
# Extension → (MIME type, how the file must begin). Office files are checked as the container
# formats they are (OOXML is a ZIP, the old formats are OLE compound files).
UPLOAD_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
}


def upload_check(upload):
    """The MIME type of an acceptable upload; ``ValidationError`` with the reason otherwise."""
    name = upload.name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件“%(name)s”超过 10 MB，请压缩后再上传。") % {"name": name})
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name})
    if ext not in UPLOAD_TYPES:
        raise ValidationError(_("不支持“%(name)s”的文件类型；只能上传 PDF、图片（JPG、PNG）和 Office 文档（DOC、DOCX、XLS、XLSX）。") % {"name": name})
    mime, magics = UPLOAD_TYPES[ext]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise ValidationError(_("文件“%(name)s”的内容与扩展名不符。") % {"name": name})
    return mime


def stored_path(instance, filename):
    # The stored name is random: nobody can guess another file's address on disk.
    return f"evidence/{instance.stored_id.hex[:2]}/{instance.stored_id.hex}{Path(filename).suffix.lower()}"


class StoredFile(models.Model):
    """An uploaded file kept under a random name; a subclass adds the record it belongs to."""

    stored_id = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    file = models.FileField(gettext_lazy("文件"), upload_to=stored_path)
    original_name = models.CharField(gettext_lazy("文件名"), max_length=200)
    size = models.PositiveIntegerField(gettext_lazy("大小（字节）"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(gettext_lazy("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


def files_store(model, owner_field, owner, actor, uploads):
    """Store uploads under the rules above; any bad file refuses them all before any is kept,
    and a failure while they are saved removes the files already written."""
    checked = [(upload, upload_check(upload)) for upload in uploads]
    stored = []
    try:
        with transaction.atomic():
            for upload, mime in checked:
                row = model(**{owner_field: owner}, original_name=upload.name[:200], size=upload.size,
                            content_type=mime, uploaded_by=actor)
                row.file.save(upload.name, upload, save=False)
                stored.append(row)
                row._history_user = actor
                row.save()
    except Exception:
        for row in stored:
            row.file.delete(save=False)
        raise
    return stored


def stored_file_response(stored):
    """An uploaded file under its original name, never shown inline and never cached: only its
    reader, checked by the caller, receives it."""
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input; each is checked by ``upload_check`` where they are stored."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", gettext_lazy("PDF、图片或 Office 文档，每个不超过 10 MB。"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("一次最多上传 %(n)s 个文件。") % {"n": MAX_FILES})
        return [super(FilesField, self).clean(f, initial) for f in files]
