"""The progressive fee schedules, and that staff of a sibling township can do nothing here."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.applications import actions, fees
from gongkai.applications.models import Application, Consultation, Extension
from tests.applications.conftest import D, at


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (55, 400)],
)
def test_per_item_fee_rises_by_100_every_ten_applications_after_thirty(ordinal, fee):
    assert fees.per_item_fee(ordinal) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)],
)
def test_per_page_fee_prices_each_page_at_its_band(pages, fee):
    assert fees.per_page_fee(pages) == Decimal(fee)


def test_fee_schedules_are_settings(settings):
    settings.APPLICATION_FEE_PER_PAGE = {"bands": [[10, 0], [None, 1]]}
    assert fees.per_page_fee(15) == Decimal(5)


def _other_township_attempts(cast, app, consultation, extension):
    other = cast.other_drafter
    return {
        "confirm": lambda: actions.application_confirm_receipt(actor=other, application=app),
        "assign": lambda: actions.application_assign(
            actor=other, application=app, department=cast.zhuwang
        ),
        "correction": lambda: actions.application_request_correction(
            actor=other, application=app, items="x", period_end=D(2025, 10, 20)
        ),
        "consult": lambda: actions.application_consult(
            actor=other, application=app, party="third_party", party_name="x"
        ),
        "consultation_reply": lambda: actions.application_consultation_reply(
            actor=other, consultation=consultation, reply_date=D(2025, 10, 9), opinion="consent"
        ),
        "extend": lambda: actions.application_extend(
            actor=other, application=app, days=5, reason="x"
        ),
        "extend_approve": lambda: actions.application_extend_approve(
            actor=other, extension=extension
        ),
        "excessive": lambda: actions.application_excessive(
            actor=other, application=app, new_due_date=D(2025, 12, 31), reason="x"
        ),
        "fee": lambda: actions.application_fee_notice(
            actor=other, application=app, method="per_page", quantity=50
        ),
        "draft": lambda: actions.application_draft_reply(
            actor=other, application=app, decision="3.1", legal_basis="x"
        ),
        "sign_off": lambda: actions.application_sign_off(actor=other, application=app),
        "withdraw": lambda: actions.application_withdraw(
            actor=other, application=app, withdrawal_date=D(2025, 10, 9)
        ),
        "letter": lambda: actions.letter_record(actor=other, application=app, kind="other"),
        "remedy": lambda: actions.remedy_record(
            actor=other, organ=cast.zhuwang, kind="reconsideration", filed_date=D(2025, 10, 9)
        ),
    }


def test_a_sibling_township_drafter_can_change_nothing(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        consultation = actions.application_consult(
            actor=cast.drafter, application=app, party="third_party", party_name="某公司"
        )
        extension = actions.application_extend(
            actor=cast.drafter, application=app, days=5, reason="汇总资料"
        )
        before = Application.objects.filter(pk=app.pk).values().get()
        for name, attempt in _other_township_attempts(cast, app, consultation, extension).items():
            with pytest.raises(PermissionDenied):
                attempt()
            assert Application.objects.filter(pk=app.pk).values().get() == before, name
    assert Consultation.objects.get().is_open
    assert Extension.objects.get().status == Extension.Status.REQUESTED
