"""Screenshots of the annual report as printed, for docs/screenshots/.

Loads the demo data into a throwaway SQLite database, exports 诸往镇's report with the real
command (`gongkai annual-report`): last year's, finalised and published, and this year's, a
draft. Each DOCX is converted to PDF by LibreOffice (`libreoffice --headless --convert-to pdf`)
and each HTML page printed to PDF by headless chromium (Playwright, print media, A4); pdftoppm
turns the pages into PNG files:

    docs/screenshots/report-docx-final-1.png …   report-docx-draft-1.png …
    docs/screenshots/report-html-final-1.png …   report-html-draft-1.png …

Run from the repository root:  .venv/bin/python scripts/report_screenshots.py
Needs libreoffice, pdftoppm (poppler-utils) and chromium (CHROMIUM_PATH, default
/usr/bin/chromium). The fonts 方正小标宋简体 and 仿宋_GB2312 are commercial and usually absent:
the PDF then shows the fallbacks the DOCX names (宋体, 仿宋) or whatever CJK font the machine has.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
BIN = Path(sys.executable).parent
UNIT = "zhuwang"


def run(*args: str | Path, env: dict[str, str]) -> None:
    subprocess.run([str(a) for a in args], check=True, env=env, cwd=ROOT)  # noqa: S603


def pages_to_png(pdf: Path, stem: str, *, first_pages: int = 4) -> list[Path]:
    for old in OUT.glob(f"{stem}-*.png"):
        old.unlink()
    prefix = pdf.parent / stem
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        sys.exit("pdftoppm is not installed (poppler-utils)")
    subprocess.run(  # noqa: S603 - fixed command, our own file
        [pdftoppm, "-png", "-r", "70", "-l", str(first_pages), str(pdf), str(prefix)],
        check=True,
    )
    written = []
    for made in sorted(pdf.parent.glob(f"{stem}-*.png")):
        number = int(made.stem.rsplit("-", 1)[1])
        target = OUT / f"{stem}-{number}.png"
        shutil.move(made, target)
        written.append(target)
    return written


def docx_to_pdf(docx: Path) -> Path:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        sys.exit("libreoffice is not installed")
    subprocess.run(  # noqa: S603
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return docx.with_suffix(".pdf")


def html_to_pdf(html: Path) -> Path:
    from playwright.sync_api import sync_playwright

    target = html.with_suffix(".html.pdf")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
        )
        page = browser.new_page()
        page.goto(html.as_uri())
        page.emulate_media(media="print")
        # The page's own @page rule (A4) decides the paper.
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
        browser.close()
    return target


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work / 'demo.sqlite3'}",
            "GONGKAI_DATA_DIR": str(work),
        }
        gongkai = BIN / "gongkai"
        run(gongkai, "migrate", "--no-input", "-v", "0", env=env)
        run(gongkai, "demo", env=env)
        this_year = datetime.date.today().year
        for label, year in (("final", this_year - 1), ("draft", this_year)):
            for fmt in ("docx", "html"):
                path = work / f"report-{label}.{fmt}"
                run(gongkai, "annual-report", UNIT, str(year), "--format", fmt, "-o", path, env=env)
            for made in pages_to_png(
                docx_to_pdf(work / f"report-{label}.docx"), f"report-docx-{label}"
            ):
                print(made.relative_to(ROOT))
            for made in pages_to_png(
                html_to_pdf(work / f"report-{label}.html"), f"report-html-{label}"
            ):
                print(made.relative_to(ROOT))


if __name__ == "__main__":
    main()
