import secrets

import pytest

from gongkai.accounts.models import ApiToken
from gongkai.interaction.models import HotlineCall, Letter, LetterStatus
from tests.interaction.conftest import answered, published, submit


def token_for(user) -> str:
    token = f"tok-{user.username}-{secrets.token_hex(16)}"
    ApiToken.objects.create(
        user=user, digest=ApiToken.digest_of(token), prefix=token[:8], scope="interaction"
    )
    return token


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}


def test_the_public_list_pages_and_filters(client, cast):
    for n in range(3):
        published(cast, subject=f"第{n}封信")
    body = client.get("/api/v1/mailbox/letters", {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    first = body["results"][0]
    assert set(first) == {
        "id",
        "unit",
        "unit_code",
        "subject",
        "content",
        "reply",
        "reply_unit",
        "received_date",
        "answered_date",
        "published_date",
        "attachment_url",
        "url",
    }
    assert first["unit"] == "乳山市诸往镇人民政府"
    assert client.get("/api/v1/mailbox/letters", {"unit": "xiacun"}).json()["count"] == 0
    assert client.get("/api/v1/mailbox/letters", {"unit": "zhuwang"}).json()["count"] == 3
    assert client.get("/api/v1/mailbox/letters", {"unit": "nowhere"}).status_code == 400


@pytest.mark.parametrize(
    "params",
    [{"page": "-1"}, {"page_size": "100000"}, {"q": "'; drop"}, {"year": "abc"}, {"q": "x" * 5000}],
)
def test_odd_queries_never_fail_with_500(client, cast, params):
    published(cast)
    assert client.get("/api/v1/mailbox/letters", params).status_code in {200, 400, 422}


def test_the_openapi_description_lists_the_mailbox(client, cast):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/mailbox/letters" in schema["paths"]


def test_staff_calls_need_a_token(client, cast):
    assert client.get("/api/v1/mailbox/staff/letters").status_code == 401


def test_staff_answer_and_publish_through_the_api(client, cast):
    letter = submit(cast.zhuwang).letter
    body = client.get("/api/v1/mailbox/staff/letters", **auth(cast.drafter)).json()
    assert body["results"][0]["writer_name"] == "王秀英"
    answered_ = client.post(
        f"/api/v1/mailbox/staff/letters/{letter.pk}/answer",
        {"reply": "已修好。"},
        content_type="application/json",
        **auth(cast.drafter),
    )
    assert answered_.status_code == 200
    assert answered_.json()["status"] == "answered"
    version = client.get(
        f"/api/v1/mailbox/staff/letters/{letter.pk}/public-version", **auth(cast.leader)
    ).json()
    assert "王秀英" not in version["public_content"]
    payload = {k: version[k] for k in ("public_subject", "public_content", "public_reply")}
    refused = client.post(
        f"/api/v1/mailbox/staff/letters/{letter.pk}/publish",
        payload,
        content_type="application/json",
        **auth(cast.drafter),
    )
    assert refused.status_code == 403
    done = client.post(
        f"/api/v1/mailbox/staff/letters/{letter.pk}/publish",
        payload,
        content_type="application/json",
        **auth(cast.leader),
    )
    assert done.status_code == 200
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.PUBLISHED
    bad = client.post(
        f"/api/v1/mailbox/staff/letters/{letter.pk}/publish",
        payload,
        content_type="application/json",
        **auth(cast.leader),
    )
    assert bad.status_code == 400
    assert "不能" in bad.json()["detail"]


def test_a_sibling_township_sees_no_letters_through_the_api(client, cast):
    letter = answered(cast)
    assert (
        client.get("/api/v1/mailbox/staff/letters", **auth(cast.other_drafter)).json()["count"] == 0
    )
    assert (
        client.get(
            f"/api/v1/mailbox/staff/letters/{letter.pk}", **auth(cast.other_drafter)
        ).status_code
        == 404
    )


def test_hotline_calls_are_recorded_through_the_api(client, cast):
    letter = submit(cast.zhuwang).letter
    response = client.post(
        "/api/v1/hotline/calls",
        {
            "unit_code": "zhuwang",
            "topic": "路灯",
            "summary": "询问路灯维修进度",
            "letter_number": letter.number,
            "follow_up_needed": True,
        },
        content_type="application/json",
        **auth(cast.drafter),
    )
    assert response.status_code == 201
    assert response.json()["letter_number"] == letter.number
    assert HotlineCall.objects.get().recorded_by == cast.drafter
    refused = client.post(
        "/api/v1/hotline/calls",
        {"unit_code": "zhuwang", "topic": "x", "summary": "y"},
        content_type="application/json",
        **auth(cast.other_drafter),
    )
    assert refused.status_code == 403


def test_visits_and_mailbox_settings_through_the_api(client, cast):
    from gongkai.interaction.models import MailboxSettings, ReadingVisit

    created = client.post(
        "/api/v1/reading-point/visits",
        {"unit_code": "zhuwang", "sought": "财政预算", "copies_pages": 2},
        content_type="application/json",
        **auth(cast.drafter),
    )
    assert created.status_code == 201
    visit_id = created.json()["id"]
    changed = client.put(
        f"/api/v1/reading-point/visits/{visit_id}",
        {"unit_code": "zhuwang", "sought": "财政预算和决算", "copies_pages": 5},
        content_type="application/json",
        **auth(cast.drafter),
    )
    assert changed.status_code == 200
    assert ReadingVisit.objects.get().copies_pages == 5
    url = "/api/v1/mailbox/settings/zhuwang"
    body = {"is_open": True, "title": "镇长信箱", "handler_role": "office_reviewer", "intro": ""}
    assert (
        client.put(url, body, content_type="application/json", **auth(cast.drafter)).status_code
        == 403
    )
    assert (
        client.put(url, body, content_type="application/json", **auth(cast.office_head)).status_code
        == 200
    )
    assert MailboxSettings.objects.get(unit=cast.zhuwang).handler_role == "office_reviewer"
    bad = client.put(
        url,
        {**body, "handler_role": "mayor"},
        content_type="application/json",
        **auth(cast.office_head),
    )
    assert bad.status_code == 400


def test_a_nul_character_is_refused_in_addresses_and_removed_from_bodies(client, cast):
    published(cast)
    assert client.get("/api/v1/mailbox/letters", {"q": "路\x00灯"}).status_code == 400
    assert client.get("/api/v1/mailbox/letters", {"unit": "zhu\x00wang"}).status_code == 400
    letter = submit(cast.zhuwang).letter
    response = client.post(
        f"/api/v1/mailbox/staff/letters/{letter.pk}/answer",
        {"reply": "好\x00的"},
        content_type="application/json",
        **auth(cast.drafter),
    )
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.reply == "好的"
    response = client.post(
        "/api/v1/hotline/calls",
        {"unit_code": "zhu\x00wang", "topic": "t\x01", "summary": "s"},
        content_type="application/json",
        **auth(cast.drafter),
    )
    assert response.status_code == 201, response.content
    assert response.json()["topic"] == "t"
