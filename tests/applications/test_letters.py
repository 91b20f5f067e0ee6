"""What each letter says: the kind issued for each decision, the facts it carries, and the
remedy wording (行政复议 first for refusals since the 2024 行政复议法, either remedy otherwise)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications import actions, casework, letters
from gongkai.applications.actions.intake import organ_settings
from gongkai.applications.codes import Decision
from gongkai.applications.letter_texts import SPECS, key_for_decision
from gongkai.applications.models import Letter
from tests.applications.conftest import D, at
from tests.lib.files import make_pdf

PDF = make_pdf(["文件"])
FIRST_RECONSIDERATION = "应当先自收到本告知书之日起六十日内向乳山市人民政府申请行政复议"
AFTER = "可以自收到行政复议决定书之日起十五日内依法向有管辖权的人民法院提起行政诉讼"
EITHER = (
    "可以自收到本告知书之日起六十日内向乳山市人民政府申请行政复议，"
    "或者自收到本告知书之日起六个月内向乳山市人民法院提起行政诉讼"
)


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, cast):
    settings.MEDIA_ROOT = tmp_path
    row = organ_settings(cast.zhuwang)
    row.reconsideration_body, row.court = "乳山市人民政府", "乳山市人民法院"
    row.save()


def signed_letter(cast, make_app, decision, **draft):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 5)):
        files = draft.pop("files", [])
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision=decision,
            legal_basis=draft.pop("legal_basis", "《中华人民共和国政府信息公开条例》第三十六条"),
            reasons=draft.pop("reasons", "理由见正文。"),
            files=files,
            **draft,
        )
        casework.sign_off(actor=cast.leader, application=app, approve=True)
    app.refresh_from_db()
    return app, app.letters.get()


REFUSALS = [d.value for d in Decision if d.value.startswith("3.3.") and d != Decision.INQUIRY]


@pytest.mark.parametrize("decision", REFUSALS)
def test_a_refusal_points_to_reconsideration_first(cast, make_app, decision):
    _app, letter = signed_letter(cast, make_app, decision)
    assert letter.kind == Letter.Kind.REFUSAL and letter.title == "政府信息不予公开告知书"
    assert "《中华人民共和国行政复议法》第二十三条第一款第（四）项" in letter.body
    assert FIRST_RECONSIDERATION in letter.body and AFTER in letter.body
    assert "六个月" not in letter.body


def test_a_partial_disclosure_separates_the_withheld_part(cast, make_app):
    _app, letter = signed_letter(
        cast,
        make_app,
        "3.2",
        files=[(SimpleUploadedFile("名单.pdf", PDF), True)],
        reasons="身份证号码属于个人隐私。",
    )
    assert letter.kind == Letter.Kind.PARTIAL and letter.title == "政府信息部分公开告知书"
    withheld, _sep, rest = letter.body.partition("对本告知书其他内容不服的")
    assert "不予公开的部分不服的" in withheld and FIRST_RECONSIDERATION in withheld
    assert EITHER in rest
    assert "名单.pdf（已作区分处理）" in letter.body
    assert "身份证号码属于个人隐私。" in letter.body


@pytest.mark.parametrize(
    ("decision", "kind", "title"),
    [
        ("3.1", Letter.Kind.DISCLOSURE, "政府信息公开告知书"),
        ("3.4.1", Letter.Kind.NONEXISTENT, "政府信息不存在告知书"),
        ("3.4.2", Letter.Kind.OTHER, "政府信息公开申请告知书"),
        ("3.5.1", Letter.Kind.OTHER, "政府信息公开申请处理告知书"),
        ("3.5.2", Letter.Kind.OTHER, "政府信息公开申请处理告知书"),
        ("3.5.5", Letter.Kind.OTHER, "政府信息公开申请处理告知书"),
        ("3.6.3", Letter.Kind.OTHER, "政府信息公开申请答复书"),
    ],
)
def test_other_decisions_offer_either_remedy(cast, make_app, decision, kind, title):
    _app, letter = signed_letter(cast, make_app, decision)
    assert (letter.kind, letter.title) == (kind, title)
    assert EITHER in letter.body
    assert "第二十三条" not in letter.body and "应当先" not in letter.body


def test_information_of_another_organ_names_that_organ(cast, make_app):
    app, letter = signed_letter(
        cast,
        make_app,
        "3.4.1",
        not_held="not_this_organ",
        other_organ="乳山市自然资源局（电话 0631-6651234）",
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（五）项",
        reasons="该名单由自然资源部门制作并保存。",
    )
    assert letter.kind == Letter.Kind.NOT_THIS_ORGAN and letter.title == "非本机关政府信息告知书"
    assert "乳山市自然资源局（电话 0631-6651234）" in letter.body
    assert "第三十六条第（五）项" in letter.body
    assert app.decision == "3.4.1"


def test_the_letter_carries_the_organ_the_number_the_dates_and_the_basis(cast, make_app):
    app, letter = signed_letter(
        cast, make_app, "3.3.1", legal_basis="《中华人民共和国保守国家秘密法》第二条"
    )
    body = letter.body
    assert body.startswith("张三：")
    assert app.number in body
    assert "2026年3月2日收到" in body
    assert "《中华人民共和国保守国家秘密法》第二条" in body
    assert "属于国家秘密" in body
    assert letter.issued_date == D(2026, 3, 5)
    rendered = letters.rendered_from(letter)
    assert rendered.organ_name == "乳山市诸往镇人民政府"


def test_unset_remedy_bodies_fall_back_to_the_government_above(cast, make_app):
    row = organ_settings(cast.zhuwang)
    row.reconsideration_body, row.court = "", ""
    row.save()
    assert letters.missing_settings(cast.zhuwang)[:2] == ["行政复议机关", "管辖人民法院"]
    _app, letter = signed_letter(cast, make_app, "3.1")
    assert "向乳山市人民政府申请行政复议" in letter.body
    assert "向有管辖权的人民法院提起行政诉讼" in letter.body


def test_procedural_letters_carry_their_facts(cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        casework.request_correction(
            actor=cast.drafter,
            application=app,
            items="请写明所需信息的年度。",
            period_end=D(2026, 3, 17),
        )
    correction = app.letters.get(kind=Letter.Kind.CORRECTION)
    assert "请写明所需信息的年度。" in correction.body and "2026年3月17日" in correction.body
    assert "行政复议" not in correction.body  # a step of the procedure, not a decision
    receipt = letters.issue(actor=cast.drafter, application=app, key="receipt")
    assert "申请编号为" + app.number in receipt.body


def test_the_fee_notice_states_amount_period_and_remedies(cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        casework.fee_notice(actor=cast.drafter, application=app, method="per_page", quantity=45)
    letter = app.letters.get(kind=Letter.Kind.FEE)
    assert "150.00元" in letter.body  # pages 31–45 at 10 元
    assert "按量计收" in letter.body and "共45页" in letter.body
    assert "自收到本通知书之日的次日起20个工作日内缴纳" in letter.body
    assert "如对本通知不服" in letter.body and "六个月" in letter.body


def test_the_other_organ_consultation_letter_says_silence_is_consent(cast, make_app):
    app = make_app(D(2026, 3, 2))
    with at(D(2026, 3, 3)):
        consultation = casework.consult(
            actor=cast.drafter, application=app, party="other_organ", party_name="乳山市民政局"
        )
    letter = consultation.letters.get()
    assert letter.title == "政府信息公开征求意见函"
    assert "视为同意公开" in letter.body and "第三十四条" in letter.body
    assert letter.body.startswith("乳山市民政局：")


def test_every_decision_but_the_automatic_ones_has_a_letter():
    for decision in Decision:
        key = key_for_decision(decision.value)
        if decision.value in ("3.6.1", "3.6.2"):
            assert key is None
        else:
            assert key in SPECS, decision


# -- templates ----------------------------------------------------------------------------------


def test_unknown_and_missing_placeholders_are_refused():
    with pytest.raises(ValidationError) as caught:
        letters.check_template("refusal", "告知书", "{申请人}：{申请号码}")
    messages = " ".join(caught.value.message_dict["body"])
    assert "{申请号码}" in messages and "{救济途径}" in messages and "{申请编号}" in messages
    with pytest.raises(ValidationError) as caught:
        letters.check_template("receipt", "", "{申请编号}{收到日期} {申请人")
    assert "title" in caught.value.message_dict
    assert "不成对" in " ".join(caught.value.message_dict["body"])
    title, body = letters.check_template("receipt", " 回执 ", "{{注}}{申请编号}{收到日期}\r\n")
    assert (title, body) == ("回执", "{{注}}{申请编号}{收到日期}")
    assert letters.fill(body, {"申请编号": "A-1", "收到日期": "今天"}) == "{注}A-1今天"


def test_every_default_template_passes_its_own_check():
    for key, spec in SPECS.items():
        letters.check_template(key, spec.title, spec.body)


def test_an_office_template_is_used_and_issued_letters_keep_their_text(cast, make_app):
    app = make_app(D(2026, 3, 2))
    first = letters.issue(actor=cast.drafter, application=app, key="receipt")
    with pytest.raises(PermissionDenied):
        letters.template_save(
            actor=cast.drafter, organ=cast.zhuwang, key="receipt", title="回执", body="x"
        )
    letters.template_save(
        actor=cast.office_head,
        organ=cast.zhuwang,
        key="receipt",
        title="申请受理回执",
        body="{申请人}：\n您的申请{申请编号}已于{收到日期}收到。",
    )
    second = letters.issue(actor=cast.drafter, application=app, key="receipt")
    assert second.title == "申请受理回执"
    assert second.body == f"张三：\n您的申请{app.number}已于2026年3月2日收到。"
    first.refresh_from_db()
    assert first.title == "政府信息公开申请登记回执" and "已予登记" in first.body
    letters.template_reset(actor=cast.office_head, organ=cast.zhuwang, key="receipt")
    assert letters.template_for(cast.zhuwang, "receipt").customised is False


def test_a_leader_signing_gets_the_letter_recorded_in_their_name(cast, make_app):
    app, letter = signed_letter(cast, make_app, "3.1")
    assert letter.created_by == cast.leader
    event = app.events.get(kind="letter")
    assert event.summary == "出具政府信息公开告知书"
