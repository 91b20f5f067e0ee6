"""How fast the pre-publication checks are: scan_text over 1 MB of Chinese text with findings
sprinkled through it, and scan_file over a 50-page DOCX. Prints numbers, never pass/fail.

    .venv/bin/python bench/bench_scan.py
"""

from __future__ import annotations

import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gongkai.lib.scan import scan_file, scan_text
from gongkai.lib.scan.validators import id_check_char, luhn_ok

SENTENCES = [
    "根据《中华人民共和国政府信息公开条例》第二十条规定，现将有关情况公开如下。",
    "涉及国家秘密、商业秘密、个人隐私的政府信息不予公开。",
    "诸往镇人民政府关于印发《2024年农业农村工作要点》的通知（诸政发〔2024〕12号）。",
    "索引号：11371000004359010J/2025-00809，成文日期：2024年1月2日。",
    "全年完成财政收入1234567.89元，同比增长13.5%，累计投入资金12,345,678元。",
    "镇农业站组织技术人员深入田间地头，指导群众做好小麦春季管理工作。",
    "办公地址：乳山市诸往镇政府驻地，办公电话：0631-6366000，办公时间：工作日上午8:30—12:00。",
]


def _id(rng: random.Random) -> str:
    born = f"19{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first = f"3702{rng.randint(10, 99)}{born}{rng.randint(0, 999):03d}"
    return first + id_check_char(first)


def _card(rng: random.Random) -> str:
    body = "6228" + "".join(rng.choice("0123456789") for _ in range(14))
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def sample_text(size: int, rng: random.Random) -> tuple[str, int]:
    parts, planted, length = [], 0, 0
    while length < size:
        roll = rng.random()
        if roll < 0.02:
            piece = f"申请人身份证号{_id(rng)}，"
        elif roll < 0.04:
            piece = f"联系电话1{rng.choice('3589')}{rng.randint(10**8, 10**9 - 1)}，"
        elif roll < 0.05:
            piece = f"银行卡号{_card(rng)}。"
        elif roll < 0.06:
            piece = f"邮箱user{rng.randint(1, 9999)}@163.com。"
        elif roll < 0.065:
            piece = "\n机密★1年\n"
        else:
            piece = rng.choice(SENTENCES)
            planted -= 1
        planted += 1
        parts.append(piece)
        length += len(piece.encode())
    return "".join(parts), planted


def bench_text() -> None:
    rng = random.Random(20240102)
    text, planted = sample_text(1024 * 1024, rng)
    mb = len(text.encode()) / 2**20
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        findings = scan_text(text, allow={"phones": ["0631-6366000"]})
        best = min(best, time.perf_counter() - start)
    print(f"scan_text: {mb:.2f} MB ({len(text):,} characters), {len(findings):,} findings "
          f"({planted:,} planted), best of 3: {best:.3f} s = {mb / best:.2f} MB/s")  # fmt: skip


def bench_docx() -> None:
    import docx
    from docx.enum.text import WD_BREAK

    rng = random.Random(7)
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "机密★1年"
    for page in range(50):
        document.add_heading(f"第{page + 1}部分 工作情况", level=2)
        for _ in range(12):
            document.add_paragraph("".join(rng.choice(SENTENCES) for _ in range(2)))
        table = document.add_table(rows=4, cols=3)
        for r in range(4):
            table.cell(r, 0).text = f"张{r}"
            table.cell(r, 1).text = _id(rng)
            table.cell(r, 2).text = f"138{rng.randint(10**7, 10**8 - 1)}"
        if page < 49:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        result = scan_file(data, "report.docx")
        best = min(best, time.perf_counter() - start)
    mb = len(result.text.encode()) / 2**20
    print(f"scan_file(DOCX): 50 pages, {len(data) / 1024:.0f} KB file, "
          f"{len(result.text):,} characters, "
          f"{len(result.findings):,} findings, best of 3: {best:.3f} s "
          f"= {mb / best:.2f} MB/s of extracted text")  # fmt: skip


if __name__ == "__main__":
    bench_text()
    bench_docx()
