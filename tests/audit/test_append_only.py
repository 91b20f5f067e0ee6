import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.audit.log import record
from gongkai.audit.models import AppendOnlyError, AuditEntry


def test_an_audit_row_cannot_be_saved_again(cast):
    entry = record(actor=cast.admin, action="test.thing", note="first")
    entry.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).note == "first"


def test_an_audit_row_cannot_be_deleted_through_the_orm(cast):
    entry = record(actor=cast.admin, action="test.thing")
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="x")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_itself_refuses_update_and_delete(cast):
    entry = record(actor=cast.admin, action="test.thing", note="first")
    for sql in ("UPDATE audit_auditentry SET note = 'x' WHERE id = %s",
                "DELETE FROM audit_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == "first"


def test_identity_numbers_are_masked_in_the_log(cast):
    entry = record(actor=cast.admin, action="test.thing",
                   after={"id_number": "110101199003074514", "note": "身份证 110101199003074514"})
    entry.refresh_from_db()
    assert "199003074514" not in str(entry.after)
