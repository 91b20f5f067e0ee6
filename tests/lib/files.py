"""Test files made at test time: DOCX, XLSX, PDF (with a text layer, image-only or mixed), OFD,
PNG. Nothing binary is checked into the repository."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

# ---------------------------------------------------------------- PDF


@dataclass(frozen=True)
class Image:
    """A grayscale picture for an image-only page: raw 8-bit pixels, row by row."""

    width: int
    height: int
    pixels: bytes


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from its objects (object 1 must be the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data)
    return (
        b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra)
        + packed
        + b"\nendstream"
    )


def make_pdf(pages: list[str | Image | None]) -> bytes:
    """One page per item: a string is typeset (line by line, in the standard Chinese font
    STSong-Light, so both Chinese and ASCII have a text layer); an Image becomes a scanned page
    without text; None is a blank page."""
    objects: list[bytes] = [b"", b""]  # 1 catalog, 2 page tree: filled in at the end
    font_id = 3
    objects.append(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
        b"/DescendantFonts [4 0 R] >>"
    )
    objects.append(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 5 0 R /DW 1000 >>"
    )
    objects.append(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>"
    )
    kids = []
    for page in pages:
        resources = b"<< /Font << /F1 %d 0 R >> >>" % font_id
        if isinstance(page, Image):
            objects.append(
                _stream(
                    page.pixels,
                    b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                    b"/ColorSpace /DeviceGray /BitsPerComponent 8" % (page.width, page.height),
                )
            )
            image_id = len(objects)
            resources = b"<< /XObject << /Im0 %d 0 R >> >>" % image_id
            content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        elif page is None:
            content = b""
        else:
            lines = [
                b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*"
                for line in page.split("\n")
            ]
            content = b"BT /F1 16 Tf 20 TL 50 780 Td " + b" ".join(lines) + b" ET"
        objects.append(_stream(content))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources %s /Contents %d 0 R >>" % (resources, content_id)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    return _pdf(objects)


def encrypt_pdf(data: bytes, password: str = "mima") -> bytes:  # noqa: S107 - a test file
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def gray_image(width: int = 40, height: int = 20) -> Image:
    """A picture with some dark bars: not text, but a scanner would produce something similar."""
    rows = [bytes(0 if (x // 5) % 2 else 255 for x in range(width)) for _ in range(height)]
    return Image(width, height, b"".join(rows))


# ---------------------------------------------------------------- PNG


def make_png(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# ---------------------------------------------------------------- Office files


def make_docx(
    paragraphs: list[str],
    *,
    table: list[list[str]] | None = None,
    header: str = "",
    footer: str = "",
    pages: int = 1,
) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    for page in range(pages):
        for text in paragraphs:
            document.add_paragraph(text)
        if table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    grid.cell(r, c).text = value
        if page < pages - 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- OFD

_OFD_NS = "http://www.ofdspec.org/2016"


def make_ofd(pages: list[list[str]], *, images: list[bytes] | None = None) -> bytes:
    """An OFD package: each page a list of text lines (one TextObject per line); `images` adds
    picture resources (a scanned OFD has pictures and no text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.0">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        page_refs = "".join(
            f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
            for i in range(len(pages))
        )
        zf.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_OFD_NS}">'
            f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>",
        )
        for i, lines in enumerate(pages):
            objs = "".join(
                f'<ofd:TextObject ID="{100 + n}" Boundary="20 {30 + 10 * n} 170 8" '
                'Font="1" Size="5">'
                f'<ofd:TextCode X="0" Y="5">{line}</ofd:TextCode></ofd:TextObject>'
                for n, line in enumerate(lines)
            )
            zf.writestr(
                f"Doc_0/Pages/Page_{i}/Content.xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content>'
                f'<ofd:Layer ID="2">{objs}</ofd:Layer></ofd:Content></ofd:Page>',
            )
        for n, image in enumerate(images or []):
            zf.writestr(f"Doc_0/Res/image_{n}.png", image)
    return out.getvalue()


def make_zip(members: dict[str, bytes], *, compress: bool = True) -> bytes:
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()
