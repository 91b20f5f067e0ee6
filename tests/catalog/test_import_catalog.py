"""`gongkai import-catalog FILE [--skip-bad]` as INTERFACES.md describes it."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.audit.models import AuditEntry
from gongkai.catalog import queries
from gongkai.catalog.models import Item, Validity
from tests.lib.files import make_xlsx

HEADER_EN = (
    "unit,title,index_number,summary,formed_date,published_date,document_number,"
    "category,topic,genre,validity,body\n"
)
HEADER_ZH = (
    "发布机构,名称,索引号,内容概述,成文日期,发布日期,"
    "发文字号,目录分类,主题分类,体裁分类,有效性,正文\n"
)


def _run(tmp_path, name, content, *args):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import-catalog", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _fails(tmp_path, name, content, *args):
    with pytest.raises(CommandError) as failed:
        _run(tmp_path, name, content, *args)
    assert failed.value.returncode == 2
    return str(failed.value)


def test_a_good_csv_with_english_header_is_imported_and_published(cast, tmp_path):
    out, _ = _run(
        tmp_path,
        "items.csv",
        HEADER_EN
        + (
            "zhuwang,诸往镇2017年财政预算公开,004362519/2017-00003,全镇一般公共预算,2017-02-10,"
            "2017-02-20,诸政发[2017]3号,财政预算、决算信息,财政、金融、审计,报告,有效,"
            '"<p>收入<script>alert(1)</script>3200万元</p>"\n'
            "乳山市诸往镇人民政府,诸往镇新农村建设情况,,,2017-05-02,2017-05-08,,新农村建设,,,,\n"
        ),
    )
    assert "已导入 2 条，拒绝 0 条" in out
    budget = queries.item_by_index_number("004362519/2017-00003")
    version = budget.published_version
    assert budget.is_imported and budget.organ == cast.zhuwang
    assert version.document_number == "诸政发〔2017〕3号"
    assert version.category.name == "财政预算、决算信息" and version.genre.name == "报告"
    assert "<script>" not in version.body and "3200万元" in version.body
    assert budget.first_published_at.date().isoformat() == "2017-02-20"
    other = Item.objects.exclude(pk=budget.pk).get()
    assert other.index_number == "004362519/2017-00004"
    assert AuditEntry.objects.filter(action="catalog.item_import").count() == 2


def test_chinese_header_in_gb18030_with_bom_variants(cast, tmp_path):
    body = (
        HEADER_ZH + "zhuwang,社会救助资金发放情况,,,2017-06-01,2017-06-05,,社会救助情况,,,废止,\n"
    )
    _run(tmp_path, "gbk.csv", body.encode("gb18030"))
    _run(tmp_path, "bom.csv", ("\ufeff" + body.replace("社会救助资金", "低保资金")).encode("utf-8"))
    assert Item.objects.published().count() == 2
    assert set(Item.objects.values_list("validity", flat=True)) == {Validity.REPEALED}


def test_xlsx_with_date_cells(cast, tmp_path):
    import datetime

    data = make_xlsx(
        {
            "目录": [
                ["发布机构", "名称", "成文日期", "发布日期"],
                ["zhuwang", "诸往镇民生工程进展", datetime.datetime(2017, 8, 1), "2017-08-03"],
            ]
        }
    )
    _run(tmp_path, "items.xlsx", data)
    item = Item.objects.published().get()
    assert item.published_version.formed_date == datetime.date(2017, 8, 1)


def test_json_lines(cast, tmp_path):
    lines = [
        json.dumps(
            {
                "unit": "zhuwang",
                "title": "工作动态一",
                "formed_date": "2017-01-05",
                "published_date": "2017-01-06",
            },
            ensure_ascii=False,
        ),
        "",
        json.dumps(
            {
                "发布机构": "zhuwang",
                "名称": "工作动态二",
                "成文日期": "2017-01-05",
                "发布日期": "2017-01-07",
            },
            ensure_ascii=False,
        ),
    ]
    out, _ = _run(tmp_path, "items.jsonl", "\n".join(lines) + "\n")
    assert "已导入 2 条" in out


def test_a_bad_row_rolls_back_the_whole_file_and_names_the_line(cast, tmp_path):
    message_err = None
    path_content = HEADER_EN + (
        "zhuwang,好的一行,,,2017-02-10,2017-02-20,,,,,,\n"
        'zhuwang,"多行\n标题",,,2017-02-10,2017-02-20,,,,,,\n'
        "nowhere,坏的一行,,,2017-02-10,2017-02-20,,,,,,\n"
        "zhuwang,日期坏了,,,2017-02-30,2017-02-20,,,,,,\n"
        "zhuwang,发布早于成文,,,2017-02-10,2017-02-01,,,,,,\n"
        "zhuwang,未知体裁,,,2017-02-10,2017-02-20,,,,诗歌,,\n"
    )
    from io import StringIO

    path = tmp_path / "bad.csv"
    path.write_text(path_content, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import-catalog", str(path), stderr=err)
    assert failed.value.returncode == 2
    message_err = err.getvalue()
    assert "第 5 行：发布机构“nowhere”不存在" in message_err  # the quoted line break counts
    assert "第 6 行：成文日期" in message_err
    assert "第 7 行：发布日期早于成文日期" in message_err
    assert "第 8 行：体裁分类“诗歌”不存在" in message_err
    assert not Item.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="catalog.").exists()


def test_skip_bad_imports_the_good_rows_and_reports_the_others(cast, tmp_path):
    out, err = _run(
        tmp_path,
        "mixed.csv",
        HEADER_EN
        + (
            "zhuwang,好的一行,,,2017-02-10,2017-02-20,,,,,,\n"
            "zhuwang,,,,2017-02-10,2017-02-20,,,,,,\n"
        ),
        "--skip-bad",
    )
    assert "已导入 1 条，拒绝 1 条" in out
    assert "第 3 行：名称为空" in err
    assert Item.objects.published().count() == 1


def test_duplicate_index_numbers_are_refused(cast, tmp_path):
    message = _fails(
        tmp_path,
        "dup.csv",
        HEADER_EN
        + (
            "zhuwang,甲,004362519/2017-00001,,2017-02-10,2017-02-20,,,,,,\n"
            "zhuwang,乙,004362519/2017-00001,,2017-02-10,2017-02-20,,,,,,\n"
        ),
    )
    assert "1 行有错误" in message
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "文件是空的"),
        ("title,formed_date\n甲,2017-01-01\n".encode(), "第 1 行：表头缺少必填列"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel"),
        (HEADER_EN.encode(), "没有数据行"),
    ],
)
def test_a_bad_file_exits_2_with_a_reason(cast, tmp_path, content, reason):
    assert reason in _fails(tmp_path, "bad.csv", content)


def test_a_missing_file_exits_2(cast, tmp_path):
    with pytest.raises(CommandError) as failed:
        call_command("import-catalog", str(tmp_path / "nope.csv"))
    assert failed.value.returncode == 2


def test_personal_data_in_a_legacy_page_is_imported_and_flagged_for_the_office(cast, tmp_path):
    _run(
        tmp_path,
        "p.csv",
        HEADER_EN + ("zhuwang,联系方式,,,2017-02-10,2017-02-20,,,,,,联系人手机13812345678\n"),
    )
    item = Item.objects.published().get()
    assert item.published_version.findings.get().kind == "mobile"
    assert list(queries.published_with_findings(cast.office_reviewer)) == [item.published_version]
