"""scan_file: extraction and checks together, with offsets into the extracted text."""

import pytest

from gongkai.lib import textextract
from gongkai.lib.scan import ExtractError, scan_file
from tests.lib.files import gray_image, make_docx, make_pdf, make_xlsx


@pytest.fixture
def no_ocr(monkeypatch):
    monkeypatch.setattr(textextract, "ocr_available", lambda: False)


def test_findings_in_a_docx_point_into_its_extracted_text():
    data = make_docx(
        ["关于做好春节期间值班工作的通知", "值班人员：张三 13812345678"],
        header="机密★1年",
        footer="联系邮箱 zwz@163.com",
    )
    result = scan_file(data, "通知.docx")
    assert result.readable and not result.needs_confirmation
    assert [(f.kind, f.text) for f in result.findings] == [
        ("classification_mark", "机密★1年"),
        ("mobile", "13812345678"),
        ("email", "zwz@163.com"),
    ]
    for finding in result.findings:
        assert result.text[finding.start : finding.end] == finding.text


def test_the_units_own_contacts_are_allowed_in_a_file(tmp_path):
    path = tmp_path / "指南.txt"
    path.write_text("政府信息公开办公室电话：13912345678，邮箱 zwzzf@rs.gov.cn", encoding="utf-8")
    result = scan_file(path, allow={"phones": ["13912345678"], "emails": ["zwzzf@rs.gov.cn"]})
    assert result.findings == []
    assert result.format == "text"


def test_a_spreadsheet_of_names_and_id_numbers_is_flagged():
    data = make_xlsx({"补贴名单": [["姓名", "身份证号"], ["张三", "370283198506151234"]]})
    result = scan_file(data, "名单.xlsx")
    # 370283198506151234 has the wrong check digit: still a person's number, next to a name.
    assert [(f.kind, f.text, f.severity) for f in result.findings] == [
        ("roster_name", "张三", "high"),
        ("id_card_unverified", "370283198506151234", "high"),
    ]
    data = make_xlsx({"补贴名单": [["姓名", "身份证号"], ["张三", "370283198506151239"]]})
    assert [f.kind for f in scan_file(data, "名单.xlsx").findings] == ["roster_name", "id_card"]


def test_a_scanned_pdf_needs_the_reviewers_confirmation(no_ocr):
    result = scan_file(make_pdf(["秘密★\n正文", gray_image()]), "扫描.pdf")
    assert result.needs_confirmation
    assert "第 2 页" in result.reason
    assert [f.text for f in result.findings] == ["秘密★"]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ExtractError, match="找不到文件"):
        scan_file(tmp_path / "nope.docx")
    with pytest.raises(ExtractError, match="文件夹"):
        scan_file(tmp_path)
