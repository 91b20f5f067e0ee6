"""Transfer to the archive: the demo township's package for a year, checked against its own
manifest, the DA/T 46 metadata and DA/T 48 package description, the record of what went."""

import hashlib
import io
import zipfile
from io import StringIO
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts.models import Role
from gongkai.applications.models import Application
from gongkai.archives import actions, package
from gongkai.archives.models import ArchiveTransfer, TransferEntry
from gongkai.audit.models import AuditEntry
from gongkai.catalog.models import Item
from gongkai.catalog.queries import find_unit
from gongkai.core import demo
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def township(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo.build()
    return find_unit("zhuwang")


def _xml(data):
    return ET.fromstring(data)  # noqa: S314 (the package this test just built)


def _files(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n.split("/", 1)[1]: archive.read(n) for n in archive.namelist()}


def test_the_demo_townships_2025_package_validates_against_its_manifest(township, tmp_path):
    out = StringIO()
    call_command("archive-export", str(tmp_path), "--unit", "zhuwang", "--year", "2025", stdout=out)
    transfer = ArchiveTransfer.objects.get()
    assert "信息 3 件，办结申请 7 件，年度报告 1 件" in out.getvalue()
    written = tmp_path / transfer.filename
    data = written.read_bytes()
    assert hashlib.sha256(data).hexdigest() == transfer.sha256
    assert package.verify(data) == []

    files = _files(data)
    lines = files["manifest-sha256.txt"].decode().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(listed) == set(files) - {"manifest-sha256.txt", "manifest-md5.txt"}
    for path, digest in listed.items():
        assert hashlib.sha256(files[path]).hexdigest() == digest
    md5 = dict(
        reversed(line.split("  ", 1)) for line in files["manifest-md5.txt"].decode().splitlines()
    )
    assert md5["eep.xml"] == hashlib.md5(files["eep.xml"], usedforsecurity=False).hexdigest()

    # DA/T 48: the package lists every file (but itself) with its SHA-256 and MD5.
    eep = _xml(files["eep.xml"])
    assert eep.tag == "电子文件封装包"
    listing = eep.find("被签名对象/文件清单")
    entries = {f.get("路径"): f for f in listing}
    assert set(entries) == set(listed) - {"eep.xml"}
    for path, node in entries.items():
        assert node.get("SHA256") == listed[path]
        assert node.get("MD5") == hashlib.md5(files[path], usedforsecurity=False).hexdigest()
    blocks = {b.get("类别"): b for b in eep.find("被签名对象/封装内容")}
    assert blocks["主动公开信息"].get("件数") == "3"
    assert blocks["依申请公开"].get("件数") == "7"
    assert blocks["年度报告"].get("件数") == "1"

    # DA/T 46: each 件 has its 档号 and 内容描述; every file it names is in the package.
    budget = next(
        _xml(v)
        for p, v in files.items()
        if p.endswith("metadata.xml") and "诸往镇2024年财政决算公开".encode() in v
    )
    assert budget.findtext("档号/年度") == "2025"
    assert budget.findtext("档号/保管期限") == "定期10年"
    assert budget.findtext("内容描述/题名") == "诸往镇2024年财政决算公开"
    assert budget.findtext("内容描述/责任者") == "乳山市诸往镇人民政府"
    assert budget.findtext("内容描述/密级") == "无"
    assert budget.findtext("政府信息公开/索引号").startswith("004362519/2025-")
    for node in budget.iter("计算机文件"):
        assert hashlib.sha256(files[node.findtext("计算机文件名")]).hexdigest() == node.findtext(
            "SHA256"
        )
    # DA/T 80: the public page as served.
    page = budget.findtext("网页归档/网页地址")
    assert page.startswith("/xinxi/004362519/2025-")
    saved = [p for p in files if p.endswith("网页/page.html")]
    assert len(saved) == 4  # three items and the report
    report = next(_xml(v) for p, v in files.items() if p.startswith("Y/") and p.endswith(".xml"))
    assert report.findtext("内容描述/题名") == "乳山市诸往镇人民政府2025年政府信息公开工作年度报告"
    assert report.findtext("档号/保管期限") == "永久"


def test_the_transfer_is_recorded_audited_and_marks_the_items(township, client):
    transfer = actions.archive_transfer(actor=None, unit=township, year=2025)
    assert transfer.items == 3 and transfer.applications == 7 and transfer.has_report
    assert AuditEntry.objects.filter(action="archives.transfer").count() == 1
    item = Item.objects.filter(organ=township, first_published_at__year=2025).first()
    entry = item.archive_entries.get()
    assert entry.transfer == transfer and entry.retention == "10y"
    head = make_user("archivist", roles=[(township, Role.OFFICE_HEAD)])
    client.force_login(head)
    page = client.get(f"/staff/catalog/{item.pk}/").content.decode()
    assert "随 2025 年度移交包移交档案（件号" in page


def test_retention_follows_the_category_setting(township):
    item = Item.objects.filter(organ=township, first_published_at__year=2025).first()
    category = item.published_version.category
    top = category.parent or category
    top.retention = "permanent"
    top.save()
    entries = package.collect(township, 2025)
    moved = next(e for e in entries if e.obj == item)
    assert moved.retention == "permanent" and moved.path.startswith("Y/")


def test_letters_of_concluded_applications_go_with_them(township):
    letter_app = (
        Application.objects.filter(
            organ=township, concluded_date__isnull=False, letters__isnull=False
        )
        .order_by("concluded_date")
        .first()
    )
    year = letter_app.concluded_date.year
    built = package.build(township, year)
    files = _files(built.data)
    entry = next(e for e in built.entries if e.obj == letter_app)
    meta = _xml(files[f"{entry.path}/metadata.xml"])
    letters = meta.findall("文书")
    assert len(letters) == letter_app.letters.count()
    for letter in letters:
        for node in letter.iter("计算机文件"):
            assert node.findtext("计算机文件名") in files
    assert any(p.endswith(".docx") for p in files if p.startswith(entry.path))
    assert package.verify(built.data) == []


def test_a_tampered_package_fails_verification(township):
    built = package.build(township, 2025)
    files = _files(built.data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path, data in files.items():
            if path.endswith("正文.html"):
                data += b"<!-- changed -->"
            archive.writestr(f"{built.name}/{path}", data)
        archive.writestr(f"{built.name}/extra.txt", b"x")
    problems = package.verify(out.getvalue())
    assert any(p.startswith("校验值不符：") for p in problems)
    assert "包内文件不在清单中：extra.txt" in problems


def test_bad_input_exits_2_and_records_nothing(township, tmp_path):
    for args in (
        ["--unit", "nowhere", "--year", "2025"],
        ["--unit", "zhuwang", "--year", "2009"],
        ["--unit", "zhuwang", "--year", "1999"],
    ):
        with pytest.raises(CommandError) as failed:
            call_command("archive-export", str(tmp_path), *args, stdout=StringIO())
        assert failed.value.returncode == 2
    assert not ArchiveTransfer.objects.exists() and not TransferEntry.objects.exists()


def test_the_archivist_runs_and_downloads_it_on_the_staff_page(township, client):
    head = make_user("archivist", roles=[(township, Role.OFFICE_HEAD)])
    client.force_login(head)
    assert client.get("/staff/archives/").status_code == 200
    bad = client.post("/staff/archives/", {"unit": township.pk, "year": 2009, "fonds": ""})
    assert bad.status_code == 400 and "2009 年度没有已公开的信息" in bad.content.decode()
    client.post("/staff/archives/", {"unit": township.pk, "year": 2025, "fonds": "Z101"})
    transfer = ArchiveTransfer.objects.get()
    assert transfer.fonds == "Z101" and transfer.created_by == head
    listing = client.get("/staff/archives/").content.decode()
    assert transfer.filename in listing
    response = client.get(f"/staff/archives/{transfer.pk}/download/")
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == transfer.sha256
    meta = next(v for p, v in _files(data).items() if p == "D10/0001/metadata.xml")
    assert _xml(meta).findtext("档号全称") == "Z101-WS·2025-D10-0001"


def test_a_drafter_may_not_transfer_or_download(township, client):
    transfer = actions.archive_transfer(actor=None, unit=township, year=2025)
    drafter = make_user("drafter9", roles=[(township, Role.DRAFTER)])
    client.force_login(drafter)
    assert client.get("/staff/archives/").status_code == 403
    assert client.get(f"/staff/archives/{transfer.pk}/download/").status_code == 404
    other = find_unit("xiacun")
    head = make_user("head9", roles=[(other, Role.OFFICE_HEAD)])
    client.force_login(head)
    response = client.post("/staff/archives/", {"unit": township.pk, "year": 2025})
    assert response.status_code == 400  # not among the organs offered
    assert ArchiveTransfer.objects.count() == 1


def test_the_api_runs_lists_and_downloads_a_transfer(township, client):
    from gongkai.accounts.actions import token_create

    head = make_user("archivist", roles=[(township, Role.OFFICE_HEAD)])
    _row, token = token_create(actor=None, user=head)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    bad = client.post(
        "/api/v1/staff/archives",
        {"unit": "zhuwang", "year": 1999},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and "年度应在" in bad.json()["detail"]
    made = client.post(
        "/api/v1/staff/archives",
        {"unit": "zhuwang", "year": 2025},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201 and made.json()["items"] == 3
    listed = client.get("/api/v1/staff/archives", **auth).json()
    assert [t["year"] for t in listed] == [2025]
    response = client.get(listed[0]["download"], **auth)
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == listed[0]["sha256"]
    assert package.verify(data) == []
    drafter = make_user("drafter9", roles=[(township, Role.DRAFTER)])
    _row, other = token_create(actor=None, user=drafter)
    refused = client.post(
        "/api/v1/staff/archives",
        {"unit": "zhuwang", "year": 2025},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other}",
    )
    assert refused.status_code == 403
