"""Reading the State Council notice (国务院办公厅关于YYYY年部分节假日安排的通知).

The administrator pastes the notice as published; we read one line per holiday:

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。…

Everything else in the text (title, addressees, closing paragraph, signature) is ignored. The
parser is strict where a mistake would move deadlines: the weekday in brackets must match the date,
"共N天" must match the range, and make-up days must fall on a weekend. Any doubt raises
NoticeError with a message a clerk can act on, and nothing is stored.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.workdays.models import DayKind

MAX_TEXT_LENGTH = 50_000
WEEKDAY_NAMES = "一二三四五六日"
CANONICAL_NAMES = {
    "清明": "清明节",
    "端午": "端午节",
    "中秋": "中秋节",
    "国庆": "国庆节",
    "五一": "劳动节",
    "劳动": "劳动节",
}
EXAMPLE_LINE = "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"

# One holiday name: anything short ending in 节/元旦/纪念日, or one of the bare short forms.
_NAME = r"(?:[\u4e00-\u9fff\d]{0,30}?(?:节|節|元旦|纪念日)|清明|端午|中秋|国庆|五一)"
_ENTRY = re.compile(
    # possessive \s*+: two optional runs of spaces side by side would otherwise try every way
    # of splitting a long blank line between them (quadratic)
    rf"^\s*+(?:[一二三四五六七八九十]{{1,3}}\s*[、.]|\(?\d{{1,2}}\s*[、.)])?\s*+"
    rf"(?P<names>{_NAME}(?:\s*[、和与及]\s*{_NAME})*)\s*:(?P<body>.*)$"
)
_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日(?:⟨(?P<hint>\d+)⟩)?"
)
_RANGE_SEPARATOR = re.compile(r"^\s*(?:至|到|-|—|–|~|－)\s*$")
_WEEKDAY_HINT = re.compile(r"(?:周|星期|礼拜|週)([一二三四五六日天])")
_DAY_COUNT = re.compile(r"(?:共|放假)\s*(\d{1,2})\s*天")
_TEXT_YEAR = re.compile(r"(?:关于|現將|现将)\s*(\d{4})\s*年")


class NoticeError(ValueError):
    """The text cannot be read as a holiday notice (the message says where and why)."""


@dataclass(frozen=True)
class NoticeEntry:
    name: str
    holidays: tuple[datetime.date, ...]
    workdays: tuple[datetime.date, ...]
    line: int


@dataclass(frozen=True)
class ParsedNotice:
    year: int
    entries: tuple[NoticeEntry, ...]

    def special_days(self) -> list[tuple[datetime.date, str, str]]:
        """(date, kind, name) for every day of the notice, in date order."""
        days = [(d, DayKind.HOLIDAY.value, e.name) for e in self.entries for d in e.holidays]
        days += [(d, DayKind.WORKDAY.value, e.name) for e in self.entries for d in e.workdays]
        return sorted(days)

    @property
    def holiday_count(self) -> int:
        return sum(len(e.holidays) for e in self.entries)

    @property
    def workday_count(self) -> int:
        return sum(len(e.workdays) for e in self.entries)


def normalise(text: str) -> str:
    """Full-width punctuation and digits to half-width, one entry per line."""
    text = unicodedata.normalize("NFKC", text.replace("\ufeff", ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A notice pasted without its line breaks: start each numbered entry on a new line.
    return re.sub(r"。\s*(?=[一二三四五六七八九十]{1,3}\s*、)", "。\n", text)


def parse_notice(text: str, year: int) -> ParsedNotice:
    """Read the notice for `year`. Raises NoticeError when the text is not usable as a whole."""
    if not text or not text.strip():
        raise NoticeError(_("通知内容为空。请粘贴国务院办公厅节假日安排通知的正文。"))
    if len(text) > MAX_TEXT_LENGTH:
        raise NoticeError(
            _("文本过长（超过 %(n)s 字），不像是一份节假日安排通知。") % {"n": MAX_TEXT_LENGTH}
        )
    text = normalise(text)
    stated = {int(y) for y in _TEXT_YEAR.findall(text)}
    if stated and year not in stated:
        raise NoticeError(
            _("通知写的是 %(stated)s 年的安排，但指定的年份是 %(year)s 年。请核对年份。")
            % {"stated": "、".join(str(y) for y in sorted(stated)), "year": year}
        )
    entries = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = _ENTRY.match(line)
        if match:
            entries.append(_parse_entry(match["names"], match["body"], year, number, line.strip()))
    if not entries:
        raise NoticeError(
            _("没有找到任何节假日安排。请粘贴通知正文，每个节日一行，例如：%(example)s")
            % {"example": EXAMPLE_LINE}
        )
    _check_whole(entries, year)
    return ParsedNotice(year=year, entries=tuple(entries))


def _canonical_name(names: str) -> str:
    parts = [p.strip() for p in re.split(r"[、和与及]", names) if p.strip()]
    return "、".join(CANONICAL_NAMES.get(p, p) for p in parts)


def _parse_entry(names: str, body: str, year: int, number: int, line: str) -> NoticeEntry:
    name = _canonical_name(names)
    where = _("第 %(n)s 行（%(name)s）") % {"n": number, "name": name}
    # Brackets hold weekdays and lunar dates; lift them out so commas inside cannot split clauses.
    hints: list[str] = []

    def lift(match: re.Match[str]) -> str:
        hints.append(match.group(1))
        return f"⟨{len(hints) - 1}⟩"

    body = re.sub(r"\(([^()]*)\)", lift, body)
    is_new_year = "元旦" in name
    holidays: list[datetime.date] = []
    workdays: list[datetime.date] = []
    holiday_sentence = ""
    for sentence in re.split(r"[。;]", body):
        clauses = re.split(r",", sentence)
        if "放假" in sentence and not holidays:
            for clause in clauses:
                if "上班" not in clause:
                    holidays += _dates_in(clause, year, is_new_year, hints, where, ranges=True)
            holiday_sentence = sentence
        for clause in clauses:
            if "上班" in clause:
                workdays += _dates_in(clause, year, is_new_year, hints, where, ranges=False)
    if not holidays:
        raise NoticeError(
            _("%(where)s：找不到放假日期。原文：%(line)s") % {"where": where, "line": line}
        )
    holidays = sorted(set(holidays))
    if "连休" in holiday_sentence:
        # "1月1日放假，与周末连休": the adjacent weekend is part of the holiday.
        while (before := holidays[0] - datetime.timedelta(days=1)).weekday() >= 5:
            holidays.insert(0, before)
        while (after := holidays[-1] + datetime.timedelta(days=1)).weekday() >= 5:
            holidays.append(after)
    else:
        count = _DAY_COUNT.search(holiday_sentence)
        if count and int(count.group(1)) != len(holidays):
            raise NoticeError(
                _(
                    "%(where)s：放假日期算下来是 %(found)s 天，"
                    "但通知写的是共 %(stated)s 天。请核对日期。"
                )
                % {"where": where, "found": len(holidays), "stated": count.group(1)}
            )
    return NoticeEntry(
        name=name, holidays=tuple(holidays), workdays=tuple(sorted(set(workdays))), line=number
    )


def _dates_in(
    clause: str, year: int, is_new_year: bool, hints: list[str], where: str, *, ranges: bool
) -> list[datetime.date]:
    """The dates in one clause; "A至B" expands to every day from A to B when `ranges`."""
    found: list[tuple[datetime.date, int, int]] = []
    last: datetime.date | None = None
    for match in _DATE.finditer(clause):
        day_year = int(match["y"]) if match["y"] else None
        if match["m"]:
            month = int(match["m"])
            if day_year is None:
                # A 元旦 that starts in December: "12月31日至1月2日" in next year's notice.
                day_year = year - 1 if is_new_year and month == 12 else year
        elif last is not None:
            month, day_year = last.month, day_year or last.year
        else:
            raise NoticeError(
                _("%(where)s：“%(text)s”缺少月份。") % {"where": where, "text": match.group(0)}
            )
        try:
            day = datetime.date(day_year, month, int(match["d"]))
        except ValueError:
            raise NoticeError(
                _("%(where)s：日期“%(text)s”不存在。")
                % {"where": where, "text": _plain(match.group(0))}
            ) from None
        if match["hint"] is not None:
            _check_weekday(day, hints[int(match["hint"])], where)
        found.append((day, match.start(), match.end()))
        last = day
    dates: list[datetime.date] = []
    for index, (day, start, _end) in enumerate(found):
        previous = found[index - 1] if index else None
        if ranges and previous and _RANGE_SEPARATOR.match(clause[previous[2] : start]):
            first = previous[0]
            if day < first:
                raise NoticeError(
                    _("%(where)s：日期范围 %(a)s 至 %(b)s 的结束日早于开始日。")
                    % {"where": where, "a": first.isoformat(), "b": day.isoformat()}
                )
            if (day - first).days > 40:
                raise NoticeError(
                    _("%(where)s：日期范围 %(a)s 至 %(b)s 过长，请核对。")
                    % {"where": where, "a": first.isoformat(), "b": day.isoformat()}
                )
            dates += [first + datetime.timedelta(days=i) for i in range(1, (day - first).days + 1)]
        else:
            dates.append(day)
    return dates


def _plain(text: str) -> str:
    return re.sub(r"⟨\d+⟩", "", text)


def _check_weekday(day: datetime.date, hint: str, where: str) -> None:
    stated = _WEEKDAY_HINT.search(hint)
    if not stated:
        return
    expected = "日" if stated.group(1) == "天" else stated.group(1)
    actual = WEEKDAY_NAMES[day.weekday()]
    if expected != actual:
        raise NoticeError(
            _("%(where)s：%(date)s 是周%(actual)s，但通知写的是周%(stated)s。年份是否填错了？")
            % {
                "where": where,
                "date": f"{day.year}年{day.month}月{day.day}日",
                "actual": actual,
                "stated": expected,
            }
        )


def _check_whole(entries: list[NoticeEntry], year: int) -> None:
    earliest = datetime.date(year - 1, 12, 1)
    latest = datetime.date(year, 12, 31)
    seen: dict[datetime.date, str] = {}
    for entry in entries:
        for day in entry.holidays + entry.workdays:
            if not earliest <= day <= latest:
                raise NoticeError(
                    _("%(name)s：%(date)s 不在 %(year)s 年的安排范围内。")
                    % {"name": entry.name, "date": day.isoformat(), "year": year}
                )
            if day in seen:
                raise NoticeError(
                    _("%(date)s 在通知里出现了两次（%(a)s、%(b)s）。请核对日期。")
                    % {"date": day.isoformat(), "a": seen[day], "b": entry.name}
                )
            seen[day] = entry.name
        for day in entry.workdays:
            if day.weekday() < 5:
                raise NoticeError(
                    _("%(name)s：调休上班日 %(date)s 是周%(weekday)s，本来就是工作日。请核对日期。")
                    % {
                        "name": entry.name,
                        "date": day.isoformat(),
                        "weekday": WEEKDAY_NAMES[day.weekday()],
                    }
                )
