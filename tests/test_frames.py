"""The page frames (base, public and staff) and the error pages, as a browser receives them:
a lang attribute, the landmarks, one h1, and a Chinese error page instead of Django's default."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_user


def landmarks(html):
    return {
        tag: len(re.findall(rf"<{tag}[\s>]", html)) for tag in ("header", "main", "footer", "h1")
    }


@pytest.fixture
def no_debug(settings):
    settings.DEBUG = False


def test_public_home_has_one_of_each_landmark_and_a_language(client, cast):
    html = client.get("/").content.decode()
    assert re.search(r'<html lang="zh-CN"', html)
    found = landmarks(html)
    assert found["main"] == 1 and found["h1"] == 1
    assert found["header"] >= 1 and found["footer"] >= 1
    assert 'class="skip-link" href="#main"' in html
    assert 'data-toggle="large"' in html and 'data-toggle="contrast"' in html


def test_staff_pages_have_a_menu_and_one_h1(client, cast):
    client.force_login(cast.office_head)
    html = client.get(reverse("core:workbench")).content.decode()
    found = landmarks(html)
    assert found["main"] == 1 and found["h1"] == 1
    assert found["header"] >= 1 and found["footer"] >= 1
    assert re.search(r'<nav class="staff-nav" aria-label="[^"]+"', html)


def test_english_pages_say_so_in_the_lang_attribute(client, cast):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").content.decode()


def test_a_missing_page_gets_a_chinese_page_in_the_frame(client, db, no_debug):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "<footer" in html


def test_a_refused_page_explains_in_chinese_without_internal_detail(client, cast, no_debug):
    client.force_login(cast.drafter)
    response = client.get(reverse("audit:list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "没有权限" in html
    assert "lacks" not in html and "audit.view" not in html


def test_an_expired_form_gets_a_chinese_explanation(cast, no_debug):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_the_server_error_page_renders_on_its_own(db):
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "系统暂时出现问题" in html and '<html lang="zh-CN"' in html


def test_a_superuser_sees_the_audit_menu(client, db):
    client.force_login(make_user("root", is_superuser=True))
    assert reverse("audit:list") in client.get(reverse("core:workbench")).content.decode()
