"""Whatever a visitor or a client sends as a search — engine operators, quotes, unbalanced
brackets, 10,000 characters, emoji, control characters, NUL bytes, SQL — the search page and
GET /api/v1/items answer 200 (results, possibly none) or 400 with a reason, never 500."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HOSTILE = [
    '"',
    "'",
    "(",
    ")",
    "((预算",
    "预算))",
    "AND",
    "OR NOT",
    "预算 AND OR NOT 决算",
    "NEAR(预算 决算, 2)",
    "预*",
    "^预算",
    "title:预算",
    "{title body}: 预算",
    "-预算",
    '"unbalanced 预算',
    "预算' OR '1'='1",
    "'; DROP TABLE catalog_item; --",
    "1; SELECT pg_sleep(5)",
    "\x00",
    "预\x00算",
    "\x1b[31m预算\x07",
    "😀🇨🇳预算👍🏽",
    "预算" * 5000,
    "a" * 10_000,
    "%",
    "%%s",
    "\\",
    "\u202e预算\u200b",
    "<script>alert(1)</script>",
    "&amp;<>",
    "   ",
    "",
    "诸政发〔2017〕12号",
    "004362511/2026-00001",
    "_",
    "___ ___",
]


@pytest.fixture
def corpus(publish):
    publish(title="关于2017年财政预算的公示", document_number="诸政发〔2017〕12号")
    publish(title="诸往镇政府信息公开工作年度报告", body="<p>AND OR NOT 预算</p>")


def page(client, q, **extra):
    return client.get(reverse("portal:search"), {"q": q, **extra})


def api(client, q, **extra):
    return client.get("/api/v1/items", {"q": q, **extra})


def check(response):
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        body = response.content.decode()
        # the last: an address with a control character
        reasons = ("过长", "应为", "没有", "detail", "不允许的字符")
        assert any(reason in body for reason in reasons)


@pytest.mark.parametrize("q", HOSTILE)
def test_the_search_page_survives_hostile_queries(client, corpus, q):
    check(page(client, q))


@pytest.mark.parametrize("q", HOSTILE)
def test_the_api_survives_hostile_queries(client, corpus, q):
    response = api(client, q)
    check(response)
    if response.status_code == 200:
        data = response.json()
        assert isinstance(data["count"], int) and isinstance(data["results"], list)


def test_a_ten_thousand_character_query_gets_400_with_a_reason(client, corpus):
    response = api(client, "预算" * 5000)
    assert response.status_code == 400 and "q" in response.json()["detail"]
    assert page(client, "预算" * 5000).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "\x00"},
        {"unit": "x' OR 1=1"},
        {"year": "2024\x00"},
        {"year": "99999999999999999999"},
        {"year": "-1"},
        {"page": "0"},
        {"page": "-5"},
        {"page": "1e9"},
        {"page": "９"},
        {"page_size": "1000"},
        {"page_size": "abc"},
        {"category": "((("},
        {"genre": "😀"},
        {"validity": "\u202e"},
    ],
)
def test_hostile_filters_get_a_400_or_a_200_never_a_500(client, corpus, params):
    check(api(client, "预算", **params))
    check(page(client, "预算", **params))


_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from("预算公开\"()*:^-{}NEAROR AND\x00\\'%_😀"), max_size=60),
)


@_SETTINGS
@given(q=_TEXT)
def test_any_query_on_the_page_gets_200_or_400(client, corpus, q):
    check(page(client, q))


@_SETTINGS
@given(q=_TEXT, unit=st.text(max_size=20), year=st.text(max_size=6))
def test_any_query_and_filters_on_the_api_get_200_or_400(client, corpus, q, unit, year):
    check(api(client, q, unit=unit, year=year))
