"""Each indicator on both sides of its threshold: pass, warning and fail (dates from a frozen
clock, TODAY in conftest)."""

from __future__ import annotations

import datetime

import pytest

from gongkai.accounts.models import Unit
from gongkai.catalog.models import Finding, Validity
from gongkai.inspection import actions
from gongkai.inspection.models import ColumnType, ExactName, LinkCheck, ProbeReport, WrongForm
from tests.inspection.conftest import TODAY, outcome, status
from tests.inspection.helpers import at, publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

D = datetime.timedelta


def ago(days: int) -> datetime.date:
    return TODAY - D(days=days)


# ---------------------------------------------------------------- 首页不更新 (veto)


@pytest.mark.parametrize(
    ("days", "expected"), [(9, "pass"), (10, "warning"), (13, "warning"), (14, "fail")]
)
def test_home_page_fails_after_two_weeks_without_news(zhuwang, days, expected):
    publish(zhuwang, day=ago(days))
    assert status("home_update", zhuwang) == expected


def test_home_page_without_any_item_fails(zhuwang):
    assert status("home_update", zhuwang) == "fail"


def test_items_published_after_the_inspected_day_do_not_count(zhuwang):
    publish(zhuwang, day=ago(20))
    publish(zhuwang, day=TODAY + D(days=1))
    assert status("home_update", zhuwang) == "fail"


# ---------------------------------------------------------------- 栏目不更新 (veto)


def _news_columns(n: int, unit: Unit | None = None) -> list[str]:
    from gongkai.catalog.models import Category

    codes = []
    for i in range(n):
        category = Category.objects.create(
            code=f"t-news-{i}", name=f"动态{i}", kind="column", unit=unit
        )
        ColumnType.objects.create(category=category, kind="news")
        codes.append(category.code)
    return codes


def test_news_column_at_ten_days_warns_and_five_stale_columns_veto(zhuwang):
    from gongkai.catalog.models import Item

    ColumnType.objects.all().delete()
    codes = _news_columns(5)
    for code in codes:
        publish(zhuwang, day=ago(3), category=code)
    assert status("column_update", zhuwang) == "pass"
    # One column's newest item at 10 days: a warning.
    Item.objects.filter(published_version__category__code=codes[0]).delete()
    publish(zhuwang, day=ago(10), category=codes[0])
    assert status("column_update", zhuwang) == "warning"
    # All five older than 2 weeks: a veto.
    Item.objects.filter(published_version__category__code__in=codes).delete()
    for code in codes:
        publish(zhuwang, day=ago(15), category=code)
    result = outcome("column_update", zhuwang)
    assert result.status == "fail"
    assert "未更新 5" in result.value


def test_four_stale_news_columns_warn_but_do_not_veto(zhuwang):
    ColumnType.objects.all().delete()
    for code in _news_columns(4):
        publish(zhuwang, day=ago(20), category=code)
    assert status("column_update", zhuwang) == "warning"


def test_policy_column_is_stale_only_after_six_months(zhuwang):
    from gongkai.catalog.models import Category

    ColumnType.objects.all().delete()
    codes = []
    for i in range(5):
        category = Category.objects.create(code=f"t-pol-{i}", name=f"政策{i}", kind="column")
        ColumnType.objects.create(category=category, kind="policy")
        codes.append(category.code)
    for code in codes:
        publish(zhuwang, day=ago(100), category=code)
    assert status("column_update", zhuwang) == "pass"
    for code in codes:
        publish(zhuwang, day=ago(160), category=code)  # the newest still decides
    assert status("column_update", zhuwang) == "pass"
    from gongkai.catalog.models import Item

    Item.objects.filter(first_published_at=at(ago(100))).delete()
    assert status("column_update", zhuwang) == "warning"
    Item.objects.filter(published_version__category__code__in=codes).delete()
    for code in codes:
        publish(zhuwang, day=ago(190), category=code)
    assert status("column_update", zhuwang) == "fail"


def test_five_empty_columns_veto_and_four_warn(zhuwang):
    from gongkai.catalog.models import Category

    ColumnType.objects.all().delete()
    for i in range(4):
        category = Category.objects.create(code=f"t-static-{i}", name=f"固定{i}", kind="column")
        ColumnType.objects.create(category=category, kind="static")
    assert status("column_update", zhuwang) == "warning"
    category = Category.objects.create(code="t-static-4", name="固定4", kind="column")
    ColumnType.objects.create(category=category, kind="static")
    assert status("column_update", zhuwang) == "fail"


def test_another_townships_own_column_is_not_inspected_here(zhuwang, cast):
    from gongkai.catalog.models import Category

    ColumnType.objects.all().delete()
    for i in range(5):
        category = Category.objects.create(
            code=f"t-own-{i}", name=f"夏村栏目{i}", kind="column", unit=cast.other_township
        )
        ColumnType.objects.create(category=category, kind="static")
    assert status("column_update", zhuwang) == "pass"
    assert status("column_update", cast.other_township) == "fail"


# ---------------------------------------------------------------- 站点无法访问 (veto)


def _visits(unit, days: int, per_day: int, failures: int) -> None:
    rows = []
    for d in range(days):
        for n in range(per_day):
            moment = at(ago(d)) - D(hours=11) + D(minutes=n * 30)
            rows.append(
                ProbeReport(unit=unit, url="http://x/", visited_at=moment, ok=True, seconds=1)
            )
    for row in rows[:failures]:
        row.ok = False
    ProbeReport.objects.bulk_create(rows)


def test_availability_is_not_monitored_until_a_probe_reports(zhuwang):
    assert status("availability", zhuwang) == "unmonitored"


@pytest.mark.parametrize(("failures", "expected"), [(4, "pass"), (5, "warning"), (7, "fail")])
def test_availability_vetoes_from_five_percent_failed_visits(zhuwang, failures, expected):
    _visits(zhuwang, days=7, per_day=20, failures=failures)  # 140 visits: 5% is 7
    assert status("availability", zhuwang) == expected


def test_slow_visits_count_as_failures(zhuwang):
    _visits(zhuwang, days=7, per_day=20, failures=0)
    ProbeReport.objects.filter(pk__in=ProbeReport.objects.values("pk")[:7]).update(seconds=15.0)
    assert status("availability", zhuwang) == "fail"


def test_a_short_monitoring_says_so(zhuwang):
    _visits(zhuwang, days=3, per_day=20, failures=0)
    result = outcome("availability", zhuwang)
    assert result.status == "pass"
    assert "监测不足" in result.note


# ---------------------------------------------------------------- 互动回应差 (veto)


def _letter(unit, received: datetime.date, answered: datetime.date | None = None):
    from gongkai.interaction.models import Letter

    n = Letter.objects.count() + 1
    return Letter.objects.create(
        unit=unit,
        number=f"XX{n:06d}",
        idempotency_key=f"k{n}",
        query_code_hash="x",
        status="answered" if answered else "received",
        handler_role="leader",
        writer_name="张三",
        subject=f"咨询{n}",
        content="请问……",
        received_at=at(received),
        year=received.year,
        serial=n,
        answered_at=at(answered) if answered else None,
        reply="已答复" if answered else "",
    )


@pytest.mark.parametrize(
    ("age", "expected"), [(59, "pass"), (60, "warning"), (89, "warning"), (91, "fail")]
)
def test_unanswered_letter_vetoes_after_three_months(zhuwang, age, expected):
    _letter(zhuwang, ago(age))
    assert status("interaction", zhuwang) == expected


def test_answered_and_year_old_letters_do_not_count(zhuwang):
    _letter(zhuwang, ago(200), answered=ago(190))
    _letter(zhuwang, ago(400))
    assert status("interaction", zhuwang) == "pass"


def test_closed_mailbox_vetoes(zhuwang):
    from gongkai.interaction.models import MailboxSettings

    MailboxSettings.objects.create(unit=zhuwang, is_open=False)
    assert status("interaction", zhuwang) == "fail"


# ---------------------------------------------------------------- 安全 / 严重表述错误 (veto)


def test_serious_wrong_form_vetoes_and_a_mild_one_only_scores(zhuwang):
    publish(zhuwang, day=ago(1), body="<p>依据《中华人名共和国宪法》和党委书计的讲话</p>")
    assert status("security", zhuwang) == "pass"
    WrongForm.objects.create(wrong="书计", correct="书记")
    assert status("security", zhuwang) == "pass"
    assert status("wording", zhuwang) == "warning"
    WrongForm.objects.create(wrong="中华人名共和国", correct="中华人民共和国", serious=True)
    assert status("security", zhuwang) == "fail"


def test_classification_mark_on_a_public_page_vetoes(zhuwang):
    item = publish(zhuwang, day=ago(1))
    assert status("security", zhuwang) == "pass"
    Finding.objects.create(
        version=item.published_version, source="body", kind="classification_mark",
        severity="high", text="机密★",
    )  # fmt: skip
    assert status("security", zhuwang) == "fail"


def test_forged_publication_date_vetoes(zhuwang):
    publish(zhuwang, day=ago(1), imported=False, created=at(ago(1)))
    assert status("security", zhuwang) == "pass"
    publish(zhuwang, day=ago(30), imported=False, created=at(ago(1)))
    assert status("security", zhuwang) == "fail"


# ---------------------------------------------------------------- 服务不实用 (veto)


def test_services_need_where_and_when_to_apply(zhuwang):
    zhuwang.address, zhuwang.opening_hours, zhuwang.phone = "镇驻地", "工作日", "0631-1"
    zhuwang.save()
    assert status("services", zhuwang) == "pass"
    zhuwang.phone = ""
    zhuwang.save()
    assert status("services", zhuwang) == "fail"


# ---------------------------------------------------------------- links, attachments, forms


def test_links_are_not_monitored_before_a_crawl_and_count_broken_ones(zhuwang):
    from gongkai.inspection.crawler import CrawlResult, Link

    assert status("links", zhuwang) == "unmonitored"

    def crawl_with(links):
        actions.crawl_store(
            unit=zhuwang,
            result=CrawlResult("http://x/", at(TODAY), at(TODAY), 5, links),
        )

    ok = Link("http://x/a", "http://x/", "page", True, True, 200, "")
    crawl_with([ok])
    assert status("links", zhuwang) == "pass"
    other = [Link(f"http://x/b{n}", "http://x/p", "page", False, False, 404, "") for n in range(4)]
    crawl_with([ok, *other])
    assert status("links", zhuwang) == "warning"
    crawl_with([ok, *other, Link("http://x/b9", "http://x/p", "page", False, False, 404, "")])
    assert status("links", zhuwang) == "fail"
    crawl_with([ok, Link("http://x/c", "http://x/", "page", True, False, 500, "")])
    assert status("links", zhuwang) == "fail"
    files = [
        Link(f"http://x/f{n}.pdf", "http://x/", "attachment", True, False, 404, "")
        for n in range(3)
    ]
    crawl_with(files[:2])
    assert status("attachments", zhuwang) == "warning"
    crawl_with(files)
    assert status("attachments", zhuwang) == "fail"
    crawl_with([Link("http://x/form", "http://x/", "form", True, True, 200, "")])
    assert status("forms", zhuwang) == "pass"
    assert LinkCheck.objects.filter(unit=zhuwang).count() == 1
    crawl_with([Link("http://x/form", "http://x/", "form", True, False, 500, "")])
    assert status("forms", zhuwang) == "fail"


# ---------------------------------------------------------------- 政策解读


def _policy_with_interpretation(unit, policy_day, interp_day=None):
    policy = publish(unit, day=policy_day, genre="normative", title="某某管理办法")
    if interp_day is not None:
        interp = publish(unit, day=interp_day, genre="interpretation", title="《某某管理办法》解读")
        policy.published_version.interpretations.add(interp)
    return policy


def test_interpretation_within_the_deadline_passes(zhuwang):
    _policy_with_interpretation(zhuwang, ago(20), ago(18))
    assert status("interpretation", zhuwang) == "pass"


def test_missing_interpretation_warns_within_the_deadline_and_fails_after(zhuwang):
    _policy_with_interpretation(zhuwang, ago(2))
    assert status("interpretation", zhuwang) == "warning"
    assert status("interpretation", zhuwang, TODAY + D(days=2)) == "fail"


def test_late_interpretation_fails(zhuwang):
    _policy_with_interpretation(zhuwang, ago(20), ago(10))
    assert status("interpretation", zhuwang) == "fail"


# ---------------------------------------------------------------- 个人信息


def test_personal_data_in_a_public_version(zhuwang):
    item = publish(zhuwang, day=ago(1))
    assert status("personal_data", zhuwang) == "pass"
    Finding.objects.create(
        version=item.published_version, source="body", kind="mobile", severity="medium", text="138"
    )
    assert status("personal_data", zhuwang) == "warning"
    Finding.objects.create(
        version=item.published_version, source="body", kind="id_card", severity="high", text="37"
    )
    assert status("personal_data", zhuwang) == "fail"


# ---------------------------------------------------------------- 领导姓名职务


def test_leader_written_with_a_wrong_title_fails(zhuwang):
    ExactName.objects.create(name="张志强", titles="镇党委副书记、镇长")
    publish(zhuwang, day=ago(1), body="<p>镇长张志强出席会议，镇党委副书记张志强讲话。</p>")
    assert status("wording", zhuwang) == "pass"
    publish(zhuwang, day=ago(1), body="<p>副镇长张志强出席会议。</p>")
    result = outcome("wording", zhuwang)
    assert result.status == "fail"
    assert "副镇长" in result.items[0]["label"]


def test_three_mild_wrong_forms_fail(zhuwang):
    WrongForm.objects.create(wrong="书计", correct="书记")
    for _ in range(2):
        publish(zhuwang, day=ago(1), body="<p>党委书计</p>")
    assert status("wording", zhuwang) == "warning"
    publish(zhuwang, day=ago(1), body="<p>党委书计</p>")
    assert status("wording", zhuwang) == "fail"


# ---------------------------------------------------------------- four parts, guide, report


def _complete_unit(unit):
    unit.address, unit.opening_hours, unit.phone = "镇驻地", "工作日", "0631-1"
    unit.fax, unit.email = "0631-2", "gk@example.com"
    unit.save()


def test_four_part_column_needs_rules_statutory_items_and_a_report(zhuwang):
    from gongkai.portal.models import Page

    _complete_unit(zhuwang)
    assert "政府信息公开制度" in outcome("four_part", zhuwang).value
    Page.objects.create(unit=zhuwang, title="保密审查制度", body="<p>…</p>")
    publish(zhuwang, day=ago(5), category="art20-07")
    publish(zhuwang, day=ago(100), category="platform-annual-report", genre="annual-report",
            title="诸往镇2025年政府信息公开工作年度报告")  # fmt: skip
    assert status("four_part", zhuwang) == "pass"


def test_guide_fails_without_contacts_and_warns_when_not_reviewed(zhuwang):
    from gongkai.portal.models import GuideText

    assert status("guide", zhuwang) == "fail"
    _complete_unit(zhuwang)
    assert status("guide", zhuwang) == "warning"
    GuideText.objects.create(unit=zhuwang, updated_at=at(ago(30)))
    assert status("guide", zhuwang) == "pass"
    GuideText.objects.filter(unit=zhuwang).update(updated_at=at(ago(400)))
    assert status("guide", zhuwang) == "warning"


def test_annual_report_warns_before_and_fails_after_its_deadline(zhuwang):
    deadline = datetime.date(2026, 1, 31)
    assert status("annual_report", zhuwang, deadline - D(days=20)) == "pass"
    assert status("annual_report", zhuwang, deadline - D(days=5)) == "warning"
    assert status("annual_report", zhuwang, deadline + D(days=1)) == "fail"
    publish(zhuwang, day=datetime.date(2026, 1, 20), category="platform-annual-report",
            genre="annual-report", title="诸往镇2025年政府信息公开工作年度报告")  # fmt: skip
    assert status("annual_report", zhuwang) == "pass"


# ---------------------------------------------------------------- 有效性, timeliness


def test_replaced_document_still_marked_valid_fails(zhuwang):
    new = publish(zhuwang, day=ago(3))
    old = publish(zhuwang, day=ago(300))
    assert status("validity", zhuwang) == "pass"
    old.replaced_by = new
    old.save()
    assert status("validity", zhuwang) == "fail"
    old.validity = Validity.REPEALED
    old.save()
    assert status("validity", zhuwang) == "pass"


def test_normative_document_warns_before_five_years_and_fails_after(zhuwang):
    item = publish(zhuwang, day=ago(10), genre="normative", formed=datetime.date(2021, 7, 1))
    assert status("validity", zhuwang) == "warning"
    item.published_version.formed_date = datetime.date(2021, 6, 1)
    item.published_version.save()
    assert status("validity", zhuwang) == "fail"


def test_open_draft_past_its_due_date_fails_timeliness(zhuwang, cast):
    from gongkai.catalog.models import Item, ItemVersion

    item = Item.objects.create(organ=zhuwang, unit=zhuwang)
    version = ItemVersion.objects.create(
        item=item, number=1, state="office_review", title="待审核", formed_date=ago(40),
        due_date=TODAY + D(days=2),
    )  # fmt: skip
    assert status("timeliness", zhuwang) == "warning"
    version.due_date = TODAY + D(days=10)
    version.save()
    assert status("timeliness", zhuwang) == "pass"
    version.due_date = ago(1)
    version.save()
    assert status("timeliness", zhuwang) == "fail"
