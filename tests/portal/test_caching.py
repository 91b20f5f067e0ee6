"""Anonymous visitors get ETag and Last-Modified with a short public max-age; an unchanged page
revalidates with a 304; publishing (any audited change) makes every page new again."""

from django.urls import reverse

from gongkai.catalog import actions


def test_public_pages_carry_validators_and_answer_304_when_unchanged(client, cast, publish):
    item = publish(title="樱桃采摘节")
    for path in ("/", reverse("portal:item", args=[item.index_number]), "/api/v1/items"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["ETag"] and response["Last-Modified"]
        # Item pages are revalidated by the browser every time (a withdrawal shows at once).
        expected = "no-cache" if "/xinxi/" in path else "max-age=60"
        assert "public" in response["Cache-Control"] and expected in response["Cache-Control"]
        again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, path


def test_publishing_changes_the_etag(client, cast, publish):
    publish(title="第一条")
    before = client.get("/")["ETag"]
    item = publish(title="第二条")
    after = client.get("/", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before
    actions.item_withdraw(actor=cast.leader, item=item, reason="撤回")
    assert client.get("/", HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 200


def test_the_language_is_part_of_the_etag(client, cast):
    chinese = client.get("/")["ETag"]
    client.get(reverse("portal:language"), {"language": "en", "next": "/"})
    assert client.get("/")["ETag"] != chinese


def test_signed_in_staff_get_no_shared_caching(client, cast):
    client.force_login(cast.drafter)
    response = client.get("/")
    assert not response.has_header("ETag")
    assert "private" in response["Cache-Control"]
