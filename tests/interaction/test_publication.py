import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.interaction import actions, redaction
from gongkai.interaction.models import Letter, LetterStatus
from gongkai.interaction.publication import proposed_public_version, publication_findings
from tests.interaction.conftest import ID_NUMBER, answered, png_upload, submit


def test_the_proposed_public_version_hides_the_writer_and_numbers(cast):
    letter = answered(cast)
    texts = proposed_public_version(letter)
    joined = " ".join(texts.values())
    for personal in ["王秀英", "13905451234", ID_NUMBER, "wangxiuying@example.com"]:
        assert personal not in joined
    assert "某某" in texts["public_content"]
    assert "某某您好" in texts["public_reply"]
    assert not [f for f in publication_findings(letter, texts) if f.severity == "high"]


def test_the_organs_own_hotline_stays_in_the_reply(cast):
    cast.zhuwang.phone = "0631-6366000"
    cast.zhuwang.save()
    letter = answered(cast)
    assert "0631-6366000" in proposed_public_version(letter)["public_reply"]


def test_redaction_catches_full_width_digits_and_spaced_numbers():
    text = "手机１３９０５４５１２３４，卡号 6222 0212 3456 7890 128，座机 6123456"
    out = redaction.redact(text)
    assert "１３９０５４５１２３４" not in out
    assert "6222 0212" not in out
    assert "6123456" not in out


def test_a_clerk_submits_and_a_leader_approves(cast):
    letter = answered(cast)
    texts = proposed_public_version(letter)
    actions.letter_request_publication(actor=cast.drafter, letter=letter, texts=texts)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.PUBLICATION_PENDING
    with pytest.raises(PermissionDenied):
        actions.letter_publish(actor=cast.drafter, letter=letter)
    letter = actions.letter_publish(actor=cast.leader, letter=letter)
    assert letter.status == LetterStatus.PUBLISHED
    assert letter.published_by == cast.leader
    assert letter.public_subject == texts["public_subject"]


def test_a_leader_may_edit_the_public_version_while_approving(cast):
    letter = answered(cast)
    texts = {**proposed_public_version(letter), "public_reply": "路灯已修复。"}
    letter = actions.letter_publish(actor=cast.leader, letter=letter, texts=texts)
    assert letter.public_reply == "路灯已修复。"


def test_personal_data_left_in_the_public_version_blocks_publication(cast):
    letter = answered(cast)
    base = proposed_public_version(letter)
    for bad in [
        "王秀英反映路灯问题",
        f"身份证{ID_NUMBER}",
        "电话139 0545 1234",
        "邮箱 WangXiuYing@Example.com",
        "联系 13812345678",
    ]:
        with pytest.raises(ValidationError) as exc:
            actions.letter_publish(
                actor=cast.leader, letter=letter, texts={**base, "public_content": bad}
            )
        assert "个人信息" in exc.value.messages[0]
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.ANSWERED


def test_without_the_writers_consent_nothing_is_published(cast):
    letter = answered(cast, consent_publish=False)
    with pytest.raises(ValidationError):
        actions.letter_publish(
            actor=cast.leader, letter=letter, texts=proposed_public_version(letter)
        )
    with pytest.raises(ValidationError):
        actions.letter_request_publication(
            actor=cast.drafter, letter=letter, texts=proposed_public_version(letter)
        )


def test_an_unanswered_letter_cannot_be_published(cast, letter):
    with pytest.raises(actions.TransitionError):
        actions.letter_publish(
            actor=cast.leader,
            letter=letter,
            texts={"public_subject": "a", "public_content": "b", "public_reply": "c"},
        )


def test_the_leader_returns_a_request_with_a_reason(cast):
    letter = answered(cast)
    actions.letter_request_publication(
        actor=cast.drafter, letter=letter, texts=proposed_public_version(letter)
    )
    with pytest.raises(ValidationError):
        actions.letter_return_publication(actor=cast.leader, letter=letter, note=" ")
    actions.letter_return_publication(actor=cast.leader, letter=letter, note="地址还能认出人")
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.ANSWERED


def test_unpublishing_takes_it_off_the_public_list(client, cast):
    letter = answered(cast)
    actions.letter_publish(actor=cast.leader, letter=letter, texts=proposed_public_version(letter))
    url = reverse("interaction:letter_public", args=[letter.pk])
    assert client.get(url).status_code == 200
    actions.letter_unpublish(actor=cast.leader, letter=letter, reason="来信人要求撤下")
    assert client.get(url).status_code == 404
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.ANSWERED


def test_an_attachment_goes_public_only_when_approved_and_checked(client, cast):
    letter = submit(cast.zhuwang, attachment=png_upload()).letter
    letter = actions.letter_answer(actor=cast.leader, letter=letter, reply="已收到照片。")
    texts = proposed_public_version(letter)
    with pytest.raises(ValidationError) as exc:
        actions.letter_publish(
            actor=cast.leader,
            letter=letter,
            texts=texts,
            publish_attachment=True,
            attachment_checked=False,
        )
    assert "逐页查看" in str(exc.value)
    actions.letter_publish(actor=cast.leader, letter=letter, texts=texts)
    url = reverse("interaction:letter_public_attachment", args=[letter.pk])
    assert client.get(url).status_code == 404
    actions.letter_unpublish(actor=cast.leader, letter=letter, reason="重新审核附件")
    actions.letter_publish(
        actor=cast.leader,
        letter=letter,
        texts=texts,
        publish_attachment=True,
        attachment_checked=True,
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "王秀英" not in response["Content-Disposition"]


def test_the_publication_page_previews_and_lists_findings(client, cast):
    letter = answered(cast)
    client.force_login(cast.drafter)
    url = reverse("interaction:staff_letter_publication", args=[letter.pk])
    page = client.get(url).content.decode()
    assert "预览" in page and "某某" in page
    assert "批准公开" not in page  # a drafter may only submit
    preview = client.post(
        url,
        {
            "step": "preview",
            "public_subject": "路灯",
            "public_content": "王秀英说路灯坏了",
            "public_reply": "已修",
        },
    )
    text = preview.content.decode()
    assert "来信人姓名" in text
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.ANSWERED
    refused = client.post(
        url,
        {
            "step": "request",
            "public_subject": "路灯",
            "public_content": "王秀英说路灯坏了",
            "public_reply": "已修",
        },
    )
    assert "仍有个人信息" in refused.content.decode()
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.ANSWERED
    done = client.post(
        url,
        {
            "step": "request",
            "public_subject": "路灯",
            "public_content": "某某说路灯坏了",
            "public_reply": "已修",
        },
    )
    assert done.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.PUBLICATION_PENDING


def test_the_leader_approves_on_the_page(client, cast):
    letter = answered(cast)
    client.force_login(cast.leader)
    url = reverse("interaction:staff_letter_publication", args=[letter.pk])
    texts = proposed_public_version(letter)
    response = client.post(url, {"step": "approve", **texts})
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.PUBLISHED


def test_a_public_version_with_a_mistyped_id_number_or_a_home_address_is_refused(cast):
    # The same checks as the catalog's: a number whose check digit is wrong is still a person's.
    letter = answered(cast)
    texts = proposed_public_version(letter)
    for leak in ("邻居张三，身份证号370283199001011234", "我家住诸往村158号"):
        with pytest.raises(ValidationError, match="仍有个人信息"):
            actions.letter_request_publication(
                actor=cast.drafter,
                letter=letter,
                texts={**texts, "public_content": texts["public_content"] + leak},
            )
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.ANSWERED
