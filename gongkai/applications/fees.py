"""信息处理费 (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号; DOMAIN.md §3 Fees).

Charged only when the quantity or frequency of requests clearly exceeds a reasonable range, by
one method per application, never both, progressively:

- 按件 (per item): by the ordinal of the application among the same applicant's applications to
  the organ in one natural month: 1–10 free; 11–30 at 100 元 each; from 31 on, every further band
  of 10 costs 100 元 more per application (31–40: 200, 41–50: 300, …).
- 按量 (per page): 1–30 pages free; 31–100 at 10 元 a page; 101–200 at 20; from 201 at 40; each
  page priced at the rate of its band.

Both schedules are settings (the full text of the 办法 was not verified), overridable in
settings.py:

    APPLICATION_FEE_PER_ITEM = {"bands": [[10, 0], [30, 100]], "then_every": 10, "increase": 100}
    APPLICATION_FEE_PER_PAGE = {"bands": [[30, 0], [100, 10], [200, 20], [None, 40]]}

A band is [upper bound inclusive or None for no bound, price in 元].
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

DEFAULT_PER_ITEM: dict[str, Any] = {
    "bands": [[10, 0], [30, 100]],
    "then_every": 10,
    "increase": 100,
}
DEFAULT_PER_PAGE: dict[str, Any] = {"bands": [[30, 0], [100, 10], [200, 20], [None, 40]]}


def _per_item_schedule() -> dict[str, Any]:
    return getattr(settings, "APPLICATION_FEE_PER_ITEM", DEFAULT_PER_ITEM)


def _per_page_schedule() -> dict[str, Any]:
    return getattr(settings, "APPLICATION_FEE_PER_PAGE", DEFAULT_PER_PAGE)


def per_item_fee(ordinal: int) -> Decimal:
    """The fee for the `ordinal`-th application of one applicant in one natural month."""
    if ordinal < 1:
        raise ValueError("the ordinal starts at 1")
    schedule = _per_item_schedule()
    bands = schedule["bands"]
    for upper, price in bands:
        if upper is None or ordinal <= upper:
            return Decimal(price)
    last_upper, last_price = bands[-1]
    step = int(schedule["then_every"])
    steps = (ordinal - last_upper - 1) // step + 1
    return Decimal(last_price) + Decimal(schedule["increase"]) * steps


def per_page_fee(pages: int) -> Decimal:
    """The fee for `pages` pages, each page at the price of its band."""
    if pages < 0:
        raise ValueError("pages must not be negative")
    total = Decimal(0)
    lower = 0
    for upper, price in _per_page_schedule()["bands"]:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            total += Decimal(price) * (top - lower)
        if upper is None or pages <= upper:
            break
        lower = upper
    return total


def compute_fee(method: str, quantity: int) -> Decimal:
    """The fee by `method` ('per_item' or 'per_page') for `quantity`."""
    if method == "per_item":
        return per_item_fee(quantity)
    if method == "per_page":
        return per_page_fee(quantity)
    raise ValueError(f"unknown fee method {method!r}")


def monthly_ordinal(application) -> int:
    """Which application of this applicant to this organ in the month it was received this one
    is (1-based): the quantity for 按件 charging. The applicant is recognised by identity
    document number, else credit code, else name."""
    from gongkai.applications.models import Application

    received = application.received_date
    if received is None:
        return 1
    same = Application.objects.received().filter(
        organ_id=application.organ_id,
        received_date__year=received.year,
        received_date__month=received.month,
    )
    if application.id_doc_number_hash:
        # The number itself is encrypted; its keyed hash is equal for equal numbers.
        same = same.filter(id_doc_number_hash=application.id_doc_number_hash)
    elif application.credit_code:
        same = same.filter(credit_code=application.credit_code)
    else:
        same = same.filter(applicant_name=application.applicant_name)
    earlier = same.filter(received_date__lt=received).count()
    same_day = same.filter(received_date=received, pk__lte=application.pk).count()
    return earlier + same_day


def _money(value: Decimal | int) -> str:
    value = Decimal(value)
    return (
        f"{value:.2f}".rstrip("0").rstrip(".") if value == value.to_integral() else f"{value:.2f}"
    )


def per_item_breakdown(ordinal: int) -> tuple[str, Decimal]:
    """The schedule of 按件 as the notice states it, and the rate applied to the `ordinal`-th
    application of the month."""
    schedule = _per_item_schedule()
    parts, lower = [], 0
    for upper, price in schedule["bands"]:
        if upper is None:
            parts.append(f"{lower + 1}件以上的部分：{_money(price)}元/件")
            break
        span = (
            f"{upper}件以下（含{upper}件）"
            if lower == 0
            else f"{lower + 1}—{upper}件（含{upper}件）"
        )
        parts.append(f"{span}的，不收费" if not price else f"{span}的部分：{_money(price)}元/件")
        lower = upper
    else:
        parts.append(
            f"{lower + 1}件以上的部分：以{schedule['then_every']}件为一档，每增加一档，收费标准提高"
            f"{_money(schedule['increase'])}元/件"
        )
    return "；".join(parts), per_item_fee(ordinal)


def per_page_breakdown(pages: int) -> tuple[str, list[tuple[int, int, Decimal]]]:
    """The schedule of 按量 as the notice states it, and the charged bands for `pages` pages
    as (first page, last page, price per page)."""
    parts, charged, lower = [], [], 0
    for upper, price in _per_page_schedule()["bands"]:
        if upper is None:
            span = f"{lower + 1}页以上"
        elif lower == 0:
            span = f"{upper}页以下（含{upper}页）"
        else:
            span = f"{lower + 1}—{upper}页（含{upper}页）"
        parts.append(f"{span}的，不收费" if not price else f"{span}的部分：{_money(price)}元/页")
        top = pages if upper is None else min(pages, upper)
        if price and top > lower:
            charged.append((lower + 1, top, Decimal(price)))
        if upper is None:
            break
        lower = upper
    return "；".join(parts), charged


def describe(method: str, quantity: int) -> str:
    """The rate and the computation, as sentences for the fee notice (109号办法 第四条、第五条:
    超额累进)."""
    if method == "per_item":
        schedule, rate = per_item_breakdown(quantity)
        return (
            f"按件计收的标准为：同一申请人一个自然月内累计申请{schedule}。本申请为您本自然月内"
            f"向本机关提出的第{quantity}件申请，适用{_money(rate)}元/件的标准。"
        )
    if method == "per_page":
        schedule, charged = per_page_breakdown(quantity)
        steps = "，".join(
            (f"第{first}页" if first == last else f"第{first}—{last}页")
            + f"共{last - first + 1}页×{_money(price)}元＝{_money(price * (last - first + 1))}元"
            for first, last, price in charged
        )
        text = f"按量计收的标准为：{schedule}。本次提供的政府信息共{quantity}页，"
        return text + (f"分档计算：{steps}。" if steps else "在免费范围内。")
    raise ValueError(f"unknown fee method {method!r}")
