"""`gongkai workdays add` and `gongkai workdays import-notice` (INTERFACES.md) with exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.workdays.models import CalendarYear, SpecialDay
from tests.workdays.conftest import HERE


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_add_prints_the_due_date(db):
    assert run("add", "2025-09-26", "20").strip() == "2025-10-30"
    assert run("add", "2024-12-31", "20").strip() == "2025-02-05"


def test_add_exits_3_naming_the_missing_year(db):
    with pytest.raises(CommandError) as raised:
        run("add", "2026-12-31", "20")
    assert raised.value.returncode == 3
    assert "2027" in str(raised.value)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("2025-02-30", "20"), "日期"),
        (("26/09/2025", "20"), "YYYY-MM-DD"),
        (("2025-09-26", "twenty"), "工作日数"),
        (("2025-09-26", "-1"), "工作日数"),
    ],
)
def test_add_exits_2_on_a_malformed_date_or_count(db, args, fragment):
    with pytest.raises(CommandError) as raised:
        run("add", *args)
    assert raised.value.returncode == 2
    assert fragment in str(raised.value)


def test_import_notice_loads_the_year_and_prints_what_it_loaded(db):
    out = run("import-notice", str(HERE / "notice_2027_invented.txt"), "--year", "2027")
    assert "2027 年" in out
    assert "春节：放假 2027-02-05 至 2027-02-12，共 8 天；调休上班 2027-02-20" in out
    assert "端午节：放假 2027-06-09，共 1 天" in out
    assert CalendarYear.objects.filter(year=2027).exists()
    assert run("add", "2026-12-31", "20").strip() == "2027-01-29"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_import_notice_reads_bom_utf8_gb18030_and_utf16(db, tmp_path, encoding):
    path = tmp_path / "notice.txt"
    path.write_bytes((HERE / "notice_2027_invented.txt").read_text("utf-8").encode(encoding))
    run("import-notice", str(path), "--year", "2027")
    assert SpecialDay.objects.filter(calendar_year__year=2027).count() == 33


def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.txt"
    path.write_text("会议纪要：今天讨论了食堂菜单。", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "year", "fragment"),
    [
        (bad_file, "2027", "没有找到任何节假日安排"),
        (lambda p: p / "missing.txt", "2027", "无法读取文件"),
        (lambda p: HERE / "notice_2026.txt", "2027", "2026 年的安排"),
        (lambda p: HERE / "notice_2027_invented.txt", "27", "年份"),
    ],
)
def test_import_notice_exits_2_and_stores_nothing_on_a_bad_file(db, tmp_path, make, year, fragment):
    before = SpecialDay.objects.count()
    with pytest.raises(CommandError) as raised:
        run("import-notice", str(make(tmp_path)), "--year", year)
    assert raised.value.returncode == 2
    assert fragment in str(raised.value)
    assert SpecialDay.objects.count() == before
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_import_notice_rejects_a_binary_file(db, tmp_path):
    path = tmp_path / "notice.docx"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CommandError) as raised:
        run("import-notice", str(path), "--year", "2027")
    assert raised.value.returncode == 2


def test_the_console_script_end_to_end(tmp_path):
    """The installed `gongkai` script on a fresh database: the done-when checks of issue 2."""
    gongkai = Path(sys.executable).with_name("gongkai")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GONGKAI_DATA_DIR": str(tmp_path),
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(gongkai), *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )

    assert cli("migrate", "--no-input").returncode == 0
    done = cli("workdays", "add", "2025-09-26", "20")
    assert (done.returncode, done.stdout) == (0, "2025-10-30\n")
    missing = cli("workdays", "add", "2026-12-31", "20")
    assert missing.returncode == 3
    assert "2027" in missing.stderr and missing.stdout == ""
    malformed = cli("workdays", "add", "2026-12-31", "many")
    assert malformed.returncode == 2
    garbage = cli("workdays", "import-notice", str(bad_file(tmp_path)), "--year", "2027")
    assert garbage.returncode == 2
    loaded = cli(
        "workdays", "import-notice", str(HERE / "notice_2027_invented.txt"), "--year", "2027"
    )
    assert loaded.returncode == 0, loaded.stderr
    done = cli("workdays", "add", "2026-12-31", "20")
    assert (done.returncode, done.stdout) == (0, "2027-01-29\n")
