"""登记: online submission, confirmation of receipt, staff registration, numbers, query codes."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications import actions, queries
from gongkai.applications.models import Application, OrganSettings, State
from gongkai.audit.models import AuditEntry
from gongkai.core.models import OutgoingEmail
from tests.applications.conftest import CREDIT_CODE, ID_CARD, D, applicant, at, register


def submit(cast, day=None, **overrides):
    with at(day or D(2025, 9, 26)):
        return actions.application_submit_online(organ=cast.zhuwang, **applicant(**overrides))


def test_online_application_waits_for_confirmation_without_a_received_date(cast):
    receipt = submit(cast)
    app = Application.objects.get(pk=receipt.application.pk)
    assert app.state == State.PENDING_CONFIRMATION
    assert app.received_date is None
    assert app.due_date is None
    assert app.channel == "online"
    assert queries.awaiting_confirmation(cast.drafter).filter(pk=app.pk).exists()


def test_confirming_receipt_starts_the_clock_and_tells_the_applicant(cast):
    receipt = submit(cast, D(2025, 9, 25))
    with at(D(2025, 9, 26)):
        app = actions.application_confirm_receipt(
            actor=cast.drafter, application=receipt.application
        )
    assert app.received_date == D(2025, 9, 26)
    assert app.state == State.REGISTERED
    assert app.due_date == D(2025, 10, 30)
    mail = OutgoingEmail.objects.get(to=["zhangsan@example.com"], subject__contains="已收到")
    assert app.number in mail.subject
    assert "2025年10月30日" in mail.body


def test_a_station_drafter_cannot_confirm_receipt_for_the_township(cast):
    receipt = submit(cast)
    with at(D(2025, 9, 26)), pytest.raises(PermissionDenied):
        actions.application_confirm_receipt(
            actor=cast.station_drafter, application=receipt.application
        )
    assert Application.objects.get(pk=receipt.application.pk).received_date is None


def test_a_sibling_township_drafter_cannot_confirm_receipt(cast):
    receipt = submit(cast)
    with at(D(2025, 9, 26)), pytest.raises(PermissionDenied):
        actions.application_confirm_receipt(
            actor=cast.other_drafter, application=receipt.application
        )


def test_confirmation_date_cannot_be_before_submission(cast):
    receipt = submit(cast, D(2025, 9, 26))
    with at(D(2025, 9, 29)), pytest.raises(ValidationError, match="不能早于提交日期"):
        actions.application_confirm_receipt(
            actor=cast.drafter, application=receipt.application, confirmed_date=D(2025, 9, 25)
        )


def test_confirming_twice_is_refused(cast):
    receipt = submit(cast)
    with at(D(2025, 9, 26)):
        actions.application_confirm_receipt(actor=cast.drafter, application=receipt.application)
        with pytest.raises(ValidationError, match="不能进行此操作"):
            actions.application_confirm_receipt(actor=cast.drafter, application=receipt.application)


def test_the_query_code_is_stored_only_as_a_digest_and_checks_loosely(cast):
    receipt = submit(cast)
    app = Application.objects.get(pk=receipt.application.pk)
    code = receipt.query_code
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert code not in app.query_code_digest
    assert app.check_query_code(code.lower().replace("-", " "))
    assert not app.check_query_code("AAAA-BBBB-CCCC")
    assert queries.find_for_applicant(app.number.lower(), code) == app
    assert queries.find_for_applicant(app.number, "AAAA-BBBB-CCCC") is None
    assert queries.find_for_applicant("NOPE-2025-0001", code) is None


def test_numbers_run_per_organ_and_year_with_the_configured_prefix(cast):
    OrganSettings.objects.create(organ=cast.zhuwang, number_prefix="ZW")
    first = register(cast, D(2025, 12, 30))
    second = register(cast, D(2025, 12, 31))
    third = register(cast, D(2026, 1, 5))
    other = register(cast, D(2026, 1, 5), actor=cast.other_drafter, organ=cast.other_township)
    assert [first.number, second.number, third.number] == [
        "ZW-2025-0001",
        "ZW-2025-0002",
        "ZW-2026-0001",
    ]
    assert other.number == "XIACUN-2026-0001"


def test_staff_register_in_person_application_received_today(cast):
    app = register(cast, D(2025, 9, 26))
    assert app.state == State.REGISTERED
    assert app.received_date == D(2025, 9, 26)
    assert app.events.get().public


def test_fax_without_a_date_waits_for_confirmation(cast):
    with at(D(2025, 9, 26)):
        receipt = actions.application_register(
            actor=cast.drafter,
            organ=cast.zhuwang,
            channel="fax",
            received_date=None,
            **applicant(),
        )
    assert receipt.application.state == State.PENDING_CONFIRMATION


def test_letter_needs_a_received_date(cast):
    with at(D(2025, 9, 26)), pytest.raises(ValidationError) as info:
        actions.application_register(
            actor=cast.drafter,
            organ=cast.zhuwang,
            channel="letter",
            received_date=None,
            **applicant(),
        )
    assert "received_date" in info.value.message_dict


def test_staff_cannot_register_an_online_application(cast):
    with at(D(2025, 9, 26)), pytest.raises(ValidationError):
        actions.application_register(
            actor=cast.drafter,
            organ=cast.zhuwang,
            channel="online",
            received_date=D(2025, 9, 26),
            **applicant(),
        )


def test_received_date_in_the_future_is_refused(cast):
    with at(D(2025, 9, 26)), pytest.raises(ValidationError, match="不能晚于今天"):
        actions.application_register(
            actor=cast.drafter,
            organ=cast.zhuwang,
            channel="in_person",
            received_date=D(2025, 9, 29),
            **applicant(),
        )
    assert not Application.objects.exists()


def test_a_wrong_id_card_check_digit_is_refused_and_nothing_is_created(cast):
    with pytest.raises(ValidationError) as info:
        submit(cast, id_doc_number="110105194912310021")
    assert "校验位" in info.value.message_dict["id_doc_number"][0]
    assert not Application.objects.exists()


def test_an_impossible_birth_date_in_the_id_card_is_refused(cast):
    # 1949-02-30 does not exist (check digit recomputed so only the date is wrong).
    from gongkai.lib.idcard import id_card_check_char

    body = "11010519490230002"
    with pytest.raises(ValidationError) as info:
        submit(cast, id_doc_number=body + id_card_check_char(body))
    assert "出生日期" in info.value.message_dict["id_doc_number"][0]


def test_an_organisation_needs_a_valid_credit_code(cast):
    org = {
        "applicant_type": "commercial",
        "applicant_name": "乳山市某某有限公司",
        "id_doc_type": "",
        "id_doc_number": "",
    }
    with pytest.raises(ValidationError) as info:
        submit(cast, **org, credit_code="")
    assert "credit_code" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        submit(cast, **org, credit_code="91371083MA3C12345Q")
    assert "校验位" in info.value.message_dict["credit_code"][0]
    receipt = submit(cast, **org, credit_code=CREDIT_CODE.lower())
    assert receipt.application.credit_code == CREDIT_CODE


def test_mail_delivery_needs_an_address_and_some_contact_is_required(cast):
    with pytest.raises(ValidationError) as info:
        submit(cast, address="", phone="", email="")
    errors = info.value.message_dict
    assert "address" in errors and "phone" in errors


def test_audit_rows_never_hold_the_identity_number_or_name(cast):
    receipt = submit(cast)
    with at(D(2025, 9, 26)):
        actions.application_confirm_receipt(actor=cast.drafter, application=receipt.application)
    text = json.dumps(
        [[e.before, e.after, e.note] for e in AuditEntry.objects.all()], ensure_ascii=False
    )
    assert ID_CARD not in text
    assert "张三" not in text
    assert AuditEntry.objects.filter(action="applications.confirm_receipt").exists()


def test_discarding_an_unconfirmed_submission_needs_a_reason(cast):
    receipt = submit(cast)
    with pytest.raises(ValidationError):
        actions.application_discard(actor=cast.drafter, application=receipt.application, reason=" ")
    app = actions.application_discard(
        actor=cast.drafter, application=receipt.application, reason="重复提交"
    )
    assert app.state == State.DISCARDED
    assert not Application.objects.received().exists()
