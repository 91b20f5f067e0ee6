"""The attachment a writer may add to a letter: its type judged by content, its size limited."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from gongkai.lib import textextract

# Sniffed format -> (content type served back, file extension stored).
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "gif": ("image/gif", "gif"),
}


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    name: str
    content_type: str
    extension: str
    size: int


def max_bytes() -> int:
    return settings.MAILBOX_ATTACHMENT_MAX_MB * 1024 * 1024


def sniff(data: bytes) -> str | None:
    kind = textextract.file_kind(data)
    return kind if kind in ALLOWED else None


def clean_name(name: str) -> str:
    return PurePath((name or "").replace("\\", "/")).name.strip()[:200] or _("附件")


def check(upload: UploadedFile) -> CheckedUpload:
    """Accept a PDF, Word (DOCX), Excel (XLSX) file or a photo; ValidationError otherwise."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("上传的附件是空文件。"), code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("附件不能超过 %(mb)s MB。") % {"mb": settings.MAILBOX_ATTACHMENT_MAX_MB},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()  # at most MAILBOX_ATTACHMENT_MAX_MB; a zip needs its directory
    upload.seek(0)
    kind = sniff(data)
    if kind is None:
        raise ValidationError(
            _(
                "附件只能是 PDF、Word（.docx）、Excel（.xlsx）文件或 JPG、PNG、GIF 图片"
                "（按文件内容判断，改扩展名无效）。"
            ),
            code="type",
        )
    content_type, extension = ALLOWED[kind]
    return CheckedUpload(
        file=upload,
        name=clean_name(upload.name or ""),
        content_type=content_type,
        extension=extension,
        size=size,
    )
