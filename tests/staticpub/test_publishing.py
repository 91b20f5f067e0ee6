"""Static publishing: the public pages of changed items and columns written as files equal to
what the app answers; a withdrawal or 紧急撤回 deletes them before the action returns and leaves
the 410 marker; the queue is written with the change and drained by the thread or the job."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongkai.catalog import actions
from gongkai.portal import actions as portal_actions
from gongkai.portal.models import Page
from gongkai.staticpub import jobs, publisher
from gongkai.staticpub.models import DirtyPage


def item_path(item) -> str:
    return "/xinxi/" + item.index_number


def served(client, path: str):
    return client.get(publisher.iri(path))


def test_publishing_queues_the_item_and_its_columns_in_the_same_transaction(
    published_dir, cast, publish
):
    item = publish(title="关于2026年春季植树活动的通知")
    queued = set(DirtyPage.objects.values_list("path", flat=True))
    assert {item_path(item), "/dayin/" + item.index_number, "/", "/mulu/"} <= queued
    assert f"/gk/{item.organ.code}/" in queued and f"/gk/{item.organ.code}/mulu/" in queued


def test_drained_pages_are_byte_for_byte_what_the_app_serves(published_dir, client, cast, publish):
    item = publish(title="关于2026年春季植树活动的通知")
    assert publisher.drain() >= 6
    assert not DirtyPage.objects.exists()
    for path in (item_path(item), "/", "/mulu/", f"/gk/{item.organ.code}/mulu/"):
        file = publisher.page_file(path)
        assert file.is_file(), path
        assert file.read_bytes() == served(client, path).content, path
    assert "关于2026年春季植树活动的通知" in publisher.page_file("/").read_text()
    # The index number keeps its slashes as directories.
    assert publisher.page_file(item_path(item)) == published_dir / "pages" / (
        item_path(item)[1:] + ".html"
    )


@pytest.mark.parametrize("how", ["take_down", "withdraw"])
def test_taking_an_item_down_deletes_its_files_and_leaves_the_410_marker_before_returning(
    published_dir, client, cast, publish, commit, how
):
    item = publish(title="诸往镇2026年临时救助发放情况公示")
    publisher.drain()
    page, gone = publisher.page_file(item_path(item)), publisher.gone_file(item_path(item))
    assert page.is_file() and not gone.exists()
    with commit():  # the after-commit part runs as in a request: before the action returns
        if how == "take_down":
            actions.item_take_down(actor=cast.office_head, item=item, reason="公示含身份证号")
        else:
            actions.item_withdraw(actor=cast.leader, item=item, reason="岗位调整")
    # No drain, no thread, no worker: the files are already gone.
    assert not page.exists()
    assert not publisher.page_file("/dayin/" + item.index_number).exists()
    assert gone.is_file()
    response = served(client, item_path(item))
    assert response.status_code == 410
    assert gone.read_bytes() == response.content
    if how == "take_down":
        assert "临时救助" not in gone.read_text()  # no title after a 紧急撤回
    # The columns follow with the next drain.
    publisher.drain()
    assert "临时救助" not in publisher.page_file("/").read_text()


def test_republishing_a_taken_down_item_removes_the_marker(published_dir, cast, publish, commit):
    item = publish(title="公益性岗位招聘公告")
    with commit():
        actions.item_take_down(actor=cast.office_head, item=item, reason="核实中")
    assert publisher.gone_file(item_path(item)).is_file()
    with commit():
        actions.item_takedown_decide(actor=cast.leader, item=item, restore=True, note="已核实")
    publisher.drain()
    assert publisher.page_file(item_path(item)).is_file()
    assert not publisher.gone_file(item_path(item)).exists()


def test_a_rolled_back_change_queues_nothing(published_dir, cast, publish):
    item = publish(title="樱桃采摘节")
    DirtyPage.objects.all().delete()
    with pytest.raises(actions.ValidationError):
        actions.item_take_down(actor=cast.office_head, item=item, reason=" ")
    assert not DirtyPage.objects.exists()


def test_column_edits_rewrite_the_column_and_a_deleted_page_disappears(
    published_dir, client, cast, zhuwang, commit
):
    unit = zhuwang
    with commit():
        page = portal_actions.page_create(
            actor=cast.office_head,
            unit=unit,
            title="信息发布保密审查制度",
            body="<p>先审后发。</p>",
        )
    publisher.drain()
    rule = publisher.url_path("portal:rule", unit.code, page.pk)
    rules = f"/gk/{unit.code}/zhidu/"
    assert publisher.page_file(rule).read_bytes() == served(client, rule).content
    assert "信息发布保密审查制度" in publisher.page_file(rules).read_text()
    with commit():
        portal_actions.page_delete(actor=cast.office_head, page=Page.objects.get(pk=page.pk))
    publisher.drain()
    assert not publisher.page_file(rule).exists()
    assert "信息发布保密审查制度" not in publisher.page_file(rules).read_text()


def test_the_worker_job_catches_up_on_what_no_thread_wrote(published_dir, cast, publish):
    item = publish(title="关于征收土地的公告")
    assert DirtyPage.objects.exists()  # the thread is off: as if the process had died
    assert jobs.drain() >= 6
    assert publisher.page_file(item_path(item)).is_file()
    assert not DirtyPage.objects.exists()


def test_a_page_marked_again_while_it_renders_is_rendered_again(
    published_dir, cast, publish, monkeypatch
):
    publish(title="关于征收土地的公告")
    original, rendered = publisher.render, []

    def render_while_a_change_commits(path):
        rendered.append(path)
        result = original(path)
        if path == "/" and rendered.count("/") == 1:
            publisher.mark(["/"])  # a publication committed while the old page was rendering
        return result

    monkeypatch.setattr(publisher, "render", render_while_a_change_commits)
    publisher.drain()
    assert rendered.count("/") == 2
    assert not DirtyPage.objects.exists()


def test_build_writes_every_public_page_and_every_marker(
    published_dir, client, cast, zhuwang, publish, commit
):
    kept = publish(title="樱桃采摘节")
    dropped = publish(title="公益性岗位招聘公告")
    with commit():
        actions.item_withdraw(actor=cast.leader, item=dropped, reason="岗位调整")
    DirtyPage.objects.all().delete()
    call_command("staticpub", "build")
    assert (
        publisher.page_file(item_path(kept)).read_bytes() == served(client, item_path(kept)).content
    )
    assert publisher.gone_file(item_path(dropped)).is_file()
    assert publisher.page_file(f"/gk/{zhuwang.code}/zhinan/").is_file()
    call_command("staticpub")  # status


def test_nothing_is_written_when_the_option_is_off(settings, tmp_path, cast, publish):
    settings.STATIC_PUBLISH_DIR = ""
    publish(title="樱桃采摘节")
    assert not DirtyPage.objects.exists()
    assert publisher.drain() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/xinxi/a/../b",
        "/xinxi/a//b",
        "/xinxi/a?b",
        "/xinxi/a%2Fb",
        "/xinxi/a/",
        "/sousuo/",
        "/staff/",
    ],
)
def test_addresses_that_cannot_be_files_are_left_to_the_app(published_dir, path):
    if path in {"/sousuo/", "/staff/"}:
        # Not a published page: mark() never queues what the nginx block does not serve.
        assert publisher.mark([path]) == 0
    else:
        assert publisher.page_file(path) is None


def test_an_item_page_is_a_public_url(client, cast, publish, published_dir):
    item = publish(title="樱桃采摘节")
    assert publisher.url_path("portal:item", item.index_number) == item_path(item)
    assert reverse("portal:item", args=[item.index_number]).endswith(item.index_number)
