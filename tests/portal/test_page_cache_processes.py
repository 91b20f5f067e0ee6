"""The page cache across processes: two `gongkai serve` servers share the store, and a
publication, withdrawal, takedown or column edit made in a third process retires the pages both
of them serve, at once."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from tests.livedb import ROOT, LiveServer, SharedDatabase

pytestmark = pytest.mark.django_db(transaction=True)


def get(server: LiveServer, path: str) -> tuple[int, str | None, str]:
    # One site address for both, as behind the reverse proxy (the host is part of the key).
    request = urllib.request.Request(server.url + path, headers={"Host": "127.0.0.1"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers.get("X-Page-Cache"), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("X-Page-Cache"), exc.read().decode()


def change(shared: SharedDatabase, code: str) -> None:
    """Run `code` (a change through the actions, as a job or another server would) in its own
    process on the shared database."""
    prelude = (
        "from gongkai.catalog import actions, importer\n"
        "from gongkai.catalog.models import Item\n"
        "from gongkai.accounts.models import Unit\n"
        "from gongkai.portal import actions as portal_actions\n"
        "from gongkai.lib.tabular import Row, Table\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gongkai", "shell", "-c", prelude + code],
        cwd=ROOT,
        env=shared.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_changes_in_one_process_retire_the_pages_two_servers_serve(
    tmp_path, cast, publish, settings
):
    kept = publish(title="春季森林防火通知")
    withdrawn = publish(title="樱桃采摘节")
    taken = publish(title="低保资金发放公示")
    shared = SharedDatabase(tmp_path)
    shared.publish()
    servers = [LiveServer(shared, "a"), LiveServer(shared, "b")]
    a, b = servers
    try:
        for server in servers:
            server.wait_ready()
        item = {i.pk: "/xinxi/" + quote(i.index_number) for i in (kept, withdrawn, taken)}
        pages = [
            "/",
            "/gk/zhuwang/",
            "/gk/zhuwang/zhinan/",
            "/gk/xiacun/",
            "/sousuo/",
            *item.values(),
        ]
        for path in pages:
            assert get(a, path)[:2] == (200, "miss"), path
            # The other server finds what the first one built.
            assert get(b, path)[:2] == (200, "hit"), path

        # Withdrawal: the item is gone from both servers at once, its lists are rebuilt.
        change(
            shared,
            f"actions.item_withdraw(actor=None, item=Item.objects.get(pk={withdrawn.pk}), "
            "reason='有误')",
        )
        for server in servers:
            assert get(server, item[withdrawn.pk])[0] == 410
            assert "樱桃采摘节" not in get(server, "/gk/zhuwang/")[2]
        assert get(a, item[kept.pk])[:2] == (200, "hit")
        assert get(b, "/gk/xiacun/")[:2] == (200, "hit")

        # Takedown.
        change(
            shared,
            f"actions.item_take_down(actor=None, item=Item.objects.get(pk={taken.pk}), "
            "reason='个人信息')",
        )
        for server in servers:
            assert get(server, item[taken.pk])[0] == 410
            assert "低保资金发放公示" not in get(server, "/")[2]

        # Publication (here through the legacy import, which publishes directly).
        change(
            shared,
            "importer.import_rows(Table('t', [], [], [Row(2, {'unit': 'zhuwang', "
            "'title': '美丽乡村建设方案', 'published_date': '2024-03-01', "
            "'formed_date': '2024-03-01'})]))",
        )
        for server in servers:
            assert "美丽乡村建设方案" in get(server, "/gk/zhuwang/")[2]
            assert "美丽乡村建设方案" in get(server, "/sousuo/")[2]
        assert get(a, "/gk/xiacun/")[:2] == (200, "hit")
        assert get(b, "/gk/zhuwang/zhinan/")[:2] == (200, "hit")

        # Column edit: that unit's 指南 only.
        change(
            shared,
            "portal_actions.guide_update(actor=None, unit=Unit.objects.get(code='zhuwang'), "
            "office_name='诸往镇党政办公室（新）')",
        )
        for server in servers:
            assert "诸往镇党政办公室（新）" in get(server, "/gk/zhuwang/zhinan/")[2]
        assert get(a, "/gk/xiacun/")[:2] == (200, "hit")
        assert get(b, item[kept.pk])[:2] == (200, "hit")
    finally:
        for server in servers:
            server.stop()
