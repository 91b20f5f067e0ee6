"""The checks of REPORT_FORMAT.md, cell by cell: the balance per column, 3.7 as the sum of the
3.x rows, the row totals, the remedy totals, the township's 规章 and the carry-over rule (an
error when the system computed both years, a warning otherwise)."""

from __future__ import annotations

import copy

import pytest

from gongkai.accounts.models import UnitKind
from gongkai.reports import checks, documents, formats
from gongkai.reports.checks import Previous


def blank_doc(fmt: str = formats.F2021) -> dict:
    return {
        "format": fmt,
        "proactive": formats.empty_proactive(fmt),
        "applications": formats.empty_applications(fmt),
        "remedies": formats.empty_remedies(),
    }


def balanced() -> dict:
    doc = blank_doc()
    t = doc["applications"]
    for row, n in (("1", 3), ("2", 1), ("3.1", 2), ("3.3.4", 1), ("3.7", 3), ("4", 1)):
        t[row]["natural_person"] = t[row]["total"] = n
    return doc


NONE = Previous(kind="none", year=2024)


def run(doc, previous=NONE, kind=UnitKind.TOWNSHIP, origin="system"):
    return checks.run(doc, unit_kind=kind, previous=previous, origin=origin)


def test_a_balanced_table_has_only_the_first_year_warning():
    found = run(balanced())
    assert [(f["rule"], f["level"]) for f in found] == [("carry_over", "warning")]


def test_a_broken_balance_names_the_column_and_its_four_figures():
    doc = balanced()
    doc["applications"]["4"]["natural_person"] = 2
    doc["applications"]["4"]["total"] = 2
    found = {(f["rule"], f["cell"]): f for f in run(doc)}
    error = found[("balance", "applications/3.7/natural_person")]
    assert error["level"] == "error"
    assert "第一项（3）加第二项（1）之和为4" in error["message"]
    assert "第四项（2）之和为5" in error["message"]
    assert ("balance", "applications/3.7/total") in found
    # the page highlights the four cells of that column
    assert checks.cells_of(error, formats.F2021) == [
        "applications/1/natural_person",
        "applications/2/natural_person",
        "applications/3.7/natural_person",
        "applications/4/natural_person",
    ]


def test_the_total_row_must_be_the_sum_of_every_result_row():
    doc = balanced()
    doc["applications"]["3.5.2"]["natural_person"] = 1
    doc["applications"]["3.5.2"]["total"] = 1
    rules = {(f["rule"], f["cell"]) for f in run(doc)}
    assert ("results_sum", "applications/3.7/natural_person") in rules
    assert ("results_sum", "applications/3.7/total") in rules


def test_the_total_column_must_be_the_sum_of_the_six_applicant_columns():
    doc = balanced()
    doc["applications"]["1"]["commercial"] = 1
    found = [f for f in run(doc) if f["rule"] == "row_total"]
    assert [f["cell"] for f in found] == ["applications/1/total"]
    assert "一、本年新收政府信息公开申请数量" in found[0]["message"]


def test_remedy_totals_must_add_up():
    doc = balanced()
    doc["remedies"]["litigation_direct"]["pending"] = 1
    found = [f for f in run(doc) if f["rule"] == "remedy_total"]
    assert [f["cell"] for f in found] == ["remedies/litigation_direct/total"]


def test_negative_counts_are_errors():
    doc = balanced()
    doc["proactive"]["license"]["decisions"] = -1
    assert ("non_negative", "proactive/license/decisions") in {
        (f["rule"], f["cell"]) for f in run(doc)
    }


def test_regulations_are_a_warning_for_a_township_only():
    doc = balanced()
    doc["proactive"]["regulation"]["in_force"] = 2
    township = [f for f in run(doc) if f["rule"] == "township_regulation"]
    assert township[0]["level"] == "warning"
    assert township[0]["cell"] == "proactive/regulation/in_force"
    assert not [f for f in run(doc, kind=UnitKind.CITY) if f["rule"] == "township_regulation"]


@pytest.mark.parametrize(
    ("previous_kind", "origin", "level"),
    [
        ("system", "system", "error"),
        ("imported", "system", "warning"),
        ("corrected", "system", "warning"),
        ("system", "imported", "warning"),
    ],
)
def test_carry_over_mismatch_is_an_error_only_when_the_system_computed_both_years(
    previous_kind, origin, level
):
    carried_out = dict.fromkeys(formats.COLUMNS, 0)
    carried_out.update(natural_person=2, total=2)
    previous = Previous(kind=previous_kind, year=2024, carried_out=carried_out, version=1)
    found = [f for f in run(balanced(), previous, origin=origin) if f["rule"] == "carry_over"]
    assert {f["cell"] for f in found} == {
        "applications/2/natural_person",
        "applications/2/total",
    }
    assert {f["level"] for f in found} == {level}
    assert "2024年度报告（第1版）" in found[0]["message"]


def test_matching_carry_over_passes():
    carried_out = dict.fromkeys(formats.COLUMNS, 0)
    carried_out.update(natural_person=1, total=1)
    previous = Previous(kind="system", year=2024, carried_out=carried_out, version=1)
    assert run(balanced(), previous) == []


def test_a_legacy_previous_year_cannot_be_compared():
    found = run(balanced(), Previous(kind="legacy", year=2018, version=1))
    assert found[0]["level"] == "warning" and "2019年以前的格式" in found[0]["message"]


def test_errors_come_before_warnings():
    doc = balanced()
    doc["applications"]["1"]["commercial"] = 1
    levels = [f["level"] for f in run(doc)]
    assert levels == sorted(levels, key=lambda level: level != "error")


def test_previous_year_kind_follows_last_years_report(ledger):
    from gongkai.reports import actions

    head = ledger.office_head
    assert documents.previous_for(ledger.zhuwang, 2025).kind == "none"
    doc_2024 = copy.deepcopy(documents.live_document(ledger.zhuwang, 2024))
    doc_2024.pop("checks")
    doc_2024["year"] = 2024
    actions.report_import(actor=head, unit=ledger.zhuwang, document=doc_2024)
    previous = documents.previous_for(ledger.zhuwang, 2025)
    assert previous.kind == "imported"
    assert previous.carried_out["total"] == 4
