"""RSS per organ and per category, sitemap.xml and robots.txt."""

from django.urls import reverse


def test_an_organ_feed_lists_its_items(client, cast, import_item):
    item = import_item("诸往镇2025年财政预算公开", category="art20-07")
    import_item("夏村镇2025年财政预算公开", unit="xiacun")
    xml = client.get(reverse("portal:unit_feed", args=["zhuwang"])).content.decode()
    assert "<rss" in xml and "诸往镇2025年财政预算公开" in xml and "夏村镇" not in xml
    assert reverse("portal:item", args=[item.index_number]) in xml
    assert client.get(reverse("portal:unit_feed", args=["nowhere"])).status_code == 404


def test_a_category_feed_lists_the_category_of_every_organ(client, cast, import_item):
    import_item("诸往镇预算", category="art20-07")
    import_item("夏村镇预算", unit="xiacun", category="art20-07")
    import_item("诸往镇低保", category="art21-08")
    xml = client.get(reverse("portal:category_feed", args=["art20-07"])).content.decode()
    assert "诸往镇预算" in xml and "夏村镇预算" in xml and "低保" not in xml


def test_the_sitemap_lists_items_and_portal_pages_and_robots_points_to_it(
    client, cast, import_item
):
    item = import_item("诸往镇预算")
    xml = client.get("/sitemap.xml").content.decode()
    assert reverse("portal:item", args=[item.index_number]) in xml
    assert reverse("portal:guide", args=["zhuwang"]) in xml
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /staff/" in robots
