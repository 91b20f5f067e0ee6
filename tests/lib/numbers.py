"""Valid test numbers built from their rules, so no real person's number is in the repository."""

from __future__ import annotations

import datetime as dt

from gongkai.lib.scan.validators import id_check_char, luhn_ok


def make_id(region: str, born: dt.date, sequence: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return first17 + id_check_char(first17)


def make_card(without_check: str) -> str:
    return next(without_check + d for d in "0123456789" if luhn_ok(without_check + d))
