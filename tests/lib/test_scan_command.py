"""`gongkai scan`: JSON lines on standard output, notes on standard error, exit status."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from gongkai.lib import textextract
from tests.lib.files import gray_image, make_docx, make_pdf

ID = "370283198506151239"


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    call_command("scan", *args, stdout=out, stderr=err, stdin=stdin)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_it_prints_one_json_object_per_finding_in_the_documented_shape(tmp_path):
    path = tmp_path / "通知.txt"
    path.write_text(f"机密★1年\n申请人身份证 {ID}", encoding="utf-8")
    lines, err = run(str(path))
    assert lines == [
        {"file": str(path), "kind": "classification_mark", "text": "机密★1年", "start": 0,
         "end": 5, "severity": "high"},
        {"file": str(path), "kind": "id_card", "text": ID, "start": 13, "end": 31,
         "severity": "high"},
    ]  # fmt: skip
    assert err == ""


def test_it_reads_standard_input_as_file_dash():
    lines, _ = run(stdin=io.StringIO("请联系 13812345678 或 zs@163.com"))
    assert [(x["file"], x["kind"], x["severity"], x["start"]) for x in lines] == [
        ("-", "mobile", "medium", 4),
        ("-", "email", "low", 18),
    ]


def test_the_units_own_contacts_can_be_allowed_on_the_command_line():
    lines, _ = run(
        "--allow-phone", "138-1234-5678", "--allow-email", "zs@163.com",
        stdin=io.StringIO("请联系 13812345678 或 zs@163.com"),
    )  # fmt: skip
    assert lines == []


def test_a_clean_file_prints_nothing(tmp_path):
    path = tmp_path / "通知.docx"
    path.write_bytes(make_docx(["诸政发〔2017〕12号", "索引号：014314799/2024-00002"]))
    assert run(str(path)) == ([], "")


def test_a_scanned_file_is_named_on_stderr_as_unchecked(tmp_path, monkeypatch):
    monkeypatch.setattr(textextract, "ocr_available", lambda: False)
    path = tmp_path / "扫描.pdf"
    path.write_bytes(make_pdf([gray_image()]))
    lines, err = run(str(path))
    assert lines == []
    assert "扫描.pdf" in err and "人工确认" in err


def test_a_missing_or_unsupported_file_fails_with_status_2_after_checking_the_others(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("13812345678", encoding="utf-8")
    old = tmp_path / "b.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "scan", str(tmp_path / "missing.txt"), str(old), str(good), stdout=out, stderr=err
        )
    assert raised.value.returncode == 2
    assert "missing.txt" in str(raised.value) and "b.doc" in str(raised.value)
    assert "找不到文件" in err.getvalue() and ".docx" in err.getvalue()
    assert json.loads(out.getvalue())["file"] == str(good)


def test_the_real_command_exits_0_with_findings_and_2_for_a_missing_file(tmp_path):
    command = [sys.executable, "-m", "gongkai", "scan"]
    done = subprocess.run(  # noqa: S603
        command, input="秘密★\n".encode(), capture_output=True, check=False
    )
    assert done.returncode == 0
    assert json.loads(done.stdout.decode()) == {
        "file": "-", "kind": "classification_mark", "text": "秘密★", "start": 0, "end": 3,
        "severity": "high",
    }  # fmt: skip
    done = subprocess.run(  # noqa: S603
        [*command, str(tmp_path / "nope.pdf")], capture_output=True, check=False
    )
    assert done.returncode == 2
    assert "nope.pdf" in done.stderr.decode()
