"""Segmentation and query parsing: what a visitor types becomes quoted words, never syntax."""

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import highlight, synonyms
from gongkai.search.tokens import (
    MAX_QUERY_CHARS,
    QueryTooLong,
    exact_key,
    index_tokens,
    parse_query,
)

_groups = synonyms.groups


def setup_module():
    # Segmentation alone: the office's synonym groups (a database table) are tested elsewhere.
    synonyms.groups = lambda: []  # type: ignore[assignment]


def teardown_module():
    synonyms.groups = _groups  # type: ignore[assignment]


def test_a_long_word_is_indexed_with_the_words_inside_it():
    tokens = set(index_tokens("诸往镇政府信息公开工作年度报告"))
    assert {"政府", "信息", "公开", "年度", "报告", "年度报告"} <= tokens


def test_operators_quotes_and_brackets_are_dropped_from_a_query():
    query = parse_query('预算 AND "NEAR(" ) OR * ^ -公开 : {title}')
    words = [t.word for t in query.terms]
    assert "预算" in words and "公开" in words
    for word in words:
        assert word.isalnum(), word


def test_control_characters_and_nul_bytes_are_removed():
    query = parse_query("预\x00算\x07\u200b")
    assert "\x00" not in query.text and "\u200b" not in query.text


def test_full_width_letters_and_digits_are_normalised():
    assert parse_query("ＡＢＣ２０１７").terms[0].word == "abc2017"


def test_a_query_longer_than_the_limit_is_refused():
    try:
        parse_query("预" * (MAX_QUERY_CHARS + 1))
    except QueryTooLong:
        return
    raise AssertionError("expected QueryTooLong")


def test_exact_keys_ignore_bracket_style_and_spaces():
    assert exact_key("诸政发〔2017〕12号") == exact_key("诸政发[2017] 12号")
    assert exact_key("诸政发（2017）12号") == exact_key("诸政发【2017】12号")
    assert exact_key("11371000004359010J/2025-00809") == "11371000004359010j/2025-00809"


def test_highlighting_escapes_everything_but_the_marks():
    query = parse_query("预算")
    html = highlight.mark("<script>alert(1)</script> 预算 & 决算", query)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>预算</mark>" in html and "&amp;" in html


def test_a_snippet_is_cut_around_the_first_match():
    text = "开头" * 100 + "财政预算收入" + "结尾" * 100
    snippet = highlight.snippet([text], parse_query("预算"))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>预算</mark>" in snippet and len(snippet) < 200


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_to_safe_words_or_is_refused(text):
    try:
        query = parse_query(text)
    except QueryTooLong:
        return
    for term in query.terms:
        for word in term.strings:
            assert (word and word.isalnum()) or "_" not in word
            assert '"' not in word and "'" not in word and "\x00" not in word
