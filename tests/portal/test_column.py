"""The 政府信息公开 column of an organ in exactly four parts: 指南, 制度, 主动公开内容, 年报."""

import re

import pytest
from django.urls import reverse

from gongkai.accounts import actions as unit_actions
from gongkai.portal import actions
from gongkai.portal.demo import REPORT_TITLE

PARTS = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]


def column_links(html):
    nav = re.search(r'<nav class="column-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


@pytest.mark.parametrize("part", ["guide", "rules", "catalog", "reports"])
def test_every_part_shows_the_same_four_parts_and_marks_its_own(client, cast, part):
    html = client.get(reverse(f"portal:{part}", args=["zhuwang"])).content.decode()
    assert column_links(html) == PARTS
    current = re.search(
        r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', html.split("column-nav")[1]
    )
    assert current.group(1) == PARTS[["guide", "rules", "catalog", "reports"].index(part)]


def test_the_guide_gives_every_element_of_article_12(client, cast):
    unit_actions.unit_update(
        actor=None,
        unit=cast.zhuwang,
        address="乳山市诸往镇驻地",
        postcode="264500",
        opening_hours="工作日 上午8:30-12:00",
        phone="0631-6366000",
        fax="0631-6366001",
        email="zw@example.com",
        website="https://zhuwang.example.gov.cn/",
    )
    actions.guide_update(
        actor=cast.office_head,
        unit=cast.zhuwang,
        office_name="乳山市诸往镇人民政府党政办公室",
        proactive="本镇还通过政务公开栏公开信息。",
    )
    html = client.get(reverse("portal:guide", args=["zhuwang"])).content.decode()
    for text in [
        "政府信息的分类与编排体系",  # classification and arrangement
        "财政预算、决算信息",  # a category of the tree
        "索引号",
        "主动公开",
        "依申请公开",
        "补正",
        "20 个工作日",
        "乳山市诸往镇人民政府党政办公室",  # office name
        "乳山市诸往镇驻地",  # address
        "264500",
        "工作日 上午8:30-12:00",  # opening hours
        "0631-6366000",  # phone
        "0631-6366001",  # fax
        "zw@example.com",  # internet contact
        "https://zhuwang.example.gov.cn/",
        "本镇还通过政务公开栏公开信息。",  # the office's own text
        "行政复议",
    ]:
        assert text in html, text


def test_missing_contact_data_is_shown_as_missing_not_left_blank(client, cast):
    html = client.get(reverse("portal:guide", args=["xiacun"])).content.decode()
    assert html.count('class="missing"') >= 4 and "（未填写）" in html


def test_the_rules_part_lists_the_offices_pages(client, cast):
    page = actions.page_create(
        actor=cast.office_head, unit=cast.zhuwang, title="保密审查制度", body="上网信息不涉密。"
    )
    html = client.get(reverse("portal:rules", args=["zhuwang"])).content.decode()
    assert "保密审查制度" in html
    html = client.get(reverse("portal:rule", args=["zhuwang", page.pk])).content.decode()
    assert "<p>上网信息不涉密。</p>" in html
    # Another organ's page is not under this organ.
    assert client.get(reverse("portal:rule", args=["xiacun", page.pk])).status_code == 404


def test_the_catalog_part_counts_items_per_category_and_lists_them(client, cast, import_item):
    import_item("2024年预算公开", category="art20-07", published="2024-02-20")
    import_item("2025年预算公开", category="art20-07", published="2025-02-20")
    import_item("2025年低保资金发放", category="art21-08", published="2025-06-20")
    url = reverse("portal:catalog", args=["zhuwang"])
    html = client.get(url).content.decode()
    assert re.search(r"财政预算、决算信息</a><span class=\"count\">\(2\)", html)
    assert re.search(r"条例第二十条[^<]*</a><span class=\"count\">\(2\)", html)
    assert re.search(r"社会救助情况</a><span class=\"count\">\(1\)", html)
    html = client.get(url, {"category": "art20-07"}).content.decode()
    assert "2024年预算公开" in html and "2025年预算公开" in html and "低保" not in html
    html = client.get(url, {"category": "art20-07", "year": "2024"}).content.decode()
    assert "2024年预算公开" in html and "2025年预算公开" not in html
    assert client.get(url, {"category": "nope"}).status_code == 404
    assert client.get(url, {"category": "art20-07", "page": "x"}).status_code == 400


def test_the_reports_part_lists_the_annual_reports_kept_in_the_catalog(client, cast, import_item):
    import_item(
        REPORT_TITLE,
        category="platform-annual-report",
        genre="report",
        published="2018-01-29",
        formed="2018-01-26",
    )
    import_item("诸往镇2018年财政预算公开", category="art20-07", published="2018-02-20")
    html = client.get(reverse("portal:reports", args=["zhuwang"])).content.decode()
    assert REPORT_TITLE in html and "2017 年度" in html
    assert "财政预算" not in html
    html = client.get(reverse("portal:reports", args=["xiacun"])).content.decode()
    assert "尚未发布" in html


def test_the_directory_lists_every_organ_with_its_count(client, cast, import_item):
    import_item("夏村镇2025年财政预算公开", unit="xiacun")
    html = client.get(reverse("portal:directory")).content.decode()
    for unit in (cast.city, cast.zhuwang, cast.other_township):
        assert unit.name in html
    assert "党政办公室" not in html
    assert re.search(r"乳山市夏村镇人民政府</a></th>\s*<td>1</td>", html)


def test_every_category_and_year_lists_without_error_and_counts_empty_ones(
    client, cast, import_item
):
    from gongkai.catalog.models import Category

    import_item("2024年预算公开", category="art20-07", published="2024-02-20")
    import_item("2025年低保资金发放", category="art21-08", published="2025-06-20")
    url = reverse("portal:catalog", args=["zhuwang"])
    codes = list(Category.objects.values_list("code", flat=True))
    assert len(codes) > 20
    empty = 0
    for code in codes:
        for year in ("", "2024", "2025"):
            response = client.get(url, {"category": code, "year": year})
            assert response.status_code == 200, (code, year)
            if "共 0 条" in response.content.decode():
                empty += 1
    assert empty > len(codes)  # most categories are empty in one year or another
    html = client.get(url, {"category": "art20-01"}).content.decode()
    assert "共 0 条" in html
