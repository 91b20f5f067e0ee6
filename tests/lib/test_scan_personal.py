"""身份证号, mobile numbers, bank card numbers and e-mail addresses: found when real, left alone
when a number is a 文号, 索引号, date, amount or code, or the unit's own published contact."""

import datetime as dt

import pytest

from gongkai.lib.scan import scan_text
from gongkai.lib.scan.validators import card_brand, id15_birth_date, id18_birth_date, luhn_ok
from tests.lib.numbers import make_card, make_id

ID = make_id("370283", dt.date(1985, 6, 15), "123")  # 370283198506151234 plus its check digit
CARD = make_card("622848001234567890")  # 19-digit UnionPay
VISA = make_card("436742123456789")


def found(text, **kwargs):
    return [(f.kind, f.text) for f in scan_text(text, **kwargs)]


def test_it_finds_a_valid_id_number_with_its_offsets():
    text = f"申请人张三，身份证号：{ID}，住诸往镇。"
    [finding] = scan_text(text)
    assert (finding.kind, finding.severity) == ("id_card", "high")
    assert text[finding.start : finding.end] == ID == finding.text


def test_it_finds_an_id_number_ending_in_x_and_in_full_width_digits():
    ids = (make_id("110101", dt.date(1990, 3, 7), f"{n:03d}") for n in range(1000))
    id_x = next(i for i in ids if i.endswith("X"))
    assert found(f"证号{id_x.lower()}") == [("id_card", id_x.lower())]
    wide = ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert found(f"身份证：{wide}") == [("id_card", wide)]


def test_it_finds_an_id_number_written_in_groups():
    grouped = f"{ID[:6]} {ID[6:14]} {ID[14:]}"
    assert found(f"身份证号 {grouped}") == [("id_card", grouped)]


@pytest.mark.parametrize(
    "number",
    [
        make_id("370283", dt.date(2099, 1, 1), "123"),  # born in the future
        make_id("370283", dt.date(1899, 12, 31), "123"),  # before 1900
        make_id("000283", dt.date(1985, 6, 15), "123"),  # no such province
        "370283198502301234",  # 30 February
    ],
)
def test_it_ignores_eighteen_digit_numbers_that_are_not_id_numbers(number):
    assert [k for k, _ in found(f"编码 {number} 。")] == []


def test_it_reports_a_wrong_check_digit_as_an_unverified_id_number():
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    assert [(f.kind, f.severity) for f in scan_text(f"编码 {wrong} 。")] == [
        ("id_card_unverified", "medium")
    ]
    assert [(f.kind, f.severity) for f in scan_text(f"身份证号 {wrong} 。")] == [
        ("id_card_unverified", "high")
    ]


def test_it_ignores_an_id_number_inside_a_longer_run_of_digits():
    assert found(f"流水 9{ID}5") == []
    assert found(f"批次{ID}A") == []


def test_an_old_fifteen_digit_id_number_is_found_when_its_date_is_real():
    assert found("老身份证号 370283850615123") == [("id_card", "370283850615123")]
    assert found("老身份证号 370283851315123") == []  # month 13
    assert found("注册号：370283850615123") == []  # an old business registration number


def test_id_validators_check_date_and_digit():
    assert id18_birth_date(ID) == dt.date(1985, 6, 15)
    assert id18_birth_date(ID, today=dt.date(1985, 6, 14)) is None
    assert id15_birth_date("370283850615123") == dt.date(1985, 6, 15)


@pytest.mark.parametrize(
    ("text", "mobile"),
    [
        ("联系电话：13812345678。", "13812345678"),
        ("电话 138 1234 5678 联系", "138 1234 5678"),
        ("电话 138-1234-5678", "138-1234-5678"),
        ("+86 139-1234-5678", "+86 139-1234-5678"),
        ("+8615912345678", "+8615912345678"),
        ("0086 18612345678", "0086 18612345678"),
        ("手机：１９９１２３４５６７８", "１９９１２３４５６７８"),
        ("张三13512345678李四", "13512345678"),
        ("0631-6366000/17712345678", "17712345678"),
        ("邮箱13812345678@qq.com", "13812345678"),
    ],
)
def test_it_finds_mobile_numbers_in_their_usual_spellings(text, mobile):
    assert ("mobile", mobile) in found(text)
    assert next(f for f in scan_text(text) if f.kind == "mobile").severity == "medium"


@pytest.mark.parametrize(
    "text",
    [
        "办公电话：0631-6366000",
        "电话（0631）6366000",
        "12345678901",  # 12x is not a mobile prefix
        "订单 213812345678 号",  # part of a longer run
        "138123456789",  # twelve digits
        "预算资金13500000000元",  # an amount
        "金额 ¥13500000000",
        "详见 http://www.rushan.gov.cn/art/2024/1/2/art_13812345678.html",
        "例如：13800000000",  # a placeholder in a form
        "1.13812345678",  # a decimal
        "申请人电话 138****5678",  # already masked
        "身份证号 370283********1239",
    ],
)
def test_it_does_not_take_other_numbers_for_mobiles(text):
    assert found(text) == []


def test_the_units_own_published_phones_and_email_are_skipped():
    text = (
        "咨询电话：0631-6366000、13912345678，邮箱 zwzzf@rs.gov.cn；举报人 13812345678 zs@163.com"
    )
    allow = {"phones": ["139 1234 5678", "0631-6366000"], "emails": ["ZWZZF@rs.gov.cn"]}
    assert found(text, allow=allow) == [("mobile", "13812345678"), ("email", "zs@163.com")]


def test_an_unknown_allow_key_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown allow keys"):
        scan_text("x", allow={"phone": ["1"]})


def test_the_units_own_bank_account_can_be_allowed():
    assert found(f"收费账户：{CARD}") == [("bank_card", CARD)]
    assert found(f"收费账户：{CARD}", allow={"numbers": [CARD]}) == []


@pytest.mark.parametrize(
    "card",
    [
        CARD,
        VISA,
        make_card("622202123456789"),  # 16-digit UnionPay
        make_card("543210987654321"),  # Mastercard
        make_card("222100123456789"),  # Mastercard 2-series
        make_card("955880123456789012"),  # 19-digit 工商银行 debit
    ],
)
def test_it_finds_bank_card_numbers_that_pass_luhn_and_have_a_card_prefix(card):
    [finding] = scan_text(f"银行卡号：{card}")
    assert (finding.kind, finding.text, finding.severity) == ("bank_card", card, "high")


def test_it_finds_card_numbers_written_in_groups_of_four():
    grouped = " ".join(CARD[i : i + 4] for i in range(0, 19, 4))
    assert found(f"卡号 {grouped}") == [("bank_card", grouped)]
    dashed = "-".join(VISA[i : i + 4] for i in range(0, 16, 4))
    assert found(f"卡号 {dashed}") == [("bank_card", dashed)]


@pytest.mark.parametrize(
    "text",
    [
        CARD[:-1] + str((int(CARD[-1]) + 1) % 10),  # fails Luhn
        make_card("123456789012345"),  # passes Luhn, no card starts with 1
        make_card("3" + "0" * 16),  # 18 digits starting with 3
        make_card("51234567890123456"),  # Mastercard prefix but 18 digits
        f"统一社会信用代码：{make_card('62371083004359011')}",
        f"项目代码 {make_card('622202123456789')}",
    ],
)
def test_it_ignores_long_numbers_that_are_not_card_numbers(text):
    assert found(text) == []


def test_a_number_that_is_both_a_valid_id_and_passes_luhn_is_reported_as_an_id():
    ids = (make_id("622301", dt.date(1980, 1, 1), f"{n:03d}") for n in range(1000))
    both = next(i for i in ids if i.isdigit() and luhn_ok(i))
    assert card_brand(both) == "银联"
    assert found(both) == [("id_card", both)]


@pytest.mark.parametrize(
    "text",
    [
        "诸政发〔2017〕12号",
        "乳政办字〔2024〕3号",
        "索引号：014314799/2024-00002",
        "索引号：11371000004359010J/2025-00809",
        "索引号 113710830043590107/2024-00002",
        "01527918X-2020-153077",
        "XM02100-0101-2019-00001",
        "成文日期：2024年1月2日，20240102，2024-01-02 15:30",
        "合计 1234567.89元，12,345,678 元，增长 13.5%",
        "统一社会信用代码：11371000004359010J",
        "统一社会信用代码：913710837535123456",
        "邮政编码 264500，传真 0631-6366001",
    ],
)
def test_document_numbers_index_numbers_dates_and_amounts_are_not_flagged(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("邮箱：zhang.san@163.com。", "zhang.san@163.com"),
        ("E-mail: Li_Si+gk@rs.gov.cn,", "Li_Si+gk@rs.gov.cn"),
        ("邮箱ｗａｎｇ＠ｑｑ．ｃｏｍ", "ｗａｎｇ＠ｑｑ．ｃｏｍ"),
        ("联系 a@b.cn.", "a@b.cn"),
    ],
)
def test_it_finds_email_addresses(text, email):
    [finding] = scan_text(text)
    assert (finding.kind, finding.text, finding.severity) == ("email", email, "low")


@pytest.mark.parametrize("text", ["@某某 你好", "user@localhost", "a@b.c", "价格@3元", "x@@y.com"])
def test_it_ignores_at_signs_that_are_not_addresses(text):
    assert found(text) == []


def test_findings_come_back_in_text_order():
    text = f"zs@163.com 13812345678 {ID} 秘密★"
    assert [f.kind for f in scan_text(text)] == [
        "email",
        "mobile",
        "id_card",
        "classification_mark",
    ]
