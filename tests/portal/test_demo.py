"""`gongkai demo` gives a portal with at least 30 published items and the seed 2017 report in the
年报 part, and running it again changes nothing."""

from django.urls import reverse

from gongkai.catalog.models import Item
from gongkai.core import demo
from gongkai.portal.demo import REPORT_TITLE


def test_the_demo_fills_the_portal(
    client, db, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        demo.build()
    published = Item.objects.published().count()
    assert published >= 30
    html = client.get(reverse("portal:reports", args=["zhuwang"])).content.decode()
    assert REPORT_TITLE in html
    report = Item.objects.published().get(published_version__title=REPORT_TITLE)
    body = report.published_version.body
    assert "<h2>一、概述</h2>" in body and "涉密信息不上网" in body
    assert report.published_version.genre.name == "报告"
    data = client.get("/api/v1/items", {"q": "保密审查"}).json()
    assert REPORT_TITLE in [r["title"] for r in data["results"]]
    html = client.get(reverse("portal:rules", args=["zhuwang"])).content.decode()
    assert "政府信息发布保密审查制度" in html
    with django_capture_on_commit_callbacks(execute=True):
        demo.build()
    assert Item.objects.published().count() == published
