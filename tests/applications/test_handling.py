"""办理 → 答复 → 归档: assignment, reply, signature, delivery, archive, withdrawal, remedies."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from gongkai.applications import actions
from gongkai.applications.models import Application, CaseFile, Remedy, State
from gongkai.audit.models import AuditEntry
from tests.applications.conftest import D, at

BASIS = "《中华人民共和国政府信息公开条例》第三十六条第（二）项"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def reply_ready(cast, app, decision="3.1", reasons=""):
    with at(D(2025, 10, 9)):
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision=decision,
            legal_basis=BASIS,
            reasons=reasons,
        )
        actions.application_sign_off(actor=cast.leader, application=app)
    return Application.objects.get(pk=app.pk)


def test_station_handles_an_assigned_case_from_draft_to_archive(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 9, 29)):
        actions.application_assign(
            actor=cast.office_reviewer,
            application=app,
            department=cast.station,
            assignee=cast.station_drafter,
            internal_due_date=D(2025, 10, 20),
        )
    with at(D(2025, 10, 9)):
        actions.application_draft_reply(
            actor=cast.station_drafter, application=app, decision="3.1", legal_basis=BASIS
        )
        actions.application_sign_off(actor=cast.leader, application=app)
    with at(D(2025, 10, 10)):
        actions.application_mark_replied(
            actor=cast.station_drafter, application=app, reply_date=D(2025, 10, 10), delivery="mail"
        )
        actions.application_archive(actor=cast.office_reviewer, application=app)
    app.refresh_from_db()
    assert app.state == State.ARCHIVED
    assert app.decision == "3.1"
    assert app.concluded_date == D(2025, 10, 10)
    assert app.signed_by == cast.leader
    kinds = list(app.events.values_list("kind", flat=True))
    assert kinds == ["registered", "assigned", "reply_drafted", "signed", "replied", "archived"]
    assert (
        AuditEntry.objects.filter(object_id=str(app.pk), action__startswith="applications.").count()
        == 6
    )


def test_assigning_outside_the_organ_is_refused(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 9, 29)), pytest.raises(ValidationError) as info:
        actions.application_assign(
            actor=cast.drafter, application=app, department=cast.other_township
        )
    assert "department" in info.value.message_dict


def test_assignee_must_be_able_to_handle_cases_of_the_department(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 9, 29)), pytest.raises(ValidationError) as info:
        actions.application_assign(
            actor=cast.drafter,
            application=app,
            department=cast.station,
            assignee=cast.other_drafter,
        )
    assert "assignee" in info.value.message_dict


def test_internal_due_date_cannot_be_after_the_legal_deadline(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 9, 29)), pytest.raises(ValidationError, match="2025-10-30"):
        actions.application_assign(
            actor=cast.drafter,
            application=app,
            department=cast.station,
            internal_due_date=D(2025, 11, 3),
        )


def test_station_drafter_cannot_act_on_an_unassigned_township_case(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)), pytest.raises(PermissionDenied):
        actions.application_draft_reply(
            actor=cast.station_drafter, application=app, decision="3.1", legal_basis=BASIS
        )


def test_a_leader_cannot_draft_and_a_drafter_cannot_sign(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        with pytest.raises(PermissionDenied):
            actions.application_draft_reply(
                actor=cast.leader, application=app, decision="3.1", legal_basis=BASIS
            )
        actions.application_draft_reply(
            actor=cast.drafter, application=app, decision="3.1", legal_basis=BASIS
        )
        with pytest.raises(PermissionDenied):
            actions.application_sign_off(actor=cast.drafter, application=app)
    assert Application.objects.get(pk=app.pk).state == State.AWAITING_SIGN_OFF


def test_a_returned_draft_goes_back_to_processing_with_the_reason(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        actions.application_draft_reply(
            actor=cast.drafter, application=app, decision="3.1", legal_basis=BASIS
        )
        with pytest.raises(ValidationError):
            actions.application_sign_off(actor=cast.leader, application=app, approve=False)
        actions.application_sign_off(
            actor=cast.leader, application=app, approve=False, note="依据引用不准确"
        )
    app.refresh_from_db()
    assert app.state == State.PROCESSING
    assert app.events.filter(kind="returned", note="依据引用不准确").exists()


def test_refusals_need_reasons_and_automatic_decisions_cannot_be_drafted(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        with pytest.raises(ValidationError) as info:
            actions.application_draft_reply(
                actor=cast.drafter, application=app, decision="3.3.5", legal_basis=BASIS
            )
        assert "reasons" in info.value.message_dict
        for code in ("3.6.1", "3.6.2", "9.9"):
            with pytest.raises(ValidationError) as info:
                actions.application_draft_reply(
                    actor=cast.drafter,
                    application=app,
                    decision=code,
                    legal_basis=BASIS,
                    reasons="x",
                )
            assert "decision" in info.value.message_dict
    assert Application.objects.get(pk=app.pk).decision == ""


def test_partial_disclosure_must_carry_a_redacted_file(cast, make_app, media):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        with pytest.raises(ValidationError) as info:
            actions.application_draft_reply(
                actor=cast.drafter,
                application=app,
                decision="3.2",
                legal_basis=BASIS,
                reasons="名单中含个人身份信息",
                files=[(ContentFile(b"x", name="名单.pdf"), False)],
            )
        assert "files" in info.value.message_dict
        assert not CaseFile.objects.exists()
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision="3.2",
            legal_basis=BASIS,
            reasons="名单中含个人身份信息",
            files=[(ContentFile(b"x", name="名单（已删除身份证号）.pdf"), True)],
        )
    redacted = CaseFile.objects.get(application=app)
    assert redacted.redacted and redacted.name == "名单（已删除身份证号）.pdf"


def test_still_unclear_after_correction_needs_a_received_correction(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)), pytest.raises(ValidationError, match="补正后"):
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision="3.4.3",
            legal_basis=BASIS,
            reasons="仍不明确",
        )


def test_an_open_consultation_blocks_the_reply(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        actions.application_consult(
            actor=cast.drafter, application=app, party="other_organ", party_name="乳山市自然资源局"
        )
        with pytest.raises(ValidationError, match="征求意见"):
            actions.application_draft_reply(
                actor=cast.drafter, application=app, decision="3.1", legal_basis=BASIS
            )


def test_reply_can_only_be_marked_once_signed(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)), pytest.raises(ValidationError, match="不能进行此操作"):
        actions.application_mark_replied(
            actor=cast.drafter, application=app, reply_date=D(2025, 10, 9), delivery="mail"
        )


def test_late_reply_is_recorded_as_late(cast, make_app):
    app = make_app(D(2025, 9, 26))
    app = reply_ready(cast, app)
    with at(D(2025, 11, 3)):
        actions.application_mark_replied(
            actor=cast.drafter, application=app, reply_date=D(2025, 11, 3), delivery="pickup"
        )
    assert "超过答复期限 2025-10-30" in app.events.get(kind="replied").note


def test_an_open_case_cannot_be_archived(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with pytest.raises(ValidationError):
        actions.application_archive(actor=cast.drafter, application=app)


def test_withdrawal_concludes_as_other_on_the_day_it_was_received(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 15)):
        actions.application_withdraw(
            actor=cast.drafter,
            application=app,
            withdrawal_date=D(2025, 10, 14),
            reason="已自行取得",
        )
    app.refresh_from_db()
    assert (app.state, app.decision, app.concluded_date) == (State.CLOSED, "3.6.3", D(2025, 10, 14))
    assert app.due_date == D(2025, 10, 30)  # kept on the record: the figures compare with it


def test_withdrawal_date_cannot_precede_receipt(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 15)), pytest.raises(ValidationError):
        actions.application_withdraw(
            actor=cast.drafter, application=app, withdrawal_date=D(2025, 9, 25)
        )


def test_remedies_are_recorded_and_resolved(cast, make_app):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 12, 1)):
        remedy = actions.remedy_record(
            actor=cast.office_reviewer,
            organ=cast.zhuwang,
            kind="reconsideration",
            filed_date=D(2025, 11, 20),
            body="乳山市人民政府",
            application=app,
        )
        assert remedy.result == Remedy.Result.PENDING
        with pytest.raises(ValidationError):
            actions.remedy_set_result(actor=cast.office_reviewer, remedy=remedy, result="upheld")
        actions.remedy_set_result(
            actor=cast.office_reviewer, remedy=remedy, result="upheld", result_date=D(2025, 11, 28)
        )
    remedy.refresh_from_db()
    assert (remedy.result, remedy.result_date) == ("upheld", D(2025, 11, 28))
    with at(D(2025, 12, 1)), pytest.raises(PermissionDenied):
        actions.remedy_record(
            actor=cast.other_drafter,
            organ=cast.zhuwang,
            kind="litigation_direct",
            filed_date=D(2025, 11, 20),
        )


def test_letters_are_recorded_on_the_case(cast, make_app, media):
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        letter = actions.letter_record(
            actor=cast.drafter,
            application=app,
            kind="disclosure",
            file=ContentFile(b"docx", name="告知书.docx"),
            reference="诸政公开〔2025〕3号",
        )
    assert letter.issued_date == D(2025, 10, 9)
    assert letter.file.name.endswith("告知书.docx")
    with pytest.raises(ValidationError):
        actions.letter_record(actor=cast.drafter, application=app, kind="nonsense")


def test_information_asked_for_often_becomes_a_draft_catalog_item(cast, make_app):
    pytest.importorskip("gongkai.catalog.actions")
    app = make_app(D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        item = actions.application_promote_to_proactive(
            actor=cast.drafter,
            application=app,
            title="2025年农村危房改造补助对象名单",
            formed_date=D(2025, 9, 1),
            summary="多名申请人申请的信息，转为主动公开",
        )
    assert item.current_version().state == "draft"
    assert app.events.filter(kind="promoted").exists()
    with at(D(2025, 10, 9)), pytest.raises(PermissionDenied):
        actions.application_promote_to_proactive(
            actor=cast.leader, application=app, title="x", formed_date=D(2025, 9, 1)
        )
