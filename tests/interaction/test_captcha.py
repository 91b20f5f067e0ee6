import datetime

import pytest
import time_machine
from django import forms
from django.core import signing

from gongkai.lib import captcha
from gongkai.lib.captcha import CaptchaError, CaptchaField, new_challenge, parse_answer, verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _real_captcha(settings):
    settings.CAPTCHA_TEST_MODE = False


def test_the_question_is_a_small_sum_in_chinese_words():
    challenge = new_challenge()
    assert challenge.question.startswith("请计算：")
    assert challenge.question.endswith("等于几？")
    assert not any(ch.isdigit() for ch in challenge.question)
    assert 0 <= captcha.solve_question(challenge.question) <= 20


def test_the_token_does_not_carry_the_answer():
    challenge = new_challenge()
    payload = signing.loads(challenge.token, salt="gongkai.lib.captcha")
    # A nonce and a keyed digest: nothing from which the answer could be read.
    assert set(payload) == {"n", "h"}
    assert len(payload["h"]) >= 40


def test_the_right_answer_passes_once_and_a_replay_fails():
    challenge = new_challenge()
    answer = str(captcha.solve_question(challenge.question))
    verify(challenge.token, answer)
    with pytest.raises(CaptchaError) as exc:
        verify(challenge.token, answer)
    assert exc.value.code == "replayed"


def test_a_wrong_answer_fails_and_does_not_use_up_the_token():
    challenge = new_challenge()
    right = captcha.solve_question(challenge.question)
    with pytest.raises(CaptchaError) as exc:
        verify(challenge.token, str(right + 1))
    assert exc.value.code == "wrong"
    assert "不正确" in exc.value.messages[0]
    verify(challenge.token, str(right))


def test_answers_in_chinese_numerals_and_full_width_digits_pass():
    for text, value in [
        ("八", 8),
        ("十二", 12),
        ("二十", 20),
        ("十", 10),
        ("１５", 15),
        (" 7 ", 7),
        ("两", 2),
        ("零", 0),
    ]:
        assert parse_answer(text) == value, text
    for text in ["", "abc", "十十", "一百二十三四", "3.5"]:
        assert parse_answer(text) is None, text


def test_an_expired_token_is_refused_with_a_clear_message(settings):
    settings.CAPTCHA_MAX_AGE_MINUTES = 30
    with time_machine.travel(datetime.datetime(2026, 5, 6, 2, 0, tzinfo=datetime.UTC), tick=False):
        challenge = new_challenge()
    answer = str(captcha.solve_question(challenge.question))
    with (
        time_machine.travel(datetime.datetime(2026, 5, 6, 2, 31, tzinfo=datetime.UTC), tick=False),
        pytest.raises(CaptchaError) as exc,
    ):
        verify(challenge.token, answer)
    assert exc.value.code == "expired"
    assert "过期" in exc.value.messages[0]


def test_a_tampered_or_missing_token_is_refused():
    challenge = new_challenge()
    answer = str(captcha.solve_question(challenge.question))
    for token in [challenge.token[:-2] + "xx", "", "garbage", "a:b:c"]:
        with pytest.raises(CaptchaError) as exc:
            verify(token, answer)
        assert exc.value.code == "invalid"


def test_test_mode_accepts_the_fixed_answer_only_when_switched_on(settings):
    with pytest.raises(CaptchaError):
        verify("", captcha.TEST_ANSWER)
    settings.CAPTCHA_TEST_MODE = True
    verify("", captcha.TEST_ANSWER)


class DemoForm(forms.Form):
    name = forms.CharField()
    captcha = CaptchaField()


def test_the_field_renders_a_fresh_question_with_an_accessible_label():
    html = DemoForm().as_p()
    assert 'name="captcha_token"' in html
    assert 'name="captcha_answer"' in html
    assert 'for="id_captcha_answer"' in html
    assert 'aria-describedby="id_captcha_question"' in html
    assert "请计算：" in html
    assert DemoForm().as_p() != html  # every render asks anew


def test_the_field_validates_inside_a_form():
    challenge = new_challenge()
    answer = str(captcha.solve_question(challenge.question))
    form = DemoForm({"name": "x", "captcha_token": challenge.token, "captcha_answer": answer})
    assert form.is_valid(), form.errors
    again = DemoForm({"name": "x", "captcha_token": challenge.token, "captcha_answer": answer})
    assert not again.is_valid()
    assert "用过" in again.errors["captcha"][0]
    empty = DemoForm({"name": "x"})
    assert not empty.is_valid()
    assert "请回答验证题" in empty.errors["captcha"][0]


def test_expired_nonces_are_purged():
    from gongkai.interaction.models import SpentCaptcha

    challenge = new_challenge()
    verify(challenge.token, str(captcha.solve_question(challenge.question)))
    assert captcha.purge_spent() == 0
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=2)
    assert captcha.purge_spent(later) == 1
    assert not SpentCaptcha.objects.exists()
