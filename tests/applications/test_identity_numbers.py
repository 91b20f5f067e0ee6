"""Identity numbers: encrypted at rest, matched by keyed hash, masked on staff pages, revealed in
full only with the permission and an audit row; key rotation and the re-encryption command."""

from __future__ import annotations

import datetime
import importlib

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from gongkai.applications import fees
from gongkai.applications.models import Application
from gongkai.audit.models import AuditEntry
from gongkai.lib import crypto
from tests.applications.conftest import ID_CARD

D = datetime.date
OTHER_ID = "371083198001010019"


def raw_column(app: Application) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_doc_number, id_doc_number_hash FROM applications_application WHERE id = %s",
            [app.pk],
        )
        number, digest = cursor.fetchone()
    return number, digest


def test_identity_number_is_stored_encrypted_with_its_hash(make_app):
    app = make_app(D(2025, 3, 3))
    stored, digest = raw_column(app)
    assert ID_CARD not in stored
    assert stored.startswith(crypto.TOKEN_START)
    assert digest == crypto.blind_index(ID_CARD)
    assert Application.objects.get(pk=app.pk).id_doc_number == ID_CARD


def test_hash_ignores_case_and_spaces_but_needs_the_key(settings):
    assert crypto.blind_index(" 11010519491231002x ") == crypto.blind_index(ID_CARD)
    before = crypto.blind_index(ID_CARD)
    settings.FIELD_HASH_KEY = "another-key"
    assert crypto.blind_index(ID_CARD) != before


def test_filtering_on_the_encrypted_column_is_refused(db):
    with pytest.raises(FieldError):
        list(Application.objects.filter(id_doc_number=ID_CARD))
    with pytest.raises(FieldError):
        list(Application.objects.filter(id_doc_number__startswith="110"))
    assert not Application.objects.filter(id_doc_number="").exists()


def test_per_item_fee_counts_the_same_applicant_by_hash(cast, make_app):
    first = make_app(D(2025, 3, 3))
    second = make_app(D(2025, 3, 4), id_doc_number=" 11010519491231002x")
    stranger = make_app(D(2025, 3, 5), id_doc_number=OTHER_ID, applicant_name="张三")
    assert fees.monthly_ordinal(first) == 1
    assert fees.monthly_ordinal(second) == 2
    assert fees.monthly_ordinal(stranger) == 1


def test_case_page_shows_the_number_masked_and_links_the_same_applicant(client, cast, make_app):
    earlier = make_app(D(2025, 3, 3))
    app = make_app(D(2025, 3, 10))
    make_app(D(2025, 3, 11), id_doc_number=OTHER_ID)
    client.force_login(cast.drafter)
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert ID_CARD not in page
    assert crypto.mask(ID_CARD) in page
    assert "查看完整号码" not in page  # a drafter may not reveal it
    assert earlier.number in page


def test_office_head_reveals_the_number_and_it_is_audited(client, cast, make_app):
    app = make_app(D(2025, 3, 3))
    client.force_login(cast.office_head)
    url = reverse("applications:reveal_identity", args=[app.pk])
    assert "查看完整号码" in client.get(reverse("applications:detail", args=[app.pk])).text
    response = client.post(url)
    assert response.status_code == 200
    assert ID_CARD in response.text
    entry = AuditEntry.objects.get(action="applications.reveal_identity")
    assert entry.actor_id == cast.office_head.pk
    assert entry.object_id == str(app.pk)
    assert ID_CARD not in entry.note


def test_drafter_cannot_reveal_the_number(client, cast, make_app):
    app = make_app(D(2025, 3, 3))
    client.force_login(cast.drafter)
    response = client.post(reverse("applications:reveal_identity", args=[app.pk]))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="applications.reveal_identity").exists()


def test_revealing_needs_a_post(client, cast, make_app):
    app = make_app(D(2025, 3, 3))
    client.force_login(cast.office_head)
    assert client.get(reverse("applications:reveal_identity", args=[app.pk])).status_code == 405


def test_old_ciphertexts_decrypt_after_rotation_and_reencrypt_moves_them(settings, make_app):
    app = make_app(D(2025, 3, 3))
    old_token, old_digest = raw_column(app)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    # Before re-encrypting, the old key still opens the row.
    assert Application.objects.get(pk=app.pk).id_doc_number == ID_CARD
    call_command("reencrypt", stdout=open("/dev/null", "w"))  # noqa: SIM115
    new_token, new_digest = raw_column(app)
    assert new_token != old_token
    assert new_digest == old_digest
    # Only the new key now: the row still opens, so the old key may be dropped.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert Application.objects.get(pk=app.pk).id_doc_number == ID_CARD
    assert AuditEntry.objects.filter(action="applications.reencrypt").exists()


def test_reencrypt_also_moves_two_step_secrets_to_the_new_key(settings, cast):
    from gongkai.accounts import two_factor
    from gongkai.accounts.models import TwoFactorDevice

    secret = two_factor.new_secret()
    two_factor.enrol(
        user=cast.leader, secret=secret, code=two_factor.code_at(secret, two_factor.current_step())
    )
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("reencrypt", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert TwoFactorDevice.objects.get(user=cast.leader).secret == secret


def test_reencrypt_rehashes_after_the_hash_key_changes(settings, make_app):
    app = make_app(D(2025, 3, 3))
    settings.FIELD_HASH_KEY = "a-new-hash-key"
    call_command("reencrypt", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert raw_column(app)[1] == crypto.blind_index(ID_CARD)


def test_a_row_no_key_opens_is_an_error_not_garbage(settings, make_app):
    app = make_app(D(2025, 3, 3))
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.DecryptionError):
        Application.objects.get(pk=app.pk)


def test_migration_encrypts_plain_numbers_left_by_older_versions(make_app):
    app = make_app(D(2025, 3, 3))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applications_application SET id_doc_number = %s, id_doc_number_hash = '' "
            "WHERE id = %s",
            [ID_CARD, app.pk],
        )
    # Plain text reads as it is until the migration's step rewrites it.
    assert Application.objects.get(pk=app.pk).id_doc_number == ID_CARD
    migration = importlib.import_module(
        "gongkai.applications.migrations.0005_encrypt_identity_numbers"
    )
    from django.apps import apps

    migration.encrypt_existing(apps, connection.schema_editor())
    stored, digest = raw_column(app)
    assert stored.startswith(crypto.TOKEN_START)
    assert digest == crypto.blind_index(ID_CARD)


def test_production_refuses_to_start_without_keys(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY", "DEBUG", "CAPTCHA_TEST_MODE"}
    }
    env.update(
        GONGKAI_PRODUCTION="true",
        SECRET_KEY="x" * 50,
        GONGKAI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="gongkai.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
    assert not (tmp_path / "field_encryption_key").exists()
