"""The 政策解读 picker (htmx and plain form) and the workbench boxes that lead to the pages."""

from django.urls import reverse

from gongkai.catalog.models import Item
from tests.catalog.conftest import make_draft, publish_new, walk

PICK = reverse("catalog:pick")


def test_the_picker_finds_published_interpretations_as_you_type(client, cast):
    explained = publish_new(cast, title="《诸往镇低保实施办法》政策解读")
    publish_new(cast, title="无关的通知")
    client.force_login(cast.drafter)
    response = client.get(PICK, {"pick_q": "政策解读"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "《诸往镇低保实施办法》政策解读" in html and "无关的通知" not in html
    assert reverse("catalog:pick_chosen", args=[explained.pk]) in html
    chosen = client.get(reverse("catalog:pick_chosen", args=[explained.pk])).content.decode()
    assert f'name="interpretations" value="{explained.pk}" checked' in chosen


def test_the_picker_never_offers_another_townships_drafts_or_secret_items(client, cast):
    make_draft(cast, title="夏村解读草稿", unit=cast.other_township, actor=cast.other_drafter)
    secret = publish_new(cast, title="涉密解读")
    from gongkai.catalog import actions

    actions.item_mark_secret(actor=cast.secrecy_reviewer, item=secret, reason="涉密")
    client.force_login(cast.drafter)
    assert "夏村" not in client.get(PICK, {"pick_q": "解读"}).content.decode()
    assert "涉密解读" not in client.get(PICK, {"pick_q": "涉密"}).content.decode()
    assert client.get(reverse("catalog:pick_chosen", args=[secret.pk])).status_code == 404


def test_the_plain_form_search_shows_results_without_saving(client, cast):
    explained = publish_new(cast, title="低保政策解读")
    item = make_draft(cast, title="原名称")
    client.force_login(cast.drafter)
    response = client.post(
        reverse("catalog:item_edit", args=[item.pk]),
        {"title": "改了一半的名称", "pick_q": "低保", "_pick": "1", "scope": "public"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "改了一半的名称" in html  # what was typed is kept
    assert f'name="interpretations" value="{explained.pk}"' in html
    assert item.current_version().title == "原名称"


def test_saving_links_the_chosen_interpretations(client, cast):
    explained = publish_new(cast, title="低保政策解读")
    item = make_draft(cast)
    version = item.current_version()
    client.force_login(cast.drafter)
    response = client.post(
        reverse("catalog:item_edit", args=[item.pk]),
        {
            "title": version.title,
            "formed_date": version.formed_date.isoformat(),
            "scope": "public",
            "body": version.body,
            "interpretations": [str(explained.pk)],
        },
    )
    assert response.status_code == 302
    assert list(item.current_version().interpretations.all()) == [explained]
    html = client.get(reverse("catalog:item_edit", args=[item.pk])).content.decode()
    assert f'value="{explained.pk}" checked' in html


def test_an_item_cannot_interpret_itself(client, cast):
    item = publish_new(cast, title="自我解读")
    client.force_login(cast.drafter)
    html = client.get(PICK, {"pick_q": "自我", "exclude": item.pk}).content.decode()
    assert "自我解读" not in html


def test_each_roles_workbench_box_links_to_its_step_page(client, cast):
    waiting = walk(cast, make_draft(cast, title="请审查这条"), "secrecy_review")
    client.force_login(cast.secrecy_reviewer)
    html = client.get(reverse("core:workbench")).content.decode()
    assert reverse("catalog:review_secrecy", args=[waiting.pk]) in html
    assert reverse("catalog:item_list") + "?queue=secrecy_review" in html
    signing = walk(cast, make_draft(cast, title="请签发这条"), "sign_off")
    client.force_login(cast.leader)
    html = client.get(reverse("core:workbench")).content.decode()
    assert reverse("catalog:review_sign_off", args=[signing.pk]) in html
    for link in (
        reverse("catalog:review_sign_off", args=[signing.pk]),
        reverse("catalog:item_list") + "?queue=sign_off",
    ):
        assert client.get(link).status_code == 200


def test_a_rejected_draft_leads_its_drafter_to_the_edit_page(client, cast):
    from gongkai.catalog import actions

    item = walk(cast, make_draft(cast), "secrecy_review")
    actions.item_reject(actor=cast.secrecy_reviewer, item=item, reason="请删去身份证号")
    client.force_login(cast.drafter)
    html = client.get(reverse("core:workbench")).content.decode()
    assert reverse("catalog:item_edit", args=[item.pk]) in html
    assert "请删去身份证号" in html
    assert Item.objects.count() == 1
