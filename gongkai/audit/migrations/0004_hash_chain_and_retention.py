"""The audit log's hash chain (gongkai.audit.chain) and purge after the retention period.

Existing rows are chained in the order they were written (by id). The PostgreSQL trigger keeps
refusing UPDATE and DELETE, with two exceptions: an UPDATE that only fills in the chain columns of
a row that has none yet (sealing, gongkai.audit.chain), and a DELETE of rows older than 6 months
inside a transaction that set `gongkai.audit_purge` (what `gongkai audit purge` does after
exporting them).
"""

import django.utils.timezone
from django.db import migrations, models

TRIGGER = "audit_auditentry_no_update_delete"

ALLOW_PURGE = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
            AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_name, NEW.action, NEW.object_type,
                 NEW.object_id, NEW.object_repr, NEW.unit_id, NEW.before, NEW.after, NEW.ip,
                 NEW.note)
            IS NOT DISTINCT FROM
                (OLD.id, OLD.at, OLD.actor_id, OLD.actor_name, OLD.action, OLD.object_type,
                 OLD.object_id, OLD.object_repr, OLD.unit_id, OLD.before, OLD.after, OLD.ip,
                 OLD.note) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND current_setting('gongkai.audit_purge', true) = 'on'
            AND OLD.at < now() - interval '6 months' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit log is append-only: % refused on audit_auditentry', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_ALL = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % refused on audit_auditentry', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def chain_existing(apps, schema_editor):
    from gongkai.audit.chain import GENESIS, HEAD_PK, digest

    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}")
    seq, prev = 0, GENESIS
    for entry in Entry.objects.order_by("id").iterator(chunk_size=2000):
        seq += 1
        entry.seq, entry.prev_hash = seq, prev
        entry.row_hash = digest(entry)
        Entry.objects.filter(pk=entry.pk).update(
            seq=seq, prev_hash=entry.prev_hash, row_hash=entry.row_hash
        )
        prev = entry.row_hash
    Head.objects.update_or_create(pk=HEAD_PK, defaults={"seq": seq, "hash": prev})
    if postgres:
        schema_editor.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {TRIGGER}")
        schema_editor.execute(ALLOW_PURGE, params=None)


def unchain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_ALL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_entry_base_manager_is_guarded"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditAnchor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间"),
                ),
                ("last_seq", models.BigIntegerField(verbose_name="最后清理的序号")),
                ("last_hash", models.CharField(max_length=64)),
                ("rows", models.PositiveIntegerField(verbose_name="清理的记录数")),
                ("before", models.DateTimeField(verbose_name="清理此时间之前的记录")),
                ("export_name", models.CharField(max_length=500, verbose_name="导出文件")),
                (
                    "export_sha256",
                    models.CharField(max_length=64, verbose_name="导出文件的 SHA-256"),
                ),
            ],
            options={
                "verbose_name": "审计日志清理记录",
                "ordering": ["-last_seq"],
            },
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "审计链末端",
            },
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="row_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(
                editable=False, null=True, unique=True, verbose_name="序号"
            ),
        ),
        migrations.RunPython(chain_existing, unchain),
    ]
