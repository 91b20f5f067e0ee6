"""GET /api/v1/items and /api/v1/items/{index_number}, exactly as INTERFACES.md promises."""

from __future__ import annotations

from urllib.parse import quote

from gongkai.catalog import actions

FIELDS = {
    "index_number",
    "title",
    "summary",
    "unit",
    "unit_code",
    "published_date",
    "document_number",
    "validity",
    "url",
    "highlight",
}


def test_a_search_answers_with_the_promised_shape(client, cast, import_item):
    import_item(
        "诸往镇2025年财政预算公开",
        summary="全镇预算收支",
        document_number="诸政发[2025]3号",
        published="2025-02-20",
    )
    data = client.get("/api/v1/items", {"q": "预算"}).json()
    assert set(data) == {"count", "count_is_estimate", "results"}
    assert data["count"] == 1 and data["count_is_estimate"] is False
    result = data["results"][0]
    assert set(result) == FIELDS
    assert result["unit"] == "乳山市诸往镇人民政府" and result["unit_code"] == "zhuwang"
    assert result["published_date"] == "2025-02-20"
    assert result["document_number"] == "诸政发〔2025〕3号"
    assert result["validity"] == "有效"
    assert "<mark>预算</mark>" in result["highlight"]
    assert client.get(result["url"]).status_code == 200


def test_an_empty_query_lists_the_newest_twenty_and_page_size_goes_to_a_hundred(
    client, cast, import_item
):
    for n in range(23):
        import_item(f"第{n:02d}期工作动态", published=f"2024-01-{n + 1:02d}")
    data = client.get("/api/v1/items").json()
    assert data["count"] == 23 and len(data["results"]) == 20
    assert data["results"][0]["title"] == "第22期工作动态"
    assert len(client.get("/api/v1/items", {"page": 2}).json()["results"]) == 3
    assert len(client.get("/api/v1/items", {"page_size": 1000}).json()["results"]) == 23
    assert client.get("/api/v1/items", {"page_size": 0}).status_code == 400


def test_filters_take_codes_or_full_names(client, cast, import_item):
    import_item("诸往镇预算", category="art20-07", genre="report", published="2024-03-01")
    import_item("夏村镇预算", unit="xiacun", published="2025-03-01")
    for unit in ("xiacun", "乳山市夏村镇人民政府"):
        data = client.get("/api/v1/items", {"q": "预算", "unit": unit}).json()
        assert [r["title"] for r in data["results"]] == ["夏村镇预算"]
    for params in (
        {"category": "art20-07"},
        {"genre": "报告"},
        {"year": "2024"},
        {"validity": "有效", "unit": "zhuwang"},
    ):
        data = client.get("/api/v1/items", {"q": "预算", **params}).json()
        assert [r["title"] for r in data["results"]] == ["诸往镇预算"], params
    response = client.get("/api/v1/items", {"unit": "火星镇"})
    assert response.status_code == 400 and "unit" in response.json()["detail"]


def test_one_item_by_its_index_number_raw_or_percent_encoded(client, cast, publish):
    reading = publish(title="政策解读")
    item = publish(title="土地流转管理办法", document_number="诸政发〔2017〕21号")
    item.published_version.interpretations.add(reading)
    for path in (item.index_number, quote(item.index_number, safe="")):
        response = client.get("/api/v1/items/" + path)
        assert response.status_code == 200, path
    data = response.json()
    assert data["index_number"] == item.index_number and data["title"] == "土地流转管理办法"
    assert data["fingerprint"] == item.published_version.fingerprint
    assert data["interpretations"][0]["title"] == "政策解读"
    for key in ("formed_date", "published_date", "topic", "genre", "category", "body"):
        assert key in data


def test_an_item_that_is_not_public_is_a_404(client, cast, publish):
    item = publish(title="招聘公告")
    actions.item_withdraw(actor=cast.leader, item=item, reason="调整")
    assert client.get("/api/v1/items/" + item.index_number).status_code == 404
    assert client.get("/api/v1/items/no/such-number").status_code == 404


def test_the_openapi_description_lists_both_reads(client, cast):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/items" in schema["paths"]
    assert any(p.startswith("/api/v1/items/{") for p in schema["paths"])
