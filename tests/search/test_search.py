"""Searching public items, on whichever database the suite runs on (SQLite FTS5 or PostgreSQL):
words, phrases, 发文字号 and 索引号, ranking, filters, pagination, and that only public items
are ever found."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gongkai.catalog import actions
from gongkai.catalog.models import Validity
from gongkai.search import api
from gongkai.search.filters import BadFilter, Filters, parse_filters
from tests.lib.files import make_docx


def search(q="", **filters):
    return api.search(q=q, filters=parse_filters(**filters))


def titles(results):
    return [hit.item.published_version.title for hit in results.hits]


def test_a_two_character_word_finds_the_item(publish):
    publish(title="关于2017年财政预算的公示", body="<p>全镇一般公共预算收入3200万元。</p>")
    publish(title="诸往镇春季森林防火工作通知", body="<p>严禁野外用火。</p>")
    assert titles(search("预算")) == ["关于2017年财政预算的公示"]


def test_both_the_short_and_the_long_phrase_find_政府信息公开(publish):
    publish(title="诸往镇政府信息公开工作年度报告", body="<p>年度工作总结。</p>")
    for q in ("信息公开", "政府信息公开", "政府信息公开工作"):
        assert titles(search(q)) == ["诸往镇政府信息公开工作年度报告"], q


def test_every_word_of_a_query_must_match(publish):
    publish(title="农村土地承包经营权流转情况", body="<p>新增流转面积3260亩。</p>")
    publish(title="农村低保资金发放情况", body="<p>低保金178万元。</p>")
    assert titles(search("农村 流转")) == ["农村土地承包经营权流转情况"]
    assert search("农村 樱桃").count == 0


def test_summary_body_document_number_and_attachment_text_are_searched(publish, publish_with_file):
    publish(title="甲", summary="樱桃采摘节接待游客", body="<p>正文</p>")
    publish(title="乙", body="<p>新建塘坝两座</p>")
    publish_with_file(
        "明细.docx", make_docx(["救助对象共计一千一百二十六人次"]), title="丙", body="<p>见附件</p>"
    )
    assert titles(search("樱桃")) == ["甲"]
    assert titles(search("塘坝")) == ["乙"]
    assert titles(search("救助对象")) == ["丙"]
    hit = search("救助对象").hits[0]
    assert "<mark>救助对象</mark>" in hit.highlight


def test_a_document_number_is_found_exactly_whatever_the_brackets(publish):
    wanted = publish(title="突发公共事件总体应急预案", document_number="诸政发〔2017〕12号")
    publish(title="防汛抗旱应急预案", document_number="诸政发〔2017〕1号")
    for q in ("诸政发〔2017〕12号", "诸政发[2017]12号", " 诸政发（2017）12号 "):
        results = search(q)
        assert results.hits[0].item == wanted and results.hits[0].exact, q
        assert wanted not in [h.item for h in results.hits[1:]]


def test_an_index_number_is_found_exactly(publish):
    wanted = publish(title="第一条")
    publish(title="第二条")
    results = search(wanted.index_number)
    assert [h.item for h in results.hits] == [wanted] and results.hits[0].exact
    assert search(wanted.index_number.lower()).hits[0].item == wanted


def test_title_matches_rank_above_body_matches(publish):
    publish(title="春季农业生产工作安排", body="<p>" + "预算" * 5 + "</p>")
    publish(title="2018年财政预算公开", body="<p>详见表格。</p>")
    assert titles(search("预算")) == ["2018年财政预算公开", "春季农业生产工作安排"]


def test_newer_items_come_first_when_the_match_is_equal(import_item):
    import_item("社会救助资金发放情况", body="同样的正文。", published="2024-03-01")
    newer = import_item("社会救助资金发放情况", body="同样的正文。", published="2025-03-01")
    import_item("社会救助资金发放情况", body="同样的正文。", published="2023-03-01")
    results = search("社会救助")
    assert results.count == 3 and results.hits[0].item == newer
    dates = [h.item.first_published_at for h in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_an_empty_query_lists_the_newest_items(import_item):
    import_item("旧的", published="2024-03-01")
    import_item("新的", published="2025-03-01")
    assert titles(search("")) == ["新的", "旧的"]


def test_filters_by_unit_category_genre_year_and_validity(cast, import_item, commit):
    old = import_item("2024年预算公开", category="art20-07", genre="report", published="2024-02-20")
    budget = import_item(
        "2025年预算公开", category="art20-07", genre="报告", published="2025-02-20"
    )
    notice = import_item("预算编制工作通知", genre="notice", published="2025-05-06")
    other = import_item("夏村镇预算公开", unit="xiacun", published="2025-02-21")
    assert {h.item for h in search("预算", unit="zhuwang").hits} == {old, budget, notice}
    assert {h.item for h in search("预算", unit="乳山市夏村镇人民政府").hits} == {other}
    assert {h.item for h in search("预算", category="art20-07").hits} == {old, budget}
    assert {h.item for h in search("预算", category="财政预算、决算信息").hits} == {old, budget}
    assert {h.item for h in search("预算", genre="通知").hits} == {notice}
    assert {h.item for h in search("预算", year="2024").hits} == {old}
    with commit():  # the index follows the new validity after commit
        actions.item_set_validity(
            actor=cast.office_reviewer,
            item=budget,
            validity=Validity.REPEALED,
            effective_date=timezone.localdate(),
        )
    assert {h.item for h in search("预算", validity="废止").hits} == {budget}
    assert budget not in {h.item for h in search("预算", validity="有效").hits}


def test_an_unknown_filter_value_is_refused_with_a_reason(cast):
    for name, value in [
        ("unit", "火星镇"),
        ("category", "nope"),
        ("genre", "诗歌"),
        ("year", "二〇二四"),
        ("validity", "永久"),
    ]:
        try:
            parse_filters(**{name: value})
        except BadFilter as bad:
            assert bad.name == name and bad.message
        else:
            raise AssertionError(name)


def test_pages_split_the_results_without_gaps_or_repeats(publish):
    made = {publish(title=f"第{n}号预算调整").pk for n in range(7)}
    seen = []
    for page in (1, 2, 3):
        results = api.search(q="预算", filters=parse_filters(), page=page, page_size=3)
        assert results.count == 7
        seen += [h.item.pk for h in results.hits]
    assert sorted(seen) == sorted(made) and len(seen) == 7
    assert api.search(q="预算", filters=parse_filters(), page=9, page_size=3).hits == []


def test_exact_matches_are_followed_by_the_text_matches_across_pages(publish):
    exact = publish(title="办法", document_number="诸政发〔2018〕5号")
    for n in range(4):
        publish(title=f"引用文件{n}", body="<p>根据诸政发〔2018〕5号文件精神。</p>")
    first = api.search(q="诸政发〔2018〕5号", filters=parse_filters(), page=1, page_size=2)
    second = api.search(q="诸政发〔2018〕5号", filters=parse_filters(), page=2, page_size=2)
    third = api.search(q="诸政发〔2018〕5号", filters=parse_filters(), page=3, page_size=2)
    assert first.count == 5 and first.hits[0].item == exact
    ids = [h.item.pk for r in (first, second, third) for h in r.hits]
    assert len(ids) == len(set(ids)) == 5


def test_a_withdrawn_item_leaves_the_index(cast, publish, commit):
    item = publish(title="公益性岗位招聘公告")
    with commit():
        actions.item_withdraw(actor=cast.leader, item=item, reason="岗位调整")
    assert search("招聘").count == 0
    assert not api.SearchEntry.objects.filter(item=item).exists()


def test_a_new_version_is_searched_by_its_new_text_once_published(cast, publish, commit):
    item = publish(title="樱桃采摘节安排", body="<p>五月举办。</p>")
    version = actions.item_new_version(actor=cast.drafter, item=item)
    actions.item_update(actor=cast.drafter, item=item, body="<p>改在六月举办，地点在西山村。</p>")
    assert search("西山村").count == 0  # the draft is not public
    with commit():
        from tests.catalog.conftest import walk

        walk(cast, item, "published")
    version.refresh_from_db()
    assert titles(search("西山村")) == ["樱桃采摘节安排"]
    assert search("五月").count == 0


def test_a_secret_verdict_on_a_new_version_removes_the_item(cast, publish, commit):
    item = publish(title="专项工作情况", body="<p>部署情况</p>")
    actions.item_new_version(actor=cast.drafter, item=item)
    actions.item_submit(actor=cast.drafter, item=item)
    with commit():
        actions.item_secrecy_verdict(actor=cast.secrecy_reviewer, item=item, secret=True)
    assert search("专项").count == 0


def test_highlights_mark_matches_and_escape_the_rest(publish):
    publish(title="<b>预算</b>说明", summary="预算 <script>x</script>")
    hit = search("预算").hits[0]
    assert hit.title_html == "&lt;b&gt;<mark>预算</mark>&lt;/b&gt;说明"
    assert "<script>" not in hit.highlight and "<mark>预算</mark>" in hit.highlight


def test_above_the_exact_limit_the_count_is_an_estimate_flagged_as_such(publish, monkeypatch):
    for n in range(4):
        publish(title=f"第{n}期预算执行情况")
    monkeypatch.setattr(api, "EXACT_COUNT_UP_TO", 2)
    monkeypatch.setattr(api, "RERANK", 1)  # so that page 1 does not read every match
    from gongkai.search.backends import postgres

    monkeypatch.setattr(postgres, "PROBE", 1)  # nor PostgreSQL's sample the whole index
    results = api.search(q="预算", filters=Filters(), page=1, page_size=1)
    assert results.count_is_estimate and results.count >= 3
    assert len(results.hits) == 1


def test_when_a_page_reads_every_match_the_count_is_exact(publish, monkeypatch):
    for n in range(4):
        publish(title=f"第{n}期预算执行情况")
    monkeypatch.setattr(api, "EXACT_COUNT_UP_TO", 2)
    results = search("预算")
    assert not results.count_is_estimate and results.count == 4


@pytest.mark.parametrize("probe", [1, 2, 3, 50])
def test_postgresql_finds_the_same_page_whether_matches_look_dense_or_sparse(
    import_item, monkeypatch, probe
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the probe of newest rows is PostgreSQL's (SQLite walks FTS5 in key order)")
    from gongkai.search.backends import postgres

    for n in range(12):
        topic = "塘坝维修" if n % 3 == 0 else "农田水利"
        import_item(f"{topic}第{n}期", published=f"2024-{1 + n % 12:02d}-{10 + n:02d}")
    before = [titles(search(q)) for q in ("塘坝", "水利", "")]
    monkeypatch.setattr(postgres, "PROBE", probe)
    assert [titles(search(q)) for q in ("塘坝", "水利", "")] == before
    assert len(before[0]) == 4 and len(before[1]) == 8
    page2 = api.search(q="水利", filters=Filters(), page=2, page_size=3)
    assert [h.item.published_version.title for h in page2.hits] == before[1][3:6]


def test_the_search_page_says_which_synonyms_it_also_looked_for(client, cast, publish):
    from gongkai.search.models import SynonymGroup

    SynonymGroup.objects.create(terms="新农合 新型农村合作医疗")
    publish(title="2024年新型农村合作医疗参保缴费通知")
    page = client.get("/sousuo/", {"q": "新农合"}).content.decode()
    assert "同时查找了同义词：新型农村合作医疗" in page
    assert "2024年<mark>新型农村合作医疗</mark>参保缴费通知" in page
