"""The whole path through the pages, on a frozen clock: an online application, confirmed,
corrected, a third party consulted, the deadline extended, a partial disclosure drafted with a
redacted file, signed by the leader, delivered and archived. Each step checks what the next
person sees: the state, the due date on the case page and the letters issued."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.models import Application, Letter, State
from tests.applications.conftest import D, at
from tests.applications.pagekit import online_form, step, text_of
from tests.lib.files import make_pdf

PDF = make_pdf(["身份证明"])


@pytest.fixture(autouse=True)
def _pages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_TEST_MODE = True
    settings.RATELIMIT_ENABLED = False


def test_an_online_application_goes_all_the_way_to_the_archive(client, cast):
    zhuwang = cast.zhuwang

    # Monday 2 March 2026: a citizen applies online.
    with at(D(2026, 3, 2), hour=9):
        response = client.post(
            reverse("applications_public:apply", args=[zhuwang.code]), online_form()
        )
        assert response.status_code == 302
        receipt = client.get(response["Location"])
        page = text_of(receipt)
        app = Application.objects.get()
        assert app.number in page and "查询码" in page
        assert "确认收到申请之日为收到申请之日" in page
        assert app.state == State.PENDING_CONFIRMATION and app.received_date is None

        # The office confirms receipt the same day: the 登记回执 is issued.
        client.force_login(cast.drafter)
        response = step(client, app, "confirm", confirmed_date=D(2026, 3, 2))
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.state == State.REGISTERED
        assert app.received_date == D(2026, 3, 2)
        assert app.due_date == D(2026, 3, 30)
        assert app.letters.get().kind == Letter.Kind.RECEIPT

    # Wednesday 4 March: the request is unclear; one correction notice, period to 20 March.
    with at(D(2026, 3, 4)):
        client.force_login(cast.drafter)
        response = step(
            client,
            app,
            "correction",
            items="请写明所需名单的年度和村别。",
            notice_date=D(2026, 3, 4),
            period_end=D(2026, 3, 20),
        )
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.state == State.CORRECTION and app.due_date is None
        letter = app.letters.get(kind=Letter.Kind.CORRECTION)
        assert "请写明所需名单的年度和村别。" in letter.body
        assert "2026年3月20日" in letter.body

    # Tuesday 10 March: the corrected application arrives; the 20 WD start again.
    with at(D(2026, 3, 10)):
        client.force_login(cast.drafter)
        response = step(
            client,
            app,
            "correction_received",
            received_date=D(2026, 3, 10),
            corrected_description="2025年度诸往镇西村农村危房改造补助对象名单",
        )
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.state == State.REGISTERED
        assert app.due_date == D(2026, 4, 8)  # 清明 4–6 April does not count

        # Handed to the office (党政办).
        response = step(client, app, "assign", department=cast.office.pk)
        assert response.status_code == 302

    # Thursday 12 March: the list names people; the third party is asked.
    with at(D(2026, 3, 12)):
        client.force_login(cast.drafter)
        response = step(
            client,
            app,
            "consult",
            party="third_party",
            party_name="诸往镇西村村民委员会",
            question="名单中的身份证号码和住址是否同意公开。",
            sent_date=D(2026, 3, 12),
            delivery="in_person",
        )
        assert response.status_code == 302
        letter = app.letters.get(kind=Letter.Kind.CONSULTATION)
        assert letter.body.startswith("诸往镇西村村民委员会：")
        assert "15个工作日" in letter.body

    # Tuesday 17 March: the opinion arrives; 13–17 March (3 WD) are excluded.
    with at(D(2026, 3, 17)):
        client.force_login(cast.drafter)
        consultation = app.consultations.get()
        response = step(
            client,
            app,
            "consultation_reply",
            consultation=consultation.pk,
            reply_date=D(2026, 3, 17),
            opinion="partial",
            opinion_text="同意公开姓名和补助金额，不同意公开身份证号码。",
        )
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.due_date == D(2026, 4, 13)

    # Wednesday 18 March: an extension of 10 WD, approved by the 公开办负责人.
    with at(D(2026, 3, 18)):
        client.force_login(cast.drafter)
        response = step(client, app, "extend", days=10, reason="需要对名单逐户核对并作区分处理")
        assert response.status_code == 302
        client.force_login(cast.office_head)
        detail = client.get(reverse("applications:detail", args=[app.pk]))
        assert "审批延期" in text_of(detail)
        response = step(client, app, "extension_decide", approve="1", note="同意")
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.due_date == D(2026, 4, 27)
        letter = app.letters.get(kind=Letter.Kind.EXTENSION)
        assert "延长10个工作日" in letter.body and "2026年4月27日" in letter.body
        assert "2026年4月13日" in letter.body  # the deadline before the extension

    # Wednesday 25 March: a partial disclosure drafted with the redacted list.
    with at(D(2026, 3, 25)):
        client.force_login(cast.drafter)
        redacted = SimpleUploadedFile("名单（删除身份证号）.pdf", PDF, "application/pdf")
        response = client.post(
            reverse("applications:step", args=[app.pk, "draft"]),
            {
                "draft-decision": "3.2",
                "draft-legal_basis": "《中华人民共和国政府信息公开条例》第十五条、第三十七条",
                "draft-reasons": "名单中的身份证号码属于个人隐私，已删除后提供。",
                "draft-provided_files": [redacted],
                "draft-redacted": "on",
            },
        )
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.state == State.AWAITING_SIGN_OFF
        assert app.files.get().redacted

    # Thursday 26 March: the leader signs on the sign-off page; the letter is issued.
    with at(D(2026, 3, 26)):
        client.force_login(cast.leader)
        sign_page = client.get(reverse("applications:sign", args=[app.pk]))
        assert "政府信息部分公开告知书" in text_of(sign_page)
        response = client.post(
            reverse("applications:step", args=[app.pk, "sign_off"]),
            {"verdict": "approve", "from": "sign", "sign_off-reference": "诸政信告〔2026〕3号"},
        )
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.state == State.SIGNED
        letter = app.letters.get(kind=Letter.Kind.PARTIAL)
        assert letter.reference == "诸政信告〔2026〕3号"
        assert letter.issued_date == D(2026, 3, 26)
        assert "名单（删除身份证号）.pdf（已作区分处理）" in letter.body

    # Friday 27 March: delivered by mail; Monday 30 March: archived.
    with at(D(2026, 3, 27)):
        client.force_login(cast.drafter)
        response = step(client, app, "replied", reply_date=D(2026, 3, 27), delivery="mail")
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.state == State.REPLIED and app.concluded_date == D(2026, 3, 27)
    with at(D(2026, 3, 30)):
        client.force_login(cast.drafter)
        response = step(client, app, "archive")
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.state == State.ARCHIVED
        detail = text_of(client.get(reverse("applications:detail", args=[app.pk])))
        assert "已归档" in detail
        assert "登记行政复议/诉讼" in detail and "step-archive" not in detail
    kinds = list(app.letters.values_list("kind", flat=True))
    assert kinds == ["receipt", "correction", "consultation", "extension", "partial"]


def test_the_case_page_shows_the_clock_and_the_timeline(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 5)):
        client.force_login(cast.drafter)
        page = text_of(client.get(reverse("applications:detail", args=[app.pk])))
    assert "2026-03-30" in page  # the due date
    assert "还剩 17 个工作日" in page
    assert "2026-03-11" in page  # the last day for a correction notice
    assert "登记收到申请" in page  # the timeline


def test_a_case_into_a_year_without_a_notice_shows_a_provisional_date(client, cast, make_app):
    app = make_app(D(2026, 12, 10))
    with at(D(2026, 12, 11)):
        client.force_login(cast.drafter)
        page = text_of(client.get(reverse("applications:detail", args=[app.pk])))
    assert "2027-01-08（暂定）" in page
    assert "2027 年的节假日安排尚未公布" in page
    # The alarm is conservative and says so.
    assert "最早为 2027-01-04" in page and "从严提醒" in page
    assert "无法计算" not in page
