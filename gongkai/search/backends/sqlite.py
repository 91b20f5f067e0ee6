"""SQLite: the FTS5 table `search_fts` (migration 0003), rowid = SearchEntry.sort_key, one column
per field of space-joined jieba tokens plus a `facets` column. FTS5 walks its doclists in rowid
order, so `ORDER BY rowid DESC LIMIT n` stops after n matches, and facets and the year (a rowid
range) are part of the same walk."""

from __future__ import annotations

from django.db import connection

from gongkai.search.backends.base import Count, Row, Scope, Tier, boolean_expression, quoted
from gongkai.search.tokens import Query

TEXT = "{title docnum summary body attachments}"
# Above the exact cap, the estimate counts SearchEntry keys down to the cap-th match: at most
# this many (a bounded index range count); past it the matches are sparse enough to count.
DENSITY_PROBE = 200_000
SPARSE_COUNT_UP_TO = 200_000


def match_expression(query: Query | None, scope: Scope, tier: Tier) -> str:
    parts = []
    if query is not None:
        words = boolean_expression(query.terms, quote='"', and_="AND", or_="OR")
        if tier is Tier.TITLE:
            parts.append(f"{{title}} : ({words})")
        elif tier is Tier.REST:
            parts.append(f"({TEXT} : ({words})) NOT ({{title}} : ({words}))")
        else:
            parts.append(f"{TEXT} : ({words})")
    facets = scope.facets or (() if query is not None or scope.any_facets else ("all",))
    if facets:
        parts.append("{facets} : (" + " AND ".join(quoted(f, '"') for f in facets) + ")")
    if scope.any_facets:
        alternatives = " OR ".join(quoted(f, '"') for f in scope.any_facets)
        parts.append("{facets} : (" + alternatives + ")")
    return " AND ".join(f"({p})" for p in parts)


def _where(query: Query | None, scope: Scope, tier: Tier) -> tuple[str, list]:
    sql = "search_fts MATCH %s"
    params: list = [match_expression(query, scope, tier)]
    if scope.low is not None:
        sql += " AND rowid >= %s"
        params.append(scope.low)
    if scope.high is not None:
        sql += " AND rowid < %s"
        params.append(scope.high)
    if scope.exclude:
        sql += f" AND rowid NOT IN ({', '.join(['%s'] * len(scope.exclude))})"
        params.extend(scope.exclude)
    return sql, params


class SqliteBackend:
    vendor = "sqlite"

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            self._delete_items(cursor, [r.item_id for r in rows])
            self._delete_keys(cursor, [r.sort_key for r in rows])
            cursor.executemany(
                "INSERT INTO search_fts "
                "(rowid, title, docnum, summary, body, attachments, facets) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (r.sort_key, r.title, r.docnum, r.summary, r.body, r.attachments, r.facets)
                    for r in rows
                ],
            )

    @staticmethod
    def _delete_items(cursor, item_ids: list[int]) -> None:
        # An item's earlier row may sit under another key (its publication time was corrected).
        for start in range(0, len(item_ids), 500):
            chunk = item_ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid IN (SELECT sort_key FROM "  # noqa: S608
                f"search_searchentry WHERE item_id IN ({marks}))",
                chunk,
            )

    @staticmethod
    def _delete_keys(cursor, keys: list[int]) -> None:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def begin_bulk(self) -> None:
        pass

    def end_bulk(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")

    def ensure_indexes(self) -> None:
        pass

    def delete(self, keys: list[int]) -> None:
        with connection.cursor() as cursor:
            self._delete_keys(cursor, keys)

    def delete_orphans(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid NOT IN "
                "(SELECT sort_key FROM search_searchentry)"
            )
            return max(cursor.rowcount, 0)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def keys(
        self, query: Query | None, scope: Scope, tier: Tier, *, offset: int, limit: int
    ) -> list[int]:
        where, params = _where(query, scope, tier)
        sql = f"SELECT rowid FROM search_fts WHERE {where} ORDER BY rowid DESC LIMIT %s OFFSET %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _capped(self, where: str, params: list, cap: int) -> tuple[int, int | None]:
        sql = (
            "SELECT count(*), min(rowid) FROM (SELECT rowid FROM search_fts "  # noqa: S608
            f"WHERE {where} ORDER BY rowid DESC LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, cap])
            found, last = cursor.fetchone()
            return int(found), last

    def count(self, query: Query | None, scope: Scope, tier: Tier, *, exact_up_to: int) -> Count:
        where, params = _where(query, scope, tier)
        found, last = self._capped(where, params, exact_up_to + 1)
        if found <= exact_up_to:
            return Count(found)
        # Many matches. The newest `found` of them reach down to key `last`; if the index holds
        # `above` items from there up, the matches make about found/above of the scope.
        with connection.cursor() as cursor:
            top = "" if scope.high is None else " AND sort_key < %s"
            bound = [] if scope.high is None else [scope.high]
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_searchentry "  # noqa: S608
                f"WHERE sort_key >= %s{top} LIMIT %s)",
                [last, *bound, DENSITY_PROBE],
            )
            above = int(cursor.fetchone()[0])
            if above >= DENSITY_PROBE:
                # Sparse: counting the matches themselves is cheaper than estimating.
                found, _last = self._capped(where, params, SPARSE_COUNT_UP_TO)
                return Count(found, is_estimate=found >= SPARSE_COUNT_UP_TO)
            if scope.low is None and scope.high is None:
                cursor.execute("SELECT entries FROM search_indexstate WHERE id = 1")
                row = cursor.fetchone()
                total = int(row[0]) if row else 0
            else:
                cursor.execute(
                    "SELECT count(*) FROM search_searchentry WHERE sort_key >= %s"  # noqa: S608
                    + top,
                    [scope.low or 0, *bound],
                )
                total = int(cursor.fetchone()[0])
        return Count(max(found, round(found * total / max(above, 1))), is_estimate=True)
