"""Counts above 10,000 matches are estimates, and every reader is told so: the search page says
约 … 万条（估计数）, the API sets count_is_estimate (INTERFACES.md)."""

from __future__ import annotations

import pytest

from gongkai.search import api
from gongkai.search.filters import Filters
from gongkai.search.tokens import Query


def estimated(count: int) -> api.Results:
    return api.Results(
        query=Query(raw="工作", text="工作"),
        filters=Filters(),
        page=1,
        page_size=20,
        count=count,
        count_is_estimate=True,
    )


@pytest.mark.parametrize(
    ("count", "said"),
    [(923_368, "92"), (10_400, "1"), (13_100, "1.3"), (2_345_678, "235"), (99_999, "10")],
)
def test_an_estimate_is_said_in_wan_with_two_figures(count, said):
    assert estimated(count).approximate_wan == said


def test_the_search_page_labels_an_estimated_total_as_an_estimate(client, cast, monkeypatch):
    monkeypatch.setattr(api, "search", lambda **kwargs: estimated(923_368))
    page = client.get("/sousuo/", {"q": "工作"}).content.decode()
    assert "找到约 92 万条结果（估计数）" in page


def test_a_listing_without_words_labels_an_estimate_too(client, cast, monkeypatch):
    results = estimated(1_000_000)
    results.query = Query(raw="", text="")
    monkeypatch.setattr(api, "search", lambda **kwargs: results)
    page = client.get("/sousuo/").content.decode()
    assert "约 100 万条信息（估计数）" in page


def test_the_api_flags_an_estimated_count(client, cast, monkeypatch):
    monkeypatch.setattr(api, "search", lambda **kwargs: estimated(923_368))
    data = client.get("/api/v1/items", {"q": "工作"}).json()
    assert data["count"] == 923_368 and data["count_is_estimate"] is True
