"""The English catalogue: compiled, in step with its source, and safe to format."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.utils import translation

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_translations.py"


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_translations"] = module
    spec.loader.exec_module(module)
    return module


def test_the_compiled_catalogue_matches_the_po_file(checker):
    stale = [p.text for p in checker.check_locale("en") if p.kind in {"missing", "stale_mo"}]
    assert stale == [], "run: .venv/bin/gongkai compilemessages --ignore=.venv"


def test_no_translation_breaks_its_placeholders(checker):
    broken = [p.text for p in checker.check_locale("en") if p.kind == "placeholder"]
    assert broken == []


def test_the_parser_reads_plurals_multiline_strings_and_flags(checker, tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.html:1\n#, fuzzy, python-format\nmsgid "共 %(n)s 条"\nmsgid_plural "共 %(n)s 条"\n'
        'msgstr[0] "%(n)s entry"\nmsgstr[1] "%(n)s entries"\n\n'
        'msgid ""\n"第一行\\n"\n"第二行"\nmsgstr ""\n\n',
        encoding="utf-8",
    )
    first, second = checker.parse_po(po)
    assert first.msgid_plural == "共 %(n)s 条" and first.msgstr == ["%(n)s entry", "%(n)s entries"]
    assert {"fuzzy", "python-format"} <= first.flags and first.references == ["a.html:1"]
    assert second.msgid == "第一行\n第二行" and second.msgstr == [""]


def test_a_stray_percent_sign_counts_as_broken(checker):
    assert checker._formats_cleanly("完成 %(n)s 件", "%(n)s done")
    assert not checker._formats_cleanly("完成 %(n)s 件", "100% of %(n)s done")
    assert not checker._formats_cleanly("完成 %(n)s 件", "%(count)s done")


def test_english_is_served_from_the_catalogue():
    with translation.override("en"):
        assert translation.gettext("跳到正文") == "Skip to content"
        assert translation.gettext("审计日志") == "Audit log"
