"""PostgreSQL: the table `search_document` (migration 0002) with a tsvector of the title and a
weighted tsvector of everything (A title, B 发文字号 and summary, C body and attachments), built
with the 'simple' configuration from jieba tokens, and a GIN index; ranked by ts_rank."""

from __future__ import annotations

import json

from django.db import connection

from gongkai.search.backends.base import SQL, Document, boolean_expression, restriction
from gongkai.search.tokens import Query, index_text


class PostgresBackend:
    vendor = "postgresql"

    def upsert(self, item_id: int, document: Document) -> None:
        title = index_text(document.title)
        middle = " ".join(
            filter(None, [index_text(document.document_number), index_text(document.summary)])
        )
        rest = " ".join(filter(None, [index_text(document.body), index_text(document.attachments)]))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_document (item_id, title, document) VALUES (%s, "
                "to_tsvector('simple', %s), "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'C')) "
                "ON CONFLICT (item_id) DO UPDATE SET title = EXCLUDED.title, "
                "document = EXCLUDED.document",
                [item_id, title, title, middle, rest],
            )

    def delete(self, item_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document WHERE item_id = ANY(%s)", [item_ids])

    def delete_orphans(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document d WHERE NOT EXISTS "
                "(SELECT 1 FROM search_searchentry e WHERE e.item_id = d.item_id)"
            )
            return max(cursor.rowcount, 0)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document")

    @staticmethod
    def _tsquery(query: Query) -> str:
        return boolean_expression(query.terms, quote="'", and_="&", or_="|")

    def match(
        self, query: Query, candidates: SQL | None, exclude: list[int], *, offset: int, limit: int
    ) -> list[int]:
        clause, params = restriction(candidates, exclude)
        sql = (
            "SELECT d.item_id FROM search_document d "  # noqa: S608
            "JOIN search_searchentry e ON e.item_id = d.item_id "
            "JOIN catalog_item i ON i.id = d.item_id, "
            "to_tsquery('simple', %s) q "
            f"WHERE d.document @@ q{clause} "
            "ORDER BY (d.title @@ q) DESC, ts_rank(d.document, q) DESC, "
            "i.first_published_at DESC, i.id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._tsquery(query), *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def count(
        self, query: Query, candidates: SQL | None, exclude: list[int], *, exact_up_to: int
    ) -> tuple[int, bool]:
        clause, restrict_params = restriction(candidates, exclude)
        where = (
            "FROM search_document d JOIN search_searchentry e ON e.item_id = d.item_id "
            f"WHERE d.document @@ to_tsquery('simple', %s){clause}"
        )
        params = [self._tsquery(query), *restrict_params]
        with connection.cursor() as cursor:
            capped = f"SELECT count(*) FROM (SELECT 1 {where} LIMIT %s) c"  # noqa: S608
            cursor.execute(capped, [*params, exact_up_to + 1])
            count = int(cursor.fetchone()[0])
            if count <= exact_up_to:
                return count, False
            # Beyond the cap, the planner's estimate (never below what we counted).
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 {where}", params)
            plan = cursor.fetchone()[0]
            if isinstance(plan, str):
                plan = json.loads(plan)
            estimate = int(plan[0]["Plan"]["Plan Rows"])
            return max(estimate, count), True
