"""Static publishing tests: items published through the real workflow (the search tests'
fixtures), with the publishing directory in tmp and the thread off (tests drain by hand)."""

from __future__ import annotations

import pytest

from tests.search.conftest import (  # noqa: F401  (fixtures)
    _media_in_tmp,
    commit,
    publish,
)


@pytest.fixture
def published_dir(settings, tmp_path):
    settings.STATIC_PUBLISH_DIR = str(tmp_path / "published")
    settings.STATIC_PUBLISH_THREAD = False
    return tmp_path / "published"
