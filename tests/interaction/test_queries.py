import datetime

from gongkai.interaction import actions, queries
from gongkai.interaction.models import Letter
from gongkai.interaction.publication import proposed_public_version
from tests.factories import make_organ, make_unit
from tests.interaction.conftest import at, submit

D = datetime.date


def letter_on(cast, received: D, answered: D | None = None, publish: D | None = None):
    with at(received):
        letter = submit(cast.zhuwang).letter
    if answered:
        with at(answered):
            letter = actions.letter_answer(actor=cast.leader, letter=letter, reply="已办理。")
    if publish:
        with at(publish):
            letter = actions.letter_publish(
                actor=cast.leader, letter=letter, texts=proposed_public_version(letter)
            )
    return letter


def test_letter_figures_per_year_and_month(cast):
    letter_on(cast, D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 5))  # Mon → Wed: 2 WD
    letter_on(cast, D(2026, 3, 6), D(2026, 3, 13))  # Fri → next Fri: 5 WD
    letter_on(cast, D(2026, 9, 30), D(2026, 10, 9))  # across 国庆: 10-8, 10-9 → 2 WD
    spam = letter_on(cast, D(2026, 4, 1))
    actions.letter_mark_spam(actor=cast.leader, letter=spam)
    letter_on(cast, D(2026, 5, 6))  # still open
    # Received last year, answered this year: 12-31, 1-4 (a Sunday worked, 调休) and 1-5 → 3 WD.
    letter_on(cast, D(2025, 12, 30), D(2026, 1, 5))

    stats = queries.letter_stats(cast.zhuwang, 2026)
    assert stats.received == 4  # spam and last year's letter excluded
    assert stats.answered == 4
    assert stats.published == 1
    assert stats.spam == 1
    assert stats.open == 1
    by_month = {m["month"]: m for m in stats.by_month}
    assert by_month[3] == {"month": 3, "received": 2, "answered": 2, "published": 1}
    assert by_month[10]["answered"] == 1 and by_month[9]["received"] == 1
    # Durations 2, 5, 2 and 3 working days.
    assert stats.median_workdays == 2.5
    assert stats.avg_workdays == 3.0
    assert stats.uncounted == 0


def test_a_year_without_letters_has_no_averages(cast):
    stats = queries.letter_stats(cast.zhuwang, 2020)
    assert stats.received == 0 and stats.avg_workdays is None and stats.median_workdays is None
    assert len(stats.by_month) == 12


def test_hotline_and_reading_figures_count_the_organs_own_units_only(cast):
    village_organ = make_organ(parent=cast.zhuwang, name="诸往镇下属的某机关", code="sub-organ")
    for unit in (cast.zhuwang, cast.station, village_organ):
        with at(D(2026, 2, 3)):
            actions.hotline_record(
                actor=cast.leader,
                unit=unit,
                topic="t",
                summary="s",
                called_at=datetime.datetime(2026, 2, 3, 2, tzinfo=datetime.UTC),
                follow_up_needed=unit == cast.station,
            )
            actions.visit_record(
                actor=cast.leader, unit=unit, sought="s", copies_pages=4, visited_on=D(2026, 2, 3)
            )
    hotline = queries.hotline_stats(cast.zhuwang, 2026)
    assert hotline.calls == 2 and hotline.follow_up_needed == 1
    assert hotline.by_month[1]["calls"] == 2
    reading = queries.reading_stats(cast.zhuwang, 2026)
    assert reading.visits == 2 and reading.copies_pages == 8
    assert queries.reading_stats(village_organ, 2026).visits == 1
    assert make_unit(parent=cast.zhuwang).pk in [u.pk for u in queries.own_units(cast.zhuwang)]


def test_the_summary_sentence_for_the_annual_report(cast):
    cast.zhuwang.phone = "6366000"
    cast.zhuwang.save()
    letter_on(cast, D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 5))
    summary = queries.interaction_summary(cast.zhuwang, 2026)
    sentence = summary.sentence()
    assert "收到群众来信 1 封" in sentence
    assert "平均 2.0 个工作日答复" in sentence
    assert "（6366000）" in sentence
    data = summary.as_dict()
    assert data["letters"]["received"] == 1 and data["unit_code"] == "zhuwang"


def test_find_letter_needs_both_number_and_code(cast):
    submitted = submit(cast.zhuwang)
    number = submitted.letter.number
    assert queries.find_letter(number, submitted.query_code) == submitted.letter
    assert queries.find_letter(number, "") is None
    assert queries.find_letter(number, "ABCD-EFGH") is None
    assert queries.find_letter("1", submitted.query_code) is None
    assert queries.find_letter("", "") is None
    assert Letter.objects.count() == 1
