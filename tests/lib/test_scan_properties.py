"""Properties of scan_text over generated text: it never crashes, finds a planted number exactly
where it was planted, and leaves generated 文号, 索引号, dates and amounts alone."""

import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

from gongkai.lib.scan import KINDS, SEVERITY, scan_text
from gongkai.lib.scan.validators import PROVINCE_CODES, card_brand, id18_birth_date
from tests.lib.numbers import make_card, make_id

# Ordinary characters that cannot spell a label ("信用代码", "文号"…), a unit ("元", "亩") or a
# mark ("机密", "内部资料") next to a planted number.
_FORBIDDEN = set(
    "信用代码机构注册号索引文订单流水交易批准许可证项目编合同发票税纳识别邮政传真元万亿平方亩吨"
    "千克公斤立美次人¥$绝密机秘级内部资料使刊物参考阅注意保不得外严禁请勿止准泄此件本该仅供限只"
)
_COMMON = (
    "的一是在了和这中大为上个我以他时来们生到作地出就分对成会可主年动同工也能下过子说产种面而方后"
    "多定行学所经十三之进着等度家电力里如水化高自二理起小物现实加都两体制当使点从业去把性好应开它"
    "合还因由其些然前天四日那事平形相全表间样与关各重新线数正心反你明看原又么利比或但质气第向道变"
    "条只没结解问意建月公无系军很情者最立想已通并提直题党程展五果料象员革位入常总次品式活设及管特"
    "长求老头基资边流路少图山统接知较将组见诸往镇乳山市农业站党政办申请答复公开"
)
SAFE = "".join(ch for ch in dict.fromkeys(_COMMON) if ch not in _FORBIDDEN)
filler = st.text(alphabet=SAFE + "，。；：、（）\n ", max_size=40)


def assert_well_formed(text, findings):
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.text == text[f.start : f.end]
        assert f.kind in KINDS
        assert f.severity == SEVERITY[f.kind]


@given(st.text(max_size=300))
def test_any_text_scans_without_crashing(text):
    assert_well_formed(text, scan_text(text))


@given(
    st.text(
        alphabet="0123456789 -+@.xX★机密秘绝内部资料年长期：:\n\t（）【】abcZ＠１３８",
        max_size=200,
    )
)
def test_text_made_of_the_scanners_own_characters_scans_without_crashing(text):
    assert_well_formed(text, scan_text(text))


born = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today())
region = st.builds(
    lambda province, rest: f"{province}{rest:04d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 9999),
)


@given(filler, filler, region, born, st.integers(0, 999))
def test_a_planted_id_number_is_found_at_its_offsets(before, after, area, date, seq):
    number = make_id(area, date, f"{seq:03d}")
    text = before + number + after
    ids = [(f.start, f.end) for f in scan_text(text) if f.kind == "id_card"]
    assert ids == [(len(before), len(before) + 18)]


@given(
    filler,
    filler,
    st.sampled_from("3456789"),
    st.integers(0, 9),
    st.integers(0, 99_999_999),
    st.sampled_from(["", " ", "-"]),
)
def test_a_planted_mobile_number_is_found_at_its_offsets(before, after, second, third, rest, sep):
    tail = f"{rest:08d}"
    assume(len(set(tail)) > 1)
    number = f"1{second}{third}{sep}{tail[:4]}{sep}{tail[4:]}"
    text = before + number + after
    mobiles = [(f.start, f.end) for f in scan_text(text) if f.kind == "mobile"]
    assert mobiles == [(len(before), len(before) + len(number))]


@given(
    filler,
    filler,
    st.sampled_from(["62", "4", "51", "55", "2221", "9558", "60"]),
    st.integers(16, 19),
    st.integers(0, 10**18),
)
def test_a_planted_card_number_is_found_at_its_offsets(before, after, prefix, length, body):
    digits = (prefix + f"{body:019d}")[: length - 1]
    card = make_card(digits)
    assume(card_brand(card) and not id18_birth_date(card))
    text = before + card + after
    cards = [(f.start, f.end) for f in scan_text(text) if f.kind == "bank_card"]
    assert cards == [(len(before), len(before) + len(card))]


year = st.integers(1980, 2035)
credit_code = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18)
org_code = st.text(alphabet="0123456789", min_size=8, max_size=8).map(lambda s: s + "X")
doc_number = st.builds(
    lambda org, y, n: f"{org}〔{y}〕{n}号",
    st.sampled_from(["诸政发", "诸政办发", "乳政字", "诸党发", "乳农字"]),
    year,
    st.integers(1, 999),
)
index_number = st.builds(
    lambda front, y, n: f"{front}/{y}-{n:05d}",
    st.one_of(credit_code, org_code, st.text(alphabet="0123456789", min_size=9, max_size=18)),
    year,
    st.integers(1, 99_999),
)
date_text = st.builds(
    lambda d, style: [
        f"{d.year}年{d.month}月{d.day}日",
        f"{d:%Y%m%d}",
        f"{d:%Y-%m-%d}",
        f"{d:%Y.%m.%d}",
    ][style],
    st.dates(min_value=dt.date(1949, 10, 1), max_value=dt.date(2099, 12, 31)),
    st.integers(0, 3),
)
amount = st.builds(
    lambda n, cents, unit: f"{n}.{cents:02d}{unit}" if cents else f"{n:,}{unit}",
    st.integers(0, 10**13),
    st.integers(0, 99),
    st.sampled_from(["元", "万元", " 元", "亿元", ""]),
)
document_token = st.one_of(doc_number, index_number, date_text, amount)


@given(st.lists(st.tuples(filler, document_token), max_size=8))
def test_document_numbers_index_numbers_dates_and_amounts_are_never_flagged(parts):
    text = "".join(f"{words} {token} " for words, token in parts)
    assert scan_text(text) == []
