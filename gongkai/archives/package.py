"""The archival package of a unit's year (移交档案): what the 条例 made public and what the office
decided on request, handed over as the national practice describes it.

- Each 件 (an item, a concluded application, the annual report) has a `metadata.xml` with the
  DA/T 46-2009《文书类电子文件元数据方案》elements: 来源, 档号 (全宗号, 年度, 保管期限,
  机构或问题, 件号), 内容描述 (题名, 文件编号, 责任者, 日期, 文种, 密级 …), 形式特征, and one
  计算机文件 block per file with its size, format and SHA-256.
- The package is described by `eep.xml`, after DA/T 48-2009《基于XML的电子文件封装规范》: the
  封装包 description, the creating unit and time, and the 文件实体 list with a SHA-256 and an MD5
  of every file. The system holds no unit certificate, so the 电子签名块 is left out; integrity
  rests on the checksums, also listed in `manifest-sha256.txt` and `manifest-md5.txt`
  (`sha256sum -c` reads them).
- The public web page of each item and of the report is saved as it is served (DA/T 80-2019
  《政府网站网页归档指南》), with its address and capture time in the metadata.

保管期限 comes from the item's category (`Category.retention`, inherited down the tree); 件号 run
from 0001 within each 保管期限 of the year, items first in publication order, then applications
in order of conclusion, then the report. Applicants' identity numbers, telephone numbers and
identity proofs are not copied; the letters as issued are.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.test import Client
from django.utils import timezone

from gongkai.accounts.models import Unit
from gongkai.applications.models import Application
from gongkai.catalog.models import DEFAULT_RETENTION, Item, Retention, Secrecy
from gongkai.reports.models import AnnualReport

RETENTION_CODES = {Retention.PERMANENT: "Y", Retention.Y30: "D30", Retention.Y10: "D10"}
# Concluded applications and the annual report: what DA/T 22 practice gives them.
APPLICATION_RETENTION = Retention.Y10
BODY_PAGE = (
    '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
    "</head><body>\n<h1>{title}</h1>\n{body}\n</body></html>\n"
)
REPORT_RETENTION = Retention.PERMANENT


@dataclass
class Entry:
    kind: str  # item, application, report
    obj: Any
    title: str
    retention: str
    piece: str = ""
    path: str = ""


@dataclass
class Package:
    name: str
    data: bytes
    entries: list[Entry]
    files: dict[str, str] = field(default_factory=dict)  # path → sha256

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _el(parent: ET.Element, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text.isoformat() if isinstance(text, datetime.date) else str(text)
    return node


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _safe(name: str) -> str:
    """A file name from a user's name for it: no path, no control characters."""
    name = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name).strip(" .") or "file"
    return name[:120]


class _Writer:
    def __init__(self, root: str, when: datetime.datetime) -> None:
        self.root = root
        self.when = when
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)
        self.files: dict[str, tuple[str, str, int]] = {}  # path → (sha256, md5, size)

    def add(self, path: str, data: bytes) -> dict[str, str]:
        full = f"{self.root}/{path}"
        info = zipfile.ZipInfo(full, date_time=timezone.localtime(self.when).timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        digest = hashlib.sha256(data).hexdigest()
        self.files[path] = (digest, hashlib.md5(data, usedforsecurity=False).hexdigest(), len(data))
        return {"path": path, "sha256": digest, "size": str(len(data))}


def _computer_file(parent: ET.Element, written: dict[str, str], fmt: str, name: str = "") -> None:
    node = _el(parent, "计算机文件")
    _el(node, "计算机文件名", written["path"])
    if name:
        _el(node, "原文件名", name)
    _el(node, "计算机文件大小", written["size"])
    _el(node, "格式信息", fmt)
    _el(node, "SHA256", written["sha256"])


def _web_page(client: Client, host: str, url: str) -> bytes | None:
    response = client.get(url, SERVER_NAME=host, HTTP_ACCEPT_LANGUAGE="zh-hans")
    return response.content if response.status_code == 200 else None


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("["):
            return host.lstrip(".")
    return "localhost"


def _head(root: ET.Element, unit: Unit, year: int, fonds: str, entry: Entry) -> None:
    source = _el(root, "来源")
    _el(source, "立档单位名称", unit.name)
    _el(source, "立档单位代码", unit.org_code)
    number = _el(root, "档号")
    _el(number, "全宗号", fonds)
    _el(number, "年度", year)
    _el(number, "保管期限", Retention(entry.retention).label)
    _el(number, "件号", entry.piece)
    if fonds:
        code = RETENTION_CODES[entry.retention]
        _el(root, "档号全称", f"{fonds}-WS·{year}-{code}-{entry.piece}")


def _items(unit: Unit, year: int) -> list[Entry]:
    items = (
        Item.objects.filter(organ=unit, first_published_at__year=year)
        .exclude(secrecy=Secrecy.SECRET)
        .select_related("published_version__category__parent__parent")
        .order_by("first_published_at", "pk")
    )
    entries = []
    for item in items:
        version = item.published_version or item.versions.exclude(published_at=None).last()
        category = version.category if version else None
        retention = category.effective_retention() if category else DEFAULT_RETENTION
        title = version.title if version else str(item)
        entries.append(Entry("item", item, title, retention))
    return entries


def _applications(unit: Unit, year: int) -> list[Entry]:
    found = Application.objects.filter(organ=unit, concluded_date__year=year).order_by(
        "concluded_date", "pk"
    )
    return [
        Entry(
            "application",
            a,
            f"{a.number} {a.applicant_name}的政府信息公开申请",
            APPLICATION_RETENTION,
        )
        for a in found
    ]


def _report(unit: Unit, year: int) -> list[Entry]:
    report = AnnualReport.objects.filter(unit=unit, year=year).first()
    if report is None or report.published_version() is None:
        return []
    return [Entry("report", report, report.title, REPORT_RETENTION)]


def _number(entries: list[Entry]) -> None:
    counters: dict[str, int] = {}
    for entry in entries:
        counters[entry.retention] = counters.get(entry.retention, 0) + 1
        entry.piece = f"{counters[entry.retention]:04d}"
        code = RETENTION_CODES[entry.retention]
        entry.path = f"{code}/{entry.piece}"


def _write_item(w: _Writer, entry: Entry, unit: Unit, year: int, fonds: str, web) -> None:
    item: Item = entry.obj
    versions = list(item.versions.exclude(published_at=None).order_by("number"))
    current = item.published_version or versions[-1]
    root = ET.Element("文件", {"聚合层次": "文件", "类别": "主动公开政府信息"})
    _head(root, unit, year, fonds, entry)
    content = _el(root, "内容描述")
    _el(content, "题名", current.title)
    _el(content, "摘要", current.summary)
    _el(content, "关键词", current.keywords)
    _el(content, "文件编号", current.document_number)
    _el(content, "责任者", item.organ.name)
    _el(content, "日期", current.formed_date)
    _el(content, "文种", current.genre.name if current.genre else "")
    _el(content, "密级", "无")
    _el(content, "机构或问题", current.category.name if current.category else "")
    form = _el(root, "形式特征")
    _el(form, "件数", 1)
    _el(form, "语种", "汉语")
    _el(form, "版本数", len(versions))
    disclosure = _el(root, "政府信息公开")
    _el(disclosure, "索引号", item.index_number or "")
    _el(disclosure, "发布机构", item.organ.name)
    _el(disclosure, "发布日期", timezone.localdate(item.first_published_at))
    _el(disclosure, "目录分类", current.category.name if current.category else "")
    _el(disclosure, "主题分类", current.topic.name if current.topic else "")
    _el(disclosure, "有效性", item.get_validity_display())
    _el(disclosure, "公开方式", item.get_disclosure_display())
    _el(disclosure, "旧网站导入", "是" if item.is_imported else "否")
    if item.withdrawn_at:
        _el(disclosure, "撤回日期", timezone.localdate(item.withdrawn_at))
        _el(disclosure, "撤回理由", item.withdrawn_reason)
    base = f"{entry.path}"
    for version in versions:
        block = _el(root, "版本", 版本号=str(version.number))
        _el(block, "题名", version.title)
        _el(block, "发布时间", timezone.localtime(version.published_at).isoformat())
        _el(block, "内容指纹", version.fingerprint)
        html = BODY_PAGE.format(title=_esc(version.title), body=version.body)
        if version.content_purged_at:
            _el(block, "说明", "正文已按规定清除")
        else:
            _computer_file(
                block, w.add(f"{base}/v{version.number}/正文.html", html.encode()), "HTML"
            )
        for n, attachment in enumerate(version.attachments.filter(purged_at=None), start=1):
            try:
                with attachment.file.open("rb") as handle:
                    data = handle.read()
            except (OSError, ValueError):
                _el(block, "说明", f"附件“{attachment.name}”的文件已不在存储中")
                continue
            path = f"{base}/v{version.number}/附件/{n:02d}-{_safe(attachment.name)}"
            _computer_file(block, w.add(path, data), attachment.kind.upper(), attachment.name)
    # Only a page the public can still open is captured (a withdrawn item has none).
    public = Item.objects.published().filter(pk=item.pk).exists()
    page = web(f"/xinxi/{item.index_number}") if public and item.index_number else None
    if page is not None:
        archived = _el(root, "网页归档")
        _el(archived, "网页地址", f"/xinxi/{item.index_number}")
        _el(archived, "网页标题", current.title)
        _el(archived, "采集时间", timezone.localtime(w.when).isoformat())
        _computer_file(archived, w.add(f"{base}/网页/page.html", page), "HTML")
    w.add(f"{base}/metadata.xml", _xml(root))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _write_application(w: _Writer, entry: Entry, unit: Unit, year: int, fonds: str) -> None:
    app: Application = entry.obj
    root = ET.Element("文件", {"聚合层次": "案卷", "类别": "依申请公开"})
    _head(root, unit, year, fonds, entry)
    content = _el(root, "内容描述")
    _el(content, "题名", entry.title)
    _el(content, "责任者", unit.name)
    _el(content, "日期", app.concluded_date)
    _el(content, "密级", "无")
    _el(content, "开放状态", "控制（含申请人个人信息）")
    case = _el(root, "依申请公开")
    _el(case, "申请编号", app.number)
    _el(case, "申请人", app.applicant_name)
    _el(case, "申请人类型", app.get_applicant_type_display())
    _el(case, "申请方式", app.get_channel_display())
    _el(case, "收到申请日期", app.received_date)
    _el(case, "申请内容", app.description)
    _el(case, "答复期限", app.due_date)
    _el(case, "答复日期", app.reply_date)
    _el(case, "办结日期", app.concluded_date)
    _el(case, "办理结果", app.get_decision_display() if app.decision else "")
    _el(case, "台账导入", "是" if app.imported else "否")
    base = entry.path
    for n, letter in enumerate(app.letters.order_by("issued_date", "pk"), start=1):
        block = _el(root, "文书", 类型=letter.get_kind_display())
        _el(block, "文号", letter.reference)
        _el(block, "出具日期", letter.issued_date)
        text = f"{letter.title}\n\n{letter.body}\n".encode()
        _computer_file(block, w.add(f"{base}/文书/{n:02d}-{letter.kind}.txt", text), "TXT")
        if letter.file:
            try:
                with letter.file.open("rb") as handle:
                    data = handle.read()
            except (OSError, ValueError):
                _el(block, "说明", "文书文件已不在存储中")
            else:
                _computer_file(
                    block, w.add(f"{base}/文书/{n:02d}-{letter.kind}.docx", data), "DOCX"
                )
    for n, case_file in enumerate(app.files.all(), start=1):
        try:
            with case_file.file.open("rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            continue
        block = _el(root, "案件文件", 用途=case_file.get_purpose_display())
        path = f"{base}/材料/{n:02d}-{_safe(case_file.name)}"
        _computer_file(block, w.add(path, data), "", case_file.name)
    w.add(f"{base}/metadata.xml", _xml(root))


def _write_report(w: _Writer, entry: Entry, unit: Unit, year: int, fonds: str, web) -> None:
    report: AnnualReport = entry.obj
    version = report.published_version()
    root = ET.Element("文件", {"聚合层次": "文件", "类别": "政府信息公开工作年度报告"})
    _head(root, unit, year, fonds, entry)
    content = _el(root, "内容描述")
    _el(content, "题名", report.title)
    _el(content, "责任者", unit.name)
    _el(content, "日期", timezone.localdate(version.published_at))
    _el(content, "文种", "报告")
    _el(content, "密级", "无")
    _el(content, "版本", version.number)
    base = entry.path
    data = json.dumps(version.document, ensure_ascii=False, indent=2).encode()
    _computer_file(root, w.add(f"{base}/report.json", data), "JSON")
    page = web(report.get_absolute_url())
    if page is not None:
        archived = _el(root, "网页归档")
        _el(archived, "网页地址", report.get_absolute_url())
        _el(archived, "网页标题", report.title)
        _el(archived, "采集时间", timezone.localtime(w.when).isoformat())
        _computer_file(archived, w.add(f"{base}/网页/page.html", page), "HTML")
    w.add(f"{base}/metadata.xml", _xml(root))


def collect(unit: Unit, year: int) -> list[Entry]:
    """What the package of `unit` for `year` holds, numbered."""
    entries = _items(unit, year) + _applications(unit, year) + _report(unit, year)
    _number(entries)
    return entries


def build(
    unit: Unit, year: int, *, fonds: str = "", now: datetime.datetime | None = None
) -> Package:
    when = now or timezone.now()
    name = f"GK-{unit.org_code or unit.code}-{year}"
    entries = collect(unit, year)
    writer = _Writer(name, when)
    client = Client()
    host = _host()

    def web(url: str) -> bytes | None:
        return _web_page(client, host, url)

    for entry in entries:
        if entry.kind == "item":
            _write_item(writer, entry, unit, year, fonds, web)
        elif entry.kind == "application":
            _write_application(writer, entry, unit, year, fonds)
        else:
            _write_report(writer, entry, unit, year, fonds, web)
    writer.add("eep.xml", _eep(writer, unit, year, fonds, entries))
    files = dict(writer.files)
    writer.add("manifest-sha256.txt", _manifest(files, 0))
    writer.add("manifest-md5.txt", _manifest(files, 1))
    writer.zip.close()
    return Package(
        name=name,
        data=writer.buffer.getvalue(),
        entries=entries,
        files={path: digest for path, (digest, _m, _s) in writer.files.items()},
    )


def _manifest(files: dict[str, tuple[str, str, int]], index: int) -> bytes:
    return "".join(f"{files[p][index]}  {p}\n" for p in sorted(files)).encode()


def _eep(w: _Writer, unit: Unit, year: int, fonds: str, entries: list[Entry]) -> bytes:
    root = ET.Element("电子文件封装包")
    _el(
        root,
        "封装包格式描述",
        "本封装包依据 DA/T 48-2009《基于XML的电子文件封装规范》的结构生成，"
        "元数据依据 DA/T 46-2009《文书类电子文件元数据方案》，"
        "网页依据 DA/T 80-2019《政府网站网页归档指南》保存。",
    )
    _el(root, "版本", "2009")
    signed = _el(root, "被签名对象", 对象标识="封装内容")
    _el(signed, "封装包类型", "原始型")
    _el(
        signed,
        "封装包类型描述",
        "政府信息公开：主动公开信息、依申请公开办结案件和年度报告的年度移交",
    )
    _el(signed, "封装包创建时间", timezone.localtime(w.when).isoformat())
    _el(signed, "封装包创建单位", unit.name)
    _el(signed, "全宗号", fonds)
    _el(signed, "年度", year)
    content = _el(signed, "封装内容")
    for kind, label in (
        ("item", "主动公开信息"),
        ("application", "依申请公开"),
        ("report", "年度报告"),
    ):
        group = _el(
            content, "文件实体块", 类别=label, 件数=str(sum(e.kind == kind for e in entries))
        )
        for entry in (e for e in entries if e.kind == kind):
            node = _el(
                group, "文件实体", 件号=entry.piece, 保管期限=Retention(entry.retention).label
            )
            _el(node, "题名", entry.title)
            _el(node, "元数据", f"{entry.path}/metadata.xml")
    listing = _el(signed, "文件清单", 文件数=str(len(w.files)))
    for path in sorted(w.files):
        digest, md5, size = w.files[path]
        _el(listing, "文件", 路径=path, 大小=str(size), SHA256=digest, MD5=md5)
    _el(root, "电子签名块", "未签名：系统未配置单位数字证书，完整性以 SHA-256/MD5 校验值为准")
    return _xml(root)


def verify(data: bytes) -> list[str]:
    """Problems of a package against its own manifest: files missing, altered or unlisted."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        roots = {n.split("/", 1)[0] for n in names}
        if len(roots) != 1:
            return ["移交包应只有一个顶层目录"]
        root = roots.pop()
        listed: dict[str, str] = {}
        for line in archive.read(f"{root}/manifest-sha256.txt").decode().splitlines():
            digest, _sep, path = line.partition("  ")
            listed[path] = digest
        for path, digest in listed.items():
            try:
                actual = hashlib.sha256(archive.read(f"{root}/{path}")).hexdigest()
            except KeyError:
                problems.append(f"清单中的文件不在包内：{path}")
                continue
            if actual != digest:
                problems.append(f"校验值不符：{path}")
        for name in names:
            path = name.split("/", 1)[1]
            if path not in listed and not path.startswith("manifest-"):
                problems.append(f"包内文件不在清单中：{path}")
    return problems
