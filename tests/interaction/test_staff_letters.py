from django.urls import reverse

from gongkai.core.workbench import queues_for
from gongkai.interaction import actions
from gongkai.interaction.models import HandlerRole, Letter, LetterStatus, MailboxSettings
from gongkai.interaction.publication import proposed_public_version
from tests.interaction.conftest import answered, submit


def test_staff_see_their_organs_letters_and_a_sibling_township_sees_none(client, cast):
    mine = submit(cast.zhuwang, subject="诸往的信").letter
    theirs = submit(cast.other_township, subject="夏村的信").letter
    client.force_login(cast.drafter)
    page = client.get(reverse("interaction:staff_letters")).content.decode()
    assert "诸往的信" in page and "夏村的信" not in page
    assert client.get(reverse("interaction:staff_letter", args=[theirs.pk])).status_code == 404
    client.force_login(cast.other_drafter)
    page = client.get(reverse("interaction:staff_letters")).content.decode()
    assert "夏村的信" in page and "诸往的信" not in page
    for name in ["staff_letter", "staff_letter_attachment", "staff_letter_publication"]:
        assert client.get(reverse(f"interaction:{name}", args=[mine.pk])).status_code == 404
    response = client.post(
        reverse("interaction:staff_letter_action", args=[mine.pk, "answer"]), {"reply": "x"}
    )
    assert response.status_code == 404
    assert Letter.objects.get(pk=mine.pk).status == LetterStatus.RECEIVED


def test_a_station_sees_only_letters_forwarded_to_it(client, cast):
    forwarded = submit(cast.zhuwang, subject="转给农业站的信").letter
    submit(cast.zhuwang, subject="镇里自己办的信")
    actions.letter_forward(actor=cast.drafter, letter=forwarded, to_unit=cast.station)
    client.force_login(cast.station_drafter)
    page = client.get(reverse("interaction:staff_letters")).content.decode()
    assert "转给农业站的信" in page and "镇里自己办的信" not in page


def test_the_letter_page_shows_the_writer_and_the_possible_actions(client, cast, letter):
    client.force_login(cast.drafter)
    page = client.get(reverse("interaction:staff_letter", args=[letter.pk])).content.decode()
    for text in [
        "王秀英",
        "13905451234",
        "答复来信",
        "转办",
        "标记为垃圾信件",
        "收到来信",
        cast.station.name,
    ]:
        assert text in page


def test_forward_and_answer_through_the_page(client, cast, letter):
    client.force_login(cast.drafter)
    url = reverse("interaction:staff_letter_action", args=[letter.pk, "forward"])
    response = client.post(url, {"to_unit": cast.station.pk, "workdays": 5, "note": "请核实"})
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).forwarded_to == cast.station
    client.force_login(cast.station_drafter)
    url = reverse("interaction:staff_letter_action", args=[letter.pk, "answer"])
    assert client.post(url, {"reply": "已修复。"}).status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.ANSWERED


def test_bad_input_on_the_letter_page_changes_nothing(client, cast, letter):
    client.force_login(cast.drafter)
    forward = reverse("interaction:staff_letter_action", args=[letter.pk, "forward"])
    assert (
        client.post(forward, {"to_unit": cast.other_township.pk, "workdays": 5}).status_code == 400
    )
    assert client.post(forward, {"to_unit": cast.station.pk, "workdays": 0}).status_code == 400
    answer = reverse("interaction:staff_letter_action", args=[letter.pk, "answer"])
    assert client.post(answer, {"reply": ""}).status_code == 400
    assert (
        client.post(
            reverse("interaction:staff_letter_action", args=[letter.pk, "nonsense"])
        ).status_code
        == 404
    )
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.RECEIVED


def test_a_refused_transition_shows_a_message(client, cast):
    letter = answered(cast)
    client.force_login(cast.drafter)
    url = reverse("interaction:staff_letter_action", args=[letter.pk, "mark_spam"])
    response = client.post(url, follow=True)
    assert "不能标记为垃圾信件" in response.content.decode()


def test_new_letters_appear_on_the_workbench_of_the_configured_role(rf, cast):
    letter = submit(cast.zhuwang).letter

    def titles(user):
        request = rf.get("/staff/")
        request.user = user
        return {q.title: q for q in queues_for(request)}

    assert "信箱新来信" in titles(cast.leader)
    assert "信箱新来信" not in titles(cast.office_reviewer)
    assert "信箱新来信" not in titles(cast.other_drafter)
    MailboxSettings.objects.create(unit=cast.zhuwang, handler_role=HandlerRole.OFFICE)
    submit(cast.zhuwang)
    assert titles(cast.office_reviewer)["信箱新来信"].count == 1
    assert titles(cast.leader)["信箱新来信"].count == 1  # the first letter stays with the leader

    actions.letter_forward(actor=cast.drafter, letter=letter, to_unit=cast.station)
    assert "转办中的来信" in titles(cast.station_drafter)
    assert "转办中的来信" not in titles(cast.other_drafter)


def test_answers_awaiting_approval_appear_for_the_leader(rf, cast):
    letter = answered(cast)
    actions.letter_request_publication(
        actor=cast.drafter, letter=letter, texts=proposed_public_version(letter)
    )
    request = rf.get("/staff/")
    request.user = cast.leader
    assert "来信答复待审核公开" in {q.title for q in queues_for(request)}
    request.user = cast.drafter
    assert "来信答复待审核公开" not in {q.title for q in queues_for(request)}


def test_the_staff_menu_has_an_interaction_entry(client, cast):
    client.force_login(cast.drafter)
    page = client.get(reverse("interaction:staff_home")).content.decode()
    assert 'href="/staff/interaction/"' in page
    assert "互动交流" in page


def test_the_office_head_configures_the_mailbox(client, cast):
    client.force_login(cast.drafter)
    assert client.get(reverse("interaction:mailbox_settings")).status_code == 403
    client.force_login(cast.office_head)
    url = reverse("interaction:mailbox_settings")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "unit": "zhuwang",
            "is_open": "on",
            "title": "镇长信箱",
            "handler_role": "office_reviewer",
            "intro": "工作日答复",
        },
    )
    assert response.status_code == 302
    assert MailboxSettings.objects.get(unit=cast.zhuwang).handler_role == HandlerRole.OFFICE
    bad = client.post(url, {"unit": "zhuwang", "title": "", "handler_role": "mayor"})
    assert bad.status_code == 200
    assert MailboxSettings.objects.get(unit=cast.zhuwang).handler_role == HandlerRole.OFFICE
    client.force_login(cast.other_drafter)
    assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, letter):
    for url in [
        reverse("interaction:staff_home"),
        reverse("interaction:staff_letters"),
        reverse("interaction:staff_letter", args=[letter.pk]),
        reverse("interaction:hotline_list"),
        reverse("interaction:visit_list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.url


def test_the_overview_shows_the_years_figures(client, cast):
    answered(cast)
    client.force_login(cast.leader)
    url = reverse("interaction:staff_home")
    page = client.get(url).content.decode()
    assert "收到来信" in page and "年度报告用语" in page
    assert "全年通过网站信箱收到群众来信 1 封" in page
    for params in [{"year": "abc"}, {"year": "1900"}, {"unit": "xiacun"}]:
        assert client.get(url, params).status_code == 200
    client.force_login(cast.other_drafter)
    assert "诸往镇" not in client.get(url, {"unit": "zhuwang"}).content.decode().split("<h1>")[1]
