import os
import sys

from django.apps import AppConfig


def _is_web_server() -> bool:
    """`gongkai serve` or a plain gunicorn: the processes that answer searches."""
    argv0 = os.path.basename(sys.argv[0] if sys.argv else "")
    return "gunicorn" in argv0 or sys.argv[1:2] == ["serve"]


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from gongkai.catalog.publishing import on_item_changed
        from gongkai.search.api import item_changed

        # Publication, withdrawal, 涉密 purge and validity changes reach the index after commit.
        on_item_changed(item_changed)
        if _is_web_server():
            # jieba's dictionary takes about a second to load: do it once in the master, before
            # gunicorn forks its workers, rather than in the first visitor's search.
            from gongkai.search.tokens import warm_up

            warm_up()
