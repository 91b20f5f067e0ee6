"""The public reads the portal and the API build on."""

import datetime

import time_machine

from gongkai.catalog import actions, queries
from gongkai.catalog.models import Genre, Item
from tests.catalog.conftest import make_draft, publish_new, walk


def test_published_items_filter_by_unit_category_year_genre_and_validity(cast):
    budget = queries.find_category("财政预算、决算信息")
    report = Genre.objects.get(name="报告")
    with time_machine.travel(datetime.datetime(2025, 3, 3, 10, 0), tick=False):
        a = publish_new(cast, title="预算", category=budget, genre=report)
    b = publish_new(cast, title="动态", category=queries.find_category("工作动态"))
    make_draft(cast, title="夏村镇的草稿", actor=cast.other_drafter, unit=cast.other_township)
    assert set(queries.published_items(unit="乳山市诸往镇人民政府")) == {a, b}
    assert list(queries.published_items(unit="zhuwang", year=2025)) == [a]
    assert list(queries.published_items(category="art20")) == [a]  # includes sub-categories
    assert list(queries.published_items(genre="报告")) == [a]
    assert list(queries.published_items(unit=cast.city, include_below=True)) == [b, a]
    assert not queries.published_items(unit="no-such-unit").exists()
    assert not queries.published_items(genre="诗歌").exists()
    assert queries.years_published(cast.zhuwang)[-1] == 2025


def test_drafts_and_reviews_are_never_public(cast):
    walk(cast, make_draft(cast), "sign_off")
    make_draft(cast, title="草稿")
    assert not Item.objects.published().exists()
    assert queries.item_by_index_number("") is None


def test_category_tree_counts_public_items_up_the_tree(cast):
    publish_new(cast, category=queries.find_category("财政预算、决算信息"))
    publish_new(cast, title="救助", category=queries.find_category("社会救助情况"))
    tree = {node.category.code: node for node in queries.category_tree(cast.zhuwang)}
    assert tree["art20"].total == 1 and tree["art21"].total == 1
    assert [c.count for c in tree["art20"].children if c.category.code == "art20-07"] == [1]
    pruned = queries.category_tree(cast.zhuwang, include_empty=False)
    assert {n.category.code for n in pruned} == {"art20", "art21"}


def test_a_units_own_column_shows_in_its_tree_only(cast):
    column = actions.category_create(
        actor=cast.office_head,
        name="脱贫攻坚",
        unit=cast.zhuwang,
        parent=queries.find_category("site"),
    )
    assert column.kind == "column"
    zhuwang_codes = {
        c.category.code for n in queries.category_tree(cast.zhuwang) for c in n.children
    }
    xiacun_codes = {
        c.category.code for n in queries.category_tree(cast.other_township) for c in n.children
    }
    assert column.code in zhuwang_codes and column.code not in xiacun_codes
    publish_new(cast, category=column)
    draft = make_draft(cast, actor=cast.other_drafter, unit=cast.other_township)
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.item_update(actor=cast.other_drafter, item=draft, category=column)


def test_a_policy_interpretation_is_linked_both_ways_once_public(cast):
    import pytest
    from django.core.exceptions import ValidationError

    reading = publish_new(
        cast, title="《低保实施办法》政策解读", genre=Genre.objects.get(name="政策解读")
    )
    document = make_draft(cast, title="低保实施办法", interpretations=[reading])
    assert queries.public_interpretations(document) == []  # not public yet
    walk(cast, document, "published")
    assert queries.public_interpretations(document) == [reading]
    assert queries.interpreted_documents(reading) == [document]
    foreign = make_draft(
        cast, title="夏村镇草稿", actor=cast.other_drafter, unit=cast.other_township
    )
    with pytest.raises(ValidationError):
        make_draft(cast, title="乱链接", interpretations=[foreign])
