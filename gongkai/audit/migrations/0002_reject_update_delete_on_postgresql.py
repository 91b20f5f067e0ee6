"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit table, so no code
path (ORM, raw SQL, a careless shell session as the app user) can rewrite history."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % refused on audit_auditentry', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_auditentry_no_update_delete ON audit_auditentry;
CREATE TRIGGER audit_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditentry_no_update_delete ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_auditentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
