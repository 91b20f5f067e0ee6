"""The OpenAPI document at /api/v1/openapi.json says what the API accepts and answers: each
schema name stands for one class (nine were defined twice, so the documented body of
POST /applications/{id}/reply was the catalog's and following it got a 422), every request body
is built on the shared Input (clean text, bounded lengths), and real requests and answers
validate against it."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from typing import Any

import jsonschema
import pytest
from ninja import Schema

import gongkai
from gongkai.accounts.actions import token_create
from gongkai.api.main import api
from gongkai.api.schema import Input
from tests.applications.conftest import D, applicant, at


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return api.get_openapi_schema()


def schema_classes() -> dict[str, list[type]]:
    found: dict[str, list[type]] = {}
    for info in pkgutil.walk_packages(gongkai.__path__, "gongkai."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, Schema)
                and value.__module__ == info.name
            ):
                found.setdefault(value.__name__, []).append(value)
    return found


def test_no_two_schemas_of_the_api_share_a_name(spec):
    documented = set(spec["components"]["schemas"])
    doubled = {
        name: [c.__module__ for c in classes]
        for name, classes in schema_classes().items()
        if len(classes) > 1 and name in documented
    }
    assert not doubled


def test_every_request_body_is_built_on_the_shared_input(spec):
    classes = {name: found[0] for name, found in schema_classes().items()}
    bodies = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content["schema"].get("$ref", "")
                if ref:
                    bodies.add(ref.rsplit("/", 1)[-1])
    assert len(bodies) > 30
    not_input = sorted(n for n in bodies if n in classes and not issubclass(classes[n], Input))
    assert not not_input


def test_every_documented_text_field_of_a_request_has_a_maximum_length(spec):
    schemas = spec["components"]["schemas"]
    unbounded = []
    for name, schema in schemas.items():
        if not (name.endswith(("In", "Patch", "Filter"))):
            continue
        for field, prop in schema.get("properties", {}).items():
            variants = prop.get("anyOf", [prop])
            for variant in variants:
                text = variant.get("type") == "string" and "format" not in variant
                if text and "maxLength" not in variant:
                    unbounded.append(f"{name}.{field}")
    assert not unbounded


# -- real requests against the document --------------------------------------------------------


class Documented:
    """A test client that checks each request body and each JSON answer against the OpenAPI
    document before the test sees it."""

    def __init__(self, client, spec, user) -> None:
        self.client, self.spec = client, spec
        _row, token = token_create(actor=None, user=user)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        self.checked: list[str] = []

    def _operation(self, method: str, path: str) -> tuple[str, dict[str, Any]]:
        for template, operations in self.spec["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if re.match(pattern, path) and method in operations:
                return template, operations[method]
        raise AssertionError(f"{method.upper()} {path} is not documented")

    def _validate(self, instance: Any, schema: dict[str, Any]) -> None:
        jsonschema.validate(
            instance,
            {**schema, "components": self.spec["components"]},
            cls=jsonschema.Draft202012Validator,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, **query: Any):
        template, operation = self._operation(method, path)
        documented_query = {
            p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
        }
        assert set(query) <= documented_query, (template, set(query) - documented_query)
        if body is not None:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            self._validate(body, schema)
        if method == "get":
            response = self.client.get(path, query, **self.headers)
        else:
            response = self.client.generic(
                method.upper(),
                path,
                json.dumps(body or {}),
                content_type="application/json",
                **self.headers,
            )
        status = response.status_code
        if status == 422:  # pydantic's refusal, the same shape everywhere, in Chinese
            assert all(set(e) == {"loc", "type", "msg"} for e in response.json()["detail"])
            self.checked.append(f"{method.upper()} {template} 422")
            return response
        responses = operation["responses"]
        documented = responses.get(status, responses.get(str(status)))
        assert documented is not None, (template, status, response.content[:300])
        if response.get("Content-Type", "").startswith("application/json"):
            schema = documented.get("content", {}).get("application/json", {}).get("schema")
            if schema:
                self._validate(response.json(), schema)
        self.checked.append(f"{method.upper()} {template} {response.status_code}")
        return response


def test_a_case_registered_and_answered_by_the_documented_bodies(
    client, cast, spec, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    api_client = Documented(client, spec, cast.drafter)
    with at(D(2026, 3, 2)):
        body = {
            **applicant(),
            "organ": "zhuwang",
            "channel": "in_person",
            "received_date": "2026-03-02",
        }
        created = api_client.call("post", "/api/v1/applications", body)
        assert created.status_code == 201, created.content
        case_id = created.json()["case"]["id"]
    with at(D(2026, 3, 25)):
        reply = {"decision": "3.3.6", "legal_basis": "条例第十六条第二款", "reasons": "过程性信息"}
        answered = api_client.call("post", f"/api/v1/applications/{case_id}/reply", reply)
        assert answered.status_code == 200, answered.content
        assert answered.json()["state"] == "awaiting_sign_off"
        listed = api_client.call("get", "/api/v1/applications", page=1, page_size=5)
        assert listed.json()["count"] == 1
        api_client.call("get", f"/api/v1/applications/{case_id}")
    assert len(api_client.checked) == 4


def test_catalog_and_portal_requests_match_the_document(client, cast, spec):
    api_client = Documented(client, spec, cast.drafter)
    draft = {"unit": "zhuwang", "title": "关于道路维修的通知", "formed_date": "2025-03-01"}
    created = api_client.call("post", "/api/v1/staff/catalog/items", draft)
    assert created.status_code == 201, created.content
    api_client.call("get", "/api/v1/staff/catalog/items", page=1, q="道路")
    api_client.call("get", "/api/v1/items", q="道路", page="1")
    api_client.call("get", "/api/v1/mailbox/letters", year=2025, page=1)
    refused = api_client.call("get", "/api/v1/mailbox/letters", year=-1)
    assert refused.status_code == 422
