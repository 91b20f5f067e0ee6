"""Reading the State Council notice. The 2025 and 2026 fixtures are the notices as published
(新华社 11 November 2024 and 4 November 2025); parsing each must give chinesecalendar's data."""

from __future__ import annotations

import datetime
import unicodedata

import chinese_calendar
import pytest
from chinese_calendar.constants import holidays, workdays

from gongkai.workdays.notice import NoticeError, parse_notice
from gongkai.workdays.seedgen import CHINESE_NAMES
from tests.workdays.conftest import notice_text

D = datetime.date


def chinesecalendar_days(year: int) -> tuple[dict, dict]:
    h = {d: CHINESE_NAMES[n] for d, n in holidays.items() if d.year == year}
    w = {d: CHINESE_NAMES[n] for d, n in workdays.items() if d.year == year}
    return h, w


def parsed_days(notice) -> tuple[dict, dict]:
    h = {d: e.name for e in notice.entries for d in e.holidays}
    w = {d: e.name for e in notice.entries for d in e.workdays}
    return h, w


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_notice_gives_exactly_chinesecalendars_days(year):
    notice = parse_notice(notice_text(f"notice_{year}.txt"), year)
    got_h, got_w = parsed_days(notice)
    want_h, want_w = chinesecalendar_days(year)
    assert set(got_h) == set(want_h)
    assert set(got_w) == set(want_w)
    # Names: a joint entry ("国庆节、中秋节") names both festivals.
    for got, want in ((got_h, want_h), (got_w, want_w)):
        for day, name in want.items():
            assert name in got[day].split("、"), day


def test_the_2026_notice_reads_as_seven_holidays():
    notice = parse_notice(notice_text("notice_2026.txt"), 2026)
    assert [e.name for e in notice.entries] == [
        "元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节",
    ]  # fmt: skip
    spring = notice.entries[1]
    assert (spring.holidays[0], spring.holidays[-1], len(spring.holidays)) == (
        D(2026, 2, 15), D(2026, 2, 23), 9,
    )  # fmt: skip
    assert spring.workdays == (D(2026, 2, 14), D(2026, 2, 28))
    assert notice.holiday_count == 33


def test_a_single_day_holiday_without_make_up_days_is_read():
    notice = parse_notice("一、元旦：1月1日（周三）放假1天，不调休。", 2025)
    assert notice.entries[0].holidays == (D(2025, 1, 1),)
    assert notice.entries[0].workdays == ()


def test_a_range_across_months_is_read():
    notice = parse_notice("五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。", 2025)
    assert notice.entries[0].holidays == (D(2025, 5, 31), D(2025, 6, 1), D(2025, 6, 2))


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda t: unicodedata.normalize("NFKC", t), id="half-width punctuation"),
        pytest.param(lambda t: t.replace("\n", ""), id="pasted without line breaks"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="windows line ends"),
        pytest.param(lambda t: "\ufeff" + t.replace("周", "星期"), id="bom and 星期"),
    ],
)
def test_the_notice_reads_the_same_however_it_was_pasted(transform):
    text = notice_text("notice_2026.txt")
    pasted, original = parse_notice(transform(text), 2026), parse_notice(text, 2026)
    assert [e.name for e in pasted.entries] == [e.name for e in original.entries]
    assert pasted.special_days() == original.special_days()


def test_a_new_years_day_starting_in_december_belongs_to_the_previous_year():
    text = "一、元旦：12月31日（星期六）至1月2日（星期一）放假调休，共3天。"
    notice = parse_notice(text, 2023)
    assert notice.entries[0].holidays == (D(2022, 12, 31), D(2023, 1, 1), D(2023, 1, 2))


# Lines of older notices, in the styles they were published in, checked against chinesecalendar.
OLDER = {
    2008: "一、元旦：2007年12月30日至2008年1月1日放假，共3天。其中，1月1日为法定节假日，"
    "12月30日为星期日，12月29日（星期六）上班。",
    2018: "一、元旦：1月1日放假，与周末连休。\n"
    "二、春节：2月15日至21日放假调休，共7天。2月11日（星期日）、2月24日（星期六）上班。\n"
    "三、清明节：4月5日至7日放假调休，共3天。4月8日（星期日）上班。\n"
    "四、劳动节：4月29日至5月1日放假调休，共3天。4月28日（星期六）上班。\n"
    "五、端午节：6月18日放假，与周末连休。\n"
    "六、中秋节：9月24日放假，与周末连休。\n"
    "七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期六）、9月30日（星期日）上班。",
    2019: "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n"
    "二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。\n"
    "三、清明节：4月5日放假，与周末连休。\n"
    "四、劳动节：5月1日至4日放假调休，共4天。4月28日（星期日）、5月5日（星期日）上班。\n"
    "五、端午节：6月7日放假，与周末连休。\n"
    "六、中秋节：9月13日放假，与周末连休。\n"
    "七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。",
    2023: "一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。\n"
    "二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。\n"
    "三、清明节：4月5日放假，共1天。\n"
    "四、劳动节：4月29日至5月3日放假调休，共5天。4月23日（星期日）、5月6日（星期六）上班。\n"
    "五、端午节：6月22日至24日放假调休，共3天。6月25日（星期日）上班。\n"
    "六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。",
}


@pytest.mark.parametrize("year", sorted(OLDER))
def test_older_notice_styles_give_chinesecalendars_working_days(year):
    notice = parse_notice(OLDER[year], year)
    special = {d: k for d, k, _name in notice.special_days()}
    for day in special:
        want = chinese_calendar.is_workday(day)
        got = special[day] == "workday" or (special[day] != "holiday" and day.weekday() < 5)
        assert got == want, day
    if year != 2008:  # the 2008 line covers 元旦 only
        # December's last days may belong to next year's 元旦 (2018-12-29 did).
        day = D(year, 1, 1)
        while day < D(year, 12, 20):
            got = special.get(day)
            works = got == "workday" or (got is None and day.weekday() < 5)
            assert works == chinese_calendar.is_workday(day), day
            day += datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "通知内容为空"),
        ("Lorem ipsum dolor sit amet", "没有找到任何节假日安排"),
        ("今天天气很好：适合出去走走。\n明天也不错。", "没有找到任何节假日安排"),
        ("二、春节：放假调休，共9天。", "找不到放假日期"),
        ("一、元旦：1月1日（周五）至3日（周六）放假调休，共3天。", "是周四，但通知写的是周五"),
        ("一、元旦：1月1日（周四）至3日（周六）放假调休，共4天。", "共 4 天"),
        ("一、元旦：1月1日（周四）至3日（周六）放假。1月5日（周一）上班。", "本来就是工作日"),
        ("一、元旦：2月30日放假。", "不存在"),
        ("一、元旦：1月3日至1日放假。", "早于开始日"),
        ("一、元旦：1月1日至3日放假。\n二、春节：1月3日至5日放假。", "出现了两次"),
        ("国务院办公厅关于2025年部分节假日安排的通知\n一、元旦：1月1日放假。", "2025 年的安排"),
        ("一、元旦：2024年1月1日放假。", "不在 2026 年的安排范围内"),
    ],
)
def test_unusable_text_raises_a_clear_error(text, fragment):
    with pytest.raises(NoticeError) as raised:
        parse_notice(text, 2026)
    assert fragment in str(raised.value)


def test_the_2026_notice_given_as_2027_is_refused_by_its_title():
    with pytest.raises(NoticeError, match="2026 年的安排"):
        parse_notice(notice_text("notice_2026.txt"), 2027)


def test_entries_without_a_title_and_the_wrong_year_are_caught_by_the_weekdays():
    lines = "\n".join(
        line for line in notice_text("notice_2026.txt").splitlines() if "、" in line[:4]
    )
    with pytest.raises(NoticeError, match="年份是否填错"):
        parse_notice(lines, 2027)
