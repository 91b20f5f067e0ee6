"""Uploaded files in S3-compatible object storage (S3_BUCKET; MinIO in most offices), against
moto's S3 server: an attachment is written to the bucket, nothing to the local disk, and both the
staff and the public download read it back through the application."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from gongkai.catalog import actions
from tests.catalog.conftest import make_draft, walk
from tests.lib.files import make_docx
from tests.livedb import free_port

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

BUCKET = "gongkai-files"


@pytest.fixture
def s3(settings, tmp_path):
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
                "location": "zhuwang",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def test_an_attachment_lives_in_the_bucket_and_downloads_through_the_site(
    s3, cast, client, settings
):
    data = make_docx(["预算表：全镇财政预算收入3200万元"])
    item = make_draft(cast)
    attachment = actions.attachment_add(actor=cast.drafter, item=item, data=data, name="预算.docx")

    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [f"zhuwang/{attachment.file.name}"]
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(media.rglob("*"))  # nothing on the local disk

    client.force_login(cast.drafter)
    staff = client.get(reverse("catalog:attachment_download", args=[item.pk, attachment.pk]))
    assert staff.status_code == 200 and b"".join(staff.streaming_content) == data
    client.logout()

    walk(cast, item, "published")
    public = client.get(reverse("portal:attachment", args=[attachment.pk]))
    assert public.status_code == 200 and b"".join(public.streaming_content) == data


def test_a_file_missing_from_the_bucket_is_a_404_not_a_500(s3, cast, client):
    item = make_draft(cast)
    attachment = actions.attachment_add(
        actor=cast.drafter, item=item, data=make_docx(["表"]), name="表.docx"
    )
    walk(cast, item, "published")
    s3.delete_object(Bucket=BUCKET, Key=f"zhuwang/{attachment.file.name}")
    assert client.get(reverse("portal:attachment", args=[attachment.pk])).status_code == 404
