"""Attachment files: what may be uploaded, how it is stored and read.

The type is decided from the content (magic bytes, and the parts inside a zip container), never
from the file name: a renamed executable is refused. Accepted are PDF, DOCX, XLSX, OFD and PNG,
JPEG and GIF images, up to settings.CATALOG_ATTACHMENT_MAX_MB. Files go to Django's default
storage under a random name; the SHA-256 and the extracted text (for the checks) are kept on the
row. A file whose text cannot be read (a scan, an image) needs a reviewer's confirmation before
the item is published."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from gongkai.catalog.models import Attachment, AttachmentKind
from gongkai.lib import textextract
from gongkai.lib.scan import partly_checked

_KINDS = {
    "png": AttachmentKind.PNG,
    "jpeg": AttachmentKind.JPEG,
    "gif": AttachmentKind.GIF,
    "pdf": AttachmentKind.PDF,
    "docx": AttachmentKind.DOCX,
    "xlsx": AttachmentKind.XLSX,
    "ofd": AttachmentKind.OFD,
}


def sniff_kind(data: bytes) -> str | None:
    """The attachment kind of `data` judged by its content, or None when it is not allowed."""
    return _KINDS.get(textextract.file_kind(data))


@dataclass(frozen=True)
class Prepared:
    name: str
    kind: str
    size: int
    sha256: str
    text: str
    readable: bool
    unreadable_reason: str
    data: bytes


def clean_name(name: str) -> str:
    """The original file name without any directory part, as shown to readers."""
    base = PurePath(name.replace("\\", "/")).name.strip()
    return base[:200] or _("附件")


def prepare(data: bytes, name: str) -> Prepared:
    """Check and read an uploaded file. Raises ValidationError with a message for the clerk."""
    name = clean_name(name)
    limit = settings.CATALOG_ATTACHMENT_MAX_MB * 1024 * 1024
    if not data:
        raise ValidationError(_("%(name)s 是空文件。") % {"name": name})
    if len(data) > limit:
        raise ValidationError(
            _("%(name)s 超过 %(mb)s MB 的大小限制。")
            % {"name": name, "mb": settings.CATALOG_ATTACHMENT_MAX_MB}
        )
    kind = sniff_kind(data)
    if kind is None:
        raise ValidationError(
            _(
                "%(name)s 不是允许的附件类型（按文件内容判断）：只接受 PDF、DOCX、XLSX、OFD 和 "
                "PNG、JPEG、GIF 图片。旧版 .doc/.xls 请另存为 .docx/.xlsx。"
            )
            % {"name": name}
        )
    try:
        extracted = textextract.extract(data, name)
    except textextract.ExtractError as exc:
        raise ValidationError(str(exc)) from exc
    # A text cut at the extraction cap is only partly checked, like an unreadable scan.
    readable, reason = partly_checked(extracted)
    return Prepared(
        name=name,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=extracted.text,
        readable=readable,
        unreadable_reason="" if readable else (reason or _("文字无法读取"))[:300],
        data=data,
    )


def store(prepared: Prepared, **fields) -> Attachment:
    """Save the file to the default storage and create its row (inside the caller's
    transaction; `fields` carries version and sort_order)."""
    attachment = Attachment(
        name=prepared.name,
        kind=prepared.kind,
        size=prepared.size,
        sha256=prepared.sha256,
        text=prepared.text,
        readable=prepared.readable,
        unreadable_reason=prepared.unreadable_reason,
        **fields,
    )
    attachment.file.save(prepared.name, ContentFile(prepared.data), save=False)
    attachment.save()
    return attachment


def delete_stored_file(name: str) -> None:
    """Remove a stored file unless another attachment row (an older version) still uses it."""
    if not name:
        return
    if Attachment.objects.filter(file=name, purged_at__isnull=True).exists():
        return
    default_storage.delete(name)
