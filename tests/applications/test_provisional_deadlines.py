"""Deadlines that never go blank (issue 11): on 2026-12-07 the calendar has no 2027 notice, and
every date an applicant or a clerk sees is dated, marked 暂定 with the reason, and right again
after the notice is imported. No administrator instruction, error text or "未知" ever reaches
an applicant.

Hand-checked dates (2027 by the 放假办法: 元旦 Friday 1 January, 春节 除夕 5 February Friday,
初一–初二 on the weekend made up on 9–10 February):
- received 2026-12-07: 20th working day 2027-01-05 (暂定), earliest 2026-12-31 (26–27 December
  could be make-up working days); the invented test notice (元旦 1–3 January) keeps 2027-01-05.
- received 2027-01-18: 2027-02-19 (暂定); the notice (春节 5–12 February off, 20 February
  worked) moves it to 2027-02-22.
"""

from __future__ import annotations

import importlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from docx import Document

from gongkai.applications import actions, casework, workbench
from gongkai.applications.models import Application, CaseEvent, Letter
from gongkai.core.models import OutgoingEmail
from gongkai.workdays import actions as workday_actions
from tests.applications.conftest import D, at, register
from tests.applications.pagekit import text_of
from tests.applications.test_pages_public import look_up, online_case
from tests.workdays.conftest import notice_text

ADMIN_WORDS = ("缺少", "请导入", "节假日数据", "未知", "无法计算", "＿＿")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_TEST_MODE = True
    settings.RATELIMIT_ENABLED = False


def no_admin_words(text: str) -> None:
    for word in ADMIN_WORDS:
        assert word not in text, word


def docx_text(letter: Letter) -> str:
    with letter.file.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    return "\n".join(p.text for p in document.paragraphs)


def import_2027(cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        workday_actions.calendar_import_notice(
            actor=cast.admin, text=notice_text("notice_2027_invented.txt"), year=2027
        )


def confirmed_online_case(cast, client, day):
    with at(day):
        app, code = online_case(cast)
        casework.confirm_receipt(actor=cast.drafter, application=app)
        response = look_up(client, app.number, code)
    assert response.status_code == 302
    return Application.objects.get(pk=app.pk), response["Location"]


def workbench_notes(cast, day) -> dict[str, list[str]]:
    request = RequestFactory().get("/")
    request.user = cast.drafter
    with at(day):
        boxes = workbench.provider(request)
    return {box.title: [row["note"] for row in box.rows] for box in boxes}


def test_an_application_received_on_7_december_is_dated_everywhere(client, cast):
    app, status_url = confirmed_online_case(cast, client, D(2026, 12, 7))
    assert (app.due_date, app.due_provisional, app.due_earliest) == (
        D(2027, 1, 5),
        True,
        D(2026, 12, 31),
    )
    reason = "2027 年的节假日安排尚未公布"
    # The public status page: the date, 暂定 and why; the history line too.
    with at(D(2026, 12, 7), hour=15):
        page = text_of(client.get(status_url))
    assert "2027年1月5日（暂定：" in page and reason in page
    assert "已确认收到申请，答复期限 2027年1月5日（暂定）" in page
    no_admin_words(page)
    # The e-mail.
    mail = OutgoingEmail.objects.get(subject__contains="已收到")
    assert "将依法在 2027年1月5日（暂定：" in mail.body and reason in mail.body
    no_admin_words(mail.body)
    # The receipt (条例33 reply date), stored and as DOCX.
    receipt = app.letters.get(kind=Letter.Kind.RECEIPT)
    assert "即在2027年1月5日（暂定：" in receipt.body
    assert "2027年1月5日（暂定：" in docx_text(receipt)
    no_admin_words(receipt.body)
    # The staff case page says the alarm is conservative.
    with at(D(2026, 12, 8)):
        client.force_login(cast.drafter)
        staff = text_of(client.get(reverse("applications:detail", args=[app.pk])))
    assert "2027-01-05（暂定）" in staff and "最早为 2026-12-31" in staff
    # The workbench lists it as provisional.
    notes = workbench_notes(cast, D(2026, 12, 8))
    assert any(
        "2027-01-05（暂定）" in n for n in notes["依申请公开：答复期限暂定（待导入节假日安排）"]
    )


def test_the_alarm_fires_on_the_earliest_possible_date_and_says_it_is_conservative(cast):
    app = register(cast, D(2026, 12, 7))
    assert app.deadline_status(today=D(2026, 12, 24)) == "on_time"
    assert app.deadline_status(today=D(2026, 12, 28)) == "due_soon"  # 3 days to 31 December
    assert app.deadline_status(today=D(2027, 1, 4)) == "overdue"  # before the 暂定 5 January
    notes = workbench_notes(cast, D(2026, 12, 28))
    (note,) = notes["依申请公开：即将到期"]
    assert note == "答复期限 2027-01-05（暂定），从严按最早可能的 2026-12-31 提醒"


def test_a_correction_notice_and_a_fee_notice_in_late_december(cast):
    app = register(cast, D(2026, 12, 24))
    # Day 2 of the 7 working days, which run into 2027: accepted.
    with at(D(2026, 12, 28)):
        casework.request_correction(
            actor=cast.drafter,
            application=app,
            items="请写明所需信息的年份",
            period_end=D(2027, 1, 8),
        )
    letter = app.letters.get(kind=Letter.Kind.CORRECTION)
    assert "2027年1月8日" in letter.body
    other = register(cast, D(2026, 12, 21), description="全镇村级财务资料复印件")
    with at(D(2026, 12, 29)):
        fee = casework.fee_notice(
            actor=cast.drafter, application=other, method="per_page", quantity=150
        )
    # 20 working days from 30 December: 1 January off → 2027-01-27 (暂定).
    assert fee.payment_due == D(2027, 1, 27)
    notice = other.letters.get(kind=Letter.Kind.FEE)
    # The notice states the period the 109号 rules give (from the day after receipt), not a date.
    assert "自收到本通知书之日的次日起20个工作日内" in notice.body
    event = other.events.get(kind="fee_notice")
    assert event.text == "发出收费通知：1700 元，缴费期限至 2027年1月27日（暂定）"
    no_admin_words(notice.body + docx_text(notice))


def test_importing_the_notice_recomputes_lists_moves_and_tells_the_applicant(
    client, cast, django_capture_on_commit_callbacks
):
    stays = register(cast, D(2026, 12, 7))
    with at(D(2027, 1, 18)):
        moves, code = online_case(cast)
        casework.confirm_receipt(actor=cast.drafter, application=moves)
        look_up(client, moves.number, code)
    moves.refresh_from_db()
    assert (moves.due_date, moves.due_provisional) == (D(2027, 2, 19), True)
    confirmed = moves.events.get(kind="confirmed")
    assert confirmed.text == "已确认收到申请，答复期限 2027年2月19日（暂定）"
    OutgoingEmail.objects.all().delete()

    with at(D(2027, 1, 20)):
        import_2027(cast, django_capture_on_commit_callbacks)

    moves.refresh_from_db()
    stays.refresh_from_db()
    assert (moves.due_date, moves.due_provisional, moves.due_earliest) == (
        D(2027, 2, 22),
        False,
        None,
    )
    assert (stays.due_date, stays.due_provisional) == (D(2027, 1, 5), False)
    # History lines read right after the import: the old one says it was provisional then.
    confirmed.refresh_from_db()
    assert confirmed.text == "已确认收到申请，答复期限 2027年2月19日（当时暂定）"
    moved = moves.events.get(kind="due_recomputed")
    assert moved.public
    assert moved.text == (
        "根据国务院办公厅公布的节假日安排，"
        "答复期限由 2027年2月19日（当时暂定） 调整为 2027年2月22日"
    )
    assert stays.events.get(kind="due_recomputed").text == (
        "根据国务院办公厅公布的节假日安排，答复期限确定为 2027年1月5日"
    )
    # Only the applicant whose date moved gets an e-mail, in a neutral sentence.
    (mail,) = OutgoingEmail.objects.filter(subject__contains="答复期限调整")
    assert mail.to == ["zhangsan@example.com"] and moves.number in mail.subject
    assert "由 2027年2月19日（暂定） 调整为 2027年2月22日" in mail.body
    no_admin_words(mail.body)
    # Staff see what moved: case, old date, new date.
    notes = workbench_notes(cast, D(2027, 1, 21))
    assert notes["依申请公开：节假日安排调整了答复期限"] == ["原 2027-02-19 → 现 2027-02-22"]
    assert "依申请公开：答复期限暂定（待导入节假日安排）" not in notes
    # The applicant's status page: the new date, the receipt marked as superseded, no
    # administrator wording anywhere.
    with at(D(2027, 1, 21)):
        look_up(client, moves.number, code)
        page = text_of(
            client.get(reverse("applications_public:status_detail", args=[moves.number]))
        )
    assert "2027年2月22日" in page
    assert "本文书所载答复期限 2027年2月19日（当时暂定） 已调整为 2027年2月22日" in page
    no_admin_words(page)


def test_an_extension_is_refused_once_the_original_deadline_has_passed(cast):
    app = register(cast, D(2025, 9, 26))  # due 2025-10-30
    with at(D(2025, 10, 28)):
        extension = actions.application_extend(
            actor=cast.drafter, application=app, days=10, reason="需要调取档案"
        )
    with at(D(2025, 10, 31)), pytest.raises(ValidationError, match="已过，不能再批准延期"):
        casework.decide_extension(actor=cast.office_head, extension=extension, approve=True)
    app.refresh_from_db()
    assert app.due_date == D(2025, 10, 30)
    assert app.deadline_status(today=D(2025, 10, 31)) == "overdue"


def test_the_extension_letter_states_the_original_and_the_new_date(cast):
    app = register(cast, D(2026, 12, 7))  # 2027-01-05 (暂定)
    with at(D(2026, 12, 21)):
        extension = actions.application_extend(
            actor=cast.drafter, application=app, days=10, reason="需要调取档案"
        )
        casework.decide_extension(actor=cast.office_head, extension=extension, approve=True)
    letter = app.letters.get(kind=Letter.Kind.EXTENSION)
    assert "原答复期限（2027年1月5日（暂定：" in letter.body
    assert "本机关将在2027年1月19日（暂定：" in letter.body
    no_admin_words(letter.body + docx_text(letter))
    mail = OutgoingEmail.objects.get(subject__contains="延期答复")
    assert "原期限 2027年1月5日（暂定）" in mail.body
    no_admin_words(mail.body)


def test_old_history_text_with_the_administrator_instruction_is_cleaned(cast):
    migration = importlib.import_module(
        "gongkai.applications.migrations.0003_provisional_deadlines_and_dated_facts"
    )
    app = register(cast, D(2026, 12, 7))
    problem = "缺少 2027 年的节假日数据：请导入国务院办公厅 2027 年节假日安排通知"
    rows = [
        CaseEvent.objects.create(
            application=app,
            date=D(2026, 12, 7),
            kind="registered",
            public=True,
            summary=f"登记收到申请（当面），答复期限 {problem}",
        ),
        CaseEvent.objects.create(
            application=app,
            date=D(2026, 12, 7),
            kind="due_recomputed",
            public=True,
            summary="工作日历调整，答复期限由 未知 改为 2027-01-05",
            note=problem,
        ),
    ]

    class Apps:
        def get_model(self, app_label, name):
            from django.apps import apps

            return apps.get_model(app_label, name)

    migration.clean_history(Apps(), None)
    texts = [CaseEvent.objects.get(pk=r.pk) for r in rows]
    assert texts[0].summary == "登记收到申请（当面）"
    assert (texts[1].summary, texts[1].note) == ("工作日历调整，答复期限改为 2027-01-05", "")
