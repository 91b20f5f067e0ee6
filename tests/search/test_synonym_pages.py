"""The office's synonym list at /staff/search/synonyms/: who may edit it, what is refused, what
is recorded, and that an edit changes what the portal's search finds at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditEntry
from gongkai.search import actions, api, synonyms
from gongkai.search.filters import Filters
from gongkai.search.models import SynonymGroup
from tests.factories import make_user

LIST = reverse("search:synonyms")


@pytest.fixture(autouse=True)
def _fresh_synonyms():
    # The list is cached per process; another test's database must not leak in through it.
    synonyms.forget()
    yield
    synonyms.forget()


@pytest.fixture
def city_head(cast):
    return make_user("cityhead", roles=[(cast.city, Role.OFFICE_HEAD)])


def found(q):
    return [hit.item.published_version.title for hit in api.search(q=q, filters=Filters()).hits]


def state():
    return list(SynonymGroup.objects.order_by("pk").values_list("terms", "note", "is_active"))


def test_the_city_office_head_adds_edits_and_deletes_a_group_with_audit_rows(
    client, cast, city_head
):
    client.force_login(city_head)
    assert client.get(LIST).status_code == 200
    response = client.post(LIST, {"terms": "禁牧、禁止放牧，封山禁牧", "note": "群众常说"})
    assert response.status_code == 302
    group = SynonymGroup.objects.get(note="群众常说")
    assert group.terms == "禁牧 禁止放牧 封山禁牧" and group.updated_by == city_head
    html = client.get(LIST).content.decode()
    assert "禁止放牧" in html and "cityhead" in html

    edit = reverse("search:synonym_edit", args=[group.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"terms": "禁牧 禁止放牧", "note": "", "is_active": ""})
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.terms, group.note, group.is_active) == ("禁牧 禁止放牧", "", False)

    delete = reverse("search:synonym_delete", args=[group.pk])
    assert "确认删除" in client.get(delete).content.decode()
    assert SynonymGroup.objects.filter(pk=group.pk).exists()  # GET only asks
    assert client.post(delete).status_code == 302
    assert not SynonymGroup.objects.filter(pk=group.pk).exists()

    entries = list(AuditEntry.objects.filter(action__startswith="search.").order_by("pk"))
    assert [e.action for e in entries] == [
        "search.synonym_create",
        "search.synonym_update",
        "search.synonym_delete",
    ]
    assert all(e.actor == city_head and e.unit_id == cast.city.pk for e in entries)
    assert entries[0].after["terms"] == "禁牧 禁止放牧 封山禁牧"
    assert entries[1].before == {
        "terms": "禁牧 禁止放牧 封山禁牧",
        "note": "群众常说",
        "is_active": True,
    }
    assert entries[1].after == {"terms": "禁牧 禁止放牧", "note": "", "is_active": False}
    assert entries[2].before["terms"] == "禁牧 禁止放牧"


BAD_TERMS = [
    ("", "请填写同义词"),
    ("   、，  ", "请填写同义词"),
    ("新农合", "至少要有两个不同的词"),
    ("新农合、新农合，新农合", "至少要有两个不同的词"),
    ("ＮＥＷ new", "至少要有两个不同的词"),
    ("新农合 " + "医" * 31, "每个词最多"),
    (" ".join(f"词{i}" for i in range(13)), "最多 12 个词"),
    ("新农合 ！！！", "须含有汉字、字母或数字"),
    ("新农合 😀😀", "须含有汉字、字母或数字"),
    # The site cleans control characters out of every form (CleanInputMiddleware): a word of
    # NULs alone is then no word.
    ("新农合 \x00\x00", "至少要有两个不同的词"),
    ("新农合 新型农村合作医疗\u200b", "控制字符"),
    ("x" * 10_000, "内容过长"),
    ("'; DROP TABLE search_synonymgroup; --", "须含有汉字、字母或数字"),
    ("新型农村合作医疗、农村合作医疗 新农合", "已有一组相同的同义词"),
]


@pytest.mark.parametrize(("terms", "message"), BAD_TERMS)
def test_bad_words_are_refused_with_a_reason_and_change_nothing(client, city_head, terms, message):
    client.force_login(city_head)
    before = state()
    response = client.post(LIST, {"terms": terms, "note": "说明"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert state() == before
    assert not AuditEntry.objects.filter(action__startswith="search.").exists()


@pytest.mark.parametrize(
    ("note", "message"), [("说" * 201, "说明最多 200 个字"), ("说\u200b明", "控制字符")]
)
def test_a_bad_note_is_refused_when_editing_and_the_group_stays_as_it_was(
    client, city_head, note, message
):
    client.force_login(city_head)
    group = SynonymGroup.objects.order_by("pk").first()
    before = state()
    response = client.post(
        reverse("search:synonym_edit", args=[group.pk]),
        {"terms": "新农合 合作医疗", "note": note, "is_active": "on"},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert state() == before


def test_editing_a_group_into_a_copy_of_another_is_refused(client, city_head):
    client.force_login(city_head)
    first, second = SynonymGroup.objects.order_by("pk")[:2]
    response = client.post(
        reverse("search:synonym_edit", args=[second.pk]),
        {"terms": first.terms.upper(), "note": "", "is_active": "on"},
    )
    assert "已有一组相同的同义词" in response.content.decode()
    second_terms = second.terms
    second.refresh_from_db()
    assert second.terms == second_terms
    # Saving a group unchanged is not a copy of itself.
    response = client.post(
        reverse("search:synonym_edit", args=[first.pk]),
        {"terms": first.terms, "note": "已核对", "is_active": "on"},
    )
    assert response.status_code == 302


def test_a_township_drafter_reads_the_list_but_cannot_change_it(client, cast):
    client.force_login(cast.drafter)
    html = client.get(LIST).content.decode()
    assert (
        "新型农村合作医疗" in html and "添加同义词组" not in html and "修改同义词表请联系" in html
    )
    group = SynonymGroup.objects.order_by("pk").first()
    before = state()
    assert client.post(LIST, {"terms": "禁牧 禁止放牧"}).status_code == 403
    edit = reverse("search:synonym_edit", args=[group.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"terms": "甲 乙", "is_active": "on"}).status_code == 403
    delete = reverse("search:synonym_delete", args=[group.pk])
    assert client.post(delete).status_code == 403
    assert state() == before


def test_a_township_office_head_holds_the_permission_only_below_the_city(client, cast):
    # catalog.manage_categories on 诸往镇 edits the township's columns, not a site-wide list.
    client.force_login(cast.office_head)
    assert client.get(LIST).status_code == 200
    assert client.post(LIST, {"terms": "禁牧 禁止放牧"}).status_code == 403
    with pytest.raises(actions.permissions.PermissionDenied):
        actions.synonym_create(actor=cast.office_head, terms="禁牧 禁止放牧")
    assert not SynonymGroup.objects.filter(terms__contains="禁牧").exists()


def test_the_city_administrator_may_edit_and_anonymous_visitors_are_sent_to_sign_in(client, cast):
    assert client.get(LIST).status_code == 302
    client.force_login(cast.admin)
    assert client.post(LIST, {"terms": "禁牧 禁止放牧"}).status_code == 302
    assert SynonymGroup.objects.filter(terms="禁牧 禁止放牧").exists()


def test_an_edit_changes_what_the_search_finds_at_once(client, city_head, publish):
    publish(title="关于2024年新型农村合作医疗参保缴费的通知", body="缴费标准和时间。")
    client.force_login(city_head)
    assert found("新农合")  # the seeded group
    seeded = SynonymGroup.objects.get(terms__startswith="新农合")
    client.post(reverse("search:synonym_delete", args=[seeded.pk]))
    assert found("新农合") == []

    client.post(LIST, {"terms": "新农合 新型农村合作医疗", "note": ""})
    assert found("新农合") == ["关于2024年新型农村合作医疗参保缴费的通知"]

    group = SynonymGroup.objects.get(terms="新农合 新型农村合作医疗")
    client.post(
        reverse("search:synonym_edit", args=[group.pk]),
        {"terms": group.terms, "note": "", "is_active": ""},
    )
    assert found("新农合") == []


def test_the_try_box_shows_the_expansion_and_the_hit_count(client, cast, publish):
    publish(title="关于2024年新型农村合作医疗参保缴费的通知", body="缴费标准和时间。")
    client.force_login(cast.drafter)
    html = client.get(LIST, {"q": "新农合 缴费"}).content.decode()
    assert "新型农村合作医疗" in html and "1 条结果" in html
    fragment = client.get(reverse("search:synonym_try"), {"q": "新农合"}).content.decode()
    assert "1 条结果" in fragment and "<html" not in fragment


def test_the_actions_refuse_control_characters_that_did_not_come_through_a_form(city_head):
    # Commands and the API call the actions without the site's form cleaning.
    before = state()
    for terms, note in (("新农\x00合 新型农村合作医疗", ""), ("禁牧 禁止放牧", "说明\x00")):
        with pytest.raises(ValidationError) as refused:
            actions.synonym_create(actor=city_head, terms=terms, note=note)
        assert "控制字符" in str(refused.value)
    assert state() == before


@pytest.mark.parametrize(
    "q", ["", "x" * 10_000, "😀😀", "' OR 1=1; --", "<script>alert(1)</script>", "、，！"]
)
def test_the_try_box_never_fails_on_hostile_input(client, cast, q):
    client.force_login(cast.drafter)
    for url in (LIST, reverse("search:synonym_try")):
        response = client.get(url, {"q": q})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
    if len(q) > 200:
        assert "搜索词过长" in response.content.decode()


def test_a_nul_in_the_try_box_is_refused_with_a_reason(client, cast):
    client.force_login(cast.drafter)
    response = client.get(LIST, {"q": "新农\x00合"})
    assert response.status_code == 400 and "不允许的字符" in response.content.decode()
