"""No personal data of a writer ever reaches the public pages or the public API."""

import json

import pytest
from django.urls import reverse

from gongkai.interaction import actions
from gongkai.interaction.publication import proposed_public_version
from tests.interaction.conftest import ID_NUMBER, WRITER, answered, png_upload, published, submit

PERSONAL = [
    WRITER["writer_name"],
    WRITER["writer_phone"],
    WRITER["writer_email"],
    ID_NUMBER,
    "139 0545 1234",
    "1390545",
]


def public_surfaces(client, letter) -> dict[str, str]:
    return {
        "index": client.get(reverse("interaction:index")).content.decode(),
        "list": client.get(reverse("interaction:letters_public")).content.decode(),
        "search": client.get(reverse("interaction:letters_public"), {"q": "路灯"}).content.decode(),
        "detail": client.get(
            reverse("interaction:letter_public", args=[letter.pk])
        ).content.decode(),
        "api list": client.get("/api/v1/mailbox/letters").content.decode(),
        "api detail": client.get(f"/api/v1/mailbox/letters/{letter.pk}").content.decode(),
    }


def test_a_published_exchange_shows_no_personal_data_of_the_writer(client, cast):
    letter = published(
        cast,
        content=f"我叫王秀英，身份证{ID_NUMBER}，手机 139 0545 1234，邮箱 wangxiuying@example.com，"
        "村西头路灯坏了。",
        attachment=png_upload("王秀英-身份证.png"),
    )
    surfaces = public_surfaces(client, letter)
    assert "路灯" in surfaces["detail"]
    assert json.loads(surfaces["api list"])["count"] == 1
    for name, text in surfaces.items():
        decoded = (
            json.dumps(json.loads(text), ensure_ascii=False) if name.startswith("api") else text
        )
        for personal in PERSONAL:
            assert personal not in decoded, (name, personal)
        assert "身份证.png" not in decoded
        assert "fujian" not in decoded  # the attachment was not approved for publication


def test_unpublished_letters_are_nowhere_in_public(client, cast):
    answered(cast, subject="只答复未公开的信")
    submit(cast.zhuwang, subject="尚未答复的信")
    pending = answered(cast, subject="待审核的信")
    actions.letter_request_publication(
        actor=cast.drafter, letter=pending, texts=proposed_public_version(pending)
    )
    for path in [
        reverse("interaction:letters_public"),
        reverse("interaction:index"),
        "/api/v1/mailbox/letters",
    ]:
        text = client.get(path).content.decode()
        for subject in ["只答复未公开的信", "尚未答复的信", "待审核的信"]:
            assert subject not in text
    for letter_id in [pending.pk]:
        assert client.get(reverse("interaction:letter_public", args=[letter_id])).status_code == 404
        assert client.get(f"/api/v1/mailbox/letters/{letter_id}").status_code == 404


def test_a_published_letters_original_attachment_stays_private_unless_approved(client, cast):
    letter = published(cast, attachment=png_upload())
    url = reverse("interaction:letter_public_attachment", args=[letter.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("interaction:staff_letter_attachment", args=[letter.pk])).status_code
        == 302
    )


@pytest.mark.parametrize("field", ["public_subject", "public_content", "public_reply"])
def test_the_database_constraint_keeps_personal_data_out_even_if_a_caller_tries(cast, field):
    letter = answered(cast)
    texts = {**proposed_public_version(letter), field: f"王秀英 {ID_NUMBER}"}
    with pytest.raises(Exception, match="个人信息"):
        actions.letter_publish(actor=cast.leader, letter=letter, texts=texts)
