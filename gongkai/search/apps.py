import os
import sys
from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_web_server() -> bool:
    """`gongkai serve` or a plain gunicorn: the processes that answer searches."""
    argv0 = os.path.basename(sys.argv[0] if sys.argv else "")
    return "gunicorn" in argv0 or sys.argv[1:2] == ["serve"]


def _drop_orphans(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    from gongkai.search.backends import get_backend

    if connections[using].vendor in {"sqlite", "postgresql"}:
        get_backend().delete_orphans()


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from gongkai.audit import labels
        from gongkai.catalog.publishing import on_item_changed
        from gongkai.core.navigation import NavEntry, register
        from gongkai.search.api import item_changed

        # In the menu of those who keep site-wide lists (administrators, 公开办负责人; a
        # township's head reads it there); every member of staff may open the page itself.
        register(
            NavEntry(cast(str, _("搜索同义词")), "search:synonyms", "catalog.manage_categories", 65)
        )
        labels.register(
            {
                "search.synonym_create": _("添加搜索同义词组"),
                "search.synonym_update": _("修改搜索同义词组"),
                "search.synonym_delete": _("删除搜索同义词组"),
            }
        )

        # Publication, withdrawal, 涉密 purge and validity changes reach the index after commit.
        on_item_changed(item_changed)
        # The engine tables are not models: a database flush (the test suite between
        # transactional tests) empties the entries but not them. Their rows without an entry
        # go after every migrate/flush; the reconcile job removes any others.
        from django.db.models.signals import post_migrate

        post_migrate.connect(_drop_orphans, sender=self)
        if _is_web_server():
            # jieba's dictionary takes about a second to load: do it once in the master, before
            # gunicorn forks its workers, rather than in the first visitor's search.
            from gongkai.search.tokens import warm_up

            warm_up()
