"""索引号: the permanent identifier an item gets at its first publication (DOMAIN.md §2).

The pattern is a per-organ template (`Unit.index_template`), by default
`{org_code}/{year}-{serial:05d}`, e.g. `004362511/2017-00012`. Fields a template may use:
`{org_code}` (组织机构代码), `{code}` (the unit's system code), `{year}` (publication year) and
`{serial}` (with an optional format such as `:05d`). The serial restarts each year per organ.

Numbers are taken from an `IndexCounter` row per organ and year, locked with SELECT ... FOR
UPDATE, so two publications at the same moment never share a serial. On the first use of a year
the counter starts after the highest serial already present for that organ and year, imported
numbers included (they are parsed with the same template).
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import DEFAULT_INDEX_TEMPLATE, Unit
from gongkai.catalog.models import IndexCounter, Item

TEMPLATE_FIELDS = {"org_code", "code", "year", "serial"}


def validate_template(template: str) -> None:
    """Raise ValidationError unless `template` is a usable 索引号 pattern."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValidationError(_("索引号模板格式错误：%(error)s") % {"error": exc}) from exc
    names = [name for _lit, name, _spec, _conv in parts if name is not None]
    unknown = set(names) - TEMPLATE_FIELDS
    if unknown:
        raise ValidationError(
            _("索引号模板只能使用 {org_code}、{code}、{year}、{serial}，不认识：%(names)s")
            % {"names": "、".join(sorted(unknown))}
        )
    if names.count("serial") != 1:
        raise ValidationError(_("索引号模板必须包含且只包含一个 {serial}（流水号）"))
    try:
        format_number(template, org_code="X", code="x", year=2000, serial=1)
    except (ValueError, KeyError, IndexError) as exc:
        raise ValidationError(_("索引号模板格式错误：%(error)s") % {"error": exc}) from exc


def format_number(template: str, *, org_code: str, code: str, year: int, serial: int) -> str:
    return template.format(org_code=org_code, code=code, year=year, serial=serial)


@lru_cache(maxsize=256)
def _pattern(template: str, org_code: str, code: str) -> re.Pattern[str]:
    regex = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        regex.append(re.escape(literal))
        if name == "org_code":
            regex.append(re.escape(org_code))
        elif name == "code":
            regex.append(re.escape(code))
        elif name == "year":
            regex.append(r"(?P<year>\d{4})")
        elif name == "serial":
            regex.append(r"(?P<serial>\d+)")
    return re.compile("^" + "".join(regex) + "$")


def template_of(organ: Unit) -> str:
    return organ.index_template or DEFAULT_INDEX_TEMPLATE


def parse_number(organ: Unit, number: str) -> tuple[int | None, int] | None:
    """(year, serial) of `number` read with the organ's template, or None if it does not fit.
    The year is None when the template has no {year}."""
    match = _pattern(template_of(organ), organ.org_code, organ.code).match(number.strip())
    if not match:
        return None
    year = match.groupdict().get("year")
    return (int(year) if year else None), int(match.group("serial"))


def _highest_existing_serial(organ: Unit, year: int) -> int:
    highest = 0
    numbers = Item.objects.filter(organ=organ, index_number__isnull=False).values_list(
        "index_number", flat=True
    )
    for number in numbers.iterator():
        parsed = parse_number(organ, number or "")
        if parsed and parsed[0] in (year, None):
            highest = max(highest, parsed[1])
    return highest


def _locked_counter(organ: Unit, year: int) -> IndexCounter:
    """The counter row of (organ, year), created on first use and locked for this transaction."""
    counter = IndexCounter.objects.select_for_update().filter(organ=organ, year=year).first()
    if counter is not None:
        return counter
    start = _highest_existing_serial(organ, year)
    try:
        # A concurrent first use inserts the same row: the loser's insert waits on the unique
        # index, fails, and then locks the winner's row below.
        with transaction.atomic():
            IndexCounter.objects.create(organ=organ, year=year, last_serial=start)
    except IntegrityError:
        pass
    return IndexCounter.objects.select_for_update().get(organ=organ, year=year)


def next_number(organ: Unit, year: int) -> str:
    """Take the next 索引号 of `organ` for `year`. Call inside the publishing transaction: the
    counter stays locked until it commits, and a rollback gives the serial back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside a transaction")
    counter = _locked_counter(organ, year)
    template = template_of(organ)
    while True:
        counter.last_serial += 1
        number = format_number(
            template,
            org_code=organ.org_code,
            code=organ.code,
            year=year,
            serial=counter.last_serial,
        )
        # A hand-entered or imported number may already sit on this serial: skip it.
        if not Item.objects.filter(index_number=number).exists():
            break
    counter.save(update_fields=["last_serial"])
    return number


def note_existing_number(organ: Unit, number: str) -> None:
    """Tell the counter about a number given from outside (an import), so generated serials
    continue after it. Call inside the importing transaction."""
    parsed = parse_number(organ, number)
    if parsed is None or parsed[0] is None:
        return  # a number outside the template (or without a year) cannot collide
    year, serial = parsed[0], parsed[1]
    counter = IndexCounter.objects.select_for_update().filter(organ=organ, year=year).first()
    if counter is not None and counter.last_serial < serial:
        counter.last_serial = serial
        counter.save(update_fields=["last_serial"])
