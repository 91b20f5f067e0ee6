"""What every request body and query schema of the API is built on.

`Input` cleans text through `gongkai.lib.cleantext` (control characters, NUL and lone
surrogates removed, as the web forms do) and gives every text field the one maximum length it
has in the web form or the model it fills: subclasses name those forms and models in
`limits_from`, and a field named like one of their fields gets its `max_length` (the first that
has one); any other text gets `TEXT_MAX_CHARS`. The limits appear in the OpenAPI schema as
`maxLength`.

Integers that page or pick a year are bounded (`Page`, `PageSize`, `Year`), so a 21-digit page
is a 422, not a database overflow.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, ClassVar

from annotated_types import MaxLen
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from ninja import Schema
from pydantic import ConfigDict, Field, ModelWrapValidatorHandler, model_validator

from gongkai.lib.cleantext import TEXT_MAX_CHARS, clean_data, max_chars

MAX_PAGE = 100_000
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Field(ge=1, le=1000)]
Year = Annotated[int, Field(ge=1949, le=2999)]


def _is_text(annotation: Any) -> bool:
    if annotation is str:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return str in typing.get_args(annotation)
    return False


class Input(Schema):
    """Base of request bodies and query schemas (see the module's docstring)."""

    # Text nested in lists and objects (an annual report's sections) is capped too.
    model_config = ConfigDict(str_max_length=TEXT_MAX_CHARS)
    limits_from: ClassVar[tuple[type, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        changed = False
        for name, info in cls.model_fields.items():
            if not _is_text(info.annotation) or any(isinstance(m, MaxLen) for m in info.metadata):
                continue
            info.metadata.append(MaxLen(cls._limit(name)))
            changed = True
        if changed:
            cls.model_rebuild(force=True)

    @classmethod
    def _limit(cls, name: str) -> int:
        for source in cls.limits_from:
            if issubclass(source, forms.BaseForm):
                limit = getattr(source.base_fields.get(name), "max_length", None)
                if limit:
                    return limit
            elif issubclass(source, models.Model):
                try:
                    return max_chars(source, name)
                except FieldDoesNotExist:
                    continue
        return TEXT_MAX_CHARS

    @model_validator(mode="wrap")
    @classmethod
    def _clean(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        # A wrap validator, so it runs before ninja's own (which hides the dict behind a getter).
        return handler(clean_data(data) if isinstance(data, dict) else data)
