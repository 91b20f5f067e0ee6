"""SQLite: an FTS5 virtual table `search_fts` (migration 0002) holding space-joined jieba tokens
per column; ranked by bm25 with column weights."""

from __future__ import annotations

from django.db import connection

from gongkai.search.backends.base import SQL, Document, boolean_expression, restriction
from gongkai.search.tokens import Query, index_text

# bm25 weights of the columns title, docnum, summary, body, attachments.
WEIGHTS = "10.0, 6.0, 4.0, 1.0, 1.0"


class SqliteBackend:
    vendor = "sqlite"

    def upsert(self, item_id: int, document: Document) -> None:
        values = (
            item_id,
            index_text(document.title),
            index_text(document.document_number),
            index_text(document.summary),
            index_text(document.body),
            index_text(document.attachments),
        )
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [item_id])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, docnum, summary, body, attachments) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                values,
            )

    def delete(self, item_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(item_ids), 500):
                chunk = item_ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def delete_orphans(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid NOT IN (SELECT item_id FROM search_searchentry)"
            )
            return max(cursor.rowcount, 0)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    @staticmethod
    def _expressions(query: Query) -> tuple[str, str]:
        expr = boolean_expression(query.terms, quote='"', and_="AND", or_="OR")
        return expr, "{title} : (" + expr + ")"

    # The candidate filter goes on the SearchEntry join, not on search_fts.rowid: SQLite would
    # push a rowid IN (...) into FTS5 as one lookup per candidate (50× slower).
    def match(
        self, query: Query, candidates: SQL | None, exclude: list[int], *, offset: int, limit: int
    ) -> list[int]:
        expr, title_expr = self._expressions(query)
        clause, params = restriction(candidates, exclude)
        sql = (
            f"SELECT s.rowid, bm25(search_fts, {WEIGHTS}) AS score, "  # noqa: S608
            "s.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s) AS title_hit "
            "FROM search_fts s "
            "JOIN search_searchentry e ON e.item_id = s.rowid "
            "JOIN catalog_item i ON i.id = s.rowid "
            f"WHERE search_fts MATCH %s{clause} "
            "ORDER BY title_hit DESC, score ASC, i.first_published_at DESC, i.id DESC "
            "LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [title_expr, expr, *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def count(
        self, query: Query, candidates: SQL | None, exclude: list[int], *, exact_up_to: int
    ) -> tuple[int, bool]:
        # SQLite serves township-sized sites: an exact count is cheap enough.
        expr, _title = self._expressions(query)
        clause, params = restriction(candidates, exclude)
        sql = (
            "SELECT count(*) FROM search_fts s "  # noqa: S608
            "JOIN search_searchentry e ON e.item_id = s.rowid "
            f"WHERE search_fts MATCH %s{clause}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expr, *params])
            return int(cursor.fetchone()[0]), False
