"""The publishing organ on each index entry (the portal's 信息目录 counts per organ from the
index, not from a scan of the catalog); filled from the catalog for the entries there are."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0003_engine_sort_keys_facets_and_synonyms")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="organ_id",
            field=models.BigIntegerField(db_index=True, null=True),
        ),
        migrations.RunSQL(
            "UPDATE search_searchentry SET organ_id = (SELECT i.organ_id FROM catalog_item i "
            "WHERE i.id = search_searchentry.item_id)",
            migrations.RunSQL.noop,
        ),
    ]
