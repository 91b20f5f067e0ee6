"""The report API: the public document of a published report, and the staff actions with a
token, under the same permissions as the pages."""

from __future__ import annotations

import json

from gongkai.accounts.actions import token_create
from gongkai.reports import drafts
from tests.reports.test_import import full_document

BASE = "/api/v1/staff/annual-reports/zhuwang/2025"


def auth(user) -> dict[str, str]:
    _row, raw = token_create(actor=None, user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, path, headers, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json", **headers)


def test_the_office_writes_finalises_and_publishes_through_the_api(ledger, client):
    head = auth(ledger.office_head)
    assert client.get(BASE, **head).json()["state"] == "none"
    created = post(client, BASE, head)
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "draft" and body["blockers"]
    section_1 = drafts.PROMPT_RE.sub("无。", body["document"]["sections"]["1"])
    section_6 = body["document"]["sections"]["6"]
    updated = client.put(
        BASE,
        json.dumps(
            {
                "sections": {"1": section_1, "5": "问题。", "6": section_6},
                "entered": {"license": {"decisions": 7}},
            }
        ),
        content_type="application/json",
        **head,
    ).json()
    assert updated["document"]["proactive"]["license"] == {"decisions": 7}
    for warning in [c for c in updated["document"]["checks"] if c["level"] == "warning"]:
        response = post(client, f"{BASE}/acknowledge", head, {**warning, "note": "已核对"})
        assert response.status_code == 200
        warning.pop("level")
    assert client.get(BASE, **head).json()["blockers"] == []
    finalised = post(client, f"{BASE}/finalise", head).json()
    assert finalised["state"] == "finalised" and finalised["version"] == 1
    assert post(client, f"{BASE}/publish", head).json()["state"] == "published"
    public = client.get("/api/v1/annual-reports/zhuwang/2025").json()
    assert public["applications"]["1"]["total"] == 14 and public["format"] == "2021"
    assert post(client, f"{BASE}/correct", head, {"reason": ""}).status_code == 400
    assert post(client, f"{BASE}/correct", head, {"reason": "补充"}).json()["state"] == "draft"


def test_refusals_are_400_and_403_never_500(ledger, client):
    reviewer = auth(ledger.office_reviewer)
    assert post(client, BASE, reviewer).status_code == 201
    assert post(client, f"{BASE}/finalise", reviewer).status_code == 403
    bad = client.put(
        BASE,
        json.dumps({"entered": {"fee": {"amount_10k_yuan": "abc"}}}),
        content_type="application/json",
        **reviewer,
    )
    assert bad.status_code == 400
    assert post(client, f"{BASE}/publish", auth(ledger.office_head)).status_code == 400
    other = auth(ledger.other_drafter)
    assert client.get(BASE, **other).status_code == 404
    assert client.get(BASE).status_code == 401
    assert client.get("/api/v1/annual-reports/zhuwang/2025").status_code == 404
    assert client.get("/api/v1/annual-reports/zhuwang/1900").status_code == 404


def test_import_and_roll_up_through_the_api(ledger, client):
    head = auth(ledger.office_head)
    response = post(
        client,
        "/api/v1/staff/annual-reports/import",
        head,
        {
            "unit": "zhuwang",
            "document": full_document("2021", 2024),
            "published_date": "2025-01-20",
        },
    )
    assert response.status_code == 201 and response.json()["state"] == "published"
    broken = full_document("2021", 2023)
    del broken["remedies"]
    response = post(
        client, "/api/v1/staff/annual-reports/import", head, {"unit": "zhuwang", "document": broken}
    )
    assert response.status_code == 400 and "缺少 remedies" in response.json()["detail"]
    rollup = client.get("/api/v1/staff/annual-reports/rollup/zhuwang/2024", **head).json()
    assert rollup["counted"] == 1 and rollup["totals"]["applications"]["1"]["total"] == 2
