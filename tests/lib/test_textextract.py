"""Text extraction from the files clerks upload, and clear errors for files we cannot open."""

import shutil
import subprocess

import pytest

from gongkai.lib import textextract
from gongkai.lib.textextract import ExtractError, UnsupportedFormat, extract, sniff
from tests.lib.files import (
    Image,
    encrypt_pdf,
    gray_image,
    make_docx,
    make_ofd,
    make_pdf,
    make_png,
    make_xlsx,
    make_zip,
)


@pytest.fixture
def no_ocr(monkeypatch):
    monkeypatch.setattr(textextract, "ocr_available", lambda: False)


# ---------------------------------------------------------------- text and HTML


@pytest.mark.parametrize(
    "data",
    [
        "关于做好春节期间值班工作的通知".encode(),
        "\ufeff关于做好春节期间值班工作的通知".encode(),
        "关于做好春节期间值班工作的通知".encode("gb18030"),
        "\ufeff关于做好春节期间值班工作的通知".encode("utf-16-le"),
    ],
)
def test_plain_text_is_read_in_utf8_gbk_and_utf16(data):
    result = extract(data, "通知.txt")
    assert (result.text, result.readable, result.format) == (
        "关于做好春节期间值班工作的通知",
        True,
        "text",
    )


def test_html_loses_its_tags_scripts_and_entities_but_keeps_cells_apart():
    page = (
        "<!DOCTYPE html><html><head><title>标题</title><style>p{color:red}</style></head><body>"
        "<script>var phone='13812345678';</script>"
        "<p>申请人&nbsp;张三&amp;李四 &#x6D4B;&#35797;</p>"
        "<table><tr><td>1381234</td><td>5678</td></tr></table><img src=x.png alt='机密★1年'></body>"
    )
    result = extract(page.encode(), "page.html")
    assert result.format == "html"
    assert "13812345678" not in result.text
    assert "申请人 张三&李四 测试" in result.text
    assert "1381234\t5678" in result.text
    assert "机密★1年" in result.text
    assert "<" not in result.text


def test_html_is_recognised_by_its_content_and_a_txt_name_keeps_markup_as_text():
    assert sniff(b"  <div>x</div>") == "html"
    assert sniff(b"<p>x</p>", "notes.txt") == "text"
    assert extract(b"<p>x</p>", "notes.txt").text == "<p>x</p>"


# ---------------------------------------------------------------- DOCX and XLSX


def test_docx_text_includes_header_footer_paragraphs_and_table_rows():
    data = make_docx(
        ["关于做好春节期间值班工作的通知", "各村、各站所："],
        table=[["姓名", "电话"], ["张三", "13912345678"]],
        header="机密★1年",
        footer="诸往镇人民政府党政办",
    )
    result = extract(data, "通知.docx")
    assert result.format == "docx" and result.readable
    assert result.text.startswith("机密★1年")
    assert "各村、各站所：" in result.text
    assert "姓名\t电话\n张三\t13912345678" in result.text
    assert result.text.rstrip().endswith("诸往镇人民政府党政办")


def test_docx_is_recognised_without_its_extension():
    assert sniff(make_docx(["x"]), "upload.bin") == "docx"


def test_xlsx_text_has_every_sheet_and_every_cell():
    data = make_xlsx(
        {
            "名单": [["姓名", "身份证号", "电话"], ["张三", "370283198506151234", 13912345678]],
            "汇总": [["合计", 2.5, None, "完"]],
        }
    )
    result = extract(data, "名单.xlsx")
    assert result.format == "xlsx"
    assert "名单\n姓名\t身份证号\t电话\n张三\t370283198506151234\t13912345678" in result.text
    assert "汇总\n合计\t2.5\t\t完" in result.text


def test_pptx_text_is_read_slide_by_slide_with_the_speaker_notes():
    def slide(*paragraphs):
        body = "".join(f"<a:p><a:r><a:t>{p}</a:t></a:r></a:p>" for p in paragraphs)
        return (
            '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f"<p:cSld><p:spTree><p:sp><p:txBody>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        ).encode()

    data = make_zip(
        {
            "ppt/presentation.xml": b"<p:presentation/>",
            "ppt/slides/slide10.xml": slide("第十页"),
            "ppt/slides/slide2.xml": slide("政策解读", "联系人 13812345678"),
            "ppt/notesSlides/notesSlide1.xml": slide("讲稿：秘密★"),
        }
    )
    result = extract(data, "解读.pptx")
    assert result.format == "pptx"
    assert result.text == "政策解读\n联系人 13812345678\n\n第十页\n\n讲稿：秘密★"


# ---------------------------------------------------------------- PDF


def test_a_pdf_text_layer_is_read_page_by_page():
    data = make_pdf(["机密★1年\n关于做好值班工作的通知", None, "联系人 张三 13812345678"])
    result = extract(data, "通知.pdf")
    assert (result.format, result.readable, result.ocr) == ("pdf", True, False)
    assert "机密★1年" in result.text
    assert result.text.index("值班") < result.text.index("13812345678")


def test_a_scanned_pdf_without_ocr_is_marked_unreadable(no_ocr):
    result = extract(make_pdf([gray_image(), gray_image()]), "扫描件.pdf")
    assert not result.readable
    assert "扫描件" in result.reason
    assert result.text == ""


def test_a_pdf_with_some_scanned_pages_names_them_and_keeps_the_rest(no_ocr):
    result = extract(make_pdf(["第一页 13812345678", gray_image(), "第三页"]), "混合.pdf")
    assert not result.readable
    assert "第 2 页" in result.reason
    assert "13812345678" in result.text and "第三页" in result.text


def test_a_pdf_with_bytes_before_its_header_is_still_a_pdf():
    assert extract(b"\r\n\x00junk" + make_pdf(["正文"]), "a.pdf").text == "正文"


def test_a_pdf_with_only_an_owner_password_is_read():
    data = make_pdf(["正文"])
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert extract(out.getvalue(), "a.pdf").text == "正文"


def test_a_password_protected_pdf_is_a_clear_error():
    with pytest.raises(ExtractError, match="加密"):
        extract(encrypt_pdf(make_pdf(["正文"])), "加密.pdf")


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", b"%PDF-1.4\n" + b"\x00garbage" * 100],
)
def test_a_damaged_pdf_is_a_clear_error(data):
    with pytest.raises(ExtractError, match=r"损坏|无效"):
        extract(data, "坏.pdf")


# ---------------------------------------------------------------- archives


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(textextract, "MAX_UNPACKED_BYTES", 1024 * 1024)
    bomb = make_zip({"word/document.xml": b"<w:document/>" + b" " * (5 * 1024 * 1024)})
    assert len(bomb) < 50_000
    with pytest.raises(ExtractError, match="解压后过大"):
        extract(bomb, "bomb.docx")
    xlsx_bomb = make_zip({"xl/workbook.xml": b" " * (5 * 1024 * 1024)})
    with pytest.raises(ExtractError, match="解压后过大"):
        extract(xlsx_bomb, "bomb.xlsx")


def test_a_docx_with_broken_xml_is_a_clear_error():
    with pytest.raises(ExtractError, match="损坏"):
        extract(make_zip({"word/document.xml": b"<w:document><w:body>"}), "坏.docx")


def test_a_truncated_docx_is_a_clear_error():
    data = make_docx(["正文"])
    with pytest.raises(ExtractError, match="损坏"):
        extract(data[: len(data) // 2], "坏.docx")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, r"\.docx"),
        (b"{\\rtf1\\ansi\\ansicpg936 \\'d6\\'d0}", "RTF"),
        (make_zip({"a.txt": b"x"}), "压缩包"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100, "不是可检查的文件格式"),
        (bytes(range(128, 256)) * 4, "不是可检查的文件格式"),
    ],
)
def test_unsupported_files_say_what_to_do(data, message):
    with pytest.raises(UnsupportedFormat, match=message):
        extract(data, "upload")


# ---------------------------------------------------------------- OFD and images


def test_ofd_text_is_read_from_its_pages_in_order():
    data = make_ofd([["秘密★", "关于……的通知"], ["联系人 13812345678"]])
    result = extract(data, "通知.ofd")
    assert (result.format, result.readable) == ("ofd", True)
    assert result.text == "秘密★\n关于……的通知\n\n联系人 13812345678"


def test_an_ofd_made_of_images_is_unreadable_without_ocr(no_ocr):
    result = extract(make_ofd([[]], images=[make_png()]), "扫描.ofd")
    assert not result.readable
    assert "OFD" in result.reason


@pytest.mark.parametrize(
    "head", [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"II*\x00", b"MM\x00*"]
)
def test_images_are_unreadable_without_ocr(no_ocr, head):
    result = extract(head + b"\x00" * 64, "photo")
    assert (result.format, result.readable) == ("image", False)
    assert "图片" in result.reason


# ---------------------------------------------------------------- OCR, when installed

needs_ocr = pytest.mark.skipif(
    not (textextract.ocr_available() and shutil.which("pdftoppm")),
    reason="tesseract with chi_sim and pdftoppm are not installed",
)


def _render(pdf: bytes, tmp_path, fmt: str) -> bytes:
    (tmp_path / "in.pdf").write_bytes(pdf)
    args = ["-png"] if fmt == "png" else []
    subprocess.run(  # noqa: S603
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-r",
            "150",
            "-gray",
            *args,
            "-singlefile",
            tmp_path / "in.pdf",
            tmp_path / "out",
        ],
        check=True,
    )
    return (tmp_path / f"out.{fmt}").read_bytes()


def _as_image(pgm: bytes) -> Image:
    magic, size, depth, pixels = pgm.split(b"\n", 3)
    width, height = map(int, size.split())
    assert magic == b"P5" and depth == b"255"
    return Image(width, height, pixels)


@needs_ocr
def test_a_scanned_pdf_is_read_by_ocr_when_tesseract_is_installed(tmp_path):
    page = make_pdf(["机密★1年\n关于做好值班工作的通知\n联系人 13812345678"])
    scanned = make_pdf([_as_image(_render(page, tmp_path, "pgm"))])
    result = extract(scanned, "扫描件.pdf")
    assert (result.readable, result.ocr) == (True, True)
    assert "13812345678" in result.text
    assert "机密★1" in result.text


@needs_ocr
def test_an_image_is_read_by_ocr_when_tesseract_is_installed(tmp_path):
    png = _render(make_pdf(["联系人 13812345678"]), tmp_path, "png")
    result = extract(png, "照片.png")
    assert (result.format, result.readable, result.ocr) == ("image", True, True)
    assert "13812345678" in result.text


@needs_ocr
def test_an_image_without_any_text_still_needs_a_person_with_ocr():
    result = extract(make_png(8, 8), "空白.png")
    assert not result.readable
