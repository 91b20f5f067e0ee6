"""Edits of the synonym list (同义词组) by the office. The list is site-wide (every query on the
portal reads it), so it is kept by whoever holds catalog.manage_categories on a top-level unit:
the city's 公开办 head and the administrators, as for the global category tree. Each edit runs
in one transaction with one audit row and makes this process reread the list at once (other
processes within synonyms.TTL_SECONDS)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.audit.log import record
from gongkai.search import synonyms
from gongkai.search.models import SynonymGroup
from gongkai.search.synonyms import MAX_GROUP_WORDS, MAX_WORD_CHARS

PERM = "catalog.manage_categories"
MAX_NOTE_CHARS = 200
# Room for MAX_GROUP_WORDS words of MAX_WORD_CHARS and their separators, and some slack.
MAX_TERMS_CHARS = MAX_GROUP_WORDS * (MAX_WORD_CHARS + 2)

# The separators of synonyms.split_terms: spaces, commas, 顿号, semicolons, slashes, bars.
_SPLIT = re.compile(r"[\s,，、;；/|]+")
# Control, zero-width and direction characters (a NUL would not even reach PostgreSQL).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)


def editing_unit(user: Any) -> Unit | None:
    """The top-level unit through which `user` may edit the list, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return permissions.units_for(user, PERM).filter(parent__isnull=True).order_by("path").first()


def can_edit(user: Any) -> bool:
    return editing_unit(user) is not None


def can_view(user: Any) -> bool:
    """Any member of staff may read the list (a township clerk sees why a search finds what)."""
    return can_edit(user) or permissions.has_any(user, "unit.view")


def _require(actor: Any) -> Unit | None:
    """The unit to file the audit row under; PermissionDenied for anyone but an editor."""
    if actor is None:  # commands and migrations
        return None
    unit = editing_unit(actor)
    if unit is None:
        raise permissions.PermissionDenied(_("只有市级公开办负责人或系统管理员可以修改同义词表。"))
    return unit


def words_of(text: str) -> list[str]:
    """The words as the office typed them (width normalised, case kept), without repeats."""
    words: list[str] = []
    seen: set[str] = set()
    for word in _SPLIT.split(unicodedata.normalize("NFKC", text)):
        word = word.strip()
        if word and word.lower() not in seen:
            seen.add(word.lower())
            words.append(word)
    return words


def _key(words: list[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def _clean_terms(terms: str, exclude: int | None) -> str:
    terms = terms if isinstance(terms, str) else ""
    if not words_of(terms):
        raise ValidationError({"terms": _("请填写同义词，至少两个词，用空格或顿号分隔。")})
    if len(terms) > MAX_TERMS_CHARS:
        raise ValidationError(
            {
                "terms": _("内容过长：一组最多 %(n)s 个词，每个词最多 %(c)s 个字。")
                % {"n": MAX_GROUP_WORDS, "c": MAX_WORD_CHARS}
            }
        )
    if _CONTROL.search(terms):
        raise ValidationError({"terms": _("同义词中有不可见的控制字符，请删除后重新输入。")})
    words = words_of(terms)
    for word in words:
        if not any(unicodedata.category(c)[0] in "LN" for c in word):
            raise ValidationError(
                {"terms": _("“%(w)s”不是词：每个词须含有汉字、字母或数字。") % {"w": word}}
            )
        if len(word) > MAX_WORD_CHARS:
            raise ValidationError(
                {
                    "terms": _("“%(w)s…”过长：每个词最多 %(c)s 个字。")
                    % {"w": word[:10], "c": MAX_WORD_CHARS}
                }
            )
    if len(words) < 2:
        raise ValidationError(
            {"terms": _("一组至少要有两个不同的词（如：新农合 新型农村合作医疗）。")}
        )
    if len(words) > MAX_GROUP_WORDS:
        raise ValidationError(
            {"terms": _("一组最多 %(n)s 个词，请拆成几组。") % {"n": MAX_GROUP_WORDS}}
        )
    key = _key(words)
    others = SynonymGroup.objects.exclude(pk=exclude) if exclude else SynonymGroup.objects.all()
    for other in others.values_list("terms", flat=True):
        if _key(words_of(other)) == key:
            raise ValidationError(
                {"terms": _("已有一组相同的同义词（%(t)s），无需重复添加。") % {"t": other}}
            )
    return " ".join(words)


def _clean_note(note: str) -> str:
    note = " ".join((note if isinstance(note, str) else "").split())
    if _CONTROL.search(note):
        raise ValidationError({"note": _("说明中有不可见的控制字符，请删除后重新输入。")})
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError({"note": _("说明最多 %(n)s 个字。") % {"n": MAX_NOTE_CHARS}})
    return note


def _clean(terms: str, note: str, exclude: int | None = None) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name, clean in (
        ("terms", lambda: _clean_terms(terms, exclude)),
        ("note", lambda: _clean_note(note)),
    ):
        try:
            cleaned[name] = clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned["terms"], cleaned["note"]


def overlaps(group: SynonymGroup) -> list[tuple[str, SynonymGroup]]:
    """Words of `group` that other active groups hold too: not wrong (a word may belong to two
    groups), but worth a look, since a query with it then also finds both groups' words."""
    mine = {w.lower() for w in words_of(group.terms)}
    found = []
    for other in SynonymGroup.objects.filter(is_active=True).exclude(pk=group.pk):
        for word in words_of(other.terms):
            if word.lower() in mine:
                found.append((word, other))
    return found


def _changed() -> None:
    # Now for this request's own next search, and again after commit for a search in another
    # thread of this process that reread the list in between.
    synonyms.forget()
    transaction.on_commit(synonyms.forget)


def _state(group: SynonymGroup) -> dict[str, Any]:
    return {"terms": group.terms, "note": group.note, "is_active": group.is_active}


def _user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def synonym_create(*, actor: Any, terms: str, note: str = "") -> SynonymGroup:
    unit = _require(actor)
    terms, note = _clean(terms, note)
    group = SynonymGroup.objects.create(terms=terms, note=note, updated_by=_user(actor))
    record(actor=actor, action="search.synonym_create", obj=group, unit=unit, after=_state(group))
    _changed()
    return group


@transaction.atomic
def synonym_update(
    *, actor: Any, group: SynonymGroup, terms: str, note: str = "", is_active: bool = True
) -> SynonymGroup:
    unit = _require(actor)
    group = SynonymGroup.objects.select_for_update().get(pk=group.pk)
    terms, note = _clean(terms, note, exclude=group.pk)
    before = _state(group)
    group.terms, group.note, group.is_active = terms, note, bool(is_active)
    group.updated_by = _user(actor)
    group.save()
    after = _state(group)
    record(
        actor=actor,
        action="search.synonym_update",
        obj=group,
        unit=unit,
        before={k: v for k, v in before.items() if v != after[k]},
        after={k: v for k, v in after.items() if v != before[k]},
    )
    _changed()
    return group


@transaction.atomic
def synonym_delete(*, actor: Any, group: SynonymGroup) -> None:
    unit = _require(actor)
    group = SynonymGroup.objects.select_for_update().get(pk=group.pk)
    record(actor=actor, action="search.synonym_delete", obj=group, unit=unit, before=_state(group))
    group.delete()
    _changed()
