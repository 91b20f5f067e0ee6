"""Staff pages: who sees which case, the queues, registration by channel, and every step
refusing bad input with a message on its form (never a 500)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import actions, letters
from gongkai.applications.models import Application, Extension, Letter, Remedy, State
from tests.applications.conftest import D, applicant, at
from tests.applications.pagekit import iso, step, text_of
from tests.lib.files import make_pdf

PDF = make_pdf(["文件"])


@pytest.fixture(autouse=True)
def _pages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_ENABLED = False


def detail_url(app):
    return reverse("applications:detail", args=[app.pk])


# -- who sees what ----------------------------------------------------------------------------


def test_a_sibling_township_gets_404_everywhere(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    letter = letters.issue(actor=cast.drafter, application=app, key="receipt")
    client.force_login(cast.other_drafter)
    urls = [
        detail_url(app),
        reverse("applications:sign", args=[app.pk]),
        reverse("applications:receipt", args=[app.pk]),
        reverse("applications:letter", args=[app.pk, letter.pk]),
        reverse("applications:letter_download", args=[app.pk, letter.pk]),
        reverse("applications:identity", args=[app.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = step(client, app, "assign", department=cast.office.pk)
    assert response.status_code == 404
    listing = text_of(client.get(reverse("applications:case_list")))
    assert app.number not in listing
    app.refresh_from_db()
    assert app.state == State.REGISTERED


def test_the_township_and_the_city_see_the_case(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    for user in (cast.drafter, cast.leader, cast.admin):
        client.force_login(user)
        assert app.number in text_of(client.get(reverse("applications:case_list")))
        assert client.get(detail_url(app)).status_code == 200


def test_a_station_sees_only_the_cases_assigned_to_it(client, cast, make_app):
    mine = make_app(D(2026, 3, 2))
    other = make_app(D(2026, 3, 2), description="另一件申请")
    with at(D(2026, 3, 3)):
        actions.application_assign(actor=cast.drafter, application=mine, department=cast.station)
    client.force_login(cast.station_drafter)
    listing = text_of(client.get(reverse("applications:case_list")))
    assert mine.number in listing and other.number not in listing
    assert client.get(detail_url(other)).status_code == 404
    page = text_of(client.get(detail_url(mine)))
    assert 'id="step-draft"' in page and 'id="step-assign"' not in page


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    response = client.get(detail_url(app))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_menu_has_an_entry_for_staff(client, cast):
    client.force_login(cast.drafter)
    page = text_of(client.get(reverse("applications:case_list")))
    assert 'href="/staff/applications/"' in page


# -- queues -----------------------------------------------------------------------------------


def test_queues_follow_the_cases_state_and_deadlines(client, cast, make_app):
    with at(D(2026, 3, 2)):
        actions.application_submit_online(organ=cast.zhuwang, **applicant())
    old = make_app(D(2026, 2, 2))  # due 2026-03-09 (春节 15–23 February)
    soon = make_app(D(2026, 3, 3))
    correcting = make_app(D(2026, 3, 31))
    with at(D(2026, 3, 31)):
        actions.application_request_correction(
            actor=cast.drafter,
            application=correcting,
            items="请写明年度",
            period_end=D(2026, 4, 15),
        )
    consulting = make_app(D(2026, 3, 30))
    with at(D(2026, 3, 31)):
        actions.application_consult(
            actor=cast.drafter, application=consulting, party="third_party", party_name="某公司"
        )
    with at(D(2026, 3, 30)):
        client.force_login(cast.drafter)

        def queue(name):
            response = client.get(reverse("applications:case_list"), {"queue": name})
            return {row["app"].number for row in response.context["rows"]}

        assert queue("overdue") == {old.number}
        assert queue("due_soon") == {soon.number}
        assert len(queue("awaiting_confirmation")) == 1
    with at(D(2026, 3, 31)):
        client.force_login(cast.drafter)
        assert queue("correction") == {correcting.number}
        assert queue("consultation") == {consulting.number}
        page = text_of(client.get(reverse("applications:case_list"), {"queue": "overdue"}))
        assert "已超期" in page


def test_the_list_filters_by_text_and_state(client, cast, make_app):
    a = make_app(D(2026, 3, 2), applicant_name="李桂兰")
    b = make_app(D(2026, 3, 2), applicant_name="赵志刚")
    client.force_login(cast.drafter)
    response = client.get(reverse("applications:case_list"), {"q": "李桂兰"})
    assert [r["app"] for r in response.context["rows"]] == [a]
    response = client.get(reverse("applications:case_list"), {"state": "registered", "year": "x"})
    assert response.status_code == 200
    assert b.number in text_of(response)


# -- registration -----------------------------------------------------------------------------


def register_form(cast, **overrides):
    data = applicant()
    data.update({"organ": cast.zhuwang.pk, "channel": "in_person", "received_date": "2026-03-02"})
    data.update(overrides)
    return data


def test_staff_register_an_application_received_in_person(client, cast):
    with at(D(2026, 3, 3)):
        client.force_login(cast.drafter)
        response = client.post(reverse("applications:register"), register_form(cast))
        assert response.status_code == 302
        app = Application.objects.get()
        assert app.received_date == D(2026, 3, 2) and app.state == State.REGISTERED
        assert app.letters.get().kind == Letter.Kind.RECEIPT
        receipt = text_of(client.get(response["Location"]))
        assert "查询码" in receipt and "请现在打印回执" in receipt
        assert "只显示这一次，系统不保存" in receipt
        again = text_of(client.get(response["Location"]))
        assert 'data-testid="query-code"' not in again


def test_a_fax_without_a_date_waits_for_confirmation(client, cast):
    with at(D(2026, 3, 3)):
        client.force_login(cast.drafter)
        response = client.post(
            reverse("applications:register"), register_form(cast, channel="fax", received_date="")
        )
        assert response.status_code == 302
    app = Application.objects.get()
    assert app.state == State.PENDING_CONFIRMATION and not app.letters.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": "letter", "received_date": ""}, "received_date"),
        ({"received_date": "2026-03-09"}, "received_date"),  # in the future
        ({"received_date": "not a date"}, "received_date"),
        ({"channel": "online"}, "channel"),
        ({"id_doc_number": "110105194912310021"}, "id_doc_number"),
    ],
)
def test_registration_refuses_bad_input(client, cast, overrides, field):
    with at(D(2026, 3, 3)):
        client.force_login(cast.drafter)
        response = client.post(reverse("applications:register"), register_form(cast, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Application.objects.exists()


def test_staff_cannot_register_for_another_township(client, cast):
    client.force_login(cast.drafter)
    response = client.post(
        reverse("applications:register"), register_form(cast, organ=cast.other_township.pk)
    )
    assert response.status_code == 200 and "organ" in response.context["form"].errors
    client.force_login(cast.leader)
    assert client.get(reverse("applications:register")).status_code == 403


# -- steps refuse bad input with a message ------------------------------------------------------


def test_a_late_correction_notice_is_refused_on_its_form(client, cast, make_app):
    app = make_app(D(2026, 3, 2))  # the last day for a notice is 11 March
    with at(D(2026, 3, 12)):
        client.force_login(cast.drafter)
        response = step(
            client,
            app,
            "correction",
            items="请补正",
            notice_date=D(2026, 3, 12),
            period_end=D(2026, 3, 30),
        )
    assert response.status_code == 200
    errors = response.context["steps"]
    form = dict((s.name, f) for s, f in errors)["correction"]
    assert "7个工作日内" in " ".join(form.errors["notice_date"])
    assert response.context["open_step"] == "correction"
    app.refresh_from_db()
    assert app.state == State.REGISTERED


def test_a_partial_disclosure_without_a_redacted_file_is_refused(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        client.force_login(cast.drafter)
        response = client.post(
            reverse("applications:step", args=[app.pk, "draft"]),
            {
                "draft-decision": "3.2",
                "draft-legal_basis": "条例第三十七条",
                "draft-reasons": "含个人隐私",
                "draft-provided_files": [SimpleUploadedFile("a.pdf", PDF)],
            },
        )
    assert response.status_code == 200
    assert "区分处理" in text_of(response)
    app.refresh_from_db()
    assert app.state == State.REGISTERED and not app.files.exists()


def test_the_automatic_decisions_cannot_be_drafted(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        client.force_login(cast.drafter)
        response = step(client, app, "draft", decision="3.6.1", legal_basis="x", reasons="y")
    assert response.status_code == 200
    assert "decision" in dict((s.name, f) for s, f in response.context["steps"])["draft"].errors


def test_a_step_not_open_to_the_user_changes_nothing(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    client.force_login(cast.drafter)
    response = step(client, app, "sign_off", verdict="approve")
    assert response.status_code == 302
    assert "不能进行" in text_of(client.get(response["Location"]))
    assert client.post(reverse("applications:step", args=[app.pk, "nonsense"])).status_code == 404
    app.refresh_from_db()
    assert app.state == State.REGISTERED


def test_an_extension_is_asked_once_and_approved_by_the_office_head(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        client.force_login(cast.drafter)
        assert step(client, app, "extend", days=25, reason="x").status_code == 200
        assert step(client, app, "extend", days=20, reason="需要调取档案").status_code == 302
        page = text_of(client.get(detail_url(app)))
        assert 'id="step-extend"' not in page and 'id="step-extension_decide"' not in page
        client.force_login(cast.office_head)
        refused = step(client, app, "extension_decide", approve="0", note="")
        assert refused.status_code == 200 and "写明意见" in text_of(refused)
        assert (
            step(client, app, "extension_decide", approve="0", note="理由不充分").status_code == 302
        )
    ext = app.extensions.get()
    assert ext.status == Extension.Status.REFUSED and not app.letters.exists()


def test_the_leader_returns_a_draft_with_a_note(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        actions.application_draft_reply(
            actor=cast.drafter, application=app, decision="3.1", legal_basis="条例第三十六条"
        )
        client.force_login(cast.leader)
        no_note = client.post(
            reverse("applications:step", args=[app.pk, "sign_off"]),
            {"verdict": "return", "from": "sign"},
        )
        assert no_note.status_code == 200 and "退回时请写明意见" in text_of(no_note)
        response = client.post(
            reverse("applications:step", args=[app.pk, "sign_off"]),
            {"verdict": "return", "from": "sign", "sign_off-note": "理由写得不清楚"},
        )
        assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.PROCESSING and not app.letters.exists()


def test_fee_notice_payment_and_the_letter(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        client.force_login(cast.drafter)
        bad = step(
            client,
            app,
            "fee",
            method="per_page",
            quantity=10,
            notice_date=D(2026, 3, 3),
            payment_days=20,
        )
        assert bad.status_code == 200 and "免费范围" in text_of(bad)
        ok = step(
            client,
            app,
            "fee",
            method="per_page",
            quantity=120,
            notice_date=D(2026, 3, 3),
            payment_days=20,
        )
        assert ok.status_code == 302
        letter = app.letters.get(kind=Letter.Kind.FEE)
        assert "1100.00元" in letter.body  # 70 pages at 10 + 20 pages at 20
        assert "行政诉讼" in letter.body
    with at(D(2026, 3, 5)):
        client.force_login(cast.drafter)  # signed out after a day of inactivity
        assert step(client, app, "fee_paid", paid_date=D(2026, 3, 5)).status_code == 302
    app.refresh_from_db()
    assert app.state == State.REGISTERED and app.fee.paid_date == D(2026, 3, 5)


def test_withdrawal_excessive_requests_files_promotion_and_remedies(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 4)):
        client.force_login(cast.office_head)
        assert step(client, app, "excessive_notice", notice_date=D(2026, 3, 3)).status_code == 302
        response = step(
            client,
            app,
            "excessive",
            outcome="holds",
            new_due_date=D(2026, 6, 30),
            reason="一月内申请50件",
        )
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.due_date == D(2026, 6, 30)
        client.force_login(cast.drafter)
        upload = SimpleUploadedFile("材料.pdf", PDF)
        response = client.post(
            reverse("applications:step", args=[app.pk, "add_file"]),
            {"add_file-file": upload, "add_file-purpose": "material"},
        )
        assert response.status_code == 302 and app.files.get().name == "材料.pdf"
        fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf")
        response = client.post(
            reverse("applications:step", args=[app.pk, "add_file"]),
            {"add_file-file": fake, "add_file-purpose": "material"},
        )
        assert response.status_code == 200 and app.files.count() == 1
        response = step(
            client,
            app,
            "promote",
            title="诸往镇农村危房改造补助对象名单",
            formed_date=D(2026, 3, 1),
            summary="",
        )
        assert response.status_code == 302
        response = step(client, app, "withdraw", withdrawal_date=D(2026, 3, 4), reason="已自行获取")
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.state == State.CLOSED and app.decision == "3.6.3"
        response = step(
            client,
            app,
            "remedy",
            kind="reconsideration",
            filed_date=D(2026, 3, 4),
            body="乳山市人民政府",
            case_number="乳政复〔2026〕1号",
        )
        assert response.status_code == 302
        remedy = Remedy.objects.get()
        missing_date = step(client, app, "remedy_result", remedy=remedy.pk, result="upheld")
        assert missing_date.status_code == 200
        response = step(
            client,
            app,
            "remedy_result",
            remedy=remedy.pk,
            result="upheld",
            result_date=D(2026, 3, 4),
        )
        assert response.status_code == 302
        remedy.refresh_from_db()
        assert remedy.result == "upheld"
        assert step(client, app, "archive").status_code == 302
    from gongkai.catalog.models import ItemVersion

    assert ItemVersion.objects.filter(title="诸往镇农村危房改造补助对象名单").exists()


def test_an_online_submission_can_be_discarded_with_a_reason(client, cast):
    with at(D(2026, 3, 2)):
        app = actions.application_submit_online(organ=cast.zhuwang, **applicant()).application
        client.force_login(cast.drafter)
        assert step(client, app, "discard", reason="").status_code == 200
        assert step(client, app, "discard", reason="重复提交").status_code == 302
    app.refresh_from_db()
    assert app.state == State.DISCARDED


def test_garbage_in_every_form_is_a_form_error(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    client.force_login(cast.drafter)
    with at(D(2026, 3, 3)):
        for name in (
            "correction",
            "assign",
            "consult",
            "extend",
            "fee",
            "draft",
            "withdraw",
            "add_file",
            "promote",
            "remedy",
        ):
            data = {
                f"{name}-{k}": "\x00<script>"
                for k in ("date", "days", "department", "notice_date", "period_end")
            }
            response = client.post(reverse("applications:step", args=[app.pk, name]), data)
            assert response.status_code in (200, 302), name
    app.refresh_from_db()
    assert app.state == State.REGISTERED


def test_the_detail_page_shows_letter_links_and_iso_dates(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    letter = letters.issue(
        actor=cast.drafter, application=app, key="receipt", issued_date=D(2026, 3, 2)
    )
    client.force_login(cast.drafter)
    page = text_of(client.get(detail_url(app)))
    assert reverse("applications:letter_download", args=[app.pk, letter.pk]) in page
    assert iso(D(2026, 3, 2)) in page
    view = client.get(reverse("applications:letter", args=[app.pk, letter.pk]))
    assert "政府信息公开申请登记回执" in text_of(view)
