"""The fixture set of issue 12: rosters, notices, tables and hard negatives (工商注册号, office
accounts next to 开户行, contract and order numbers, amounts, 统一社会信用代码, 索引号, 文号, dates,
office phones). Recall on identity numbers must be 100% (wrong check digits next to a label
included), precision over all kinds at least 0.95, and `gongkai scan` must print the same."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.lib.scan import scan_text

FIXTURES = json.loads((Path(__file__).parent / "data" / "scan_fixtures.json").read_text("utf-8"))
ID_KINDS = {"id_card", "id_card_unverified"}


def found(text: str) -> set[tuple[str, str]]:
    return {(f.kind, f.text) for f in scan_text(text)}


def test_the_fixture_set_is_big_and_has_hard_negatives():
    assert len(FIXTURES) >= 60
    assert sum(1 for f in FIXTURES if not f["expect"]) >= 25
    assert sum(1 for f in FIXTURES for k, _ in f["expect"] if k in ID_KINDS) >= 15


def test_recall_on_identity_numbers_is_complete_and_precision_high():
    expected_ids = found_ids = true = reported = 0
    misses = []
    for fixture in FIXTURES:
        expected = {tuple(e) for e in fixture["expect"]}
        got = found(fixture["text"])
        ids = {e for e in expected if e[0] in ID_KINDS}
        expected_ids += len(ids)
        found_ids += len(ids & got)
        true += len(expected & got)
        reported += len(got)
        if got != expected:
            misses.append((fixture["name"], sorted(got - expected), sorted(expected - got)))
    recall = found_ids / expected_ids
    precision = true / reported
    assert recall == 1.0, misses
    assert precision >= 0.95, misses


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f["name"] for f in FIXTURES])
def test_each_fixture_finds_what_it_should(fixture):
    assert found(fixture["text"]) == {tuple(e) for e in fixture["expect"]}


def test_a_wrong_check_digit_next_to_a_label_is_high_and_alone_is_medium():
    [labelled] = scan_text("身份证号：370283199001011234")
    [alone] = scan_text("附：370283199001011234")
    assert (labelled.kind, labelled.severity) == ("id_card_unverified", "high")
    assert (alone.kind, alone.severity) == ("id_card_unverified", "medium")


def test_gongkai_scan_prints_the_same_findings(tmp_path):
    paths = []
    for i, fixture in enumerate(FIXTURES):
        path = tmp_path / f"{i:03d}.txt"
        path.write_text(fixture["text"], encoding="utf-8")
        paths.append(path)
    out, err = io.StringIO(), io.StringIO()
    call_command("scan", *map(str, paths), stdout=out, stderr=err)
    printed: dict[str, set] = {str(p): set() for p in paths}
    for line in out.getvalue().splitlines():
        row = json.loads(line)
        assert list(row) == ["file", "kind", "text", "start", "end", "severity"]
        printed[row["file"]].add((row["kind"], row["text"]))
    for path, fixture in zip(paths, FIXTURES, strict=True):
        assert printed[str(path)] == found(fixture["text"]), fixture["name"]
