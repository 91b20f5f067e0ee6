"""The rescan of everything published: after a change of the rules and on schedule, newest
first, resumable from the cursor it saves, its findings queued for the unit's 保密审查员 and
公开办负责人 with the days public; a city sees the count per township."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import actions, jobs, queries, rescan
from gongkai.catalog.models import Finding, ItemVersion, Rescan
from gongkai.lib.scan import RULES_VERSION
from tests.catalog.conftest import publish_new
from tests.factories import make_user

ID = "370283199001011234"


def _leak(item, text=f"<p>身份证号{ID}</p>"):
    """A published body with personal data the rules of its day did not see."""
    ItemVersion.objects.filter(pk=item.published_version_id).update(body=text)


def test_a_rules_change_starts_a_run_that_finds_old_leaks(cast):
    item = publish_new(cast, title="临时救助公示")
    rescan.run()  # the current rules have seen everything
    _leak(item)
    assert rescan.step() is None  # nothing due: same rules, run finished today
    Rescan.objects.filter(pk=1).update(rules_version=RULES_VERSION - 1)
    assert rescan.run() == 1
    [finding] = Finding.objects.filter(version=item.published_version)
    assert finding.kind == "id_card_unverified" and finding.severity == "high"
    assert rescan.state().rules_version == RULES_VERSION


def test_a_run_starts_again_on_schedule(cast):
    item = publish_new(cast)
    rescan.run()
    _leak(item)
    with time_machine.travel(timezone.now() + rescan.SCHEDULE + datetime.timedelta(minutes=1)):
        assert rescan.run() == 1
    assert Finding.objects.filter(version=item.published_version).exists()


def test_the_run_goes_newest_first_and_resumes_from_its_cursor(cast):
    old = publish_new(cast, title="旧公示")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        new = publish_new(cast, title="新公示")
    _leak(old)
    _leak(new)
    Rescan.objects.all().delete()
    assert rescan.step(size=1) == 1
    # Only the newest one done; the cursor is in the database, so a stopped worker resumes.
    assert Finding.objects.filter(version=new.published_version).exists()
    assert not Finding.objects.filter(version=old.published_version).exists()
    row = Rescan.objects.get()
    assert row.cursor_version == new.published_version_id and row.scanned == 1
    assert rescan.step(size=1) == 1
    assert Finding.objects.filter(version=old.published_version).exists()
    assert rescan.step(size=1) is None
    assert Rescan.objects.get().finished_at is not None


def test_findings_are_queued_with_days_public_and_can_be_cleared(client, cast):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=9)):
        item = publish_new(cast, title="临时救助公示")
    _leak(item)
    Rescan.objects.all().delete()
    jobs.recheck_published()
    for user in (cast.secrecy_reviewer, cast.office_head):
        [row] = queries.rescan_rows(list(queries.rescan_queue(user)))
        assert row["item"] == item and row["days_public"] == 9
    assert not queries.rescan_queue(cast.drafter).exists()
    assert not queries.rescan_queue(cast.other_drafter).exists()
    client.force_login(cast.office_head)
    workbench = client.get(reverse("core:workbench")).content.decode()
    assert "已发布信息检查发现问题" in workbench and "已公开 9 天" in workbench
    page = client.get(reverse("catalog:rescan_queue")).content.decode()
    assert "临时救助公示" in page and ID in page
    finding = Finding.objects.get()
    actions.finding_clear(actor=cast.secrecy_reviewer, finding=finding, note="虚构的示例号码")
    assert not queries.rescan_queue(cast.office_head).exists()
    Rescan.objects.filter(pk=1).update(rules_version=0)
    rescan.run()
    assert Finding.objects.get().cleared_at is not None  # stays cleared while unchanged


def test_a_city_sees_the_count_per_township(cast):
    from gongkai.accounts.models import Role

    city_reviewer = make_user("cityreviewer", roles=[(cast.city, Role.SECRECY_REVIEWER)])
    zhuwang = publish_new(cast, title="诸往镇公示")
    _leak(zhuwang)
    Rescan.objects.all().delete()
    rescan.run()
    assert queries.rescan_counts_by_township(city_reviewer) == [("乳山市诸往镇人民政府", 1)]
    assert queries.rescan_counts_by_township(cast.secrecy_reviewer) == []
