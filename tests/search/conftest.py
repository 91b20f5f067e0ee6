"""Search tests: items published through the real workflow, with the after-commit indexing run."""

from __future__ import annotations

import pytest

from tests.catalog.conftest import make_draft, publish_new, walk


@pytest.fixture(autouse=True)
def _synonyms_reread():
    """Each test sees the synonym groups of its own database (the process caches them)."""
    from gongkai.search import synonyms

    synonyms.forget()
    yield
    synonyms.forget()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def publish(cast, django_capture_on_commit_callbacks):
    """publish(title=..., body=..., **fields) → a published, indexed item."""

    def do(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            item = publish_new(cast, **fields)
        item.refresh_from_db()
        return item

    return do


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs what the catalog defers to after commit (the index update)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


__all__ = ["make_draft", "walk"]


@pytest.fixture
def publish_with_file(cast, django_capture_on_commit_callbacks):
    """publish_with_file(name, data, **fields) → a published item with one attachment."""
    from gongkai.catalog import actions

    def do(name, data, **fields):
        item = make_draft(cast, **fields)
        actions.attachment_add(actor=cast.drafter, item=item, data=data, name=name)
        with django_capture_on_commit_callbacks(execute=True):
            walk(cast, item, "published")
        item.refresh_from_db()
        return item

    return do


@pytest.fixture
def import_item(cast, django_capture_on_commit_callbacks):
    """import_item(title=..., unit="xiacun", published="2024-03-01", **columns) → a published
    item brought in through the catalog import (any organ, any past date), indexed."""
    from gongkai.catalog import importer
    from gongkai.lib.tabular import Row, Table

    def do(title, *, unit="zhuwang", published="2024-03-01", formed=None, **columns):
        values = {
            "unit": unit,
            "title": title,
            "published_date": published,
            "formed_date": formed or published,
            **columns,
        }
        with django_capture_on_commit_callbacks(execute=True):
            result = importer.import_rows(Table("test", [], [], [Row(2, values)]))
        return result.imported[0]

    return do
