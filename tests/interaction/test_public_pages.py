from django.urls import reverse

from gongkai.interaction.models import MailboxSettings
from tests.interaction.conftest import published


def test_the_interaction_page_lists_every_organs_mailbox_and_hotline(client, cast):
    cast.zhuwang.phone = "0631-6366000"
    cast.zhuwang.save()
    MailboxSettings.objects.create(unit=cast.other_township, is_open=False)
    page = client.get(reverse("interaction:index")).content.decode()
    assert reverse("interaction:mailbox_write", args=["zhuwang"]) in page
    assert reverse("interaction:mailbox_write", args=["xiacun"]) not in page
    assert "暂停网上来信" in page
    assert "0631-6366000" in page
    assert reverse("interaction:mailbox_status") in page


def test_the_public_list_filters_by_unit_and_words(client, cast):
    published(cast, subject="路灯坏了")
    published(cast, subject="垃圾清运", content="村口垃圾好几天没人清运。")
    url = reverse("interaction:letters_public")
    page = client.get(url).content.decode()
    assert "共 2 封" in page
    page = client.get(url, {"q": "垃圾"}).content.decode()
    assert "垃圾清运" in page and "路灯坏了" not in page
    assert "共 0 封" in client.get(url, {"unit": "xiacun"}).content.decode()
    assert client.get(url, {"unit": "nowhere", "page": "x"}).status_code == 200


def test_a_published_exchange_reads_as_letter_and_reply(client, cast):
    letter = published(cast)
    page = client.get(reverse("interaction:letter_public", args=[letter.pk])).content.decode()
    assert letter.public_subject in page
    assert "来信内容" in page
    assert "乳山市诸往镇人民政府 于" in page
    assert "某某您好" in page
