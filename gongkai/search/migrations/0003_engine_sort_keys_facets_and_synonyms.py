"""Engine rows keyed by publication order, filters inside the engine, synonyms.

The index is emptied here (rows of the old layout cannot be converted without the text): the
search.reconcile job refills it from the database as soon as the worker runs, or
`gongkai reindex` does it at once (docs/operations.md). Until then searches find fewer items,
never wrong ones."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from gongkai.search.synonyms import DEFAULT_GROUPS

SQLITE = [
    "DROP TABLE IF EXISTS search_fts",
    # rowid = SearchEntry.sort_key. `facets` holds filter tokens (unit, organ, category, genre,
    # validity and "all"), so a filtered search is one FTS5 query.
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, docnum, summary, body, attachments, facets, "
    "tokenize = 'unicode61 remove_diacritics 0', detail = 'column')",
]
SQLITE_BACK = [
    "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, docnum, summary, body, attachments, tokenize = 'unicode61 remove_diacritics 0')",
]

POSTGRES = [
    "DROP TABLE IF EXISTS search_document",
    # title: the title's words and the facets; document: every field's words and the facets.
    "CREATE TABLE search_document (sort_key bigint PRIMARY KEY, item_id bigint NOT NULL, "
    "title tsvector NOT NULL, document tsvector NOT NULL)",
    "CREATE UNIQUE INDEX search_document_item ON search_document (item_id)",
    "CREATE INDEX search_document_gin ON search_document USING gin (document) "
    "WITH (fastupdate = off)",
    "CREATE INDEX search_document_title_gin ON search_document USING gin (title) "
    "WITH (fastupdate = off)",
]
POSTGRES_BACK = [
    "DROP TABLE IF EXISTS search_document",
    "CREATE TABLE search_document ("
    "item_id bigint PRIMARY KEY, title tsvector NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def empty_index(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.all().delete()


def seed_synonyms(apps, schema_editor):
    group = apps.get_model("search", "SynonymGroup")
    if not group.objects.exists():
        group.objects.bulk_create([group(terms=terms) for terms in DEFAULT_GROUPS])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_engine_tables"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
        migrations.AddField(
            model_name="searchentry",
            name="sort_key",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="sort_key",
            field=models.BigIntegerField(unique=True),
        ),
        migrations.AddField(
            model_name="indexstate",
            name="entries",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_BACK, "postgresql": POSTGRES_BACK}),
        ),
        migrations.CreateModel(
            name="SynonymGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "terms",
                    models.TextField(
                        help_text="用空格、顿号或逗号分隔，如：新农合 新型农村合作医疗",
                        verbose_name="同义词",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="修改时间")),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["pk"], "verbose_name": "同义词组"},
        ),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
    ]
