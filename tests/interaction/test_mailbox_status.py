import pytest
from django.urls import reverse

from gongkai.interaction import actions
from tests.interaction.conftest import submit

URL = reverse("interaction:mailbox_status")


def look_up(client, number, code):
    return client.post(URL, {"number": number, "code": code})


def test_the_writer_sees_the_status_with_number_and_code(client, cast):
    submitted = submit(cast.zhuwang)
    page = look_up(client, submitted.letter.number, submitted.query_code).content.decode()
    assert "已收到，正在办理" in page
    assert submitted.letter.subject in page


def test_the_code_may_be_typed_in_lower_case_without_the_hyphen(client, cast):
    submitted = submit(cast.zhuwang)
    code = submitted.query_code.replace("-", "").lower()
    assert "已收到" in look_up(client, submitted.letter.number, code).content.decode()


def test_the_writer_reads_the_answer_once_it_is_given(client, cast):
    submitted = submit(cast.zhuwang)
    actions.letter_answer(actor=cast.leader, letter=submitted.letter, reply="路灯已修好。")
    page = look_up(client, submitted.letter.number, submitted.query_code).content.decode()
    assert "已答复" in page
    assert "路灯已修好。" in page


def test_internal_steps_are_not_shown_to_the_writer(client, cast):
    submitted = submit(cast.zhuwang)
    actions.letter_mark_spam(actor=cast.leader, letter=submitted.letter)
    page = look_up(client, submitted.letter.number, submitted.query_code).content.decode()
    assert "垃圾" not in page


def test_a_wrong_code_and_a_wrong_number_get_the_same_answer(client, cast):
    submitted = submit(cast.zhuwang)
    wrong_code = look_up(client, submitted.letter.number, "AAAA-AAAA")
    wrong_number = look_up(client, "2099000001", submitted.query_code)
    nonsense = look_up(client, "../../etc", "x")
    assert wrong_code.status_code == wrong_number.status_code == nonsense.status_code == 200

    def message(response):
        text = response.content.decode()
        start = text.index('<div class="ix-alert"')
        return text[start : text.index("</div>", start)]

    assert message(wrong_code) == message(wrong_number) == message(nonsense)
    assert "信件编号或查询码不正确" in message(wrong_code)
    assert submitted.letter.subject not in wrong_code.content.decode()


def test_guessing_is_rate_limited(client, cast, settings):
    settings.RATELIMITS = {"mailbox.status": "3/15m"}
    submitted = submit(cast.zhuwang)
    for _ in range(3):
        assert look_up(client, submitted.letter.number, "AAAA-AAAA").status_code == 200
    refused = look_up(client, submitted.letter.number, submitted.query_code)
    assert refused.status_code == 429
    assert submitted.letter.subject not in refused.content.decode()


@pytest.mark.parametrize("data", [{}, {"number": "1"}, {"number": "x" * 500, "code": "y" * 500}])
def test_incomplete_or_oversized_input_gets_a_message_not_an_error(client, cast, data):
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "ix-alert" in response.content.decode()
