import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.models import AuditEntry
from gongkai.core.models import OutgoingEmail
from gongkai.interaction import actions
from gongkai.interaction.models import Letter, LetterStatus
from tests.factories import make_unit
from tests.interaction.conftest import at, submit

D = datetime.date


def test_forwarding_sets_a_due_date_in_working_days_across_national_day(cast):
    with at(D(2026, 9, 29)):
        letter = submit(cast.zhuwang).letter
        actions.letter_forward(
            actor=cast.office_reviewer,
            letter=letter,
            to_unit=cast.station,
            workdays=5,
            note="请农业站核实",
        )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FORWARDED
    assert letter.forwarded_to == cast.station
    # 9-30; 国庆 10-1..10-7 off; 10-8, 10-9, 10-10 (a Saturday worked, 调休) and 10-12.
    assert letter.due_date == D(2026, 10, 12)


def test_the_default_forward_period_comes_from_the_setting(cast, settings):
    settings.MAILBOX_FORWARD_WORKDAYS = 3
    with at(D(2026, 6, 1)):  # a Monday
        letter = actions.letter_forward(
            actor=cast.drafter, letter=submit(cast.zhuwang).letter, to_unit=cast.station
        )
    assert letter.due_date == D(2026, 6, 4)


def test_forwarding_into_a_year_without_a_notice_gives_a_provisional_date(cast):
    from gongkai.core.models import OutgoingEmail

    cast.station_drafter.email = "station@example.cn"
    cast.station_drafter.save(update_fields=["email"])
    with at(D(2026, 12, 28)):
        letter = submit(cast.zhuwang).letter
        actions.letter_forward(actor=cast.drafter, letter=letter, to_unit=cast.station, workdays=10)
    letter = Letter.objects.get(pk=letter.pk)
    assert letter.status == LetterStatus.FORWARDED
    # 10 working days by the 放假办法 end on 2027-01-12 (暂定); if 2–3 January became make-up
    # working days, on 2027-01-08: the letter is due on that earliest date.
    assert letter.due_date == D(2027, 1, 8)
    mail = OutgoingEmail.objects.get(subject__contains="转办来信")
    assert "2027-01-08" in mail.subject
    assert "2027-01-12（暂定：2027 年的节假日安排尚未公布" in mail.body


def test_letters_go_only_to_units_below_the_organ(cast, letter):
    for target in (cast.zhuwang, cast.other_township, cast.city):
        with pytest.raises(ValidationError):
            actions.letter_forward(actor=cast.drafter, letter=letter, to_unit=target)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.RECEIVED


def test_the_department_answers_a_forwarded_letter_in_its_own_name(cast, letter):
    cast.station_drafter.email = "station@example.cn"
    cast.station_drafter.save()
    actions.letter_forward(actor=cast.drafter, letter=letter, to_unit=cast.station)
    assert OutgoingEmail.objects.filter(to=["station@example.cn"]).exists()
    letter = actions.letter_answer(actor=cast.station_drafter, letter=letter, reply="已修复。")
    assert letter.status == LetterStatus.ANSWERED
    assert letter.answered_unit == cast.station
    assert letter.answered_by == cast.station_drafter


def test_a_department_cannot_touch_letters_not_forwarded_to_it(cast, letter):
    other_station = make_unit(parent=cast.zhuwang, name="乳山市诸往镇财政所", code="zw-fin")
    actions.letter_forward(actor=cast.drafter, letter=letter, to_unit=other_station)
    with pytest.raises(PermissionDenied):
        actions.letter_answer(actor=cast.station_drafter, letter=letter, reply="x")
    with pytest.raises(PermissionDenied):
        actions.letter_mark_spam(actor=cast.station_drafter, letter=letter)


def test_staff_of_a_sibling_township_can_do_nothing(cast, letter):
    for call in (
        lambda: actions.letter_answer(actor=cast.other_drafter, letter=letter, reply="x"),
        lambda: actions.letter_forward(
            actor=cast.other_drafter, letter=letter, to_unit=cast.station
        ),
        lambda: actions.letter_mark_spam(actor=cast.other_drafter, letter=letter),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.RECEIVED


def test_answering_e_mails_the_writer(cast, letter):
    actions.letter_answer(actor=cast.leader, letter=letter, reply="路灯本周修好。")
    mail = OutgoingEmail.objects.get(to=["wangxiuying@example.com"])
    assert letter.number in mail.subject
    assert "路灯本周修好。" in mail.body
    assert "https://gk.example.cn/hudong/xinxiang/chaxun/" in mail.body


def test_no_e_mail_without_an_address(cast):
    letter = submit(cast.zhuwang, writer_email="").letter
    actions.letter_answer(actor=cast.leader, letter=letter, reply="好的。")
    assert not OutgoingEmail.objects.filter(subject__contains="已答复").exists()


def test_an_empty_reply_is_refused(cast, letter):
    with pytest.raises(ValidationError):
        actions.letter_answer(actor=cast.leader, letter=letter, reply="   ")
    assert Letter.objects.get(pk=letter.pk).reply == ""


def test_the_transition_table_refuses_what_the_status_does_not_allow(cast, letter):
    actions.letter_answer(actor=cast.leader, letter=letter, reply="好的。")
    with pytest.raises(actions.TransitionError) as exc:
        actions.letter_answer(actor=cast.leader, letter=letter, reply="again")
    assert "已答复" in exc.value.messages[0]
    with pytest.raises(actions.TransitionError):
        actions.letter_forward(actor=cast.leader, letter=letter, to_unit=cast.station)
    with pytest.raises(actions.TransitionError):
        actions.letter_mark_spam(actor=cast.leader, letter=letter)


def test_spam_is_marked_and_restored(cast, letter):
    actions.letter_mark_spam(actor=cast.drafter, letter=letter, note="广告")
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.SPAM
    with pytest.raises(actions.TransitionError):
        actions.letter_answer(actor=cast.leader, letter=letter, reply="x")
    actions.letter_unmark_spam(actor=cast.drafter, letter=letter)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.RECEIVED


def test_every_change_leaves_one_audit_row(cast, letter):
    actions.letter_forward(actor=cast.drafter, letter=letter, to_unit=cast.station)
    actions.letter_answer(actor=cast.station_drafter, letter=letter, reply="已办。")
    names = list(
        AuditEntry.objects.filter(object_id=str(letter.pk), object_type="interaction.letter")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert names == [
        "interaction.letter_submit",
        "interaction.letter_forward",
        "interaction.letter_answer",
    ]


def test_every_transition_in_the_table_names_known_statuses():
    for sources, target in actions.TRANSITIONS.values():
        assert target in LetterStatus.values
        assert set(sources) <= set(LetterStatus.values)
