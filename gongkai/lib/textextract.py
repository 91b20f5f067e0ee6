"""Text out of the files a clerk uploads: plain text, HTML, DOCX, XLSX, PPTX, PDF, OFD, images.

`extract(data, name)` sniffs the real format from the content (the file name only breaks ties),
and returns an `Extracted` with the text and whether it could be read at all. A scan (a PDF page
without a text layer, an image, an OFD made of images) is not an error: it comes back with
`readable=False` and a reason, because a person has to look at it. When the `tesseract` program
with its simplified-Chinese data is installed (Debian: tesseract-ocr, tesseract-ocr-chi-sim; for
scanned PDFs also poppler-utils), such files are read by OCR instead.

Files that cannot be opened at all (corrupt, encrypted, unsupported, oversized archives) raise
`ExtractError` with a message meant for the clerk.

The text kept is at most settings.EXTRACTED_TEXT_MAX_CHARS characters (a 460 KB zip bomb once
unpacked to 193 MB of text): a longer text is cut there, `truncated` is set and `reason` says
that only the first part was checked.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from lxml import etree
from lxml import html as lxml_html

# Archives (DOCX, XLSX, OFD are zip files) may not unpack to more than this, nor hold more members.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 20_000
# Extracted text is cut here unless settings.EXTRACTED_TEXT_MAX_CHARS says otherwise.
DEFAULT_MAX_TEXT_CHARS = 1_000_000
# OCR is slow (seconds a page): longer scans stay "unchecked" for a person to look at.
MAX_OCR_PAGES = 30
OCR_TIMEOUT_SECONDS = 120

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class ExtractError(Exception):
    """The file cannot be opened: the message says why, in words a clerk understands."""


class UnsupportedFormat(ExtractError):
    """A format we do not read (old .doc/.xls, archives, executables…)."""


@dataclass(frozen=True)
class Extracted:
    text: str
    readable: bool
    reason: str = ""  # why the text is missing or incomplete, for the reviewer
    format: str = "text"  # text, html, docx, xlsx, pptx, pdf, ofd, image
    ocr: bool = False  # some or all of the text was recognised from images
    truncated: bool = False  # the text was cut at EXTRACTED_TEXT_MAX_CHARS: the rest is unchecked


# ---------------------------------------------------------------- sniffing


def sniff(data: bytes, name: str = "") -> str:
    """The format of `data`: pdf, docx, xlsx, pptx, ofd, zip, damaged (a broken zip), image,
    ole (old Office), rtf, html, text or binary."""
    head = data[:16]
    if data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(b"%PDF-"):
        return "pdf"
    # Readers accept a little junk before the header, but "%PDF-" somewhere in the first KB of
    # a text is not a PDF: only a file that then opens as one is.
    if b"%PDF-" in data[:1024] and _pdf_opens(data):
        return "pdf"
    if data[:16].lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if _image_type(head):
        return "image"
    if _looks_binary(data[:8192]):
        return "binary"
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in {".html", ".htm", ".xhtml", ".shtml"}:
        return "html"
    if suffix in {".txt", ".csv", ".md"}:
        return "text"
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or re.match(
        rb"<(head|body|div|p|table|meta|title|span|h[1-6])[\s>]", start
    ):
        return "html"
    return "text"


def file_kind(data: bytes) -> str:
    """Like `sniff`, but an image by its type (png, jpeg, gif, tiff, webp, bmp): what the
    upload checks of every app decide on, so none keeps its own table of magic bytes.

    A kind is given only when the file opens as what it claims to be: a PDF opens with pypdf
    and has pages (or is encrypted), DOCX/XLSX/PPTX are packages whose content types and main
    part parse, an OFD has a parsable OFD.xml, an image has a complete, consistent header.
    Anything else that merely starts like one is "damaged"."""
    kind = _image_type(data[:16]) or sniff(data)
    check = _STRUCTURE.get(kind)
    if check is None:
        return kind
    try:
        return kind if check(data) else "damaged"
    except Exception:  # a library's own error on a broken file: not that kind
        return "damaged"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "damaged"
    lowered = {n.lower() for n in names}
    if "ofd.xml" in lowered:
        return "ofd"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    return "zip"


# ---------------------------------------------------------------- structure checks


def _pdf_opens(data: bytes) -> bool:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        # encrypted: it opens, reading needs the password (extract() says so)
        return reader.is_encrypted or len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds on junk
        return False


_MAIN_PARTS = {
    "docx": ("word/document.xml", "document"),
    "xlsx": ("xl/workbook.xml", "workbook"),
    "pptx": ("ppt/presentation.xml", "presentation"),
}


def _package_opens(kind: str) -> Callable[[bytes], bool]:
    part, root_name = _MAIN_PARTS[kind]

    def check(data: bytes) -> bool:
        with _open_zip(data, "文件") as zf:  # size limits first: no zip bomb is unpacked
            names = set(zf.namelist())
            if "[Content_Types].xml" not in names or part not in names:
                return False
            types = _parse_xml(_read_member(zf, "[Content_Types].xml"))
            if _local(types.tag) != "Types":
                return False
            if _local(_parse_xml(_read_member(zf, part)).tag) != root_name:
                return False
        if kind == "docx":  # python-docx also refuses macro-enabled and other look-alikes
            import docx

            docx.Document(io.BytesIO(data))
        return True

    return check


def _ofd_opens(data: bytes) -> bool:
    with _open_zip(data, "文件") as zf:
        name = next((n for n in zf.namelist() if n.lower() == "ofd.xml"), None)
        return name is not None and _local(_parse_xml(_read_member(zf, name)).tag) == "OFD"


def _png_complete(data: bytes) -> bool:
    if len(data) < 45 or data[8:16] != b"\x00\x00\x00\rIHDR":
        return False
    width, height = struct.unpack(">II", data[16:24])
    crc = struct.unpack(">I", data[29:33])[0]
    return width > 0 and height > 0 and zlib.crc32(data[12:29]) == crc and b"IEND" in data[-12:]


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_complete(data: bytes) -> bool:
    """Walk the segments from SOI to a frame header (SOF) with a size: each length must stay
    inside the file."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if length < 2 or pos + 2 + length > len(data):
            return False
        if marker in _SOF:
            if length < 8:
                return False
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width > 0 and height > 0
        if marker in (0xD9, 0xDA):  # end, or scan data before any frame header
            return False
        pos += 2 + length
    return False


def _gif_complete(data: bytes) -> bool:
    if len(data) < 14:
        return False
    width, height = struct.unpack("<HH", data[6:10])
    return width > 0 and height > 0 and b";" in data[-16:]


def _riff_complete(data: bytes) -> bool:
    return len(data) >= 16 and struct.unpack("<I", data[4:8])[0] + 8 <= len(data) + 1


def _tiff_complete(data: bytes) -> bool:
    order = "<" if data[:2] == b"II" else ">"
    return len(data) >= 16 and 8 <= struct.unpack(order + "I", data[4:8])[0] < len(data)


def _bmp_complete(data: bytes) -> bool:
    return len(data) >= 26 and struct.unpack("<I", data[2:6])[0] <= len(data)


_STRUCTURE: dict[str, Callable[[bytes], bool]] = {
    "pdf": _pdf_opens,
    "docx": _package_opens("docx"),
    "xlsx": _package_opens("xlsx"),
    "pptx": _package_opens("pptx"),
    "ofd": _ofd_opens,
    "png": _png_complete,
    "jpeg": _jpeg_complete,
    "gif": _gif_complete,
    "webp": _riff_complete,
    "tiff": _tiff_complete,
    "bmp": _bmp_complete,
}


def _image_type(head: bytes) -> str:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    return ""


def _looks_binary(chunk: bytes) -> bool:
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with a byte-order mark
    if b"\x00" in chunk:
        return True
    control = sum(1 for b in chunk if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > max(8, len(chunk) // 50)


# ---------------------------------------------------------------- entry point


def extract(data: bytes, name: str = "") -> Extracted:
    """Extract the text of a file's bytes; `name` is only used to tell text from HTML and in
    messages. Raises ExtractError when the file cannot be opened."""
    kind = sniff(data, name)
    label = name or "文件"
    if kind == "rtf":
        raise UnsupportedFormat(f"{label} 是 RTF 格式，无法检查；请另存为 .docx 后再上传。")
    if kind == "ole":
        raise UnsupportedFormat(
            f"{label} 是旧版 Word/Excel/WPS 格式（.doc/.xls/.wps），无法检查；"
            "请另存为 .docx 或 .xlsx 后再上传。"
        )
    if kind == "damaged":
        raise ExtractError(f"{label} 已损坏（压缩结构不完整），无法打开；请重新导出后上传。")
    if kind == "zip":
        raise UnsupportedFormat(f"{label} 是压缩包或不认识的格式，无法检查；请上传其中的文件。")
    if kind == "binary":
        raise UnsupportedFormat(
            f"{label} 不是可检查的文件格式（支持文本、网页、DOCX、XLSX、PPTX、PDF、OFD 和图片）。"
        )
    handler = {
        "pdf": _extract_pdf,
        "docx": _extract_docx,
        "xlsx": _extract_xlsx,
        "pptx": _extract_pptx,
        "ofd": _extract_ofd,
        "image": _extract_image,
        "html": _extract_html,
        "text": _extract_text,
    }[kind]
    try:
        result = handler(data, label)
    except ExtractError:
        raise
    except Exception as exc:  # a library's own error on a damaged file: never a crash
        raise ExtractError(
            f"{label} 已损坏或格式不正确，无法读取（{type(exc).__name__}）。"
        ) from exc
    return capped(result)


def max_text_chars() -> int:
    try:
        from django.conf import settings

        return int(getattr(settings, "EXTRACTED_TEXT_MAX_CHARS", DEFAULT_MAX_TEXT_CHARS))
    except ImportError:  # pragma: no cover - used without Django
        return DEFAULT_MAX_TEXT_CHARS


def capped(result: Extracted, limit: int | None = None) -> Extracted:
    """`result` with its text cut at the limit, marked `truncated` with a reason for the clerk."""
    limit = max_text_chars() if limit is None else limit
    if len(result.text) <= limit:
        return result
    note = f"文本超过上限，仅检查了前 {limit} 字。"
    return replace(
        result,
        text=result.text[:limit],
        truncated=True,
        reason=f"{result.reason} {note}" if result.reason else note,
    )


def extract_path(path: str | Path, name: str = "") -> Extracted:
    """Like `extract`, reading the file first; `name` defaults to the file's own name."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ExtractError(f"找不到文件 {path}。") from exc
    except IsADirectoryError as exc:
        raise ExtractError(f"{path} 是文件夹，不是文件。") from exc
    except OSError as exc:
        raise ExtractError(f"无法打开 {path}：{exc.strerror or exc}。") from exc
    return extract(data, name or path.name)


# ---------------------------------------------------------------- text and HTML


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (older Chinese Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnsupportedFormat("文本编码无法识别（应为 UTF-8 或 GBK/GB18030）。") from exc


def _extract_text(data: bytes, label: str) -> Extracted:
    try:
        text = decode_text(data)
    except UnsupportedFormat as exc:
        raise UnsupportedFormat(
            f"{label} 不是可检查的文件格式，或文本编码无法识别（应为 UTF-8 或 GBK/GB18030）。"
        ) from exc
    return Extracted(text=text, readable=True, format="text")


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul", "title", "caption",
}  # fmt: skip
_CELL_TAGS = {"td", "th"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head"}


_HTML_PARSER = lxml_html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML fragment or page: tags dropped, entities decoded.

    libxml2's parser, walked without recursion: linear in the size of the markup however broken
    it is (the standard library's parser takes quadratic time on "<a<a<a…")."""
    if not markup.strip():
        return ""
    try:
        root = lxml_html.document_fromstring(markup.encode("utf-8", "replace"), parser=_HTML_PARSER)
    except (etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    skipping = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                skipping += 1
            elif tag in _BLOCK_TAGS:
                parts.append("\n")
            elif tag in _CELL_TAGS:
                parts.append("\t")
            elif tag == "img" and not skipping and el.get("alt"):
                # An image's alt text is shown to readers who cannot see the image.
                parts.append(el.get("alt"))
            if tag and el.text and not skipping:
                parts.append(el.text)
        else:
            if tag in _SKIP_TAGS:
                skipping = max(0, skipping - 1)
            elif tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.tail and not skipping:
                parts.append(el.tail)
    text = "".join(parts).replace("\xa0", " ")
    # The look-behind keeps it linear: a long run of spaces is tried from its start only.
    return re.sub(r"(?<![ \t])[ \t]*+\n[ \t\n]*\n", "\n\n", text).strip()


def _extract_html(data: bytes, label: str) -> Extracted:
    return Extracted(text=html_to_text(decode_text(data)), readable=True, format="html")


# ---------------------------------------------------------------- zip containers


def _open_zip(data: bytes, label: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ExtractError(f"{label} 已损坏，无法打开。") from exc
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ExtractError(f"{label} 内部文件过多，疑似恶意文件，已拒绝。")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise ExtractError(f"{label} 解压后过大（超过 {MAX_UNPACKED_BYTES // 2**20} MB），已拒绝。")
    return zf


def _read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    # zipfile stops at the declared size and checks the CRC, so a lying header cannot make this
    # read more than the total checked in _open_zip.
    with zf.open(name) as fh:
        return fh.read(MAX_UNPACKED_BYTES + 1)


def _member_head(zf: zipfile.ZipFile, name: str) -> bytes:
    with zf.open(name) as fh:
        return fh.read(16)


def _parse_xml(raw: bytes) -> etree._Element:
    return etree.fromstring(raw, parser=_XML_PARSER)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# ---------------------------------------------------------------- DOCX


def _docx_text(root: etree._Element) -> str:
    """Text of a WordprocessingML part in document order: paragraphs on their own lines, table
    cells separated by tabs, text boxes included once, tracked deletions included (they are
    still inside the file a reader downloads)."""
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        name = _local(el.tag)
        if name == "Fallback":  # mc:AlternateContent repeats a text box for old readers
            return
        if name in ("t", "delText") and el.text:
            out.append(el.text)
        elif name == "tab":
            out.append("\t")
        elif name in ("br", "cr"):
            out.append("\n")
        for child in el:
            walk(child)
        if name == "p":
            out.append("\n")
        elif name == "tc":  # cells of a row on one line, separated by tabs
            if out and out[-1] == "\n":
                out[-1] = "\t"
            else:
                out.append("\t")
        elif name == "tr":
            if out and out[-1] == "\t":
                out[-1] = "\n"
            else:
                out.append("\n")

    walk(root)
    return "".join(out)


def _natural_key(name: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _extract_docx(data: bytes, label: str) -> Extracted:
    with _open_zip(data, label) as zf:
        names = zf.namelist()
        if "word/document.xml" not in names:
            raise ExtractError(f"{label} 不是有效的 DOCX 文件（缺少正文）。")
        headers = sorted(
            (n for n in names if re.fullmatch(r"word/header\d*\.xml", n)), key=_natural_key
        )
        footers = sorted(
            (n for n in names if re.fullmatch(r"word/footer\d*\.xml", n)), key=_natural_key
        )
        extras = [
            n
            for n in ("word/footnotes.xml", "word/endnotes.xml", "word/comments.xml")
            if n in names
        ]
        parts = [*headers, "word/document.xml", *footers, *extras]
        chunks = []
        for part in parts:
            text = _docx_text(_parse_xml(_read_member(zf, part))).strip("\n")
            if text.strip():
                chunks.append(text)
    return Extracted(text="\n\n".join(chunks), readable=True, format="docx")


# ---------------------------------------------------------------- XLSX


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def _extract_xlsx(data: bytes, label: str) -> Extracted:
    import openpyxl

    _open_zip(data, label).close()  # size limits before openpyxl unpacks anything
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise ExtractError(f"{label} 不是有效的 XLSX 文件。") from exc
    chunks = []
    try:
        for sheet in book.worksheets:
            lines = [sheet.title]
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell_text(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    lines.append("\t".join(cells))
            chunks.append("\n".join(lines))
    finally:
        book.close()
    return Extracted(text="\n\n".join(chunks), readable=True, format="xlsx")


# ---------------------------------------------------------------- PPTX


def _drawing_text(root: etree._Element) -> str:
    """Text of a DrawingML part (slides, notes): one line per a:p, a:br as a line break."""
    out: list[str] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "t" and el.text:
            out.append(el.text)
        elif name == "br" or (name == "p" and out and out[-1] != "\n"):
            out.append("\n")  # iter() meets a:p before its text: a new paragraph, a new line
    return "".join(out).strip("\n")


def _extract_pptx(data: bytes, label: str) -> Extracted:
    with _open_zip(data, label) as zf:
        names = zf.namelist()
        slides = sorted(
            (n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)), key=_natural_key
        )
        notes = sorted(
            (n for n in names if re.fullmatch(r"ppt/notesSlides/notesSlide\d+\.xml", n)),
            key=_natural_key,
        )
        chunks = [_drawing_text(_parse_xml(_read_member(zf, n))) for n in slides + notes]
    return Extracted(text="\n\n".join(c for c in chunks if c.strip()), readable=True, format="pptx")


# ---------------------------------------------------------------- PDF


def _has_images(resources: object, depth: int = 0) -> bool:
    if depth > 5 or resources is None:
        return False
    try:
        xobjects = resources.get_object().get("/XObject")  # type: ignore[attr-defined]
        if xobjects is None:
            return False
        for ref in xobjects.get_object().values():
            obj = ref.get_object()
            subtype = obj.get("/Subtype")
            if subtype == "/Image":
                return True
            if subtype == "/Form" and _has_images(obj.get("/Resources"), depth + 1):
                return True
    except Exception:  # a damaged resource dictionary: treat as "maybe an image"
        return True
    return False


def _extract_pdf(data: bytes, label: str) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError(f"{label} 是加密的 PDF，无法读取；请上传未加密的文件。")
        pages = list(reader.pages)
    except FileNotDecryptedError as exc:
        raise ExtractError(f"{label} 是加密的 PDF，无法读取；请上传未加密的文件。") from exc
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractError(f"{label} 不是有效的 PDF 文件或已损坏。") from exc
    except NotImplementedError as exc:  # an encryption method pypdf cannot undo
        raise ExtractError(f"{label} 使用了无法解开的加密方式，无法读取。") from exc

    texts: list[str] = []
    scanned: list[int] = []  # 1-based numbers of pages that are images only
    for number, page in enumerate(pages, start=1):
        text = page.extract_text() or ""
        texts.append(text)
        if not text.strip() and _has_images(page.get("/Resources")):
            scanned.append(number)

    ocr_used = False
    if scanned and ocr_available() and shutil.which("pdftoppm") and len(scanned) <= MAX_OCR_PAGES:
        unread = []
        for number in scanned:
            try:
                texts[number - 1] = _ocr_pdf_page(data, number)
            except ExtractError:
                texts[number - 1] = ""
            if texts[number - 1].strip():
                ocr_used = True
            else:  # a scanned page always has some text: recognising none means OCR failed
                unread.append(number)
        scanned = unread

    text = "\n\n".join(t.strip("\n") for t in texts).rstrip()
    if not scanned:
        return Extracted(text=text, readable=True, format="pdf", ocr=ocr_used)
    if len(scanned) == len(pages):
        reason = "PDF 是扫描件（没有文字层），无法自动检查。"
    else:
        listed = "、".join(str(n) for n in scanned[:20]) + ("等" if len(scanned) > 20 else "")
        reason = f"PDF 第 {listed} 页是扫描图像，无法自动检查这些页。"
    return Extracted(text=text, readable=False, reason=reason, format="pdf")


# ---------------------------------------------------------------- OFD


def _ofd_pages(zf: zipfile.ZipFile, names: set[str]) -> list[str]:
    """Content.xml paths in page order, following OFD.xml → Document.xml; falls back to the
    natural order of the paths when the index is damaged."""
    ordered: list[str] = []
    try:
        ofd = _parse_xml(_read_member(zf, next(n for n in names if n.lower() == "ofd.xml")))
        for root_el in ofd.iter():
            if _local(root_el.tag) != "DocRoot" or not root_el.text:
                continue
            doc_path = PurePosixPath(root_el.text.strip().lstrip("/"))
            document = _parse_xml(_read_member(zf, str(doc_path)))
            for page in document.iter():
                if _local(page.tag) == "Page" and page.get("BaseLoc"):
                    loc = PurePosixPath(page.get("BaseLoc", "").lstrip("/"))
                    candidate = str(doc_path.parent / loc)
                    if candidate in names:
                        ordered.append(candidate)
                    elif str(loc) in names:
                        ordered.append(str(loc))
    except (StopIteration, KeyError, etree.XMLSyntaxError):
        ordered = []
    if not ordered:
        ordered = sorted((n for n in names if n.endswith("Content.xml")), key=_natural_key)
    return ordered


def _ofd_page_text(root: etree._Element) -> str:
    out: list[str] = []
    last_y: float | None = None
    for obj in root.iter():
        if _local(obj.tag) != "TextObject":
            continue
        try:
            y = float((obj.get("Boundary") or "0 0").split()[1])
        except (IndexError, ValueError):
            y = last_y or 0.0
        if last_y is not None and abs(y - last_y) > 1.0:
            out.append("\n")
        last_y = y
        for code in obj.iter():
            if _local(code.tag) == "TextCode" and code.text:
                out.append(code.text)
    return "".join(out)


def _extract_ofd(data: bytes, label: str) -> Extracted:
    with _open_zip(data, label) as zf:
        names = set(zf.namelist())
        texts = [_ofd_page_text(_parse_xml(_read_member(zf, p))) for p in _ofd_pages(zf, names)]
        text = "\n\n".join(t for t in texts if t.strip())
        if text.strip():
            return Extracted(text=text, readable=True, format="ofd")
        images = sorted((n for n in names if _image_type(_member_head(zf, n))), key=_natural_key)
        if images and ocr_available() and len(images) <= MAX_OCR_PAGES:
            ocr_text = "\n\n".join(_ocr_image(_read_member(zf, n)) for n in images)
            if ocr_text.strip():
                return Extracted(text=ocr_text, readable=True, format="ofd", ocr=True)
    return Extracted(
        text="",
        readable=False,
        reason="OFD 文件没有可读取的文字（可能是扫描件），无法自动检查。",
        format="ofd",
    )


# ---------------------------------------------------------------- images and OCR


def _extract_image(data: bytes, label: str) -> Extracted:
    if ocr_available():
        text = _ocr_image(data)
        if text.strip():
            return Extracted(text=text, readable=True, format="image", ocr=True)
        return Extracted(
            text="",
            readable=False,
            reason="图片中没有识别出文字，请人工确认图片内容。",
            format="image",
        )
    return Extracted(text="", readable=False, reason="图片中的文字无法自动检查。", format="image")


@functools.lru_cache(maxsize=1)
def ocr_available() -> bool:
    """Whether `tesseract` with simplified-Chinese data is installed (checked once)."""
    binary = shutil.which("tesseract")
    if not binary:
        return False
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, binary found on PATH
            [binary, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "chi_sim" in (result.stdout + result.stderr).split()


# Tesseract puts spaces between Chinese characters ("机 密 ★ 1 年"), and reads the ★ of a
# classification mark as 女, 大 or *: both are put right so the mark is recognised.
_WIDE = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef★☆"
_CJK_GAP = re.compile(rf"(?<=[{_WIDE}]) +(?=[{_WIDE}])")
_OCR_STAR = re.compile(r"(?<=[绝机秘]密) ?[女大*☆] ?(?=\d|[一二三四五六七八九十]|长期|启用)")


def _ocr_image(data: bytes) -> str:
    binary = shutil.which("tesseract")
    if not binary:
        raise ExtractError("文字识别程序 tesseract 不可用。")
    with tempfile.TemporaryDirectory(prefix="gongkai-ocr-") as tmp:
        src = Path(tmp) / "page"
        src.write_bytes(data)
        try:
            result = subprocess.run(  # noqa: S603 - fixed arguments
                [binary, str(src), "stdout", "-l", "chi_sim+eng"],
                capture_output=True,
                timeout=OCR_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ExtractError("文字识别超时，文件无法自动检查。") from exc
    if result.returncode != 0:
        raise ExtractError("图片无法识别（文件可能已损坏）。")
    text = _CJK_GAP.sub("", result.stdout.decode("utf-8", "replace"))
    return _OCR_STAR.sub("★", text).strip()


def _ocr_pdf_page(data: bytes, number: int) -> str:
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        raise ExtractError("PDF 转图片程序 pdftoppm 不可用。")
    with tempfile.TemporaryDirectory(prefix="gongkai-ocr-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        prefix = Path(tmp) / "page"
        try:
            subprocess.run(  # noqa: S603 - fixed arguments
                [pdftoppm, "-r", "200", "-gray", "-png", "-f", str(number), "-l", str(number),
                 "-singlefile", str(src), str(prefix)],
                capture_output=True,
                timeout=OCR_TIMEOUT_SECONDS,
                check=True,
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError) as exc:
            raise ExtractError(f"PDF 第 {number} 页无法转换为图片进行识别。") from exc
        return _ocr_image((Path(tmp) / "page.png").read_bytes())
