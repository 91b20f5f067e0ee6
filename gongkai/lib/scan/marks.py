"""Classification marks (密级标志) and internal-distribution notices in a text.

A mark is a label put on a document, not a word used in a sentence. GB/T 9704 places the 密级
and 保密期限 at the top left of the first page ("机密★1年", "绝密★长期", "秘密"), optionally
after the 份号 and before the 紧急程度; exam papers carry "绝密★启用前". So a level word counts
only when it appears in that shape:

1. next to a ★ (or ☆; an ASCII * only when a period follows): "机密★1年", "秘密★";
2. after a 密级 label: "密级：秘密";
3. alone on its line or in a table cell of its own, possibly with brackets, a 份号 before or a
   紧急程度 after: "机密  特急".

The same words inside sentences ("涉及国家秘密的不予公开", "商业秘密", "保守国家秘密法",
"绝密级国家秘密", "机密性") are law text and are not marks.

The 公开属性 line "（此件不公开）" at the end of a document is reported the same way.

Internal-distribution notices ("内部资料", "内部文件", "仅限内部使用", "注意保密", "不得外传") count
when they are shaped like a notice: in brackets, on a short line of their own, after "此件/本件…"
or "仅供/仅限", or (for the "不得外传" kind) in a sentence that is not itself about secrecy rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import findings as f
from .normalize import clause_start, sentence_bounds, short_line

_LEVEL = r"(?:绝 ?密|机 ?密|秘 ?密)"
_PERIOD = (
    r"(?:\d{1,3} ?(?:年|个月|月|天|日)|[一二三四五六七八九十两]{1,3}(?:年|个月)"
    r"|长期|启用前|考试结束前)"
)
_WS = r"[ \t\u3000]"

_STAR = re.compile(rf"{_LEVEL} ?[★☆] ?(?:{_PERIOD})?|{_LEVEL} ?\* ?{_PERIOD}")
_LABELLED = re.compile(rf"密 ?级{_WS}*[:：]?[ \t\u3000\r\n]*{_LEVEL}(?!级|性|的|文件|事项|载体)")
_ALONE = re.compile(
    rf"(?:^|(?<=\t))[ \u3000]*(?:(?:份号[:：]?{_WS}*)?\d{{3,8}}{_WS}+)?"
    rf"[(\[【〔<《]?(?P<level>{_LEVEL})[)\]】〕>》]?"
    rf"(?=[ \u3000]*(?:\t|\r?$)|{_WS}+(?:特急|特提|加急|平急|急件|急){_WS}*\r?$)",
    re.MULTILINE,
)

_DESIGNATIONS = ("内部资料", "内部文件", "内部使用", "内部刊物", "内部参考", "内部传阅", "内部发行")
_DESIGNATION = re.compile("(?:" + "|".join(_DESIGNATIONS) + r")(?!性)")
_CAUTIONS = (
    "不得外传",
    "严禁外传",
    "请勿外传",
    "禁止外传",
    "不准外传",
    "不得外泄",
    "严禁外泄",
    "请勿外泄",
)
_CAUTION = re.compile("|".join(_CAUTIONS))
# "注意保密" as a notice ends its clause; "注意保密工作" or "注意保密个人信息" are about
# something else.
_KEEP_SECRET = re.compile(r"注意保密(?=[\s，,。.！!；;:：)）】〕]|$)")
# The 公开属性 line GB/T 9704 documents carry at the end: "（此件不公开）".
_NOT_PUBLIC = re.compile(r"(?:此件|本件|本文件)(?:不公开|不予公开|不得公开|不宜公开)")

# Words before a designation that make it one: "此件为内部资料", "仅限内部使用".
_DESIGNATOR = re.compile(
    r"(?:此件|本件|本文件|本文|本材料|本资料|本刊|本册|本表|该文件|以上|上述)"
    r"(?:内容)?(?:为|系|属于|属|仅作|作为|仅供|仅限)?$"
    r"|(?:仅供|仅限|只供|只限|限于|限|供|作为|属于)$"
)
# A sentence with these words is about secrecy rules (保密宣传, 法律条文), not a notice.
_RULE_TALK = re.compile(
    r"涉密|国家秘密|工作秘密|商业秘密|保密法|保密工作|保密教育|保密宣传|保密意识|保密知识|保密规定|"
    r"保密制度|保密纪律|违反|规定|应当|依法|严格遵守|加强|培训|学习|宣传|教育|干部职工"
)
_OPENERS = "([【〔<《"
_CLOSERS = ")]】〕>》"
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+\)|\d+[.、])"
)
_SHORT_LINE_EXTRA = 6  # other characters a notice line may carry: "内部资料 注意保存"


def _bracketed(view: str, start: int, end: int) -> bool:
    before = view[max(0, start - 8) : start]
    after = view[end : end + 8]
    opened = max(before.rfind(ch) for ch in _OPENERS)
    closed = min((i for i in (after.find(ch) for ch in _CLOSERS) if i >= 0), default=-1)
    if opened < 0 or closed < 0:
        return False
    # Only short fillers inside the brackets: "（内部资料，注意保密）", not a whole sentence.
    return not any(ch in "。！？" for ch in before[opened:] + after[:closed])


def _short_line(view: str, start: int, end: int) -> bool:
    bounds = short_line(view, start, end, 40)
    if bounds is None:
        return False
    line_start, line_end = bounds
    line = view[line_start:line_end]
    if _NUMBERING.match(line):
        return False  # a numbered heading such as "三、注意保密" starts a section on the topic
    rest = view[line_start:start] + view[end:line_end]
    rest = re.sub(r"[\s，,、。；;：:·•!！()（）\[\]【】〔〕<>《》*★☆-]", "", rest)
    for phrase in (*_DESIGNATIONS, *_CAUTIONS, "注意保密", "注意保存", "请勿", "妥善保管"):
        rest = rest.replace(phrase, "")
    return len(rest) <= _SHORT_LINE_EXTRA


def _designated(view: str, start: int) -> bool:
    before = view[clause_start(view, start, 10) : start].rstrip(" ，,：:")
    return bool(_DESIGNATOR.search(before))


def _rule_talk(view: str, start: int, end: int) -> bool:
    s, e = sentence_bounds(view, start, end)
    return bool(_RULE_TALK.search(view, s, e))


def find_marks(text: str, view: str) -> Iterator[f.Finding]:
    found: list[f.Finding] = []

    def add(start: int, end: int, message: str) -> None:
        while end > start and view[end - 1] in " \t\r\n\u3000":
            end -= 1
        found.append(f.make(f.CLASSIFICATION_MARK, text, start, end, message))

    for m in _STAR.finditer(view):
        add(*m.span(), f"密级标志“{text[m.start() : m.end()].strip()}”")
    for m in _LABELLED.finditer(view):
        add(*m.span(), "标明了密级")
    for m in _ALONE.finditer(view):
        add(*m.span("level"), f"单独成行的密级标志“{m.group('level')}”")

    for m in _DESIGNATION.finditer(view):
        start, end = m.span()
        if (
            _bracketed(view, start, end)
            or _short_line(view, start, end)
            or _designated(view, start)
        ):
            add(start, end, f"“{m.group()}”标志：文件标明仅供内部使用")
    for m in _KEEP_SECRET.finditer(view):
        start, end = m.span()
        asked = re.search(r"(?:请|务必|务请)\S{0,4}$", view[max(0, start - 6) : start])
        if _bracketed(view, start, end) or (
            (_short_line(view, start, end) or asked) and not _rule_talk(view, start, end)
        ):
            add(start, end, "“注意保密”提示：文件要求保密")
    for m in _NOT_PUBLIC.finditer(view):
        add(*m.span(), f"公开属性标注“{m.group()}”：文件不应公开")
    for m in _CAUTION.finditer(view):
        start, end = m.span()
        if _bracketed(view, start, end) or not _rule_talk(view, start, end):
            add(start, end, f"“{m.group()}”提示：文件限制传播")

    # One report per place: overlapping matches ("密级：机密" and "机密★1年") become one.
    found.sort()
    merged: list[f.Finding] = []
    for finding in found:
        if merged and finding.start < merged[-1].end:
            first = merged[-1]
            if finding.end > first.end:
                merged[-1] = f.make(
                    f.CLASSIFICATION_MARK, text, first.start, finding.end, first.message
                )
            continue
        merged.append(finding)
    yield from merged
