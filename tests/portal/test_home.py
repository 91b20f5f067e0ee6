"""The home pages: the city's (everything, with the 区办镇信息目录) and each organ's own."""

import re

from django.urls import reverse


def test_the_city_home_shows_the_newest_items_of_every_organ_and_the_directory(
    client, cast, import_item
):
    import_item("诸往镇2025年财政预算公开", published="2025-02-20")
    import_item("关于开展春季农田水利基本建设的通知", unit="xiacun", genre="notice")
    html = client.get("/").content.decode()
    assert "诸往镇2025年财政预算公开" in html
    assert "关于开展春季农田水利基本建设的通知" in html  # a notice, in 通知公告 too
    assert html.count("关于开展春季农田水利基本建设的通知") == 2
    assert "区办镇信息目录" in html
    for unit in (cast.city, cast.zhuwang, cast.other_township):
        assert reverse("portal:unit_home", args=[unit.code]) in html


def test_a_township_home_shows_only_its_own_items(client, cast, import_item):
    import_item("诸往镇2025年财政预算公开")
    import_item("夏村镇2025年财政预算公开", unit="xiacun")
    html = client.get(reverse("portal:unit_home", args=["zhuwang"])).content.decode()
    assert "诸往镇2025年财政预算公开" in html and "夏村镇2025年财政预算公开" not in html
    assert "区办镇信息目录" not in html
    for part in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"):
        assert part in html


def test_home_pages_have_one_of_each_landmark(client, cast):
    for path in ("/", reverse("portal:unit_home", args=["zhuwang"])):
        html = client.get(path).content.decode()
        for tag in ("header", "main", "footer", "h1"):
            assert len(re.findall(rf"<{tag}[\s>]", html)) == 1, (path, tag)
        assert 'class="skip-link" href="#main"' in html


def test_an_office_or_an_unknown_code_has_no_portal(client, cast):
    assert client.get(reverse("portal:unit_home", args=["zhuwang-office"])).status_code == 404
    assert client.get(reverse("portal:unit_home", args=["nowhere"])).status_code == 404


def test_the_language_switch_is_a_get_that_only_sets_a_cookie(client, cast):
    response = client.get(reverse("portal:language"), {"language": "en", "next": "/sousuo/"})
    assert response.status_code == 302 and response["Location"] == "/sousuo/"
    assert '<html lang="en"' in client.get("/").content.decode()
    response = client.get(
        reverse("portal:language"), {"language": "zh-hans", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_public_pages_carry_no_csrf_token_so_they_can_be_shared_by_caches(client, cast):
    response = client.get("/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


def test_the_footer_names_the_organiser_and_the_registration_numbers(client, cast, settings):
    settings.SITE_ORGANISER = "乳山市人民政府办公室"
    settings.SITE_ID_CODE = "3710830001"
    settings.SITE_ICP = "鲁ICP备05012345号"
    settings.SITE_PSB = "鲁公网安备 37108302000123号"
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    for text in ("乳山市人民政府办公室", "3710830001", "鲁ICP备05012345号", "37108302000123"):
        assert text in footer
    assert 'href="https://beian.miit.gov.cn/"' in footer
