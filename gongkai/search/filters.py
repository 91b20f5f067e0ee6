"""The filters of a search (unit, category, genre, year, validity), parsed from what a visitor or
an API client sent. Unknown values are refused with a reason (never silently ignored)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongkai.accounts.models import Unit
from gongkai.catalog import queries
from gongkai.catalog.models import Category, Genre, Item, Validity
from gongkai.search.backends.base import Scope
from gongkai.search.tokens import clean

MAX_VALUE_CHARS = 100


class BadFilter(ValueError):
    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(message)


@dataclass
class Filters:
    unit: Unit | None = None
    category: Category | None = None
    genre: Genre | None = None
    year: int | None = None
    validity: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.unit or self.category or self.genre or self.year or self.validity)

    def items(self) -> QuerySet[Item]:
        """Public items within the filters, newest first."""
        qs = queries.published_items(
            category=self.category, genre=self.genre, year=self.year, validity=self.validity
        )
        if self.unit is not None:
            below = Unit.objects.subtree_of(self.unit)
            # An organ: what it publishes; an office or station: what it drafted.
            qs = qs.filter(organ=self.unit) if self.unit.is_organ else qs.filter(unit__in=below)
        return qs.order_by("-first_published_at", "-pk")

    def scope(self, exclude: tuple[int, ...] = ()) -> Scope:
        """The filters as the engine applies them: facet tokens and a key range for the year
        (see search.documents.facets)."""
        from gongkai.search.documents import year_range

        tokens = []
        if self.unit is not None:
            tokens.append(f"o{self.unit.pk}" if self.unit.is_organ else f"u{self.unit.pk}")
        if self.category is not None:
            tokens.append(f"c{self.category.pk}")
        if self.genre is not None:
            tokens.append(f"g{self.genre.pk}")
        if self.validity:
            tokens.append(f"v{self.validity}")
        low, high = year_range(self.year) if self.year else (None, None)
        return Scope(facets=tuple(tokens), low=low, high=high, exclude=exclude)

    def accepts(self, item: Item) -> bool:
        """Whether a public item (loaded with its published version) is within the filters: for
        the few exact 索引号/发文字号 matches, checked in Python rather than by a query."""
        from django.utils import timezone

        from gongkai.catalog.queries import descendant_ids

        version = item.published_version
        if version is None:
            return False
        if self.unit is not None:
            if self.unit.is_organ and item.organ_id != self.unit.pk:
                return False
            if not self.unit.is_organ and not (item.unit.path or "").startswith(self.unit.path):
                return False
        if self.category is not None and version.category_id not in descendant_ids(self.category):
            return False
        if self.genre is not None and version.genre_id != self.genre.pk:
            return False
        if self.validity and item.validity != self.validity:
            return False
        if self.year:
            published = item.first_published_at
            if published is None or timezone.localtime(published).year != self.year:
                return False
        return True

    def as_params(self) -> dict[str, str]:
        params = {
            "unit": self.unit.code if self.unit else "",
            "category": self.category.code if self.category else "",
            "genre": self.genre.code if self.genre else "",
            "year": str(self.year) if self.year else "",
            "validity": self.validity or "",
        }
        return {k: v for k, v in params.items() if v}


def _value(raw: object) -> str:
    return " ".join(clean(str(raw or "")).split())[:MAX_VALUE_CHARS]


def find_unit(value: str) -> Unit | None:
    return (
        Unit.objects.filter(is_active=True)
        .filter(Q(code=value) | Q(name=value) | Q(org_code__iexact=value))
        .order_by("path")
        .first()
    )


def parse_filters(
    *,
    unit: object = "",
    category: object = "",
    genre: object = "",
    year: object = "",
    validity: object = "",
) -> Filters:
    """Filters from request values; raises BadFilter naming the field and the reason."""
    filters = Filters()
    value = _value(unit)
    if value:
        filters.unit = find_unit(value)
        if filters.unit is None:
            raise BadFilter("unit", _("没有名称或代码为“%(v)s”的单位。") % {"v": value})
    value = _value(category)
    if value:
        found = Category.objects.filter(is_active=True).filter(Q(code=value) | Q(name=value))
        filters.category = found.order_by("unit_id", "pk").first()
        if filters.category is None:
            raise BadFilter("category", _("没有名称或代码为“%(v)s”的目录分类。") % {"v": value})
    value = _value(genre)
    if value:
        filters.genre = Genre.objects.filter(Q(code=value) | Q(name=value)).first()
        if filters.genre is None:
            raise BadFilter("genre", _("没有名称或代码为“%(v)s”的体裁分类。") % {"v": value})
    value = _value(year)
    if value:
        if not value.isascii() or not value.isdigit() or not 1949 <= int(value) <= 2100:
            raise BadFilter("year", _("年份应为四位数字，如 2024。"))
        filters.year = int(value)
    value = _value(validity)
    if value:
        filters.validity = queries.find_validity(value)
        if filters.validity is None:
            labels = "、".join(str(label) for _code, label in Validity.choices)
            raise BadFilter("validity", _("有效性应为：%(l)s。") % {"l": labels})
    return filters


def parse_page(raw: object, *, name: str = "page", maximum: int = 100_000) -> int:
    value = _value(raw)
    if not value:
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= maximum:
        raise BadFilter(name, _("%(n)s 应为 1 到 %(m)s 之间的整数。") % {"n": name, "m": maximum})
    return int(value)
