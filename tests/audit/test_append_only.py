"""The audit log is append-only: no ORM path changes or deletes a row, PostgreSQL itself refuses
raw UPDATE/DELETE, deleting units or users leaves the log alone, and personal data is masked."""

import json

import pytest
from django.core import serializers
from django.db import DatabaseError, connection, transaction

from gongkai.accounts import actions
from gongkai.accounts.models import User
from gongkai.audit.log import record
from gongkai.audit.models import AppendOnlyError, AuditEntry
from tests.factories import make_unit, make_user

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def _unchanged(entry):
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert (fresh.note, fresh.action, fresh.at) == (entry.note, entry.action, entry.at)


def test_an_audit_row_cannot_be_saved_again(cast):
    entry = record(actor=cast.admin, action="test.thing", note="first")
    entry.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["note"])
    assert AuditEntry.objects.get(pk=entry.pk).note == "first"


def test_a_fetched_row_cannot_be_saved_even_when_forced(cast):
    entry = record(actor=cast.admin, action="test.thing", note="first")
    fetched = AuditEntry.objects.get(pk=entry.pk)
    fetched.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        fetched.save(force_update=True)
    assert AuditEntry.objects.get(pk=entry.pk).note == "first"


def test_an_audit_row_cannot_be_deleted_through_the_orm(cast):
    entry = record(actor=cast.admin, action="test.thing")
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_bulk_update_are_refused(cast):
    entry = record(actor=cast.admin, action="test.thing", note="first")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.select_for_update().filter(pk=entry.pk).update(note="x")
    entry.note = "x"
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["note"])
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"note": "x"})
    assert AuditEntry.objects.get(pk=entry.pk).note == "first"


def test_the_base_manager_and_private_queryset_paths_are_guarded_too(cast):
    entry = record(actor=cast.admin, action="test.thing", note="first")
    with pytest.raises(AppendOnlyError):
        AuditEntry._base_manager.filter(pk=entry.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry._default_manager.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk)._update({"note": "x"})
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(using="default")
    _unchanged(entry)


def test_appending_through_create_and_bulk_create_works(cast):
    before = AuditEntry.objects.count()
    AuditEntry.objects.create(actor_name="system", action="test.create")
    AuditEntry.objects.bulk_create([AuditEntry(actor_name="system", action="test.bulk")])
    assert AuditEntry.objects.count() == before + 2


def test_deleting_a_unit_leaves_its_audit_rows_untouched(cast):
    unit = make_unit(parent=cast.zhuwang, name="临时工作组")
    entry = record(actor=cast.admin, action="test.thing", obj=unit, unit=unit, note="kept")
    unit_id = unit.pk
    unit.delete()
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.unit_id == unit_id
    assert fresh.object_repr == "临时工作组"
    assert fresh.note == "kept"


def test_deleting_a_user_leaves_their_audit_rows_untouched(cast):
    user = make_user("leaver", roles=[(cast.office, "drafter")])
    entry = record(actor=user, action="test.thing", unit=cast.office, note="kept")
    rows_about_user = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    count_about_user = rows_about_user.count()
    user_id = user.pk
    user.delete()
    assert not User.objects.filter(pk=user_id).exists()
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert (fresh.actor_id, fresh.actor_name, fresh.note) == (user_id, "leaver", "kept")
    assert rows_about_user.count() == count_about_user > 0


@on_postgresql
def test_postgresql_itself_refuses_update_and_delete(cast):
    entry = record(actor=cast.admin, action="test.thing", note="first")
    for sql in (
        "UPDATE audit_auditentry SET note = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
        "UPDATE audit_auditentry SET unit_id = NULL WHERE id >= %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == "first"


@on_postgresql
def test_postgresql_refuses_even_a_whole_table_delete(cast):
    record(actor=cast.admin, action="test.thing")
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == count


def test_identity_numbers_are_masked_in_the_log(cast):
    entry = record(
        actor=cast.admin,
        action="test.thing",
        before={"remark": "申请人身份证 370283199001011234"},
        after={"id_number": "110101199003074514", "note": "身份证 110101199003074514"},
        note="核对身份证 11010119900307451X 无误",
    )
    entry.refresh_from_db()
    text = f"{entry.before} {entry.after} {entry.note}"
    for secret in ("199001011234", "199003074514", "19900307451X"):
        assert secret not in text
    assert "370283" in str(entry.before)  # enough is left to recognise the region


def test_phone_numbers_are_masked_in_before_after_and_note(cast):
    entry = record(
        actor=cast.admin,
        action="test.thing",
        before={"phone": "13912345678", "remark": "来电 13812345678"},
        after={"contact": "0631-6612345", "remark": "改为 15987654321"},
        note="申请人手机 13700001111",
    )
    entry.refresh_from_db()
    text = f"{entry.before} {entry.after} {entry.note}"
    for secret in ("13912345678", "13812345678", "0631-6612345", "15987654321", "13700001111"):
        assert secret not in text
    assert "138****5678" in entry.before["remark"]


def test_creating_a_user_logs_the_phone_masked(cast):
    user = actions.user_create(
        actor=None,
        unit=cast.office,
        username="newclerk",
        full_name="新职员",
        phone="13655556666",
        password="x" * 12,
    )
    entry = AuditEntry.objects.get(action="accounts.user_create", object_id=str(user.pk))
    assert entry.after["phone"] != "13655556666"
    assert "5555" not in entry.after["phone"]
    assert "password" not in entry.after


def test_loaddata_may_append_rows_but_never_overwrite_one(cast):
    entry = record(actor=cast.admin, action="test.thing", note="first")
    dumped = serializers.serialize("json", [entry])
    moved = json.loads(dumped)
    moved[0]["pk"] = entry.pk + 1000
    for obj in serializers.deserialize("json", json.dumps(moved)):
        obj.save()
    assert AuditEntry.objects.get(pk=entry.pk + 1000).note == "first"
    tampered = json.loads(dumped)
    tampered[0]["fields"]["note"] = "rewritten"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        for obj in serializers.deserialize("json", json.dumps(tampered)):
            obj.save()
    assert AuditEntry.objects.get(pk=entry.pk).note == "first"
