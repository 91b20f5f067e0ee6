"""The publishing organ and the category on each index entry (the portal's counts per organ and category from
the index, not from a scan of the catalog); filled from the catalog for the entries there are."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0003_engine_sort_keys_facets_and_synonyms")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="organ_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="category_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["organ_id", "sort_key"], name="search_entry_organ_key"),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["organ_id", "category_id"], name="search_entry_organ_cat"),
        ),
        migrations.RunSQL(
            "UPDATE search_searchentry SET organ_id = (SELECT i.organ_id FROM catalog_item i "
            "WHERE i.id = search_searchentry.item_id), category_id = (SELECT v.category_id "
            "FROM catalog_itemversion v WHERE v.id = search_searchentry.version_id)",
            migrations.RunSQL.noop,
        ),
    ]
