"""Classification marks and internal-distribution notices: found where a document carries them,
not where a sentence merely talks about secrets."""

import pytest

from gongkai.lib.scan import scan_text


def marks(text):
    return [f.text for f in scan_text(text) if f.kind == "classification_mark"]


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("机密★1年\n诸往镇人民政府\n关于做好春节期间值班工作的通知", "机密★1年"),
        ("秘密★\n关于……的请示", "秘密★"),
        ("绝密★长期", "绝密★长期"),
        ("秘密★6个月\n", "秘密★6个月"),
        ("机密★十年", "机密★十年"),
        ("绝密★启用前\n2024年公务员录用考试试卷", "绝密★启用前"),
        ("０００１２３　机密★１年　特急", "机密★１年"),
        ("份号：000123  机密★5年", "机密★5年"),
        ("密级：机密★1年", "密级：机密★1年"),
        ("密级：秘密", "密级：秘密"),
        ("密级\t秘密\n保密期限\t1年", "密级\t秘密"),
        ("秘密\n诸政发〔2017〕12号", "秘密"),
        ("机 密\n", "机 密"),
        ("000123  机密  特急\n诸政发〔2024〕3号", "机密"),
        ("【秘密】\n会议纪要", "秘密"),
        ("文件名称\t密级\n值班安排\t秘密", "秘密"),
        ("机密*1年\n", "机密*1年"),
        ("【内部资料】\n2023年工作总结", "内部资料"),
        ("（内部资料，注意保密）", "内部资料"),
        ("（内部资料，注意保密）", "注意保密"),
        ("内部资料 注意保存\n", "内部资料"),
        ("内部文件\n请勿转发", "内部文件"),
        ("此件为内部文件，不得公开。", "内部文件"),
        ("本材料仅供内部参考。", "内部参考"),
        ("仅限内部使用", "内部使用"),
        ("会议材料请妥善保管，不得外传。", "不得外传"),
        ("本通知严禁外传。", "严禁外传"),
        ("请注意保密。", "注意保密"),
        ("以上名单请注意保密，不要转发。", "注意保密"),
        ("诸往镇人民政府\n2024年1月2日\n（此件不公开）", "此件不公开"),
        ("（此件不予公开）", "此件不予公开"),
    ],
)
def test_it_finds_a_mark_shaped_like_a_mark(text, mark):
    assert mark in marks(text)


@pytest.mark.parametrize(
    "text",
    [
        "涉及国家秘密的不予公开。",
        "行政机关不得公开涉及国家秘密、商业秘密、个人隐私的政府信息。",
        "依照《中华人民共和国保守国家秘密法》的规定执行。",
        "商业秘密",
        "第三方认为涉及其商业秘密的，应当说明理由。",
        "国家秘密的密级分为绝密、机密、秘密三级。",
        "绝密级国家秘密是最重要的国家秘密，泄露会使国家安全和利益遭受特别严重的损害。",
        "机密级国家秘密是重要的国家秘密。",
        "信息的秘密性、机密性和完整性应当得到保障。",
        "保守秘密是每个公民的义务。",
        "做好秘密载体的管理工作。",
        "依法确定密级，密级为机密的事项不得公开。",
        "内部资料性出版物管理办法",
        "严禁将内部资料上传到互联网。",
        "行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开。",
        "会议讨论了内部文件的管理流程和归档要求。",
        "干部职工要严格遵守保密纪律，涉密文件不得外传。",
        "加强保密宣传教育，提醒干部注意保密。",
        "三、注意保密工作",
        "镇党委召开保密工作会议，部署保密宣传月活动。",
        "诸政发〔2017〕12号",
        "秘密会议",
        "服务评价：★★★★★",
        "请考生注意保密个人信息，谨防诈骗。",
        "（此件公开发布）",
        "（此件主动公开）",
        "定密责任人应当在确定密级的同时确定保密期限和知悉范围。",
        "机密级事项的保密期限一般不超过二十年。",
        "完善内部控制制度，开展内部审计。",
        "镇档案室整理内部资料1200余份。",
    ],
)
def test_it_does_not_treat_law_text_and_ordinary_sentences_as_marks(text):
    assert marks(text) == []


def test_the_mark_offsets_point_at_the_mark_in_the_text():
    text = "诸往镇人民政府\n\n机密★1年\n关于……"
    [finding] = scan_text(text)
    assert text[finding.start : finding.end] == "机密★1年"
    assert finding.severity == "high"
    assert "机密★1年" in finding.message


def test_a_labelled_mark_with_a_period_is_reported_once():
    found = scan_text("密级：机密★1年\n")
    assert [(f.kind, f.text) for f in found] == [("classification_mark", "密级：机密★1年")]
