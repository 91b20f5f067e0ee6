"""Correction, consultation, extension, fees and 条例35: their rules and their jobs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications import actions, jobs
from gongkai.applications.models import Application, Consultation, Extension, State
from gongkai.core.models import OutgoingEmail
from tests.applications.conftest import D, at


def correction(cast, app, day=None, period_end=None):
    day = day or D(2025, 9, 29)
    period_end = period_end or D(2025, 10, 20)
    with at(day):
        return actions.application_request_correction(
            actor=cast.drafter,
            application=app,
            items="请写明所需信息的年份和村名",
            period_end=period_end,
        )


# -- correction ------------------------------------------------------------------------------


def test_correction_notice_tells_the_applicant_once(cast, make_app):
    app = make_app(D(2025, 9, 26))
    correction(cast, app)
    assert Application.objects.get(pk=app.pk).state == State.CORRECTION
    assert OutgoingEmail.objects.filter(subject__contains="补正").count() == 1
    with at(D(2025, 10, 9)):
        actions.application_receive_correction(
            actor=cast.drafter, application=app, received_date=D(2025, 10, 9)
        )
    with at(D(2025, 10, 10)), pytest.raises(ValidationError, match="一次性"):
        actions.application_request_correction(
            actor=cast.drafter, application=app, items="再补一次", period_end=D(2025, 10, 30)
        )


def test_correction_notice_after_seven_working_days_is_refused(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with pytest.raises(ValidationError, match="2025-10-13"):
        correction(cast, app, day=D(2025, 10, 14), period_end=D(2025, 10, 30))
    # The 7th working day, across 国庆, is still in time.
    correction(cast, app, day=D(2025, 10, 13), period_end=D(2025, 10, 30))


def test_correction_period_must_end_after_the_notice(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with pytest.raises(ValidationError) as info:
        correction(cast, app, period_end=D(2025, 9, 29))
    assert "period_end" in info.value.message_dict


def test_late_correction_needs_the_accepted_reason(cast, make_app):
    app = make_app(D(2025, 9, 26))
    correction(cast, app)
    with at(D(2025, 10, 21)):
        with pytest.raises(ValidationError) as info:
            actions.application_receive_correction(
                actor=cast.drafter, application=app, received_date=D(2025, 10, 21)
            )
        assert "late_reason" in info.value.message_dict
        actions.application_receive_correction(
            actor=cast.drafter,
            application=app,
            received_date=D(2025, 10, 21),
            late_reason="申请人住院，有医院证明",
        )
    assert Application.objects.get(pk=app.pk).state == State.REGISTERED


def test_expired_correction_concludes_as_3_6_1_on_the_last_day_of_the_period(cast, make_app):
    app = make_app(D(2025, 9, 26))
    correction(cast, app)
    assert jobs.expire(today=D(2025, 10, 20)) == 0  # the last day still counts
    assert jobs.expire(today=D(2025, 10, 21)) == 1
    app.refresh_from_db()
    assert (app.state, app.decision, app.concluded_date) == (State.CLOSED, "3.6.1", D(2025, 10, 20))
    assert app.correction.expired
    assert jobs.expire(today=D(2025, 10, 22)) == 0  # idempotent


# -- consultation ----------------------------------------------------------------------------


def consult(cast, app, party, **kwargs):
    kwargs.setdefault("delivery", "email")  # delivered the day it is sent
    with at(D(2025, 10, 9)):
        return actions.application_consult(
            actor=cast.drafter, application=app, party=party, party_name="征求对象", **kwargs
        )


def test_the_third_partys_fifteen_days_run_from_delivery_not_sending(cast, make_app):
    app = make_app(D(2025, 9, 26))
    # Sent by post on 10月9日 (Thursday) with no delivery recorded: assumed delivered on the
    # third working day after sending (10月11日 is a make-up Saturday: 10/10, 10/11, 10/13).
    c = consult(cast, app, "third_party", delivery="mail")
    assert c.due_date == D(2025, 11, 3)  # 15 WD after 10月13日
    with at(D(2025, 10, 14)):
        c = actions.application_consultation_delivered(
            actor=cast.drafter, consultation=c, delivered_date=D(2025, 10, 14)
        )
    assert c.due_date == D(2025, 11, 4)
    # The opinion arrives on 10月20日: the applicant's clock stops from the day after sending
    # to that day, 8 working days (10/10, the make-up Saturday 10/11, 10/13–17, 10/20).
    with at(D(2025, 10, 20)):
        actions.application_consultation_reply(
            actor=cast.drafter, consultation=c, reply_date=D(2025, 10, 20), opinion="consent"
        )
    app.refresh_from_db()
    assert app.due_date == D(2025, 11, 11)  # 10/30 plus those 8 working days


def test_the_consultation_letter_states_the_delivery_assumption(cast, make_app):
    from gongkai.applications import letters

    app = make_app(D(2025, 9, 26))
    c = consult(cast, app, "third_party", delivery="mail")
    with at(D(2025, 10, 9)):
        body = letters.render(app, "consultation", consultation=c).body
    assert "2025年11月3日" in body
    assert "本函以邮寄方式送达，按发函之日后第3个工作日送达计算" in body


def test_other_organ_silence_is_consent_third_party_silence_is_not(cast, make_app):
    app = make_app(D(2025, 9, 26))
    organ = consult(cast, app, "other_organ")
    third = consult(cast, app, "third_party")
    assert jobs.expire(today=D(2025, 10, 29)) == 0
    assert jobs.expire(today=D(2025, 10, 30)) == 2
    organ.refresh_from_db()
    third.refresh_from_db()
    assert organ.opinion == Consultation.Opinion.DEEMED_CONSENT
    assert third.opinion == Consultation.Opinion.NO_OPINION
    assert organ.closed_date == third.closed_date == D(2025, 10, 29)
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 11, 20)


def test_a_reply_to_a_closed_consultation_is_refused(cast, make_app):
    app = make_app(D(2025, 9, 26))
    c = consult(cast, app, "third_party")
    jobs.expire(today=D(2025, 10, 30))
    with at(D(2025, 10, 31)), pytest.raises(ValidationError, match="已经结束"):
        actions.application_consultation_reply(
            actor=cast.drafter, consultation=c, reply_date=D(2025, 10, 31), opinion="consent"
        )


# -- extension -------------------------------------------------------------------------------


def request_extension(cast, app, days=10, day=None):
    day = day or D(2025, 10, 20)
    with at(day):
        return actions.application_extend(
            actor=cast.drafter, application=app, days=days, reason="涉及多个村的档案，需要汇总"
        )


def test_extension_is_at_most_twenty_days_and_only_once(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with pytest.raises(ValidationError) as info:
        request_extension(cast, app, days=21)
    assert "days" in info.value.message_dict
    ext = request_extension(cast, app)
    with pytest.raises(ValidationError, match="只能延长一次"):
        request_extension(cast, app)
    with at(D(2025, 10, 21)):
        actions.application_extend_approve(actor=cast.office_head, extension=ext)
    with pytest.raises(ValidationError, match="只能延长一次"):
        request_extension(cast, app, day=D(2025, 10, 22))
    app.refresh_from_db()
    assert app.due_date == D(2025, 11, 13)  # 10-30 + 10 WD
    assert OutgoingEmail.objects.filter(subject__contains="延期").exists()


def test_only_the_office_head_approves_an_extension(cast, make_app):
    app = make_app(D(2025, 9, 26))
    ext = request_extension(cast, app)
    for someone in (cast.drafter, cast.office_reviewer, cast.leader, cast.other_drafter):
        with at(D(2025, 10, 21)), pytest.raises(PermissionDenied):
            actions.application_extend_approve(actor=someone, extension=ext)
    assert Extension.objects.get(pk=ext.pk).status == Extension.Status.REQUESTED


def test_a_refused_extension_needs_a_note_and_allows_a_new_request(cast, make_app):
    app = make_app(D(2025, 9, 26))
    ext = request_extension(cast, app)
    with at(D(2025, 10, 21)):
        with pytest.raises(ValidationError):
            actions.application_extend_approve(actor=cast.office_head, extension=ext, approve=False)
        actions.application_extend_approve(
            actor=cast.office_head, extension=ext, approve=False, note="理由不充分"
        )
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 10, 30)
    request_extension(cast, app, day=D(2025, 10, 22))


def test_no_extension_after_the_deadline_passed(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with pytest.raises(ValidationError, match="已过"):
        request_extension(cast, app, day=D(2025, 10, 31))


def test_excessive_requests_get_a_later_deadline_set_by_the_office_head(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        with pytest.raises(ValidationError, match="说明理由"):
            actions.application_excessive(
                actor=cast.office_head,
                application=app,
                new_due_date=D(2025, 12, 31),
                reason="一月内申请40件",
            )
        actions.application_excessive_notice(actor=cast.drafter, application=app)
        with pytest.raises(PermissionDenied):
            actions.application_excessive(
                actor=cast.drafter,
                application=app,
                new_due_date=D(2025, 12, 31),
                reason="一月内申请40件",
            )
        with pytest.raises(ValidationError):
            actions.application_excessive(
                actor=cast.office_head,
                application=app,
                new_due_date=D(2025, 10, 20),
                reason="一月内申请40件",
            )
        actions.application_excessive(
            actor=cast.office_head,
            application=app,
            new_due_date=D(2025, 12, 31),
            reason="一月内申请40件",
        )
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 12, 31)


# -- fees ------------------------------------------------------------------------------------


def fee_notice(cast, app, **kw):
    with at(D(2025, 10, 9)):
        return actions.application_fee_notice(actor=cast.drafter, application=app, **kw)


def test_per_item_fee_counts_the_applicants_applications_in_the_month(cast, make_app):
    apps = [make_app(D(2025, 9, 1 + i // 2)) for i in range(12)]
    assert fee_notice(cast, apps[10], method="per_item").amount == Decimal(100)
    with pytest.raises(ValidationError, match="免费"):
        fee_notice(cast, apps[9], method="per_item")


def test_one_fee_method_per_application(cast, make_app):
    app = make_app(D(2025, 9, 26))
    fee_notice(cast, app, method="per_page", quantity=50)
    with pytest.raises(ValidationError):
        fee_notice(cast, app, method="per_item", quantity=15)


def test_unpaid_fee_concludes_as_3_6_2_when_the_payment_period_ran_out(cast, make_app):
    app = make_app(D(2025, 9, 26))
    fee = fee_notice(cast, app, method="per_page", quantity=50)
    assert Application.objects.get(pk=app.pk).state == State.FEE_PENDING
    assert jobs.expire(today=fee.payment_due) == 0
    assert jobs.expire(today=D(2025, 12, 31)) == 1
    app.refresh_from_db()
    assert (app.state, app.decision, app.concluded_date) == (State.CLOSED, "3.6.2", fee.payment_due)


def test_payment_after_the_period_is_refused(cast, make_app):
    app = make_app(D(2025, 9, 26))
    fee = fee_notice(cast, app, method="per_page", quantity=50)
    with at(D(2025, 12, 31)), pytest.raises(ValidationError, match="逾期"):
        actions.application_fee_paid(actor=cast.drafter, application=app, paid_date=D(2025, 12, 31))
    with at(fee.payment_due):
        actions.application_fee_paid(actor=cast.drafter, application=app, paid_date=fee.payment_due)
    assert Application.objects.get(pk=app.pk).state == State.REGISTERED


# -- transitions -----------------------------------------------------------------------------


def test_the_transition_table_names_only_real_states():
    states = set(State.values)
    for sources, target in actions.TRANSITIONS.values():
        assert sources <= states
        assert target is None or target in states


def test_closed_cases_refuse_every_handling_action(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        actions.application_withdraw(
            actor=cast.drafter, application=app, withdrawal_date=D(2025, 10, 9)
        )
        calls = [
            lambda: actions.application_assign(
                actor=cast.drafter, application=app, department=cast.station
            ),
            lambda: actions.application_consult(
                actor=cast.drafter, application=app, party="third_party", party_name="x"
            ),
            lambda: actions.application_extend(
                actor=cast.drafter, application=app, days=5, reason="x"
            ),
            lambda: actions.application_fee_notice(
                actor=cast.drafter, application=app, method="per_page", quantity=50
            ),
            lambda: actions.application_request_correction(
                actor=cast.drafter, application=app, items="x", period_end=D(2025, 10, 20)
            ),
            lambda: actions.application_draft_reply(
                actor=cast.drafter, application=app, decision="3.1", legal_basis="x"
            ),
            lambda: actions.application_withdraw(
                actor=cast.drafter, application=app, withdrawal_date=D(2025, 10, 9)
            ),
        ]
        for call in calls:
            with pytest.raises(ValidationError, match="不能进行此操作"):
                call()
