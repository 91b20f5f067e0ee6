"""The public form under arbitrary input: never a server error; a form sent twice is one letter."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.interaction.models import Letter
from gongkai.lib.captcha import TEST_ANSWER
from gongkai.lib.cleantext import clean_text

URL = reverse("interaction:mailbox_write", args=["zhuwang"])
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)
field = st.one_of(
    text,
    st.just(""),
    st.sampled_from(["王秀英", "13905451234", "a@b.cn", "0631-6366000", "x" * 6000]),
)


def fresh_key(client) -> str:
    page = client.get(URL).content.decode()
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


@FUZZ
@given(
    name=field,
    phone=field,
    email=field,
    subject=field,
    content=field,
    consent=st.booleans(),
    key=st.one_of(st.none(), text),
    answer=st.one_of(st.just(TEST_ANSWER), text),
    token=text,
    attachment=st.one_of(st.none(), st.binary(max_size=2048)),
)
def test_any_input_gets_a_page_never_a_server_error(
    client, cast, name, phone, email, subject, content, consent, key, answer, token, attachment
):
    data = {
        "writer_name": name,
        "writer_phone": phone,
        "writer_email": email,
        "subject": subject,
        "content": content,
        "captcha_token": token,
        "captcha_answer": answer,
        "idempotency_key": key if key is not None else fresh_key(client),
    }
    if consent:
        data["consent_publish"] = "on"
    if attachment is not None:
        data["attachment"] = SimpleUploadedFile("f.bin", attachment)
    before = Letter.objects.count()
    response = client.post(URL, data)
    assert response.status_code in {200, 302, 429}
    if response.status_code == 200:
        assert Letter.objects.count() == before


@FUZZ
@given(
    name=st.text(min_size=1, max_size=50).filter(lambda s: clean_text(s).strip()),
    subject=st.text(min_size=1, max_size=100).filter(lambda s: clean_text(s).strip()),
    content=st.text(min_size=1, max_size=500).filter(lambda s: clean_text(s).strip()),
    repeats=st.integers(min_value=2, max_value=4),
)
def test_a_valid_form_sent_several_times_is_one_letter(
    client, cast, name, subject, content, repeats
):
    key = fresh_key(client)
    data = {
        "writer_name": name,
        "writer_phone": "13905451234",
        "writer_email": "",
        "subject": subject,
        "content": content,
        "captcha_token": "",
        "captcha_answer": TEST_ANSWER,
        "idempotency_key": key,
    }
    responses = [client.post(URL, data) for _ in range(repeats)]
    assert all(r.status_code == 302 for r in responses), [r.status_code for r in responses]
    assert len({r.url for r in responses}) == 1
    assert Letter.objects.filter(idempotency_key=key).count() == 1
