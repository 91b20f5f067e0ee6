"""The engine-specific table holding the segmented text (see gongkai/search/backends/):
SQLite gets an FTS5 virtual table, PostgreSQL a table of weighted tsvectors with a GIN index.
No foreign key on purpose: Django's test flush truncates the catalog tables without CASCADE;
rows without a SearchEntry never match and the reconcile job deletes them."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, docnum, summary, body, attachments, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES = [
    "CREATE TABLE IF NOT EXISTS search_document ("
    "item_id bigint PRIMARY KEY, title tsvector NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_document_gin ON search_document USING gin (document)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_document"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index_bookkeeping")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
