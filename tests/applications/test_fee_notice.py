"""The 收费通知书 (国办函〔2020〕109号): the method, the schedule, the quantity and the amount
as the schedule computes it at each tier boundary, the organ's payment method and account, the
payment period (20 working days from the day after receipt), and an override with its reason.
Read back from the DOCX the applicant receives."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from gongkai.applications import casework
from gongkai.applications.actions.intake import organ_settings
from tests.applications.conftest import D, at
from tests.applications.test_letters_by_the_law import assert_clean

PAY = "持本通知书到诸往镇便民服务中心窗口缴纳"
ACCOUNT = "乳山市诸往镇人民政府，中国农业银行乳山支行，账号 1523 0101 0400 1234"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, cast):
    settings.MEDIA_ROOT = tmp_path
    row = organ_settings(cast.zhuwang)
    row.reconsideration_body, row.court = "乳山市人民政府", "乳山市人民法院"
    row.fee_payment_method, row.fee_account = PAY, ACCOUNT
    row.save()
    cast.zhuwang.phone, cast.zhuwang.address = "0631-6651000", "乳山市诸往镇驻地"
    cast.zhuwang.save()


def notice(cast, make_app, method, quantity, **kw):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        fee = casework.fee_notice(
            actor=cast.drafter, application=app, method=method, quantity=quantity, **kw
        )
    letter = app.letters.get(kind="fee")
    with letter.file.open("rb") as handle:
        text = "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)
    assert_clean(text)
    return fee, text


PER_ITEM = [(11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)]
PER_PAGE = [(31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)]


@pytest.mark.parametrize(("ordinal", "amount"), PER_ITEM)
def test_per_item_amount_at_each_tier_boundary(cast, make_app, ordinal, amount):
    fee, text = notice(cast, make_app, "per_item", ordinal)
    assert fee.amount == fee.computed_amount == Decimal(amount)
    assert "计收方式为按件计收。" in text and "计收收取" not in text
    assert "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费" in text
    assert f"本申请为您本自然月内向本机关提出的第{ordinal}件申请，适用{amount}元/件的标准。" in text
    assert f"应缴纳信息处理费人民币{amount}.00元。" in text


@pytest.mark.parametrize(("pages", "amount"), PER_PAGE)
def test_per_page_amount_at_each_tier_boundary(cast, make_app, pages, amount):
    fee, text = notice(cast, make_app, "per_page", pages)
    assert fee.amount == Decimal(amount)
    assert "计收方式为按量计收。" in text and "计收收取" not in text
    assert "30页以下（含30页）的，不收费；31—100页（含100页）的部分：10元/页" in text
    assert f"本次提供的政府信息共{pages}页，分档计算：" in text
    assert f"应缴纳信息处理费人民币{amount}.00元。" in text


def test_the_schedule_shows_each_band_charged(cast, make_app):
    _fee, text = notice(cast, make_app, "per_page", 201)
    assert (
        "第31—100页共70页×10元＝700元，第101—200页共100页×20元＝2000元，第201页共1页×40元＝40元。"
        in text
    )


@pytest.mark.parametrize(("method", "quantity"), [("per_item", 10), ("per_page", 30)])
def test_nothing_is_charged_within_the_free_range(cast, make_app, method, quantity):
    app = make_app(D(2026, 3, 2))
    with pytest.raises(ValidationError, match="免费"), at(D(2026, 3, 3)):
        casework.fee_notice(actor=cast.drafter, application=app, method=method, quantity=quantity)
    assert not app.letters.filter(kind="fee").exists()


def test_the_notice_states_payment_method_account_period_and_remedies(cast, make_app):
    _fee, text = notice(cast, make_app, "per_page", 45)
    assert f"缴纳方式：{PAY}。收款单位及账户：{ACCOUNT}。" in text
    assert "请您自收到本通知书之日的次日起20个工作日内缴纳。逾期未缴纳的，视为放弃申请" in text
    assert "第四十二条第一款和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）" in text
    assert (
        "如对本通知不服，可以自收到本通知书之日起六十日内向乳山市人民政府申请行政复议，"
        "或者自收到本通知书之日起六个月内向乳山市人民法院提起行政诉讼。" in text
    )


def test_an_override_needs_a_reason_and_the_notice_shows_it(cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        with pytest.raises(ValidationError, match="请写明理由"):
            casework.fee_notice(
                actor=cast.drafter, application=app, method="per_page", quantity=45, amount=50
            )
        with pytest.raises(ValidationError, match="不能超过"):
            casework.fee_notice(
                actor=cast.drafter,
                application=app,
                method="per_page",
                quantity=45,
                amount=500,
                override_reason="多收",
            )
    fee, text = notice(
        cast,
        make_app,
        "per_page",
        45,
        amount=Decimal(50),
        override_reason="其中10页为申请人此前已获取信息的重复部分",
    )
    assert (fee.amount, fee.computed_amount) == (Decimal(50), Decimal(150))
    assert "应缴纳信息处理费人民币50.00元。" in text
    assert (
        "按上述标准计算的金额为150.00元，本机关调整为50.00元，"
        "理由：其中10页为申请人此前已获取信息的重复部分。" in text
    )


def test_a_fee_notice_goes_out_within_the_reply_period(cast, make_app):
    app = make_app(D(2026, 3, 2))
    with pytest.raises(ValidationError, match="答复期限"), at(D(2026, 4, 21)):
        casework.fee_notice(
            actor=cast.drafter,
            application=app,
            method="per_page",
            quantity=45,
            notice_date=D(2026, 4, 20),
        )
