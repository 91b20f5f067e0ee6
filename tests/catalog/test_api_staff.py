"""The staff API of the catalog (/api/v1/staff/catalog/): the whole workflow with the cast's
tokens, the same permissions and township scoping as the pages, and refusals as 400/403/404/409
with a message (422 for a body that does not fit the schema), never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongkai.accounts.actions import token_create
from gongkai.audit.models import AuditEntry
from gongkai.catalog import actions
from gongkai.catalog.models import Attachment, Category, Item, ItemVersion
from tests.catalog.conftest import make_draft, publish_new, walk
from tests.lib.files import make_docx, make_pdf, make_png

PREFIX = "/api/v1/staff/catalog"


def auth(user) -> dict[str, str]:
    _row, token = token_create(actor=None, user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def get(client, path, user, params=None):
    return client.get(PREFIX + path, params or {}, **auth(user))


def post(client, path, user, body=None):
    return client.post(PREFIX + path, body or {}, content_type="application/json", **auth(user))


def patch(client, path, user, body):
    return client.patch(PREFIX + path, body, content_type="application/json", **auth(user))


def upload(client, item_id, user, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{PREFIX}/items/{item_id}/attachments",
        {"file": SimpleUploadedFile(name, data)},
        **auth(user),
    )


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def draft_body(**fields):
    return {
        "unit": "zhuwang",
        "title": "关于2017年财政预算的公示",
        "formed_date": days_ago(2),
        "body": "<p>2017年全镇财政预算收入3200万元。</p>",
        **fields,
    }


@pytest.fixture
def no_ocr(monkeypatch):
    from gongkai.lib import textextract

    monkeypatch.setattr(textextract, "ocr_available", lambda: False)


# -- tokens -------------------------------------------------------------------------------------


def test_calls_without_a_valid_token_get_401(client, cast):
    assert client.get(PREFIX + "/items").status_code == 401
    for header in ("Bearer nonsense", "Bearer " + "x" * 500, "Basic ZHJhZnRlcjpwdw==", "Bearer "):
        response = client.get(PREFIX + "/items", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
    assert client.post(PREFIX + "/items", {}, content_type="application/json").status_code == 401
    assert not Item.objects.exists()


# -- the workflow -------------------------------------------------------------------------------


def test_a_draft_goes_all_the_way_to_publication_through_the_api(client, cast):
    response = post(
        client,
        "/items",
        cast.drafter,
        draft_body(
            category="art20-07",
            genre="公示",
            topic="finance",
            document_number="诸政发[2017]12号",
            keywords="预算，财政",
        ),
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["state"] == "draft" and item["version"] == 1 and item["index_number"] is None
    assert item["organ_code"] == "zhuwang" and item["unit_code"] == "zhuwang"
    assert item["current"]["category"] == "art20-07" and item["current"]["genre"] == "publicity"
    assert item["current"]["document_number"] == "诸政发〔2017〕12号"
    assert item["can"]["edit"] and not item["can"]["sign_off"]
    pk = item["id"]

    pdf = make_pdf(["诸往镇2017年财政预算表"])
    response = upload(client, pk, cast.drafter, "预算表.pdf", pdf)
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "pdf" and response.json()["readable"] is True
    download = client.get(response.json()["url"], **auth(cast.drafter))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf

    response = patch(client, f"/items/{pk}", cast.drafter, {"summary": "全镇预算收支情况"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["current"]["summary"] == "全镇预算收支情况"
    assert data["current"]["category"] == "art20-07"  # fields not sent stay as they were
    assert data["title"] == "关于2017年财政预算的公示"

    assert post(client, f"/items/{pk}/submit", cast.drafter).json()["state"] == "secrecy_review"
    response = post(client, f"/items/{pk}/secrecy", cast.secrecy_reviewer, {"verdict": "非涉密"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "office_review"
    assert response.json()["secrecy"] == "non_secret"
    response = post(client, f"/items/{pk}/office-approve", cast.office_reviewer, {"note": "同意"})
    assert response.json()["state"] == "sign_off"
    assert response.json()["current"]["office_note"] == "同意"
    response = post(client, f"/items/{pk}/sign-off", cast.leader)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "published" and data["index_number"]
    assert data["published_version"] == 1 and len(data["current"]["fingerprint"]) == 64
    assert [h["action"] for h in data["history"]][-1] == "catalog.item_publish"

    public = client.get(f"/api/v1/items/{data['index_number']}")
    assert public.status_code == 200 and public.json()["title"] == "关于2017年财政预算的公示"
    publication = AuditEntry.objects.get(action="catalog.item_publish")
    assert publication.actor == cast.leader and publication.after["via"] == "sign_off"
    listed = get(client, "/items", cast.drafter, {"state": "已发布"}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == pk


def test_findings_and_unreadable_files_hold_the_sign_off_back(client, cast, no_ocr):
    item = make_draft(cast, body="<p>联系人张三，手机 13812345678。</p>")
    scan = actions.attachment_add(actor=cast.drafter, item=item, data=make_png(), name="盖章页.png")
    submitted = post(client, f"/items/{item.pk}/submit", cast.drafter).json()
    assert [f["kind"] for f in submitted["findings"]] == ["mobile"]
    assert submitted["findings"][0]["context_before"].endswith("手机 ")
    actions.item_secrecy_verdict(actor=cast.secrecy_reviewer, item=item, secret=False)
    actions.item_office_approve(actor=cast.office_reviewer, item=item)

    without_reason = post(client, f"/items/{item.pk}/sign-off", cast.leader)
    assert without_reason.status_code == 400
    assert "带问题发布的理由" in without_reason.json()["detail"]
    blocked = post(client, f"/items/{item.pk}/sign-off", cast.leader, {"override_reason": "已同意"})
    assert blocked.status_code == 409
    assert [p["code"] for p in blocked.json()["problems"]] == ["unreadable_unconfirmed"]
    assert blocked.json()["problems"][0]["overridable"] is False
    assert "人工确认" in blocked.json()["detail"]
    assert ItemVersion.objects.get(item=item).state == "sign_off"

    confirm = f"/items/{item.pk}/attachments/{scan.pk}/confirm"
    assert post(client, confirm, cast.leader, {"note": "看过"}).status_code == 403
    assert post(client, confirm, cast.office_reviewer, {"note": "  "}).status_code == 400
    response = post(client, confirm, cast.office_reviewer, {"note": "已逐页查看，无个人信息"})
    assert response.status_code == 200 and response.json()["problems"] == []
    again = post(client, confirm, cast.office_reviewer, {"note": "再看一遍"})
    assert again.status_code == 409 and "无需人工确认" in again.json()["detail"]

    response = post(
        client, f"/items/{item.pk}/sign-off", cast.leader, {"override_reason": "已同意"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "published"
    assert response.json()["current"]["checks_override_reason"] == "已同意"


def test_a_finding_that_appears_only_at_sign_off_can_be_answered_with_a_reason(client, cast):
    from gongkai.accounts import actions as unit_actions

    unit_actions.unit_update(actor=None, unit=cast.zhuwang, phone="13906310000")
    item = walk(cast, make_draft(cast, body="<p>咨询电话 13906310000</p>"), "sign_off")
    assert get(client, f"/items/{item.pk}", cast.leader).json()["findings"] == []
    unit_actions.unit_update(actor=None, unit=cast.zhuwang, phone="")  # no longer the office's
    blocked = post(client, f"/items/{item.pk}/sign-off", cast.leader)
    assert blocked.status_code == 409
    assert blocked.json()["problems"] == [
        {"code": "findings", "message": blocked.json()["detail"], "overridable": True}
    ]
    response = post(
        client, f"/items/{item.pk}/sign-off", cast.leader, {"override_reason": "公开电话"}
    )
    assert response.status_code == 200 and response.json()["state"] == "published"


def test_a_scheduled_publication_and_its_cancellation(client, cast):
    item = walk(cast, make_draft(cast), "sign_off")
    path = f"/items/{item.pk}/sign-off"
    past = post(client, path, cast.leader, {"go_live_at": "2001-01-01T08:00:00"})
    assert past.status_code == 400 and "晚于现在" in past.json()["detail"]
    far = (timezone.now() + datetime.timedelta(days=400)).isoformat()
    assert post(client, path, cast.leader, {"go_live_at": far}).status_code == 400
    assert post(client, path, cast.leader, {"go_live_at": "明天上午"}).status_code == 422

    at = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    response = post(client, path, cast.leader, {"go_live_at": at.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "scheduled"
    assert datetime.datetime.fromisoformat(response.json()["current"]["go_live_at"]) == at
    assert Item.objects.get(pk=item.pk).published_version is None

    reject = f"/items/{item.pk}/reject"
    assert post(client, reject, cast.office_reviewer, {"reason": "不对"}).status_code == 403
    assert post(client, reject, cast.leader, {"reason": ""}).status_code == 400
    response = post(client, reject, cast.leader, {"reason": "数字要再核对"})
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == "draft" and data["current"]["rejection_reason"] == "数字要再核对"
    assert data["current"]["go_live_at"] is None and data["can"]["edit"] is False  # leader


def test_a_secret_item_can_never_be_published_through_the_api(client, cast):
    item = make_draft(cast)
    attachment = actions.attachment_add(
        actor=cast.drafter, item=item, data=make_docx(["内部材料"]), name="材料.docx"
    )
    walk(cast, item, "secrecy_review")
    path = f"/items/{item.pk}/secrecy"
    unconfirmed = post(client, path, cast.secrecy_reviewer, {"verdict": "secret"})
    assert unconfirmed.status_code == 400 and "勾选确认" in unconfirmed.json()["detail"]
    assert ItemVersion.objects.get(item=item).body  # nothing purged yet

    response = post(
        client, path, cast.secrecy_reviewer, {"verdict": "涉密", "confirm_secret": True}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["secrecy"] == "secret" and data["state"] == "secret"
    assert data["current"]["body"] == "" and data["current"]["content_purged"] is True
    assert data["attachments"][0]["url"] is None
    download = f"{PREFIX}/items/{item.pk}/attachments/{attachment.pk}"
    assert client.get(download, **auth(cast.drafter)).status_code == 404

    for path, user, body in (
        (f"/items/{item.pk}/sign-off", cast.leader, {"override_reason": "上级要求"}),
        (f"/items/{item.pk}/office-approve", cast.office_reviewer, {}),
        (f"/items/{item.pk}/new-version", cast.drafter, {}),
        (f"/items/{item.pk}/submit", cast.drafter, {}),
        (f"/items/{item.pk}/withdraw", cast.leader, {"reason": "试试"}),
    ):
        response = post(client, path, user, body)
        assert response.status_code == 409, (path, response.content)
    assert patch(client, f"/items/{item.pk}", cast.drafter, {"title": "改名"}).status_code == 409
    item.refresh_from_db()
    assert item.published_version is None and item.index_number is None
    assert not AuditEntry.objects.filter(action="catalog.item_publish").exists()

    handled = f"/items/{item.pk}/secret-handled"
    assert post(client, handled, cast.secrecy_reviewer, {"note": ""}).status_code == 400
    response = post(client, handled, cast.secrecy_reviewer, {"note": "原件已交保密室"})
    assert response.status_code == 200 and response.json()["secret_handled_at"]
    assert post(client, handled, cast.secrecy_reviewer, {"note": "再确认"}).status_code == 409


def test_a_published_item_judged_secret_goes_offline_at_once(client, cast):
    item = publish_new(cast)
    index_number = item.index_number
    assert client.get(f"/api/v1/items/{index_number}").status_code == 200
    path = f"/items/{item.pk}/mark-secret"
    assert post(client, path, cast.leader, {"reason": "涉密", "confirm": True}).status_code == 403
    assert post(client, path, cast.secrecy_reviewer, {"reason": "涉密"}).status_code == 400
    response = post(client, path, cast.secrecy_reviewer, {"reason": "含涉密内容", "confirm": True})
    assert response.status_code == 200 and response.json()["secrecy"] == "secret"
    assert client.get(f"/api/v1/items/{index_number}").status_code == 404
    again = post(client, path, cast.secrecy_reviewer, {"reason": "再次", "confirm": True})
    assert again.status_code == 409


def test_a_withheld_item_is_registered_and_reassessed(client, cast):
    item = walk(cast, make_draft(cast), "secrecy_review")
    path = f"/items/{item.pk}/secrecy"
    body = {"verdict": "non_secret", "disclosure": "withheld"}
    no_reason = post(client, path, cast.secrecy_reviewer, body)
    assert no_reason.status_code == 400 and "理由" in no_reason.json()["detail"]
    bogus = post(client, path, cast.secrecy_reviewer, {**body, "disclosure": "公开一半"})
    assert bogus.status_code == 400
    body.update(reason="涉及第三方商业秘密", basis="条例第十五条")
    response = post(client, path, cast.secrecy_reviewer, body)
    data = response.json()
    assert data["state"] == "withheld" and data["disclosure_reason"] == "涉及第三方商业秘密"
    assert data["reassess_due"] is not None
    register = get(client, "/items", cast.secrecy_reviewer, {"disclosure": "不予公开"}).json()
    assert [row["id"] for row in register["results"]] == [item.pk]

    reassess = f"/items/{item.pk}/reassess"
    assert (
        post(client, reassess, cast.drafter, {"decision": "keep", "reason": "x"}).status_code == 403
    )
    wrong = post(client, reassess, cast.secrecy_reviewer, {"decision": "maybe", "reason": "x"})
    assert wrong.status_code == 400
    kept = post(client, reassess, cast.secrecy_reviewer, {"decision": "keep", "reason": "仍涉及"})
    assert kept.json()["state"] == "withheld" and kept.json()["disclosure_reason"] == "仍涉及"
    released = post(
        client, reassess, cast.secrecy_reviewer, {"decision": "release", "reason": "已解除"}
    )
    assert released.json()["state"] == "office_review"
    assert released.json()["disclosure"] == "proactive"
    assert (
        post(client, reassess, cast.secrecy_reviewer, body | {"decision": "keep"}).status_code
        == 409
    )


def test_withdraw_validity_and_a_new_version(client, cast):
    old = publish_new(cast, title="诸往镇农村低保实施办法")
    new = publish_new(cast, title="诸往镇农村低保实施办法（修订）")
    withdraw = f"/items/{old.pk}/withdraw"
    validity = f"/items/{old.pk}/validity"

    amended = {"validity": "已修改", "effective_date": days_ago(1)}
    response = post(client, validity, cast.office_reviewer, amended)
    assert response.status_code == 400 and "修改后的新文件" in response.json()["detail"]
    unknown = post(client, validity, cast.office_reviewer, amended | {"replaced_by": "nope"})
    assert unknown.status_code == 400 and "索引号" in unknown.json()["detail"]
    assert post(client, validity, cast.drafter, amended).status_code == 403
    response = post(
        client, validity, cast.office_reviewer, amended | {"replaced_by": new.index_number}
    )
    assert response.status_code == 200, response.content
    assert response.json()["validity"] == "amended"
    assert response.json()["replaced_by"] == new.index_number
    assert client.get(f"/api/v1/items/{old.index_number}").json()["validity"] == "已修改"

    response = post(client, f"/items/{new.pk}/new-version", cast.drafter)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "draft" and data["version"] == 2 and data["published_version"] == 1
    assert [v["number"] for v in data["versions"]] == [2, 1]
    assert post(client, f"/items/{new.pk}/new-version", cast.drafter).status_code == 409
    changed = patch(
        client, f"/items/{new.pk}", cast.drafter, {"title": "诸往镇农村低保实施办法（第二次修订）"}
    )
    assert changed.status_code == 200
    assert client.get(f"/api/v1/items/{new.index_number}").json()["title"].endswith("（修订）")

    assert post(client, withdraw, cast.office_reviewer, {"reason": "过时"}).status_code == 403
    assert post(client, withdraw, cast.leader, {"reason": "   "}).status_code == 400
    response = post(client, withdraw, cast.leader, {"reason": "已被新文件替代"})
    assert response.status_code == 200 and response.json()["withdrawn_reason"] == "已被新文件替代"
    assert response.json()["published_version"] is None
    assert client.get(f"/api/v1/items/{old.index_number}").status_code == 404
    assert post(client, withdraw, cast.leader, {"reason": "再撤一次"}).status_code == 409


def test_attachments_are_checked_by_content_and_deleted_only_from_drafts(client, cast):
    item = make_draft(cast)
    exe = upload(client, item.pk, cast.drafter, "通知.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    assert exe.status_code == 400 and "不是允许的附件类型" in exe.json()["detail"]
    empty = upload(client, item.pk, cast.drafter, "空.pdf", b"")
    assert empty.status_code in (400, 422)
    assert not Attachment.objects.exists()
    missing = client.post(f"{PREFIX}/items/{item.pk}/attachments", {}, **auth(cast.drafter))
    assert missing.status_code == 422

    kept = upload(client, item.pk, cast.drafter, "表.docx", make_docx(["明细"])).json()
    assert (
        upload(client, item.pk, cast.secrecy_reviewer, "a.pdf", make_pdf(["x"])).status_code == 403
    )
    removed = upload(client, item.pk, cast.drafter, "错.pdf", make_pdf(["错"])).json()
    delete = f"{PREFIX}/items/{item.pk}/attachments/{removed['id']}"
    response = client.delete(delete, **auth(cast.drafter))
    assert response.status_code == 200
    assert [a["name"] for a in response.json()["attachments"]] == ["表.docx"]
    assert client.delete(delete, **auth(cast.drafter)).status_code == 404

    walk(cast, item, "published")
    actions.item_new_version(actor=cast.drafter, item=item)
    first = Attachment.objects.get(version__number=1, name="表.docx")
    older = client.delete(f"{PREFIX}/items/{item.pk}/attachments/{first.pk}", **auth(cast.drafter))
    assert older.status_code == 409
    assert Attachment.objects.filter(pk=first.pk).exists() and kept["id"] == first.pk


# -- who sees and does what ---------------------------------------------------------------------


def test_another_township_gets_404_and_sees_nothing(client, cast):
    item = publish_new(cast)
    draft = make_draft(cast, title="诸往镇草稿")
    attachment = actions.attachment_add(
        actor=cast.drafter, item=draft, data=make_pdf(["x"]), name="x.pdf"
    )
    other = cast.other_drafter
    assert get(client, "/items", other).json() == {"count": 0, "results": []}
    for pk in (item.pk, draft.pk):
        assert get(client, f"/items/{pk}", other).status_code == 404
        assert post(client, f"/items/{pk}/submit", other).status_code == 404
        assert post(client, f"/items/{pk}/new-version", other).status_code == 404
        assert patch(client, f"/items/{pk}", other, {"title": "改"}).status_code == 404
    assert get(client, f"/items/{draft.pk}/attachments/{attachment.pk}", other).status_code == 404
    assert upload(client, draft.pk, other, "a.pdf", make_pdf(["x"])).status_code == 404
    response = post(client, "/items", other, draft_body())
    assert response.status_code == 403
    filtered = get(client, "/items", other, {"unit": "zhuwang"})
    assert filtered.status_code == 400
    assert Item.objects.count() == 2

    mine = post(client, "/items", other, draft_body(unit="xiacun")).json()
    assert mine["organ_code"] == "xiacun"
    assert get(client, f"/items/{mine['id']}", cast.drafter).status_code == 404


def test_each_step_needs_its_own_role(client, cast):
    item = make_draft(cast)
    assert post(client, f"/items/{item.pk}/submit", cast.leader).status_code == 403
    assert post(client, "/items", cast.secrecy_reviewer, draft_body()).status_code == 403
    assert post(client, "/items", cast.admin, draft_body()).status_code == 403
    walk(cast, item, "secrecy_review")
    for user in (cast.drafter, cast.office_reviewer, cast.leader):
        response = post(client, f"/items/{item.pk}/secrecy", user, {"verdict": "non_secret"})
        assert response.status_code == 403
    # Wrong step for the right person: 409, whatever the body (a body longer than the form
    # allows is refused first, 422).
    too_long = {"override_reason": "理" * 5000}
    assert post(client, f"/items/{item.pk}/sign-off", cast.leader, too_long).status_code == 422
    reason = {"override_reason": "理" * 50}
    assert post(client, f"/items/{item.pk}/sign-off", cast.leader, reason).status_code == 409
    assert post(client, f"/items/{item.pk}/sign-off", cast.leader).status_code == 409
    assert post(client, f"/items/{item.pk}/office-approve", cast.office_reviewer).status_code == 409
    assert ItemVersion.objects.get(item=item).state == "secrecy_review"

    # The city administrator sees every township's items, the station drafter only the station's.
    assert get(client, f"/items/{item.pk}", cast.admin).json()["can"]["edit"] is False
    assert get(client, f"/items/{item.pk}", cast.station_drafter).status_code == 404
    station = post(client, "/items", cast.station_drafter, draft_body(unit="zhuwang-agri"))
    assert station.status_code == 201 and station.json()["organ_code"] == "zhuwang"
    listed = get(client, "/items", cast.drafter, {"unit": "zhuwang"}).json()
    assert listed["count"] == 2
    only_station = get(client, "/items", cast.drafter, {"unit": "乳山市诸往镇农业综合服务站"})
    assert [r["unit_code"] for r in only_station.json()["results"]] == ["zhuwang-agri"]


def test_queues_show_each_person_their_work(client, cast):
    waiting = walk(cast, make_draft(cast, title="待审"), "office_review")
    make_draft(cast, title="草稿")
    mine = get(client, "/items", cast.office_reviewer, {"queue": "mine"}).json()
    assert [r["id"] for r in mine["results"]] == [waiting.pk]
    drafts = get(client, "/items", cast.drafter, {"queue": "draft"}).json()
    assert [r["title"] for r in drafts["results"]] == ["草稿"]
    assert get(client, "/items", cast.drafter, {"queue": "nonsense"}).status_code == 400
    found = get(client, "/items", cast.drafter, {"q": "待审", "year": timezone.localdate().year})
    assert found.json()["count"] == 1


# -- bad input ----------------------------------------------------------------------------------


def test_bad_drafts_are_refused_with_a_message_and_change_nothing(client, cast):
    for field, value in (("title", "x" * 201), ("summary", "概" * 301), ("body", "正" * 500_001)):
        # as long as the web form allows, no longer: refused by the schema, in Chinese
        response = post(client, "/items", cast.drafter, draft_body(**{field: value}))
        assert response.status_code == 422, (field, response.content)
        (error,) = response.json()["detail"]
        assert error["loc"][-1] == field and "不能超过" in error["msg"]
    cases = {
        "formed_date": ((timezone.localdate() + datetime.timedelta(days=3)).isoformat(), "今天"),
        "legal_period_days": (10**12, "法定公开期限"),
        "category": ("no-such-category", "目录分类"),
        "genre": ("no-such-genre", "体裁分类"),
        "unit": ("no-such-unit", "承办单位"),
        "scope": ("全世界", "公开范围"),
        "interpretations": ([2**70], "政策解读"),
    }
    for field, (value, word) in cases.items():
        response = post(client, "/items", cast.drafter, draft_body(**{field: value}))
        assert response.status_code == 400, (field, response.content)
        assert word in response.json()["detail"], (field, response.json())
    secret_item = make_draft(cast)
    Item.objects.filter(pk=secret_item.pk).update(secrecy="secret")
    response = post(client, "/items", cast.drafter, draft_body(interpretations=[secret_item.pk]))
    assert response.status_code == 400 and "政策解读" in response.json()["detail"]
    for field, value in (
        ("title", 123),
        ("title", None),
        ("formed_date", "2017-02-30"),
        ("formed_date", "去年"),
        ("legal_period_days", "abc"),
        ("interpretations", "1,2"),
    ):
        response = post(client, "/items", cast.drafter, draft_body(**{field: value}))
        assert response.status_code == 422, (field, value, response.content)
    garbage = client.post(
        PREFIX + "/items", "{not json", content_type="application/json", **auth(cast.drafter)
    )
    assert garbage.status_code in (400, 422)
    assert Item.objects.count() == 1

    item = make_draft(cast, title="原名")
    for body in ({"title": ""}, {"title": None}, {"category": "nope"}):
        response = patch(client, f"/items/{item.pk}", cast.drafter, body)
        assert response.status_code == 400, (body, response.content)
    assert patch(client, f"/items/{item.pk}", cast.drafter, {"title": "x" * 300}).status_code == 422
    assert ItemVersion.objects.get(item=item).title == "原名"
    cleared = patch(client, f"/items/{item.pk}", cast.drafter, {"category": "art20-07"}).json()
    assert cleared["current"]["category"] == "art20-07"
    cleared = patch(client, f"/items/{item.pk}", cast.drafter, {"category": None}).json()
    assert cleared["current"]["category"] is None


def test_a_patch_is_not_refused_for_a_field_it_does_not_touch(client, cast):
    category = Category.objects.get(code="art20-07")
    item = make_draft(cast, category=category)
    actions.category_update(actor=None, category=category, is_active=False)
    response = patch(client, f"/items/{item.pk}", cast.drafter, {"title": "新名称"})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "新名称"
    assert response.json()["current"]["category"] == "art20-07"
    again = patch(client, f"/items/{item.pk}", cast.drafter, {"category": "art20-07"})
    assert again.status_code == 400 and "目录分类" in again.json()["detail"]


def test_bogus_ids_and_filters_get_404_or_400_never_500(client, cast):
    item = make_draft(cast)
    for pk in (0, -1, 999_999, 2**63, 2**70):
        assert get(client, f"/items/{pk}", cast.drafter).status_code == 404, pk
        assert post(client, f"/items/{pk}/submit", cast.drafter).status_code == 404, pk
    assert get(client, "/items/abc", cast.drafter).status_code == 422
    for aid in (0, 999_999, 2**70):
        path = f"/items/{item.pk}/attachments/{aid}"
        assert get(client, path, cast.drafter).status_code == 404
        assert client.delete(PREFIX + path, **auth(cast.drafter)).status_code == 404
    for params, status in (
        ({"state": "bogus"}, 400),
        ({"year": "abc"}, 422),
        ({"year": 3000}, 400),
        ({"unit": "nowhere"}, 400),
        ({"disclosure": "all"}, 400),
        ({"q": "x" * 101}, 422),
        ({"q": "预\x00算"}, 400),
        ({"page": 10**30}, 200),
        ({"page": -5, "page_size": 0}, 200),
        ({"page_size": 10**9}, 200),
        ({"q": "%_'\"; DROP TABLE", "state": "draft"}, 200),
    ):
        response = get(client, "/items", cast.drafter, params)
        assert response.status_code == status, (params, response.content)
    huge = post(client, f"/items/{item.pk}/reject", cast.leader, {"reason": "x" * 100_000})
    assert huge.status_code == 422  # longer than the form allows: refused before anything else
    walk(cast, item, "sign_off")
    huge = post(client, f"/items/{item.pk}/reject", cast.leader, {"reason": "x" * 2001})
    assert huge.status_code == 422 and "不能超过 2000 个字" in huge.json()["detail"][0]["msg"]
    assert post(client, f"/items/{item.pk}/reject", cast.leader, {"reason": 5}).status_code == 422
    assert ItemVersion.objects.get(item=item).state == "sign_off"


def test_no_step_answers_junk_with_a_server_error(client, cast):
    items = [make_draft(cast), walk(cast, make_draft(cast), "sign_off"), publish_new(cast)]
    steps = [
        "submit", "secrecy", "office-approve", "reject", "sign-off", "mark-secret",
        "secret-handled", "withdraw", "validity", "new-version", "reassess",
        "attachments/1/confirm",
    ]  # fmt: skip
    junk = [
        {},
        [],
        "text",
        {"reason": "x" * 20_000, "note": "y" * 20_000, "override_reason": "z" * 20_000},
        {"verdict": 1, "disclosure": None, "decision": ["release"], "validity": {}},
        {"go_live_at": "9999-99-99", "effective_date": "0000-00-00", "replaced_by": "\x00"},
        {"reason": "理由", "note": "说明", "confirm": "yes", "validity": "失效"},
    ]
    headers = [auth(user) for user in (cast.drafter, cast.secrecy_reviewer, cast.leader)]
    n = 0
    for item in items:
        for step in steps:
            for body in junk:
                n += 1  # each call by the next of the three people
                response = client.post(
                    f"{PREFIX}/items/{item.pk}/{step}",
                    body,
                    content_type="application/json",
                    **headers[n % 3],
                )
                assert response.status_code in {200, 201, 400, 403, 404, 409, 422}, (
                    step,
                    body,
                    response.content[:300],
                )


# -- classification -----------------------------------------------------------------------------


def test_categories_genres_and_topics_are_listed(client, cast):
    categories = get(client, "/categories", cast.drafter).json()
    codes = [c["code"] for c in categories]
    assert "art20-07" in codes and codes.index("art20") < codes.index("art20-07")
    by_code = {c["code"]: c for c in categories}
    assert by_code["art20-07"]["parent"] == "art20" and by_code["art20-07"]["depth"] == 1
    assert by_code["art20-07"]["editable"] is False
    genres = get(client, "/genres", cast.drafter).json()
    assert {"code": "notice", "name": "通知"}.items() <= next(
        g for g in genres if g["code"] == "notice"
    ).items()
    assert any(t["code"] == "finance" for t in get(client, "/topics", cast.drafter).json())


def test_categories_are_managed_with_the_same_rules_as_the_pages(client, cast):
    body = {"name": "诸往镇专栏", "parent": "site-news", "unit": "zhuwang"}
    assert post(client, "/categories", cast.drafter, body).status_code == 403
    assert post(client, "/categories", cast.office_head, body | {"unit": ""}).status_code == 400
    assert (
        post(client, "/categories", cast.office_head, body | {"unit": "xiacun"}).status_code == 403
    )
    assert (
        post(client, "/categories", cast.office_head, body | {"parent": "nope"}).status_code == 400
    )
    assert post(client, "/categories", cast.office_head, body | {"name": " "}).status_code == 400
    response = post(client, "/categories", cast.office_head, body)
    assert response.status_code == 201, response.content
    column = response.json()
    assert column["unit"] == "zhuwang" and column["parent"] == "site-news" and column["editable"]

    shared = post(client, "/categories", cast.admin, {"name": "全市通用栏目", "kind": "栏目"})
    assert shared.status_code == 201 and shared.json()["unit"] is None

    path = f"/categories/{column['id']}"
    assert patch(client, path, cast.other_drafter, {"name": "改"}).status_code == 404
    assert patch(client, path, cast.drafter, {"name": "改"}).status_code == 403
    assert patch(client, path, cast.office_head, {"sort_order": -1}).status_code == 400
    response = patch(client, path, cast.office_head, {"name": "诸往镇 要闻", "is_active": False})
    assert response.status_code == 200
    assert response.json()["name"] == "诸往镇 要闻" and response.json()["is_active"] is False
    assert Category.objects.get(pk=column["id"]).is_active is False
    listed = [c["code"] for c in get(client, "/categories", cast.drafter).json()]
    assert column["code"] not in listed
    everything = get(client, "/categories", cast.drafter, {"include_inactive": True}).json()
    assert column["code"] in [c["code"] for c in everything]
    global_node = Category.objects.get(code="art20-07")
    assert (
        patch(client, f"/categories/{global_node.pk}", cast.office_head, {"name": "x"}).status_code
        == 403
    )


# -- the contract -------------------------------------------------------------------------------


def test_openapi_lists_the_staff_catalog_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    expected = {
        "/api/v1/staff/catalog/items": {"get", "post"},
        "/api/v1/staff/catalog/items/{item_id}": {"get", "patch"},
        "/api/v1/staff/catalog/items/{item_id}/attachments": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/attachments/{attachment_id}": {"get", "delete"},
        "/api/v1/staff/catalog/items/{item_id}/attachments/{attachment_id}/confirm": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/submit": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/secrecy": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/office-approve": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/reject": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/sign-off": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/mark-secret": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/secret-handled": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/withdraw": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/validity": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/new-version": {"post"},
        "/api/v1/staff/catalog/items/{item_id}/reassess": {"post"},
        "/api/v1/staff/catalog/categories": {"get", "post"},
        "/api/v1/staff/catalog/categories/{category_id}": {"patch"},
        "/api/v1/staff/catalog/genres": {"get"},
        "/api/v1/staff/catalog/topics": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
        for method in methods:
            assert paths[path][method].get("security"), (path, method)  # bearer token
    sign_off = paths["/api/v1/staff/catalog/items/{item_id}/sign-off"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= set(sign_off)
    # The public contract stays where it was.
    assert "/api/v1/items" in paths and "/api/v1/items/{index_number}" in str(paths)
