import pytest
from django.core.exceptions import ValidationError

from gongkai.lib import codes


@pytest.mark.parametrize(
    "code", ["014314799", "01527918X", "004362519", "00436253-5", "12345678-8"]
)
def test_org_codes_with_the_right_check_digit_pass(code):
    assert codes.is_valid_org_code(code)
    assert codes.validate_organ_code(code) == code.replace("-", "")


@pytest.mark.parametrize("code", ["014314798", "004362511", "01527918Y", "0143147", "01431479X9"])
def test_org_codes_with_a_wrong_check_digit_or_length_fail(code):
    assert not codes.is_valid_org_code(code)


def test_org_code_check_digit_ten_is_x_and_eleven_is_zero():
    assert codes.org_code_check_char("01527918") == "X"
    # Body whose weighted sum is a multiple of 11: 11 - 0 = 11 -> "0".
    assert codes.org_code_check_char("00000000") == "0"


@pytest.mark.parametrize(
    "code", ["11371083004362000X", "11371000004359010J", "91350100M000100Y43", "91110000600037341l"]
)
def test_credit_codes_with_the_right_check_character_pass(code):
    # The last one is lower-case on purpose: people type them so.
    assert codes.is_valid_uscc(code)
    assert codes.validate_organ_code(code) == code.upper()


@pytest.mark.parametrize(
    "code",
    ["11371083004362000Y", "91350100M000100Y44", "91350100M000100YI3", "9135010"],
)
def test_credit_codes_with_a_wrong_check_character_or_letters_fail(code):
    assert not codes.is_valid_uscc(code)


def test_wrong_check_digit_message_says_what_it_should_be():
    with pytest.raises(ValidationError) as info:
        codes.validate_organ_code("004362511")
    assert "应为 9" in info.value.messages[0]
    with pytest.raises(ValidationError) as info:
        codes.validate_organ_code("11371083004362000Y")
    assert "应为 X" in info.value.messages[0]


def test_credit_code_with_a_forbidden_letter_is_rejected_for_the_letter():
    with pytest.raises(ValidationError) as info:
        codes.validate_organ_code("91350100M000100YO3")
    assert "不含 I、O、Z、S、V" in info.value.messages[0]


def test_code_of_another_length_names_the_length():
    with pytest.raises(ValidationError) as info:
        codes.validate_organ_code("1234567")
    assert "现为 7 位" in info.value.messages[0]


def test_credit_code_check_matches_every_body_for_a_sample_of_bodies():
    for body in ["91350100M000100Y4", "12100000400000624", "5311000050000156X"[:17]]:
        code = body + codes.uscc_check_char(body)
        assert codes.is_valid_uscc(code)
        wrong = next(c for c in codes.USCC_ALPHABET if c != code[-1])
        assert not codes.is_valid_uscc(body + wrong)


@pytest.mark.parametrize(
    "template",
    [
        "{org_code}/{year}-{serial:05d}",
        "XM02100-0101-{year}-{serial:05d}",
        "{org_code}-{year}-{serial}",
        "{code}-{year}-{serial:04d}",
    ],
)
def test_index_templates_that_make_distinct_numbers_pass(template):
    assert codes.validate_index_template(template) == template


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("", "请填写"),
        ("{org_code}/{serial:05d}", "必须包含 {year} 和 {serial}"),
        ("{org_code}/{year}", "必须包含 {year} 和 {serial}"),
        ("{org_code}/{year}-{seq}", "未知的占位符：{seq}"),
        ("{}/{year}-{serial}", "未知的占位符"),
        ("{org_code/{year}-{serial}", "花括号不成对"),
        ("{org_code}/{year}-{serial:x5}", "无法使用"),
        ("{year.real}-{serial}", "未知的占位符"),
        ("{year}-{serial}-{serial}", "只能包含一个 {serial}"),
    ],
)
def test_bad_index_templates_are_rejected_with_a_reason(template, says):
    with pytest.raises(ValidationError) as info:
        codes.validate_index_template(template)
    assert says in info.value.messages[0]


def test_index_template_formats_a_number():
    assert (
        codes.format_index_number(
            "{org_code}/{year}-{serial:05d}", org_code="004362519", year=2024, serial=2
        )
        == "004362519/2024-00002"
    )
