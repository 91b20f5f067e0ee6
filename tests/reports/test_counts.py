"""Exact tables from a two-year ledger: every cell of section 三 for 2024 and 2025, the balance
rule in every column, this year's 上年结转 equal to last year's 结转下年度, section 四 with results
as of the year end, and section 二 from the catalog by the counting rules."""

from __future__ import annotations

from decimal import Decimal

from gongkai.reports import compute, documents, formats
from tests.reports.conftest import EXPECTED, LEDGER


def expected_table(year: int) -> dict[str, dict[str, int]]:
    table = formats.empty_applications(formats.F2021)
    for row, values in EXPECTED[year].items():
        table[row].update(values)
        table[row]["total"] = sum(values.values())
    return table


def test_the_ledger_uses_every_decision_code_and_every_applicant_type():
    outcomes = {row[2] for row in LEDGER if row[2]}
    kinds = {row[1] for row in LEDGER}
    assert len(kinds) == 6
    codes = set()
    for year in EXPECTED.values():
        codes |= {row for row in year if row.startswith("3.") and row != "3.7"}
    assert codes == set(formats.result_rows(formats.F2021))
    assert "部分公开" in outcomes and "撤回" in outcomes  # labels as well as codes


def test_2024_table_is_exact_cell_by_cell(ledger):
    assert compute.applications(ledger.zhuwang, 2024, formats.F2021) == expected_table(2024)


def test_2025_table_is_exact_cell_by_cell(ledger):
    assert compute.applications(ledger.zhuwang, 2025, formats.F2021) == expected_table(2025)


def test_every_column_balances_and_carries_over(ledger):
    last = compute.applications(ledger.zhuwang, 2024, formats.F2021)
    this = compute.applications(ledger.zhuwang, 2025, formats.F2021)
    for table in (last, this):
        for col in formats.COLUMNS:
            assert table["1"][col] + table["2"][col] == table["3.7"][col] + table["4"][col]
            assert table["3.7"][col] == sum(
                table[r][col] for r in formats.result_rows(formats.F2021)
            )
    for col in formats.COLUMNS:
        assert this["2"][col] == last["4"][col]
    assert this["4"]["total"] == 3 and this["2"]["total"] == 4


def test_live_documents_of_both_years_pass_every_check_but_the_first_carry_over(ledger):
    doc_2024 = documents.live_document(ledger.zhuwang, 2024)
    doc_2025 = documents.live_document(ledger.zhuwang, 2025)
    assert [c["rule"] for c in doc_2024["checks"]] == ["carry_over"]
    assert [c["rule"] for c in doc_2025["checks"]] == ["carry_over"]
    assert all(c["level"] == "warning" for c in doc_2025["checks"])


def test_the_2019_format_has_one_row_for_other_handling(ledger):
    table = compute.applications(ledger.zhuwang, 2025, formats.F2019)
    assert "3.6.1" not in table and list(table) == formats.application_rows(formats.F2019)
    assert table["3.6"] == {
        **dict.fromkeys(formats.COLUMNS, 0),
        "research": 1,
        "legal_service": 1,
        "other_org": 1,
        "total": 3,
    }


def test_remedies_count_those_filed_in_the_year_with_results_as_of_its_end(ledger):
    table = compute.remedies(ledger.zhuwang, 2025)
    assert table["reconsideration"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 2,
    }
    # decided in 2026: still pending on 31 December 2025
    assert table["litigation_direct"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 1,
    }
    assert table["litigation_after_reconsideration"]["other"] == 1
    assert compute.remedies(ledger.zhuwang, 2024)["reconsideration"]["corrected"] == 1


def test_fees_collected_in_the_year(ledger):
    amount, count = compute.fees(ledger.zhuwang, 2025)
    assert (amount, count) == (Decimal("150.50"), 2)


def test_normative_documents_by_the_counting_rules(catalog_docs, cast):
    rows = compute.catalog_figures(cast.zhuwang, 2025, formats.F2021)
    # issued: formed in 2025 and published (the draft, the 涉密 item and the sibling's do not count)
    # repealed: 废止 on 2025-07-01 and 失效 on 2025-12-31 (已修改 is not repealed)
    # in force on 31 December: the two issued in 2025 (one repealed only in 2026) and the 2020 one
    assert rows.rows["normative_document"] == {"issued": 2, "repealed": 2, "in_force": 3}
    assert rows.rows["regulation"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert rows.undated == 1


def test_documents_repealed_later_are_in_force_in_earlier_years(catalog_docs, cast):
    rows = compute.catalog_figures(cast.zhuwang, 2024, formats.F2021)
    assert rows.rows["normative_document"] == {"issued": 0, "repealed": 0, "in_force": 4}


def test_a_township_with_regulations_and_undated_marks_gets_warnings(catalog_docs, cast):
    doc = documents.live_document(cast.zhuwang, 2025)
    rules = {c["rule"]: c for c in doc["checks"]}
    assert rules["township_regulation"]["level"] == "warning"
    assert rules["township_regulation"]["cell"] == "proactive/regulation/issued"
    assert rules["validity_undated"]["level"] == "warning"
    assert "1件" in rules["validity_undated"]["message"]


def test_the_2019_format_counts_made_published_and_total_public(catalog_docs, cast):
    rows = compute.catalog_figures(cast.zhuwang, 2025, formats.F2019)
    # published versions carry their formed date as their publication moment in these fixtures
    assert rows.rows["normative_document"] == {"made": 2, "published": 2, "total_public": 7}
