"""The staff API of applications: the same steps and letters as the pages, the same
permissions, and refusals as 400/403/404 with a message (never a 500)."""

from __future__ import annotations

import pytest

from gongkai.accounts.actions import token_create
from gongkai.applications.models import Application, Letter, State
from tests.applications.conftest import D, applicant, at
from tests.lib.files import make_pdf

PREFIX = "/api/v1/applications"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def auth(user) -> dict[str, str]:
    _row, token = token_create(actor=None, user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, path, user, body=None):
    return client.post(PREFIX + path, body or {}, content_type="application/json", **auth(user))


def test_calls_without_a_token_are_refused(client, cast):
    assert client.get(PREFIX).status_code == 401


def test_a_case_goes_through_the_main_steps_by_api(client, cast):
    with at(D(2026, 3, 2)):
        body = {
            **applicant(),
            "organ": "zhuwang",
            "channel": "in_person",
            "received_date": "2026-03-02",
        }
        response = post(client, "", cast.drafter, body)
        assert response.status_code == 201, response.content
        data = response.json()
        assert len(data["query_code"]) == 14
        case = data["case"]
        assert case["due_date"] == "2026-03-30" and case["state"] == "registered"
        assert [letter["kind"] for letter in case["letters"]] == ["receipt"]
        cid = case["id"]
    with at(D(2026, 3, 4)):
        response = post(
            client,
            f"/{cid}/correction",
            cast.drafter,
            {"items": "请写明年度", "period_end": "2026-03-20"},
        )
        assert response.json()["state"] == "correction"
    with at(D(2026, 3, 10)):
        response = post(
            client, f"/{cid}/correction/received", cast.drafter, {"received_date": "2026-03-10"}
        )
        assert response.json()["due_date"] == "2026-04-08"
        assert (
            post(
                client, f"/{cid}/assign", cast.drafter, {"department": "zhuwang-office"}
            ).status_code
            == 200
        )
    with at(D(2026, 3, 12)):
        response = post(
            client,
            f"/{cid}/consultations",
            cast.drafter,
            {"party": "other_organ", "party_name": "乳山市农业农村局", "delivery": "email"},
        )
        consultation = response.json()["consultations"][0]
        assert consultation["due_date"] == "2026-04-02"
    with at(D(2026, 3, 17)):
        response = post(
            client,
            f"/{cid}/consultations/{consultation['id']}/reply",
            cast.drafter,
            {"reply_date": "2026-03-17", "opinion": "consent"},
        )
        assert response.json()["due_date"] == "2026-04-13"
    with at(D(2026, 3, 18)):
        assert (
            post(
                client, f"/{cid}/extension", cast.drafter, {"days": 10, "reason": "需核对"}
            ).status_code
            == 200
        )
        refused = post(client, f"/{cid}/extension/decision", cast.drafter, {"approve": True})
        assert refused.status_code == 403
        response = post(client, f"/{cid}/extension/decision", cast.office_head, {"approve": True})
        assert response.json()["due_date"] == "2026-04-27"
    with at(D(2026, 3, 25)):
        response = post(
            client,
            f"/{cid}/reply",
            cast.drafter,
            {"decision": "3.3.6", "legal_basis": "条例第十六条第二款", "reasons": "属于过程性信息"},
        )
        assert response.json()["state"] == "awaiting_sign_off"
    with at(D(2026, 3, 26)):
        response = post(client, f"/{cid}/sign-off", cast.leader, {"approve": True})
        assert response.json()["state"] == "signed"
        refusal = next(x for x in response.json()["letters"] if x["kind"] == "refusal")
        download = client.get(refusal["docx_url"], **auth(cast.drafter))
        assert download.status_code == 200
    with at(D(2026, 3, 27)):
        response = post(
            client,
            f"/{cid}/replied",
            cast.drafter,
            {"reply_date": "2026-03-27", "delivery": "mail"},
        )
        assert response.json()["state"] == "replied"
        assert post(client, f"/{cid}/archive", cast.drafter).json()["state"] == "archived"
    app = Application.objects.get(pk=cid)
    assert app.state == State.ARCHIVED
    assert set(app.letters.values_list("kind", flat=True)) == {
        Letter.Kind.RECEIPT, Letter.Kind.CORRECTION, Letter.Kind.CONSULTATION,
        Letter.Kind.EXTENSION, Letter.Kind.REFUSAL,
    }  # fmt: skip


def test_refusals_are_400_with_the_actions_message(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 12)):
        response = post(
            client,
            f"/{app.pk}/correction",
            cast.drafter,
            {"items": "x", "period_end": "2026-03-30", "notice_date": "2026-03-12"},
        )
    assert response.status_code == 400 and "7个工作日" in response.json()["detail"]
    bad_date = post(client, f"/{app.pk}/fee/paid", cast.drafter, {"paid_date": "yesterday"})
    assert bad_date.status_code in (400, 422)
    wrong_state = post(client, f"/{app.pk}/archive", cast.drafter)
    assert wrong_state.status_code == 400 and "不能进行此操作" in wrong_state.json()["detail"]


def test_another_township_gets_404_and_sees_no_cases(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    assert client.get(f"{PREFIX}/{app.pk}", **auth(cast.other_drafter)).status_code == 404
    assert post(client, f"/{app.pk}/archive", cast.other_drafter).status_code == 404
    listing = client.get(PREFIX, **auth(cast.other_drafter)).json()
    assert listing["count"] == 0
    mine = client.get(PREFIX, {"queue": "open"}, **auth(cast.drafter)).json()
    assert [c["number"] for c in mine["results"]] == [app.number]
    assert client.get(PREFIX, {"queue": "bogus"}, **auth(cast.drafter)).status_code == 400


def test_registering_for_an_unknown_organ_or_with_a_bad_id_is_refused(client, cast):
    body = {
        **applicant(),
        "organ": "nowhere",
        "channel": "in_person",
        "received_date": "2026-03-02",
    }
    assert post(client, "", cast.drafter, body).status_code == 400
    body = {**body, "organ": "zhuwang", "id_doc_number": "110105194912310021"}
    response = post(client, "", cast.drafter, body)
    assert response.status_code == 400 and "校验位" in response.json()["detail"]
    assert not Application.objects.exists()


def test_files_are_uploaded_by_content_type_and_listed_in_openapi(client, cast, make_app):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = make_app(D(2026, 3, 2))
    good = SimpleUploadedFile("名单.pdf", make_pdf(["名单"]), "application/pdf")
    response = client.post(
        f"{PREFIX}/{app.pk}/files", {"file": good, "redacted": "true"}, **auth(cast.drafter)
    )
    assert response.status_code == 200, response.content
    assert app.files.get().redacted
    bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf")
    response = client.post(f"{PREFIX}/{app.pk}/files", {"file": bad}, **auth(cast.drafter))
    assert response.status_code == 400 and app.files.count() == 1
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/applications/{case_id}/sign-off" in paths


def test_the_delivery_of_a_consultation_letter_is_recorded_by_api(client, cast):
    from tests.applications.conftest import register

    app = register(cast, D(2025, 9, 26))
    with at(D(2025, 10, 9)):
        response = post(
            client,
            f"/{app.pk}/consultations",
            cast.drafter,
            {"party": "third_party", "party_name": "乳山市某公司", "delivery": "mail"},
        )
        consultation = response.json()["consultations"][0]
        # By post, delivery is assumed on the third working day (10/13); 15 WD from there.
        assert (consultation["delivery"], consultation["due_date"]) == ("mail", "2025-11-03")
    with at(D(2025, 10, 14)):
        response = post(
            client,
            f"/{app.pk}/consultations/{consultation['id']}/delivered",
            cast.drafter,
            {"delivered_date": "2025-10-14"},
        )
    assert response.status_code == 200
    consultation = response.json()["consultations"][0]
    assert (consultation["delivered_date"], consultation["due_date"]) == (
        "2025-10-14",
        "2025-11-04",
    )
