"""`gongkai import-ledger FILE [--skip-bad]`: good files, bad rows, encodings, XLSX, exit codes."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from gongkai.applications import queries
from gongkai.applications.models import Application, Fee, OrganSettings, State
from gongkai.audit.models import AuditEntry
from tests.applications.conftest import D, at

HEADER_EN = (
    "number,unit,received_date,channel,applicant_type,applicant_name,description,"
    "outcome,concluded_date,fee_yuan"
)
HEADER_ZH = (
    "申请编号,受理机关,收到申请日期,申请方式,申请人类型,申请人,申请内容,"
    "办理结果,办结日期,收费金额（元）"
)


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    with at(D(2026, 3, 2)):
        call_command("import-ledger", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text, encoding="utf-8", name="ledger.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_english_csv_imports_open_and_concluded_cases(cast, tmp_path):
    path = write(
        tmp_path,
        "\n".join(
            [
                HEADER_EN,
                ",zhuwang,2025-03-03,in_person,natural_person,张三,危房改造名单,3.1,2025-03-20,",
                ",zhuwang,2025-12-29,online,commercial,某公司,征地补偿标准,,,",
                "ZW-2024-0031,乳山市诸往镇人民政府,2024-12-30,registered_mail,natural_person,李四,低保名单,3.6.3,2025-01-05,100",
            ]
        ),
    )
    out, err = run(path)
    assert "已导入 3 条，拒绝 0 条" in out and err == ""
    given = Application.objects.get(number="ZW-2024-0031")
    assert given.state == State.CLOSED and given.decision == "3.6.3"
    assert given.fee.amount == 100 and given.fee.method == Fee.Method.LEDGER
    replied = Application.objects.get(applicant_name="张三")
    assert (replied.state, replied.reply_date) == (State.REPLIED, D(2025, 3, 20))
    open_case = Application.objects.get(applicant_name="某公司")
    assert open_case.state == State.REGISTERED and open_case.due_date is not None
    assert all(a.imported for a in Application.objects.all())
    assert AuditEntry.objects.filter(action="applications.import").count() == 3
    t = queries.report_counts(cast.zhuwang, 2025)
    assert t["2"]["natural_person"] == 1 and t["3.6.3"]["natural_person"] == 1
    assert queries.report_balance_errors(t) == []


def test_chinese_headers_labels_and_gb18030(cast, tmp_path):
    rows = [
        HEADER_ZH,
        ",zhuwang,2025-03-03,当面,自然人,张三,名单,,,",
        ",乳山市诸往镇人民政府,2025/3/4,平信,社会公益组织,某协会,财政预算,属于国家秘密,2025年3月20日,",
        ",zhuwang,2025-03-05,口头,法律服务机构,某律所,执法案卷,部分公开,2025-03-21,",
    ]
    path = write(tmp_path, "\r\n".join(rows), encoding="gb18030")
    out, _err = run(path)
    assert "已导入 3 条" in out
    assert Application.objects.get(applicant_name="某协会").decision == "3.3.1"
    assert Application.objects.get(applicant_name="某律所").applicant_type == "legal_service"


def test_bad_rows_name_their_line_and_nothing_is_written(cast, tmp_path):
    path = write(
        tmp_path,
        "\ufeff"
        + "\n".join(
            [
                HEADER_EN,
                ",zhuwang,2025-03-03,in_person,natural_person,张三,名单,3.1,2025-03-20,",
                ",nowhere,2025-03-03,in_person,natural_person,张三,名单,,,",
                ",zhuwang,2025-03-03,by pigeon,natural_person,张三,名单,,,",
                ",zhuwang,2025-03-03,in_person,natural_person,张三,名单,3.1,,",
                ",zhuwang,2025-03-03,in_person,natural_person,张三,名单,9.9,2025-03-20,",
                ",zhuwang,2025-03-03,in_person,natural_person,张三,名单,3.1,2025-03-01,",
                ",zhuwang,2025-02-30,in_person,natural_person,张三,名单,,,",
                ",zhuwang,2025-03-03,in_person,natural_person,张三,名单,,,abc",
            ]
        ),
    )
    with pytest.raises(CommandError) as info:
        run(path)
    assert info.value.returncode == 2
    assert not Application.objects.exists()
    assert not AuditEntry.objects.filter(action="applications.import").exists()
    # The messages go to stderr; run again capturing them.
    err = io.StringIO()
    with at(D(2026, 3, 2)), pytest.raises(CommandError):
        call_command("import-ledger", str(path), stderr=err)
    text = err.getvalue()
    for line, words in [
        (3, "受理机关"),
        (4, "申请方式"),
        (5, "办结日期"),
        (6, "办理结果"),
        (7, "早于"),
        (8, "日期"),
        (9, "收费金额"),
    ]:
        assert f"第 {line} 行" in text and words in text
    assert "第 2 行" not in text


def test_skip_bad_imports_the_good_rows_and_reports_the_rest(cast, tmp_path):
    path = write(
        tmp_path,
        "\n".join(
            [
                HEADER_EN,
                ",zhuwang,2025-03-03,in_person,natural_person,张三,名单,3.1,2025-03-20,",
                ",zhuwang,2025-03-03,in_person,alien,张三,名单,,,",
            ]
        ),
    )
    out, err = run(path, "--skip-bad")
    assert "已导入 1 条，拒绝 1 条" in out
    assert "第 3 行" in err and "申请人类型" in err
    assert Application.objects.count() == 1


def test_a_duplicate_number_is_refused_and_serials_continue_after_given_ones(cast, tmp_path):
    OrganSettings.objects.create(organ=cast.zhuwang, number_prefix="ZW")
    path = write(
        tmp_path,
        "\n".join(
            [
                HEADER_EN,
                ",zhuwang,2025-03-03,in_person,natural_person,甲,名单,3.1,2025-03-20,",
                "ZW-2025-0007,zhuwang,2025-03-01,in_person,natural_person,乙,名单,3.1,2025-03-20,",
            ]
        ),
    )
    run(path)
    assert Application.objects.get(applicant_name="甲").number == "ZW-2025-0008"
    again = write(
        tmp_path,
        HEADER_EN + "\nZW-2025-0007,zhuwang,2025-03-01,in_person,natural_person,丙,名单,,,",
        name="again.csv",
    )
    with pytest.raises(CommandError):
        run(again)


def test_xlsx_with_date_cells(cast, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER_ZH.split(","))
    sheet.append(
        [
            None,
            "zhuwang",
            D(2025, 3, 3),
            "网上",
            "科研机构",
            "某研究所",
            "统计数据",
            "3.4.1",
            D(2025, 3, 25),
            None,
        ]
    )
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    out, _err = run(path)
    assert "已导入 1 条" in out
    app = Application.objects.get()
    assert (app.received_date, app.concluded_date, app.decision) == (
        D(2025, 3, 3),
        D(2025, 3, 25),
        "3.4.1",
    )


def test_a_missing_required_column_is_reported_on_line_1(cast, tmp_path):
    path = write(tmp_path, "unit,received_date\nzhuwang,2025-03-03\n")
    with pytest.raises(CommandError, match="第 1 行") as info:
        run(path)
    assert info.value.returncode == 2


def test_an_unreadable_file_exits_2(cast, tmp_path):
    with pytest.raises(CommandError) as info:
        run(tmp_path / "missing.csv")
    assert info.value.returncode == 2
