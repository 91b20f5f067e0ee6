"""A two-year ledger (2024–2025) of 诸往镇 that uses every decision code and every applicant type
and carries applications across both year ends, remedies, and 规范性文件 in the catalog.

The expected tables are written out by hand in `EXPECTED` (every non-zero cell); every other
cell is zero. The ledger is imported through the real ledger import (`gongkai import-ledger`).
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.utils import timezone

from gongkai.applications import actions as app_actions
from gongkai.applications import importer
from gongkai.applications.models import Remedy
from gongkai.catalog.models import Genre, Item, ItemVersion, Secrecy, Validity, VersionState

D = datetime.date

# received, applicant type, outcome, concluded (empty: still open), fee
LEDGER = [
    # 2024: 3.1 … 3.3.4, one per applicant type
    ("2024-02-01", "自然人", "3.1", "2024-02-20", ""),
    ("2024-03-01", "商业企业", "部分公开", "2024-03-25", ""),
    ("2024-04-01", "科研机构", "3.3.1", "2024-04-20", ""),
    ("2024-05-01", "社会公益组织", "3.3.2", "2024-05-20", ""),
    ("2024-06-01", "法律服务机构", "3.3.3", "2024-06-20", ""),
    ("2024-07-01", "其他", "保护第三方合法权益", "2024-07-20", ""),
    # carried from 2024 into 2025 (one stays open into 2026)
    ("2024-12-10", "自然人", "3.3.5", "2025-01-08", ""),
    ("2024-12-20", "商业企业", "3.4.1", "2025-01-15", ""),
    ("2024-12-28", "法律服务机构", "", "", ""),
    ("2024-11-01", "科研机构", "3.6.2", "2025-02-01", ""),
    # 2025: the remaining codes
    ("2025-01-10", "自然人", "3.3.6", "2025-01-28", ""),
    ("2025-02-10", "商业企业", "3.3.7", "2025-03-01", "120"),
    ("2025-03-10", "科研机构", "3.3.8", "2025-03-30", ""),
    ("2025-04-10", "社会公益组织", "3.4.2", "2025-04-30", ""),
    ("2025-05-10", "法律服务机构", "3.4.3", "2025-05-30", ""),
    ("2025-06-10", "其他", "3.5.1", "2025-06-30", ""),
    ("2025-07-10", "自然人", "3.5.2", "2025-07-30", ""),
    ("2025-08-10", "商业企业", "3.5.3", "2025-08-30", ""),
    ("2025-09-10", "科研机构", "3.5.4", "2025-09-30", ""),
    ("2025-10-10", "社会公益组织", "3.5.5", "2025-10-30", ""),
    ("2025-11-10", "法律服务机构", "3.6.1", "2025-11-30", "30.5"),
    ("2025-11-20", "其他", "撤回", "2025-11-25", ""),
    # carried from 2025 into 2026
    ("2025-12-29", "其他", "3.1", "2026-01-10", ""),
    ("2025-12-30", "社会公益组织", "", "", ""),
]

NP, COM, RES, PI, LS, OO = (
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_service",
    "other_org",
)

# Every non-zero cell of section 三, by year; "total" is checked separately as the row sum.
EXPECTED: dict[int, dict[str, dict[str, int]]] = {
    2024: {
        "1": {NP: 2, COM: 2, RES: 2, PI: 1, LS: 2, OO: 1},
        "3.1": {NP: 1},
        "3.2": {COM: 1},
        "3.3.1": {RES: 1},
        "3.3.2": {PI: 1},
        "3.3.3": {LS: 1},
        "3.3.4": {OO: 1},
        "3.7": {NP: 1, COM: 1, RES: 1, PI: 1, LS: 1, OO: 1},
        "4": {NP: 1, COM: 1, RES: 1, LS: 1},
    },
    2025: {
        "1": {NP: 2, COM: 2, RES: 2, PI: 3, LS: 2, OO: 3},
        "2": {NP: 1, COM: 1, RES: 1, LS: 1},
        "3.3.5": {NP: 1},
        "3.3.6": {NP: 1},
        "3.3.7": {COM: 1},
        "3.3.8": {RES: 1},
        "3.4.1": {COM: 1},
        "3.4.2": {PI: 1},
        "3.4.3": {LS: 1},
        "3.5.1": {OO: 1},
        "3.5.2": {NP: 1},
        "3.5.3": {COM: 1},
        "3.5.4": {RES: 1},
        "3.5.5": {PI: 1},
        "3.6.1": {LS: 1},
        "3.6.2": {RES: 1},
        "3.6.3": {OO: 1},
        "3.7": {NP: 3, COM: 3, RES: 3, PI: 2, LS: 2, OO: 2},
        "4": {PI: 1, LS: 1, OO: 1},
    },
}


def ledger_csv(organ_code: str = "zhuwang") -> bytes:
    lines = [
        "unit,received_date,channel,applicant_type,applicant_name,description,outcome,"
        "concluded_date,fee_yuan"
    ]
    for i, (received, kind, outcome, concluded, fee) in enumerate(LEDGER, start=1):
        lines.append(
            f"{organ_code},{received},当面,{kind},申请人{i},第{i}件申请的内容,{outcome},{concluded},{fee}"
        )
    return ("\n".join(lines) + "\n").encode()


def remedies(cast) -> None:
    """2025: a 复议 upheld in 2025, a 复议 still pending, a direct lawsuit decided only in 2026
    (pending at the end of 2025), a lawsuit after 复议 with another result; one 2024 复议."""
    drafter, organ = cast.drafter, cast.zhuwang
    made = [
        ("reconsideration", D(2025, 3, 1), "upheld", D(2025, 5, 1)),
        ("reconsideration", D(2025, 9, 1), "pending", None),
        ("litigation_direct", D(2025, 10, 1), "corrected", D(2026, 2, 1)),
        ("litigation_after_reconsideration", D(2025, 6, 1), "other", D(2025, 8, 1)),
        ("reconsideration", D(2024, 8, 1), "corrected", D(2024, 10, 1)),
    ]
    for kind, filed, result, decided in made:
        remedy = app_actions.remedy_record(actor=drafter, organ=organ, kind=kind, filed_date=filed)
        if result != Remedy.Result.PENDING:
            app_actions.remedy_set_result(
                actor=drafter, remedy=remedy, result=result, result_date=decided
            )


_serial = itertools.count(1)


def make_document(
    organ,
    genre: str,
    formed: datetime.date,
    *,
    validity: str = Validity.VALID,
    validity_date: datetime.date | None = None,
    published: bool = True,
    secret: bool = False,
) -> Item:
    """A published (or draft) item of genre 规章 ("regulation") or 行政规范性文件 ("normative")."""
    n = next(_serial)
    moment = timezone.make_aware(datetime.datetime.combine(formed, datetime.time(10)))
    item = Item.objects.create(
        organ=organ,
        unit=organ,
        index_number=f"{organ.org_code}/{formed.year}-{n:05d}" if published else None,
        first_published_at=moment if published else None,
        validity=validity,
        validity_date=validity_date,
        secrecy=Secrecy.SECRET if secret else Secrecy.NON_SECRET,
    )
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        state=VersionState.PUBLISHED if published and not secret else VersionState.DRAFT,
        title=f"文件{n}",
        formed_date=formed,
        genre=Genre.objects.get(code=genre),
        fingerprint="f" * 64 if published and not secret else "",
        published_at=moment if published and not secret else None,
    )
    if published and not secret:
        item.published_version = version
        item.save(update_fields=["published_version"])
    return item


@pytest.fixture
def ledger(cast):
    result = importer.import_file(ledger_csv(), source="ledger.csv")
    assert len(result.imported) == len(LEDGER)
    remedies(cast)
    return cast


@pytest.fixture
def catalog_docs(cast):
    """规范性文件 and 规章 of 诸往镇 whose counts for 2025 are known (see test_counts)."""
    z = cast.zhuwang
    V = Validity
    made = {
        "issued_2025": make_document(z, "normative", D(2025, 3, 1)),
        "issued_2025_repealed_2026": make_document(
            z, "normative", D(2025, 6, 1), validity=V.REPEALED, validity_date=D(2026, 3, 1)
        ),
        "old_in_force": make_document(z, "normative", D(2020, 5, 1)),
        "old_repealed_2025": make_document(
            z, "normative", D(2019, 5, 1), validity=V.REPEALED, validity_date=D(2025, 7, 1)
        ),
        "old_expired_2025": make_document(
            z, "normative", D(2018, 5, 1), validity=V.EXPIRED, validity_date=D(2025, 12, 31)
        ),
        "amended_2025": make_document(
            z, "normative", D(2021, 5, 1), validity=V.AMENDED, validity_date=D(2025, 4, 1)
        ),
        "undated_repeal": make_document(z, "normative", D(2022, 5, 1), validity=V.REPEALED),
        "issued_2026": make_document(z, "normative", D(2026, 1, 5)),
        "draft": make_document(z, "normative", D(2025, 8, 1), published=False),
        "secret": make_document(z, "normative", D(2025, 8, 1), secret=True),
        "regulation": make_document(z, "regulation", D(2025, 9, 1)),
        "sibling": make_document(cast.other_township, "normative", D(2025, 2, 1)),
    }
    return made


def cell(table: dict[str, dict[str, Any]], row: str, col: str) -> Any:
    return table[row][col]
