"""The fixed cast every test can use (STYLE.md): 诸往镇 with its office and a station, one user
per role there, a drafter of a sibling township who must see nothing of 诸往镇, and anonymous."""

from __future__ import annotations

import pytest

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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that check hashing itself set it back explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
