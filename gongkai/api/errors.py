"""Refusals of the API in Chinese: pydantic's validation errors (422) carry a Chinese `msg`, and
values the database cannot hold (a number out of range, text longer than a column on
PostgreSQL) are a 422 rather than a server error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

_DATE = "应为日期，如 2025-01-31"
_DATETIME = "应为日期和时间，如 2025-01-31T09:30:00+08:00"
_INT = "应为整数"
_NUMBER = "应为数字"
_OBJECT = "应为 JSON 对象"
MESSAGES: dict[str, str] = {
    "missing": "必须填写",
    "string_type": "应为文字",
    "string_too_long": "不能超过 {max_length} 个字",
    "string_too_short": "至少 {min_length} 个字",
    "string_unicode": "含有无效的字符",
    "string_pattern_mismatch": "格式不正确",
    "int_type": _INT,
    "int_parsing": _INT,
    "int_parsing_size": "数值过大",
    "int_from_float": _INT,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "list_type": "应为列表",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "json_invalid": "请求体不是有效的 JSON",
    "json_type": "请求体不是有效的 JSON",
    "literal_error": "只能是 {expected}",
    "enum": "只能是 {expected}",
    "uuid_parsing": "格式不正确",
    "extra_forbidden": "不认识这一项",
}
OUT_OF_RANGE = "输入的值超出了允许的范围（文字过长或数值过大）。"


def chinese_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "value_error":  # our validators' own messages, already in Chinese
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = MESSAGES.get(kind)
    if template is None:
        return f"输入有误（{kind}）"
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template.split("{", 1)[0].rstrip() or "输入有误"


def validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    # Only where and what: pydantic's `input` would echo a megabyte of hostile text back.
    detail = [
        {"loc": list(e.get("loc", ())), "type": e.get("type", ""), "msg": chinese_message(e)}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


def out_of_range(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": OUT_OF_RANGE}, status=422)


def not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": "没有找到"}, status=404)


def unauthorized(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    detail = "需要有效的访问令牌：请在请求头中提供 Authorization: Bearer <令牌>。"
    return api.create_response(request, {"detail": detail}, status=401)


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, lambda r, e: validation_error(r, e, api))
    # DataError: PostgreSQL's "value too long" or "out of range"; OverflowError: SQLite's
    # "Python int too large". Actions run in a transaction, so nothing was changed.
    api.add_exception_handler(DataError, lambda r, e: out_of_range(r, e, api))
    api.add_exception_handler(OverflowError, lambda r, e: out_of_range(r, e, api))
    api.add_exception_handler(Http404, lambda r, e: not_found(r, e, api))
    api.add_exception_handler(AuthenticationError, lambda r, e: unauthorized(r, e, api))
