"""Every reply letter and every notice, generated as the office issues it and read back from its
DOCX: the article it cites is the one the 条例 provides for the case, the remedy sentences are
those the decision calls for (行政复议法 第二十三条第一款第（四）项 for 不予公开), and no
placeholder, blank line or doubled punctuation is left in the text the applicant receives."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from gongkai.applications import actions, casework, letters
from gongkai.applications.actions.intake import organ_settings
from gongkai.applications.letter_texts import DEFAULT_BASIS
from gongkai.applications.models import Letter
from tests.applications.conftest import D, at

L = "《中华人民共和国政府信息公开条例》"
REVIEW_FIRST = (
    "根据《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，应当先自收到本告知书之日起"
    "六十日内向乳山市人民政府申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起"
    "十五日内依法向有管辖权的人民法院提起行政诉讼。"
)
EITHER = (
    "可以自收到本告知书之日起六十日内向乳山市人民政府申请行政复议，"
    "或者自收到本告知书之日起六个月内向乳山市人民法院提起行政诉讼。"
)
DOUBLED = re.compile(r"[。，；：、！？]{2}|[。，；：！？][”’）][。，；：]|“”|（）")
REFERRAL = "请携带身份证件到乳山市不动产登记中心（乳山市胜利街88号）窗口查询"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, cast):
    settings.MEDIA_ROOT = tmp_path
    row = organ_settings(cast.zhuwang)
    row.reconsideration_body, row.court = "乳山市人民政府", "乳山市人民法院"
    row.fee_payment_method = "持本通知书到诸往镇便民服务中心窗口缴纳，或扫描非税收入缴款码缴纳"
    row.fee_account = "乳山市诸往镇人民政府，中国农业银行乳山支行，账号 1523 0101 0400 1234"
    row.save()
    cast.zhuwang.phone, cast.zhuwang.address = "0631-6651000", "乳山市诸往镇驻地"
    cast.zhuwang.save()


def docx_text(letter: Letter) -> str:
    with letter.file.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    return "\n".join(p.text for p in doc.paragraphs if p.text)


def assert_clean(text: str) -> None:
    assert "{" not in text and "}" not in text, text
    assert "＿" not in text and "〔请" not in text, text
    assert not DOUBLED.search(text), DOUBLED.search(text)


def reply(cast, make_app, decision, *, basis=None, prepare=None, **draft):
    app = make_app(D(2026, 3, 2), description="2025年诸往镇农村危房改造补助对象名单。")
    with at(D(2026, 3, 5)):
        if prepare:
            prepare(app)
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision=decision,
            legal_basis=basis or DEFAULT_BASIS[decision],
            reasons=draft.pop("reasons", "具体情况见上。"),
            **draft,
        )
        casework.sign_off(actor=cast.leader, application=app, approve=True)
    app.refresh_from_db()
    letter = app.letters.order_by("-id").first()
    text = docx_text(letter)
    assert text.endswith("乳山市诸往镇人民政府\n2026年3月5日")  # 落款
    assert "申请获取“2025年诸往镇农村危房改造补助对象名单”。" in text  # no "。”。"
    assert_clean(text)
    return app, text


def _pdf(app):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return [(SimpleUploadedFile("名单.pdf", b"%PDF-1.4\n%%EOF\n"), True)]


WITHHELD = {
    "3.3.1": "第十四条、第三十六条第（三）项",
    "3.3.2": "第十四条、第三十六条第（三）项",
    "3.3.3": "第十四条、第三十六条第（三）项",
    "3.3.4": "第十五条、第三十二条、第三十六条第（三）项",
    "3.3.5": "第十六条第一款、第三十六条第（三）项",
    "3.3.6": "第十六条第二款、第三十六条第（三）项",
    "3.3.7": "第十六条第二款、第三十六条第（三）项",
}


@pytest.mark.parametrize(("decision", "article"), WITHHELD.items())
def test_a_refusal_cites_its_article_and_sends_the_applicant_to_reconsideration_first(
    cast, make_app, decision, article
):
    _app, text = reply(cast, make_app, decision)
    assert f"根据{L}{article}的规定，本机关决定不予公开。" in text
    assert "如对本告知不服，" + REVIEW_FIRST in text
    assert "六个月" not in text


def test_a_partial_disclosure_sends_only_the_withheld_part_to_reconsideration_first(cast, make_app):
    _app, text = reply(cast, make_app, "3.2", files=_pdf(None), reasons="身份证号码属于个人隐私")
    assert f"根据{L}第三十七条的规定" in text
    assert "对本告知书中不予公开的部分不服的，" + REVIEW_FIRST in text
    assert "对本告知书其他内容不服的，" + EITHER in text
    assert "不予公开的理由：身份证号码属于个人隐私。" in text


def test_a_disclosure_offers_either_remedy(cast, make_app):
    _app, text = reply(cast, make_app, "3.1", reasons="")
    assert f"根据{L}第三十六条第（二）项的规定，本机关予以公开" in text
    assert "如对本告知不服，" + EITHER in text


def test_an_administrative_query_is_a_referral_not_a_refusal(cast, make_app):
    _app, text = reply(cast, make_app, "3.3.8", referral=REFERRAL, reasons="")
    assert f"根据{L}第三十六条第（七）项的规定，请您依照有关法律、行政法规的规定办理：" in text
    assert REFERRAL + "。" in text
    assert "不予公开" not in text
    assert "如对本告知不服，" + EITHER in text  # the narrow reading, the default


def test_the_broad_reading_sends_queries_and_not_processed_answers_to_reconsideration_first(
    cast, make_app
):
    row = organ_settings(cast.zhuwang)
    row.reconsideration_first_broad = True
    row.save()
    _app, text = reply(cast, make_app, "3.3.8", referral=REFERRAL, reasons="")
    assert "如对本告知不服，" + REVIEW_FIRST in text
    _app, text = reply(cast, make_app, "3.5.2")
    assert "如对本告知不服，" + REVIEW_FIRST in text
    _app, text = reply(cast, make_app, "3.1", reasons="")
    assert EITHER in text  # a disclosure never


def test_the_court_after_reconsideration_is_named_only_when_the_setting_says_so(cast, make_app):
    row = organ_settings(cast.zhuwang)
    row.name_court_after_reconsideration = True
    row.save()
    _app, text = reply(cast, make_app, "3.3.1")
    assert "十五日内依法向乳山市人民法院提起行政诉讼" in text


@pytest.mark.parametrize(
    ("decision", "draft", "article", "says"),
    [
        ("3.4.1", {}, "第三十六条第（四）项", "该政府信息不存在"),
        (
            "3.4.1",
            {"not_held": "not_this_organ", "other_organ": "乳山市自然资源局（电话0631-6651234）"},
            "第三十六条第（四）项",
            "负责公开该政府信息的行政机关为乳山市自然资源局（电话0631-6651234），请您向该机关提出申请。",
        ),
        ("3.4.2", {}, "第三十八条", "本机关无法向您提供该政府信息"),
    ],
)
def test_unavailable_answers_cite_their_article(cast, make_app, decision, draft, article, says):
    basis = L + ("第三十六条第（五）项" if draft.get("not_held") else article)
    _app, text = reply(cast, make_app, decision, basis=basis, **draft)
    assert f"根据{basis}的规定" in text and says in text
    assert "如对本告知不服，" + EITHER in text


def test_still_unclear_after_correction_cites_article_30(cast, make_app):
    def correct(app):
        with at(D(2026, 3, 3)):
            casework.request_correction(
                actor=cast.drafter, application=app, items="请写明年度", period_end=D(2026, 3, 17)
            )
        actions.application_receive_correction(
            actor=cast.drafter, application=app, received_date=D(2026, 3, 5)
        )

    _app, text = reply(cast, make_app, "3.4.3", prepare=correct)
    assert f"根据{L}第三十条的规定" in text and "补正后的申请内容仍不明确" in text
    assert EITHER in text


def test_a_petition_is_not_processed_as_an_application(cast, make_app):
    _app, text = reply(cast, make_app, "3.5.1", reasons="您可以通过信访渠道反映")
    assert f"根据{L}第三十九条第一款的规定，本机关不作为政府信息公开申请处理。" in text
    assert "您可以通过信访渠道反映。" in text
    assert EITHER in text


def test_a_repeat_application_is_not_processed_again(cast, make_app):
    _app, text = reply(cast, make_app, "3.5.2")
    assert f"根据{L}第三十六条第（六）项的规定，本机关不予重复处理。" in text
    assert "不作为政府信息公开申请处理" not in text
    assert EITHER in text


def test_a_publication_answer_says_where_it_can_be_had(cast, make_app):
    where = "该书由山东人民出版社出版，可在新华书店购买或到乳山市图书馆借阅"
    _app, text = reply(cast, make_app, "3.5.3", referral=where, reasons="")
    assert f"根据{L}第三十九条第二款的规定，现告知您获取的途径：{where}。" in text
    assert EITHER in text


def test_excessive_requests_are_refused_only_after_the_reason_was_asked(cast, make_app):
    def procedure(app):
        casework.excessive_notice(actor=cast.drafter, application=app)
        actions.application_excessive_answer(
            actor=cast.office_head, application=app, outcome="no_reason"
        )

    app, text = reply(cast, make_app, "3.5.4", prepare=procedure)
    assert f"根据{L}第三十五条的规定，本机关不予处理。" in text
    assert "本机关已要求您说明理由" in text
    assert EITHER in text
    notice = docx_text(app.letters.get(title="要求说明申请理由通知书"))
    assert_clean(notice)
    assert f"根据{L}第三十五条的规定，请您自收到本通知书之日起10个工作日内" in notice
    assert "（2026年3月19日前）" in notice  # 10 working days from 5 March
    assert "行政复议" not in notice and "行政诉讼" not in notice  # a procedural step


def test_a_confirmation_request_cites_no_article_it_does_not_rest_on(cast, make_app):
    _app, text = reply(cast, make_app, "3.5.5")
    assert "第三十九条" not in text and "具体情况见上。" in text
    assert "该要求不属于申请获取政府信息，本机关不作为政府信息公开申请处理。" in text
    assert EITHER in text
    row = organ_settings(cast.zhuwang)
    row.confirm_obtained_text = (
        "经本机关审定，对已获取信息的确认或重新出具不属于政府信息公开申请的处理范围"
    )
    row.save()
    from gongkai.applications.forms_case import basis_defaults

    assert basis_defaults(cast.zhuwang)["3.5.5"] == row.confirm_obtained_text
    _app, text = reply(cast, make_app, "3.5.5", basis=row.confirm_obtained_text)
    assert row.confirm_obtained_text + "。" in text


def test_other_handling_answers(cast, make_app):
    _app, text = reply(cast, make_app, "3.6.3", basis=L + "第三十三条", reasons="申请人已撤回")
    assert f"根据{L}第三十三条的规定，答复如下：申请人已撤回。" in text
    assert EITHER in text


# -- notices ---------------------------------------------------------------------------------


def test_procedural_notices_cite_their_article_and_carry_no_remedy(cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        receipt = letters.issue(actor=cast.drafter, application=app, key="receipt")
        casework.request_correction(
            actor=cast.drafter, application=app, items="请写明年度。", period_end=D(2026, 3, 17)
        )
        actions.application_receive_correction(
            actor=cast.drafter, application=app, received_date=D(2026, 3, 3)
        )
        third = casework.consult(
            actor=cast.drafter, application=app, party="third_party", party_name="王五"
        )
        organ = casework.consult(
            actor=cast.drafter, application=app, party="other_organ", party_name="乳山市民政局"
        )
        extension = actions.application_extend(
            actor=cast.drafter, application=app, days=10, reason="需要调取档案"
        )
        casework.decide_extension(actor=cast.office_head, extension=extension, approve=True)
    expected = {
        receipt: "第三十三条",
        app.letters.get(kind=Letter.Kind.CORRECTION): "第二十九条、第三十条",
        third.letters.get(): "第三十二条",
        organ.letters.get(): "第三十四条",
        app.letters.get(kind=Letter.Kind.EXTENSION): "第三十三条第二款",
    }
    for letter, article in expected.items():
        text = docx_text(letter)
        assert f"{L}{article}" in text, letter.title
        assert "行政复议" not in text and "行政诉讼" not in text, letter.title
        assert_clean(text)


def test_the_delay_notice_states_the_extended_period_and_its_reason(cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 5)):
        casework.excessive_notice(actor=cast.drafter, application=app)
        casework.excessive_answer(
            actor=cast.office_head,
            application=app,
            outcome="holds",
            answer="为研究课题需要",
            new_due_date=D(2026, 6, 30),
            reason="您本月申请公开48项信息，需要逐项检索",
        )
    text = docx_text(app.letters.get(title="延迟答复告知书"))
    assert_clean(text)
    assert (
        "根据条例第三十五条的规定，本机关确定延迟答复的期限，将在2026年6月30日前作出答复。" in text
    )
    assert "理由：您本月申请公开48项信息，需要逐项检索。" in text
    assert f"{L}第三十三条规定的期限内答复" in text
    assert "行政复议" not in text


def test_the_public_history_never_names_a_consulted_third_party(cast, make_app):
    from gongkai.applications import queries

    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        casework.consult(
            actor=cast.drafter, application=app, party="third_party", party_name="王五"
        )
        casework.consult(
            actor=cast.drafter, application=app, party="other_organ", party_name="乳山市民政局"
        )
    summaries = " ".join(e.summary + e.note for e in queries.public_events(app))
    assert "王五" not in summaries and "向第三方征求意见" in summaries
    assert "乳山市民政局" in summaries
