"""A model field whose value is stored encrypted (gongkai.lib.crypto) with its keyed hash beside.

In Python the attribute holds the plain value, so forms, actions and letters use it as before; the
database holds only the Fernet token. Saving also writes the keyed hash into `hash_field` (declared
right after this field on the model), which is what queries match on: the ciphertext differs on
every save, so `filter(field=value)` would never match and is refused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

from gongkai.lib import crypto


class EncryptedTextField(models.TextField):
    def __init__(self, *args: Any, hash_field: str = "", **kwargs: Any) -> None:
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return crypto.decrypt(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and crypto.is_encrypted(value):
            return crypto.decrypt(value)
        return super().to_python(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add) or ""
        if self.hash_field:
            setattr(model_instance, self.hash_field, crypto.blind_index(value))
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return crypto.rotate(value) if crypto.is_encrypted(value) else crypto.encrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        # Only emptiness can be asked of the column; everything else goes through the hash.
        if lookup_name not in {"exact", "isnull"}:
            raise FieldError(f"{self.name} is encrypted: match on its hash instead")
        return super().get_lookup(lookup_name)


@EncryptedTextField.register_lookup
class _EmptyOnlyExact(Exact):
    lookup_name = "exact"

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError("an encrypted field can only be compared with ''; use its hash")
        return super().get_prep_lookup()
