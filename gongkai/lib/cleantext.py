"""The one place that decides which characters text may hold, wherever it comes in.

Pasted text often carries invisible control characters (Word's manual line break is U+000B, a
table cell end U+0007); a NUL cannot be stored in PostgreSQL; a lone surrogate (possible in a
JSON body, "\\ud800") is not a character at all; and none of them may appear in XML, so
python-docx refuses them when a letter or a report is generated. Submitted text is therefore
cleaned at every boundary through `clean_text`: HTML forms and uploads' form fields (the
`CleanInputMiddleware`), API bodies (`gongkai.api.schema.Input`) and the import commands.
Addresses (path and query string) with such characters are refused instead (400): an address
is not typed, and one with a NUL in it is broken or an attack.

Lengths: every text field has one maximum, the model field's `max_length`; free text without
one (a model `TextField`) is capped at `TEXT_MAX_CHARS`, the same in forms, the API and imports.
"""

from __future__ import annotations

import re
from typing import Any

# Free text (descriptions, letters, reasons) is never longer than this anywhere, so no request
# can make a pattern, the audit log or a DOCX chew on megabytes. 50,000 characters is about
# twenty pages of Chinese text; the catalog body (rich text) has its own, larger limit.
TEXT_MAX_CHARS = 50_000

# What XML 1.0 (and so DOCX, XLSX, OFD) cannot hold, plus DEL and the C1 controls, which no
# one types on purpose. Tab, line feed and carriage return stay.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Vertical tab and form feed are line breaks where they come from (Word, old printers).
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def clean_text(value: str) -> str:
    """`value` without control characters, NUL, lone surrogates and XML non-characters;
    vertical tabs and form feeds become line breaks. Linear time."""
    if not _FORBIDDEN.search(value):
        return value
    return _FORBIDDEN.sub("", value.translate(_BREAKS))


def has_forbidden(value: str) -> bool:
    """Whether `clean_text` would change `value`."""
    return _FORBIDDEN.search(value) is not None


def clean_data(data: Any) -> Any:
    """`data` (a parsed JSON body, a row of an import) with every string in it cleaned."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {clean_data(k): clean_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [clean_data(v) for v in data]
    return data


def max_chars(model: type, field: str) -> int:
    """The one maximum length of a model's text field: its `max_length`, else TEXT_MAX_CHARS."""
    limit = getattr(model._meta.get_field(field), "max_length", None)  # type: ignore[attr-defined]
    return min(limit, TEXT_MAX_CHARS) if limit else TEXT_MAX_CHARS
