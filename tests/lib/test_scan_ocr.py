"""Scanned files carrying an identity number are read by OCR (tesseract with chi_sim) and
flagged. The scans are made here: text rendered into a PNG and into an image-only PDF. Skipped
with a reason when tesseract or the Chinese fonts are missing on a developer's machine; under
CI=true missing tools are a failure, since .ci/run installs them."""

from __future__ import annotations

import glob
import io
import os

import pytest

from gongkai.lib import textextract
from gongkai.lib.scan import scan_file

ID = "370283199001011234"  # wrong check digit, as typed by hand
LINES = ["临时救助发放情况公示", "救助对象：张三", f"身份证号：{ID}"]


def _font_path() -> str | None:
    found = sorted(glob.glob("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))
    found += sorted(glob.glob("/usr/share/fonts/**/NotoSansCJK*.tt[cf]", recursive=True))
    return found[0] if found else None


@pytest.fixture
def scan_image():
    missing = []
    textextract.ocr_available.cache_clear()
    if not textextract.ocr_available():
        missing.append("tesseract with chi_sim (apt-get install tesseract-ocr-chi-sim)")
    font = _font_path()
    if font is None:
        missing.append("a Chinese font (apt-get install fonts-noto-cjk)")
    if missing:
        reason = "OCR test needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1400, 80 * len(LINES) + 60), 255)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(font, 48)
    for i, line in enumerate(LINES):
        draw.text((40, 30 + 80 * i), line, font=face, fill=0)
    return image


def _flagged(result) -> list[str]:
    return [f.text for f in result.findings if f.kind in {"id_card", "id_card_unverified"}]


def test_a_scanned_png_with_an_id_number_is_flagged(scan_image):
    out = io.BytesIO()
    scan_image.save(out, format="PNG")
    result = scan_file(out.getvalue(), "名单.png")
    assert result.ocr
    assert _flagged(result) == [ID]
    assert next(f for f in result.findings if f.text == ID).severity == "high"


def test_a_scanned_pdf_with_an_id_number_is_flagged(scan_image):
    import shutil

    if shutil.which("pdftoppm") is None:
        reason = "OCR of PDFs needs pdftoppm (apt-get install poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    out = io.BytesIO()
    scan_image.convert("RGB").save(out, format="PDF", resolution=150)
    result = scan_file(out.getvalue(), "名单.pdf")
    assert result.readable and result.ocr
    assert _flagged(result) == [ID]


def test_a_file_cut_at_the_extraction_cap_is_only_partly_checked(monkeypatch):
    from gongkai.lib import scan

    cut = textextract.Extracted(text=f"身份证号：{ID}", readable=True, format="text")
    object.__setattr__(cut, "truncated", True)
    monkeypatch.setattr(scan, "extract", lambda data, name: cut)
    result = scan_file(b"x", "long.txt")
    assert result.needs_confirmation
    assert "上限" in result.reason
    assert _flagged(result) == [ID]
