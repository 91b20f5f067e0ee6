"""Identity numbers: encrypted at rest, with a keyed hash beside them (gongkai.lib.crypto).

Existing rows hold plain text, which the field reads as it is; saving each one encrypts it and
fills in its hash. Going back writes the plain text again.
"""

from django.db import migrations, models

import gongkai.lib.encrypted_field


def encrypt_existing(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    rows = Application.objects.exclude(id_doc_number="").order_by("pk")
    for app in rows.iterator(chunk_size=500):
        app.save(update_fields=["id_doc_number", "id_doc_number_hash"])


def decrypt_existing(apps, schema_editor):
    from gongkai.lib import crypto

    Application = apps.get_model("applications", "Application")
    table = schema_editor.connection.ops.quote_name(Application._meta.db_table)
    pairs = list(Application.objects.exclude(id_doc_number="").values_list("pk", "id_doc_number"))
    with schema_editor.connection.cursor() as cursor:
        for pk, plain in pairs:
            cursor.execute(
                f"UPDATE {table} SET id_doc_number = %s WHERE id = %s",  # noqa: S608
                [crypto.decrypt(plain)[:40], pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_letters_by_the_law_and_fee_override"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="id_doc_number_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="application",
            name="id_doc_number",
            field=gongkai.lib.encrypted_field.EncryptedTextField(
                blank=True,
                hash_field="id_doc_number_hash",
                max_length=40,
                verbose_name="身份证件号码",
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=True),
    ]
