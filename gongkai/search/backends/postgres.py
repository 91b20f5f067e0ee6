"""PostgreSQL: the table `search_document` (migration 0003) keyed by SearchEntry.sort_key, with a
tsvector of the title and one of every field ('simple' configuration over jieba tokens), each
with the facet lexemes added verbatim, and GIN indexes on both. Newest first is the primary
key's order: for a word found in most items the planner walks the key backwards and stops
after a page; for a rare one it takes the GIN matches and sorts the few it found."""

from __future__ import annotations

import contextlib

from django.db import connection, transaction

from gongkai.search.backends.base import Count, Row, Scope, Tier, boolean_expression, quoted
from gongkai.search.tokens import Query

# An estimate is given as the count when it is this many times the exact cap: counting even the
# first cap+1 matches reads that many rows at random, and a sample of PROBE rows is good to
# well within that.
ESTIMATE_TRUSTED_ABOVE = 2
# Rows read in key order before deciding the matches are sparse (see keys()).
PROBE = 2000


def _facet_lexemes(row: Row) -> list[str]:
    return [f"_{f}" for f in row.facets.split()]


def _match(query: Query | None, scope: Scope, tier: Tier) -> tuple[str, list]:
    """The text and facet condition; text through to_tsquery (same parser as the documents),
    facets as a tsquery literal (lexemes kept verbatim, as stored)."""
    facets = scope.facets or (() if query is not None or scope.any_facets else ("all",))
    facet_query = " & ".join(quoted(f"_{f}", "'") for f in facets)
    if scope.any_facets:
        alternatives = "(" + " | ".join(quoted(f"_{f}", "'") for f in scope.any_facets) + ")"
        facet_query = f"{facet_query} & {alternatives}" if facet_query else alternatives
    if query is None:
        return "d.document @@ %s::tsquery", [facet_query]
    words = boolean_expression(query.terms, quote="'", and_="&", or_="|")
    q, params = "to_tsquery('simple', %s)", [words]
    if facet_query:
        q = f"({q} && %s::tsquery)"
        params.append(facet_query)
    if tier is Tier.TITLE:
        return f"d.title @@ {q}", params
    if tier is Tier.REST:
        return f"d.document @@ {q} AND NOT d.title @@ to_tsquery('simple', %s)", [*params, words]
    return f"d.document @@ {q}", params


def _range(scope: Scope) -> tuple[str, list]:
    sql = "TRUE"
    params: list = []
    if scope.low is not None:
        sql += " AND d.sort_key >= %s"
        params.append(scope.low)
    if scope.high is not None:
        sql += " AND d.sort_key < %s"
        params.append(scope.high)
    if scope.exclude:
        sql += " AND d.sort_key <> ALL(%s)"
        params.append(list(scope.exclude))
    return sql, params


def _where(query: Query | None, scope: Scope, tier: Tier) -> tuple[str, list]:
    match, match_params = _match(query, scope, tier)
    within, range_params = _range(scope)
    return f"{match} AND {within}", [*match_params, *range_params]


@contextlib.contextmanager
def _through_gin():
    """Make the planner take the GIN index (a bitmap scan), for the queries that come after
    the probe found the matches sparse: its estimate of a word's frequency in titles can be far
    off, and walking the key order for a word that is not there reads every row."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        # A bitmap of every match, exact: at the default work_mem a common word's bitmap goes
        # lossy and each row of its pages is tested again.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        yield cursor


class PostgresBackend:
    vendor = "postgresql"

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE item_id = ANY(%s) OR sort_key = ANY(%s)",
                [[r.item_id for r in rows], [r.sort_key for r in rows]],
            )
            cursor.executemany(
                "INSERT INTO search_document (sort_key, item_id, title, document) VALUES "
                "(%s, %s, to_tsvector('simple', %s) || array_to_tsvector(%s::text[]), "
                "to_tsvector('simple', %s) || array_to_tsvector(%s::text[]))",
                [
                    (
                        r.sort_key,
                        r.item_id,
                        r.title,
                        _facet_lexemes(r),
                        " ".join(
                            filter(None, [r.title, r.docnum, r.summary, r.body, r.attachments])
                        ),
                        _facet_lexemes(r),
                    )
                    for r in rows
                ],
            )

    # A GIN index takes a row at a time slowly and is built from scratch quickly: a full
    # rebuild drops both and creates them at the end; `ensure_indexes` (run by every
    # reconcile) puts them back should a rebuild have been stopped half-way.
    INDEXES = {
        "search_document_gin": "document",
        "search_document_title_gin": "title",
    }

    def begin_bulk(self) -> None:
        with connection.cursor() as cursor:
            for name in self.INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def end_bulk(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            self.ensure_indexes()
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("ANALYZE search_document")

    def ensure_indexes(self) -> None:
        with connection.cursor() as cursor:
            for name, column in self.INDEXES.items():
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON search_document "
                    f"USING gin ({column}) WITH (fastupdate = off)"
                )

    def delete(self, keys: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document WHERE sort_key = ANY(%s)", [keys])

    def delete_orphans(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document d WHERE NOT EXISTS "
                "(SELECT 1 FROM search_searchentry e WHERE e.sort_key = d.sort_key)"
            )
            return max(cursor.rowcount, 0)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_document")

    def keys(
        self, query: Query | None, scope: Scope, tier: Tier, *, offset: int, limit: int
    ) -> list[int]:
        need = offset + limit
        match, match_params = _match(query, scope, tier)
        within, range_params = _range(scope)
        # First the newest PROBE rows of the scope, in key order: a word in many items fills
        # the page from them. If they are not enough, the matches are sparse: ask GIN for all
        # of them and sort those.
        probe = (
            f"SELECT d.sort_key FROM (SELECT * FROM search_document d WHERE {within} "  # noqa: S608
            f"ORDER BY d.sort_key DESC LIMIT %s) d WHERE {match} "
            "ORDER BY d.sort_key DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(probe, [*range_params, PROBE, *match_params, need])
            found = [row[0] for row in cursor.fetchall()]
            if len(found) >= need:
                return found[offset:]
            # From the density the probe saw, the newest slice of the scope likely to hold
            # the page (half again as large); its first key bounds the GIN query below.
            floor = None
            if found:
                rows = int(need * PROBE / len(found) * 1.5)
                cursor.execute(
                    f"SELECT d.sort_key FROM search_document d WHERE {within} "  # noqa: S608
                    "ORDER BY d.sort_key DESC LIMIT 1 OFFSET %s",
                    [*range_params, rows],
                )
                row = cursor.fetchone()
                floor = -1 if row is None else row[0]  # -1: the slice is the whole scope
            else:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM search_document d WHERE {within} "  # noqa: S608
                    "LIMIT %s) c",
                    [*range_params, PROBE + 1],
                )
                if cursor.fetchone()[0] <= PROBE:
                    return []  # the probe saw the whole scope
        select = f"SELECT d.sort_key FROM search_document d WHERE {match} AND {within}"  # noqa: S608
        with _through_gin() as cursor:
            if floor is not None and floor >= 0:
                cursor.execute(
                    f"{select} AND d.sort_key >= %s ORDER BY d.sort_key DESC LIMIT %s",
                    [*match_params, *range_params, floor, need],
                )
                found = [row[0] for row in cursor.fetchall()]
                if len(found) >= need:
                    return found[offset:]
            cursor.execute(
                f"{select} ORDER BY d.sort_key DESC LIMIT %s OFFSET %s",
                [*match_params, *range_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def count(self, query: Query | None, scope: Scope, tier: Tier, *, exact_up_to: int) -> Count:
        match, match_params = _match(query, scope, tier)
        within, range_params = _range(scope)
        with connection.cursor() as cursor:
            # How dense the matches are among the newest PROBE rows of the scope: a sample that
            # is the whole scope when the scope is small (then the count is exact), else the
            # basis of an estimate when the matches are clearly more than the exact cap. (The
            # planner's own estimate multiplies the words' frequencies as if independent, far
            # too low for the words of one phrase.)
            cursor.execute(
                f"SELECT count(*) FROM (SELECT * FROM search_document d WHERE {within} "  # noqa: S608
                f"ORDER BY d.sort_key DESC LIMIT %s) d WHERE {match}",
                [*range_params, PROBE, *match_params],
            )
            sampled = int(cursor.fetchone()[0])
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM search_document d WHERE {within} "  # noqa: S608
                "LIMIT %s) c",
                [*range_params, PROBE + 1],
            )
            if int(cursor.fetchone()[0]) <= PROBE:
                return Count(sampled)  # the sample was the whole scope
            size = self._scope_size(cursor, scope)
            if query is None and not scope.facets:
                return Count(size)  # every item in the key range
            estimate = round(sampled * size / PROBE)
        if estimate > exact_up_to * ESTIMATE_TRUSTED_ABOVE:
            return Count(estimate, is_estimate=True)
        with _through_gin() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM search_document d WHERE {match} "  # noqa: S608
                f"AND {within} LIMIT %s) c",
                [*match_params, *range_params, exact_up_to + 1],
            )
            found = int(cursor.fetchone()[0])
        if found <= exact_up_to:
            return Count(found)
        return Count(max(estimate, found), is_estimate=True)

    @staticmethod
    def _scope_size(cursor, scope: Scope) -> int:
        """Rows in the scope's key range (the exact matches left out are too few to matter)."""
        if scope.low is None and scope.high is None:
            cursor.execute("SELECT entries FROM search_indexstate WHERE id = 1")
            row = cursor.fetchone()
            if row and row[0]:
                return int(row[0])
        within, params = _range(Scope(low=scope.low, high=scope.high))
        cursor.execute(f"SELECT count(*) FROM search_document d WHERE {within}", params)  # noqa: S608
        return int(cursor.fetchone()[0])
