"""The one sniffer of uploads (textextract.file_kind) names a type only for a file that opens as
that type: "%PDF-" somewhere in the first kilobyte, a PNG signature followed by zeros or a zip
with a word/ folder are not PDFs, images or Word files."""

from __future__ import annotations

import struct

import pytest

from gongkai.lib.textextract import file_kind
from tests.lib.files import (
    encrypt_pdf,
    make_docx,
    make_ofd,
    make_pdf,
    make_png,
    make_xlsx,
    make_zip,
)


def make_jpeg(width: int = 8, height: int = 8) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return (
        b"\xff\xd8"
        + app0
        + sof
        + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
        + b"\x00" * 8
        + b"\xff\xd9"
    )


def make_gif(width: int = 1, height: int = 1) -> bytes:
    return (
        b"GIF89a"
        + struct.pack("<HH", width, height)
        + b"\x00\x00\x00"
        + b"\x2c"
        + b"\x00" * 9
        + b"\x02\x02\x44\x01\x00;"
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (make_pdf(["正文"]), "pdf"),
        (encrypt_pdf(make_pdf(["正文"])), "pdf"),  # opens; reading it needs the password
        (b"  \n" + make_pdf(["正文"]), "pdf"),
        (make_docx(["正文"]), "docx"),
        (make_xlsx({"表": [["a", 1]]}), "xlsx"),
        (make_ofd([["正文"]]), "ofd"),
        (make_png(), "png"),
        (make_jpeg(), "jpeg"),
        (make_gif(), "gif"),
    ],
)
def test_real_files_are_named_by_their_kind(data, kind):
    assert file_kind(data) == kind


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n%%EOF\n",  # a header and nothing else
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",  # cut off
        make_pdf(["正文"])[:200],
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # a signature and zeros
        make_png()[:40],  # cut off before IEND
        make_png()[:20] + b"\x00" * 40,  # IHDR with a wrong CRC
        b"\xff\xd8\xff\xe0" + b"\x00" * 64,
        make_jpeg()[:12],
        b"GIF89a" + b"\x00" * 64,
        make_zip({"word/document.xml": b"<w:document/>"}),  # no content types
        make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"not xml"}),
        make_zip({"[Content_Types].xml": b"<Types/>", "xl/junk.bin": b"x"}),
        make_zip({"OFD.xml": b"<broken"}),
    ],
)
def test_files_that_only_start_like_a_type_are_damaged(data):
    assert file_kind(data) == "damaged"


def test_pdf_header_somewhere_in_the_first_kilobyte_of_text_is_not_a_pdf():
    text = ("这是一份说明。文件头应为 %PDF-1.7，否则不是 PDF。\n" * 5).encode()
    assert file_kind(text) == "text"
    assert file_kind(b"<html><body>%PDF-1.4</body></html>") == "html"


def test_a_little_junk_before_a_real_pdf_is_still_a_pdf():
    assert file_kind(b"JUNK\r\n" + make_pdf(["正文"])) == "pdf"
