"""The fixed cast every test can use (STYLE.md): 诸往镇 with its office and a station, one user
per role there, a drafter of a sibling township who must see nothing of 诸往镇, and anonymous."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.browser.fixtures import (  # noqa: F401  (browser fixtures for every test directory)
    _browser,
    browser_context_options,
    browser_page,
    page_url,
    sign_in,
)
from tests.factories import make_cast


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def city(cast):
    return cast.city


@pytest.fixture
def zhuwang(cast):
    return cast.zhuwang


# The demo dates its cases relative to today; a test of it must not depend on the day it runs
# (a deadline crossing into a year without holiday data changed what a second run created).
DEMO_CLOCK = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def demo_clock(request):
    """Every test in a *demo.py module runs on DEMO_CLOCK unless it travels elsewhere itself."""
    if not request.node.path.name.endswith("demo.py"):
        yield None
        return
    with time_machine.travel(DEMO_CLOCK, tick=True):
        yield DEMO_CLOCK


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Tests change data without the after-commit invalidation (no commit inside a test's
    # transaction): pages are built each time unless a test asks for the `page_cache`.
    settings.PAGE_CACHE = False


@pytest.fixture
def page_cache(settings, tmp_path):
    """The portal's page cache on, in a file store of its own (what `gongkai serve` uses)."""
    settings.PAGE_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "gongkai.portal.pagestore.PageFileCache",
            "LOCATION": str(tmp_path / "pagecache"),
        },
    }
    return tmp_path / "pagecache"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that check hashing itself set it back explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items):
    """Every test on a transactional database gets serialized rollback.

    A transactional test ends with a flush. Without serialized rollback that flush re-creates
    content types through post_migrate, and the next serialized test then inserts them a second
    time (IntegrityError on PostgreSQL); with it on every such test, flushes leave that to the
    reload, and the reference data seeded by migrations (categories, holidays) comes back too.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
            name in fixtures for name in ("transactional_db", "live_server")
        )
        if not transactional:
            continue
        if marker is not None and marker.kwargs.get("serialized_rollback"):
            continue
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)
