"""The section 三 and 四 counts of the annual report over two years crossing the year end:
per column 1 + 2 = 3.7 + 4, and this year's 2 is last year's 4."""

from __future__ import annotations

import pytest

from gongkai.applications import actions, jobs, queries
from tests.applications.conftest import CREDIT_CODE, D, at

BASIS = "《中华人民共和国政府信息公开条例》"
COMPANY = {
    "applicant_type": "commercial",
    "applicant_name": "乳山市某某有限公司",
    "id_doc_type": "",
    "id_doc_number": "",
    "credit_code": CREDIT_CODE,
}


def reply(cast, app, day, decision="3.1", reasons=""):
    with at(day):
        actions.application_draft_reply(
            actor=cast.drafter,
            application=app,
            decision=decision,
            legal_basis=BASIS,
            reasons=reasons or "理由",
        )
        actions.application_sign_off(actor=cast.leader, application=app)
        actions.application_mark_replied(
            actor=cast.drafter, application=app, reply_date=day, delivery="mail"
        )


@pytest.fixture
def ledger(cast, make_app):
    """Six applications of 诸往镇 over 2024–2026 and noise that must not count."""
    # A: received 2024-06, concluded 2024-06 (3.3.4).
    a = make_app(D(2024, 6, 3))
    reply(cast, a, D(2024, 6, 20), decision="3.3.4")
    # B: received 2024-12-20, replied 2025-01-10 across the year end (3.1).
    b = make_app(D(2024, 12, 20))
    reply(cast, b, D(2025, 1, 10))
    # C: received 2024-12-30 by a company, still open at the end of 2025.
    make_app(D(2024, 12, 30), **COMPANY)
    # D: a company, received and refused (国家秘密) in 2025.
    d = make_app(D(2025, 3, 3), **COMPANY)
    reply(cast, d, D(2025, 3, 20), decision="3.3.1")
    # E: received 2025-12-25; correction period runs out in 2026 → 3.6.1 concluded in 2026.
    e = make_app(D(2025, 12, 25))
    with at(D(2025, 12, 26)):
        actions.application_request_correction(
            actor=cast.drafter, application=e, items="请写明年份", period_end=D(2026, 1, 9)
        )
    jobs.expire(today=D(2026, 1, 12))
    # F: received 2025-12-01, withdrawn on 2025-12-31 → 3.6.3 in 2025.
    f = make_app(D(2025, 12, 1))
    with at(D(2025, 12, 31)):
        actions.application_withdraw(
            actor=cast.drafter, application=f, withdrawal_date=D(2025, 12, 31)
        )
    # Noise: an unconfirmed and a discarded online submission, a sibling township's case.
    with at(D(2025, 5, 5)):
        actions.application_submit_online(
            organ=cast.zhuwang,
            applicant_type="natural_person",
            applicant_name="李四",
            id_doc_number="11010519491231002X",
            phone="13900000000",
            address="诸往镇",
            description="某信息",
        )
        noise = actions.application_submit_online(
            organ=cast.zhuwang,
            applicant_type="natural_person",
            applicant_name="王五",
            id_doc_number="11010519491231002X",
            phone="13900000000",
            address="诸往镇",
            description="测试",
        )
        actions.application_discard(
            actor=cast.drafter, application=noise.application, reason="测试提交"
        )
    make_app(D(2025, 4, 1), actor=cast.other_drafter, organ=cast.other_township)
    return cast


def test_2024_counts_each_case_where_it_belongs(ledger):
    t = queries.report_counts(ledger.zhuwang, 2024)
    assert t["1"]["natural_person"] == 2 and t["1"]["commercial"] == 1 and t["1"]["total"] == 3
    assert t["2"]["total"] == 0
    assert t["3.3.4"]["natural_person"] == 1
    assert t["3.7"]["total"] == 1
    assert t["4"]["natural_person"] == 1 and t["4"]["commercial"] == 1
    assert queries.report_balance_errors(t) == []


def test_2025_carries_in_what_2024_carried_out(ledger):
    last, this = (queries.report_counts(ledger.zhuwang, y) for y in (2024, 2025))
    for column in queries.COLUMNS:
        assert this["2"][column] == last["4"][column]
    assert this["1"]["natural_person"] == 2 and this["1"]["commercial"] == 1
    assert this["3.1"]["natural_person"] == 1  # B, concluded in 2025
    assert this["3.3.1"]["commercial"] == 1
    assert this["3.6.3"]["natural_person"] == 1  # F, withdrawn on 12-31
    assert this["3.7"]["total"] == 3
    assert this["4"]["natural_person"] == 1  # E, still awaiting correction on 12-31
    assert this["4"]["commercial"] == 1  # C, still open
    assert queries.report_balance_errors(this) == []


def test_2026_concludes_the_expired_correction_on_the_day_the_period_ran_out(ledger):
    t = queries.report_counts(ledger.zhuwang, 2026)
    assert t["2"]["total"] == 2
    assert t["3.6.1"]["natural_person"] == 1
    assert t["4"]["commercial"] == 1
    assert queries.report_balance_errors(t) == []


def test_every_row_and_column_is_present_with_zeros(ledger):
    t = queries.report_counts(ledger.other_township, 2023)
    assert set(t) == set(queries.REPORT_ROWS)
    assert all(set(row) == set(queries.COLUMNS) for row in t.values())
    assert sum(sum(row.values()) for row in t.values()) == 0


def test_the_balance_check_names_a_broken_column():
    table = {row: dict.fromkeys(queries.COLUMNS, 0) for row in queries.REPORT_ROWS}
    table["1"]["research"] = 1
    assert queries.report_balance_errors(table) == ["research: 1 + 2 != 3.7 + 4"]


def test_remedies_count_by_kind_and_result_as_of_the_year_end(cast):
    with at(D(2026, 2, 1)):
        r1 = actions.remedy_record(
            actor=cast.drafter,
            organ=cast.zhuwang,
            kind="reconsideration",
            filed_date=D(2025, 5, 1),
        )
        actions.remedy_set_result(
            actor=cast.drafter, remedy=r1, result="upheld", result_date=D(2025, 7, 1)
        )
        r2 = actions.remedy_record(
            actor=cast.drafter,
            organ=cast.zhuwang,
            kind="litigation_after_reconsideration",
            filed_date=D(2025, 11, 1),
        )
        actions.remedy_set_result(
            actor=cast.drafter, remedy=r2, result="corrected", result_date=D(2026, 1, 20)
        )
        actions.remedy_record(
            actor=cast.drafter,
            organ=cast.zhuwang,
            kind="litigation_direct",
            filed_date=D(2024, 5, 1),
        )
    t = queries.remedy_counts(cast.zhuwang, 2025)
    assert t["reconsideration"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }
    # Decided in January 2026: still pending at the end of 2025.
    assert t["litigation_after_reconsideration"]["pending"] == 1
    assert t["litigation_direct"]["total"] == 0
