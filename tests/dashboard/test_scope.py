"""Whose figures a member of staff may see, and how bad picker values are answered."""

from __future__ import annotations

import datetime

from gongkai.accounts.models import Role
from gongkai.dashboard.scope import choices_for, pick_scope, pick_year, year_choices
from tests.dashboard.conftest import D, replied
from tests.factories import make_user


def test_city_user_gets_the_city_total_first_and_each_organ_below(cast):
    choices = choices_for(cast.admin)

    assert [c.key for c in choices] == ["", "rushan", "zhuwang", "xiacun"]
    total = choices[0]
    assert set(total.unit_ids) == {cast.city.pk, cast.zhuwang.pk, cast.other_township.pk}
    assert "乳山市及下级机关合计" in total.label
    assert choices[1].label == "乳山市人民政府（本级）"
    assert choices[1].unit_ids == (cast.city.pk,)


def test_township_user_sees_only_their_own_township(cast):
    choices = choices_for(cast.drafter)

    assert [(c.key, c.unit_ids, c.by_organ) for c in choices] == [
        ("zhuwang", (cast.zhuwang.pk,), True)
    ]


def test_station_staff_covering_no_organ_see_their_own_unit(cast):
    choices = choices_for(cast.station_drafter)

    assert [(c.key, c.unit_ids, c.by_organ) for c in choices] == [
        ("zhuwang-agri", (cast.station.pk,), False)
    ]


def test_user_with_roles_in_two_townships_gets_their_sum_without_the_city(cast):
    both = make_user(
        "both", roles=[(cast.zhuwang, Role.DRAFTER), (cast.other_township, Role.DRAFTER)]
    )

    choices = choices_for(both)

    assert [c.key for c in choices] == ["", "zhuwang", "xiacun"]
    assert set(choices[0].unit_ids) == {cast.zhuwang.pk, cast.other_township.pk}
    assert cast.city.pk not in choices[0].unit_ids


def test_a_sibling_township_cannot_be_picked(cast):
    choices = choices_for(cast.drafter)

    chosen, problem = pick_scope(choices, "xiacun")

    assert chosen.key == "zhuwang"
    assert "无权查看" in problem


def test_no_unit_parameter_means_the_first_choice_silently(cast):
    chosen, problem = pick_scope(choices_for(cast.admin), None)

    assert chosen.key == "" and problem == ""
    # A city user's link to the total, opened by a township user: their own township.
    assert pick_scope(choices_for(cast.drafter), " ") == (choices_for(cast.drafter)[0], "")


def test_bad_years_fall_back_to_this_year_with_a_message():
    today = D(2025, 6, 1)
    assert pick_year("2024", today) == (2024, "")
    assert pick_year("", today) == (2025, "")
    assert pick_year(None, today) == (2025, "")
    for bad in ("abc", "2026", "1999", "20245", "２０２４", "-1", "2024.0", "x" * 500):
        year, problem = pick_year(bad, today)
        assert year == 2025, bad
        assert "无效" in problem and len(problem) < 120, bad


def test_year_choices_reach_back_to_the_first_record(cast):
    from gongkai.dashboard.scope import Scope

    replied(cast.zhuwang, D(2021, 3, 1), D(2021, 3, 10))
    replied(cast.other_township, D(2015, 3, 1), D(2015, 3, 10))
    scope = Scope("zhuwang", "", (cast.zhuwang.pk,))

    years = year_choices(scope, today=datetime.date(2025, 1, 5))

    assert years == [2025, 2024, 2023, 2022, 2021]
