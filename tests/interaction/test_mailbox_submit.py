import re

from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.core.models import OutgoingEmail
from gongkai.interaction import actions
from gongkai.interaction.models import HandlerRole, Letter, LetterStatus, MailboxSettings
from gongkai.lib.captcha import TEST_ANSWER
from tests.interaction.conftest import PNG, submit


def form_data(client, unit_code="zhuwang", **overrides):
    page = client.get(reverse("interaction:mailbox_write", args=[unit_code]))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "writer_name": "王秀英",
        "writer_phone": "13905451234",
        "writer_email": "wangxiuying@example.com",
        "subject": "村西头路灯坏了",
        "content": "村西头的路灯坏了一个月，请尽快维修。",
        "consent_publish": "on",
        "idempotency_key": key,
        "captcha_token": "",
        "captcha_answer": TEST_ANSWER,
    }
    data.update(overrides)
    return data


def post(client, data, unit_code="zhuwang", **extra):
    return client.post(reverse("interaction:mailbox_write", args=[unit_code]), data, **extra)


def test_the_form_asks_for_everything_with_labels_and_a_captcha(client, cast):
    page = client.get(reverse("interaction:mailbox_write", args=["zhuwang"]))
    assert page.status_code == 200
    text = page.content.decode()
    for label in ["姓名", "联系电话", "电子邮箱", "标题", "来信内容", "附件", "同意", "请计算："]:
        assert label in text
    assert 'enctype="multipart/form-data"' in text
    assert "不会公开" in text


def test_a_letter_is_saved_and_the_receipt_shows_number_and_code_once(client, cast):
    response = post(client, form_data(client))
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert response.url == reverse("interaction:mailbox_receipt", args=[letter.number])
    assert letter.unit == cast.zhuwang
    assert letter.status == LetterStatus.RECEIVED
    assert letter.consent_publish
    receipt = client.get(response.url).content.decode()
    assert letter.number in receipt
    code = re.search(r'data-testid="query-code">([A-Z0-9-]+)<', receipt).group(1)
    assert check_password(code.replace("-", ""), letter.query_code_hash)
    assert code.replace("-", "") not in letter.query_code_hash
    again = client.get(response.url).content.decode()
    assert letter.number in again
    assert code not in again


def test_the_receipt_is_only_for_the_browser_that_wrote(client, cast):
    number = submit(cast.zhuwang).letter.number
    assert client.get(reverse("interaction:mailbox_receipt", args=[number])).status_code == 404


def test_sending_the_same_form_twice_creates_one_letter(client, cast):
    data = form_data(client)
    first = post(client, data)
    second = post(client, data)
    assert Letter.objects.count() == 1
    assert second.status_code == 302
    assert second.url == first.url


def test_the_action_returns_the_first_letter_for_a_repeated_key(cast):
    first = submit(cast.zhuwang, idempotency_key="k" * 32)
    again = submit(cast.zhuwang, idempotency_key="k" * 32, subject="另一个标题")
    assert again.letter.pk == first.letter.pk
    assert not again.created and again.query_code is None
    assert Letter.objects.count() == 1


def test_letter_numbers_run_on_within_the_year(cast):
    first = submit(cast.zhuwang).letter
    second = submit(cast.other_township).letter
    assert int(second.number) == int(first.number) + 1
    assert first.number.startswith(str(first.year))


def test_a_contact_is_required(client, cast):
    response = post(client, form_data(client, writer_phone="", writer_email=""))
    assert response.status_code == 200
    assert "至少留下一种联系方式" in response.content.decode()
    assert not Letter.objects.exists()


def test_bad_input_gets_messages_and_saves_nothing(client, cast):
    response = post(
        client,
        form_data(
            client, writer_name="", subject="x" * 101, writer_phone="abc", writer_email="not-mail"
        ),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "请按提示修改" in text
    assert "正确的电话号码" in text
    assert not Letter.objects.exists()


def test_a_wrong_captcha_answer_saves_nothing(client, cast, settings):
    settings.CAPTCHA_TEST_MODE = False
    response = post(client, form_data(client, captcha_answer="99"))
    assert response.status_code == 200
    assert "验证题" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_real_captcha_answer_works_through_the_page(client, cast, settings):
    from gongkai.lib.captcha import solve_question

    settings.CAPTCHA_TEST_MODE = False
    page = client.get(reverse("interaction:mailbox_write", args=["zhuwang"])).content.decode()
    question = re.search(r'class="captcha-question" id="[^"]+">([^<]+)<', page).group(1)
    token = re.search(r'name="captcha_token" value="([^"]+)"', page).group(1)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    data = form_data(
        client,
        captcha_token=token,
        captcha_answer=str(solve_question(question)),
        idempotency_key=key,
    )
    assert post(client, data).status_code == 302
    assert Letter.objects.count() == 1


def test_an_attachment_is_accepted_when_its_content_is_allowed(client, cast):
    upload = SimpleUploadedFile("路灯 王秀英.png", PNG, content_type="image/png")
    response = post(client, {**form_data(client), "attachment": upload})
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.attachment_type == "image/png"
    assert letter.attachment_name == "路灯 王秀英.png"
    assert "王秀英" not in letter.attachment.name
    assert letter.attachment.name.endswith(".png")


def test_a_renamed_program_is_refused_whatever_its_name(client, cast):
    upload = SimpleUploadedFile(
        "scan.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf"
    )
    response = post(client, {**form_data(client), "attachment": upload})
    assert response.status_code == 200
    assert "按文件内容判断" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_too_large_attachment_is_refused(client, cast, settings):
    settings.MAILBOX_ATTACHMENT_MAX_MB = 1
    upload = SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024), content_type="image/png")
    response = post(client, {**form_data(client), "attachment": upload})
    assert "不能超过 1 MB" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_closed_mailbox_takes_no_letters(client, cast):
    data = form_data(client)  # a form opened before the mailbox closed
    MailboxSettings.objects.create(unit=cast.zhuwang, is_open=False)
    page = client.get(reverse("interaction:mailbox_write", args=["zhuwang"]))
    assert "暂停接收" in page.content.decode()
    response = post(client, data)
    assert response.status_code == 200
    assert not Letter.objects.exists()


def test_only_organs_have_a_mailbox(client, cast):
    url = reverse("interaction:mailbox_write", args=[cast.office.code])
    assert client.get(url).status_code == 404
    assert client.get(reverse("interaction:mailbox_write", args=["nope"])).status_code == 404


def test_too_many_letters_from_one_address_get_a_429_page(client, cast, settings):
    settings.RATELIMITS = {"mailbox.submit": "2/h", "mailbox.attempt": "100/h"}
    for _ in range(2):
        assert post(client, form_data(client)).status_code == 302
    refused = post(client, form_data(client))
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode()
    assert Letter.objects.count() == 2


def test_the_letter_lands_in_the_queue_of_the_configured_role(cast):
    cast.leader.email = "leader@example.cn"
    cast.leader.save()
    cast.office_reviewer.email = "reviewer@example.cn"
    cast.office_reviewer.save()
    letter = submit(cast.zhuwang).letter
    assert letter.handler_role == HandlerRole.LEADER
    mail = OutgoingEmail.objects.get()
    assert mail.to == ["leader@example.cn"]
    assert letter.number in mail.subject
    assert "王秀英" not in mail.body and "13905451234" not in mail.body

    MailboxSettings.objects.create(unit=cast.zhuwang, handler_role=HandlerRole.OFFICE)
    second = submit(cast.zhuwang).letter
    assert second.handler_role == HandlerRole.OFFICE
    assert OutgoingEmail.objects.latest("pk").to == ["reviewer@example.cn"]


def test_submitting_writes_an_audit_row_without_personal_data(cast):
    letter = submit(cast.zhuwang).letter
    entry = AuditEntry.objects.get(action="interaction.letter_submit")
    assert entry.object_id == str(letter.pk)
    assert entry.unit_id == cast.zhuwang.pk
    assert "王秀英" not in str(entry.after) and "13905451234" not in str(entry.after)


def test_the_query_code_alphabet_avoids_confusable_characters(cast):
    code = submit(cast.zhuwang).query_code
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert not set(code) & set("01OIL")
    assert actions.normalise_code(code.lower().replace("-", " ")) == code.replace("-", "")


def test_a_mangled_form_token_is_refused_without_an_error(client, cast):
    response = post(client, form_data(client, idempotency_key="页\x00面" * 8))
    assert response.status_code == 200
    text = response.content.decode()
    assert "页面已失效" in text
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', text)
    assert not Letter.objects.exists()
