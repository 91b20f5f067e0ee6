"""Item bodies: rich-text HTML cleaned with nh3, the images-need-alt-text rule, the plain text
the checks read, and the version diff staff see."""

from __future__ import annotations

import difflib
import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "u",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "img",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    # Merged cells are common in budget tables; they carry no script.
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Something that looks like an HTML tag or comment: otherwise the value is plain text.
_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?|!--.*?--)>", re.S)
_BLOCK_TAGS = {"p", "br", "h2", "h3", "h4", "li", "tr", "blockquote", "table", "ul", "ol"}


def sanitize(value: str) -> str:
    """Clean user HTML down to the allowed tags and attributes (scripts, styles, event handlers
    and javascript: links are removed). Plain text without tags becomes paragraphs."""
    value = (value or "").strip()
    if not value:
        return ""
    if not _TAG.search(value):
        value = from_plain_text(value)
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def from_plain_text(text: str) -> str:
    """Paragraphs from plain text: blank lines separate paragraphs, single newlines become <br>."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            values = dict(attrs)
            if not (values.get("alt") or "").strip():
                self.images_without_alt.append(values.get("src") or "")
        if tag in _BLOCK_TAGS and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append("\t")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _read(value: str) -> _Reader:
    reader = _Reader()
    reader.feed(value or "")
    reader.close()
    return reader


def plain_text(value: str) -> str:
    """The text of an HTML body, one line per block, as the checks and the search index read it."""
    text = "".join(_read(value).parts)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip())


def images_without_alt(value: str) -> list[str]:
    """The src of every <img> whose alt text is missing or blank (blocks publication)."""
    return _read(value).images_without_alt


def diff_html(old: str, new: str) -> str:
    """Inline diff of two texts, as safe HTML: removed runs in <del>, added runs in <ins>.
    Works on characters because Chinese has no spaces between words; both sides are escaped,
    so the result can be shown with |safe."""
    old, new = old or "", new or ""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape(old[a1:a2]))
            continue
        if op in {"delete", "replace"}:
            out.append(f"<del>{html.escape(old[a1:a2])}</del>")
        if op in {"insert", "replace"}:
            out.append(f"<ins>{html.escape(new[b1:b2])}</ins>")
    return "".join(out).replace("\n", "<br>")
