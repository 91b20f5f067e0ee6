"""The audit log's hash chain: sealing new rows, verifying the chain, exporting and purging.

Each row's hash is SHA-256 over its position (`seq`), the previous row's hash and every stored
field (as read back from the database), in a canonical JSON form. A row is inserted with empty
chain columns inside its writer's transaction, and sealed right after that transaction commits
(`seal_pending`, in a short transaction of its own that locks the one AuditChainHead row): sealers
queue on that lock, so the chain never forks, and writers never hold it while they work, so it
cannot deadlock with their own row locks nor slow them down. A row whose writer died between
commit and sealing is sealed by the next write, or by `verify`. On PostgreSQL the trigger lets an
UPDATE through only when it fills in the chain columns of an unsealed row and changes nothing else.
Gaps, edits, insertions and a cut-off tail all break the chain; `verify` names the first broken
row.

Rows older than the retention period (AUDIT_RETENTION_MONTHS, at least 6) may be purged, oldest
first, only after they were exported; an AuditAnchor keeps the last purged row's hash, so the
remaining chain still verifies, and the export itself can be verified with `verify_export`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from gongkai.audit.models import AuditAnchor, AuditChainHead, AuditEntry

GENESIS = "0" * 64
HEAD_PK = 1
# The columns the hash covers, in this order (the chain columns themselves are added around).
FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "unit_id",
    "before",
    "after",
    "ip",
    "note",
)


def _value(entry: AuditEntry, name: str) -> Any:
    value = getattr(entry, name)
    if name == "at":
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if name in {"actor_id", "unit_id"} and value is not None:
        return int(value)
    return value


def digest(entry: AuditEntry) -> str:
    """The hash of `entry` as stored (its seq and prev_hash included)."""
    payload = [entry.seq, entry.prev_hash, *(_value(entry, name) for name in FIELDS)]
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _head_row(using: str) -> tuple[int, str] | None:
    """The head's (seq, hash), locked until the transaction ends. Plain SQL: it runs after every
    audited commit, and the ORM's query building costs more than the query."""
    connection = connections[using]
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {table} WHERE id = %s{lock}", [HEAD_PK])  # noqa: S608
        row = cursor.fetchone()
    return (int(row[0]), row[1]) if row else None


def _locked_head(using: str) -> AuditChainHead:
    found = _head_row(using)
    if found is not None:
        return AuditChainHead(pk=HEAD_PK, seq=found[0], hash=found[1])
    heads = AuditChainHead.objects.using(using).select_for_update()
    # No head yet (a fresh or flushed database): start after the newest row, if any.
    last = AuditEntry.objects.using(using).exclude(seq=None).order_by("-seq").first()
    anchor = AuditAnchor.objects.using(using).order_by("-last_seq").first()
    seq, hash_ = 0, GENESIS
    if last is not None:
        seq, hash_ = last.seq, last.row_hash
    elif anchor is not None:
        seq, hash_ = anchor.last_seq, anchor.last_hash
    AuditChainHead.objects.using(using).bulk_create(
        [AuditChainHead(pk=HEAD_PK, seq=seq, hash=hash_)], ignore_conflicts=True
    )
    return heads.get(pk=HEAD_PK)


SEAL_BATCH = 1000
_seal_callbacks: dict[str, Any] = {}


def seal_pending(*, using: str = "default") -> int:
    """Give every committed row that has no place in the chain yet its place, in id order.
    Returns how many were sealed."""
    sealed = 0
    connection = connections[using]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    head_table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    with connection.cursor() as cursor:
        # Most calls find nothing left (another commit's sealer took this row along): say so
        # without opening a write transaction.
        cursor.execute(f"SELECT 1 FROM {table} WHERE seq IS NULL LIMIT 1")  # noqa: S608
        if cursor.fetchone() is None:
            return 0
    while True:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                # Sealing can always be done again: if a crash loses this commit, the rows are
                # simply unsealed (and the head unmoved) and the next seal redoes it. So it need
                # not wait for the disk, which would double the cost of every audited commit.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            head = _locked_head(using)
            rows = list(
                AuditEntry.objects.using(using).filter(seq=None).order_by("id")[:SEAL_BATCH]
            )
            if not rows:
                return sealed
            seq, prev = head.seq, head.hash
            with connection.cursor() as cursor:
                for entry in rows:
                    seq += 1
                    entry.seq, entry.prev_hash = seq, prev
                    entry.row_hash = digest(entry)
                    cursor.execute(
                        f"UPDATE {table} SET seq = %s, prev_hash = %s, row_hash = %s "  # noqa: S608
                        "WHERE id = %s AND seq IS NULL",
                        [seq, entry.prev_hash, entry.row_hash, entry.pk],
                    )
                    prev = entry.row_hash
                cursor.execute(
                    f"UPDATE {head_table} SET seq = %s, hash = %s WHERE id = %s",  # noqa: S608
                    [seq, prev, HEAD_PK],
                )
            sealed += len(rows)


def seal_after_commit(using: str = "default") -> None:
    """Seal the rows this transaction wrote once it commits (at once outside a transaction).
    Scheduled once per transaction; a failure is logged, and the rows wait for the next seal."""
    callback = _seal_callbacks.get(using)
    if callback is None:
        callback = _seal_callbacks[using] = lambda: seal_pending(using=using)
    connection = connections[using]
    if connection.in_atomic_block and any(c[1] is callback for c in connection.run_on_commit):
        return
    transaction.on_commit(callback, using=using, robust=True)


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    seq: int | None
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"序号 {self.seq}" if self.seq is not None else "链尾"
        if self.entry_id is not None:
            where += f"（记录 id {self.entry_id}）"
        return f"{where}：{self.reason}"


@dataclass(frozen=True)
class Report:
    checked: int
    first_seq: int | None
    last_seq: int | None
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _check(
    entries: Iterable[AuditEntry], seq: int, prev: str
) -> tuple[int, int | None, int, str, Break | None]:
    """Walk `entries` (in seq order) from the position after `seq` whose hash is `prev`."""
    checked = 0
    first = None
    for entry in entries:
        checked += 1
        if first is None:
            first = entry.seq
        if entry.seq != seq + 1:
            reason = f"应为序号 {seq + 1}，却是 {entry.seq}：其间的记录被删除或序号被改动"
            return checked, first, seq, prev, Break(entry.seq, entry.pk, reason)
        if entry.prev_hash != prev:
            reason = "记录的前一条哈希与前一条记录不符：前一条记录被替换或本条被插入"
            return checked, first, seq, prev, Break(entry.seq, entry.pk, reason)
        if digest(entry) != entry.row_hash:
            return checked, first, seq, prev, Break(entry.seq, entry.pk, "记录内容被改动")
        seq, prev = entry.seq, entry.row_hash
    return checked, first, seq, prev, None


def verify(*, using: str = "default") -> Report:
    """Check the whole chain, from the newest purge anchor (or the start) to the head. Rows
    committed but not sealed yet (a writer that died right after its commit) are sealed first."""
    seal_pending(using=using)
    anchor = AuditAnchor.objects.using(using).order_by("-last_seq").first()
    seq, prev = (anchor.last_seq, anchor.last_hash) if anchor else (0, GENESIS)
    rows = AuditEntry.objects.using(using).order_by("seq", "id")
    unsealed = rows.filter(seq=None).first()
    if unsealed is not None:
        return Report(0, None, None, Break(None, unsealed.pk, "记录不在哈希链中（没有序号）"))
    checked, first, seq, prev, broken = _check(rows.iterator(chunk_size=2000), seq, prev)
    if broken is None:
        head = AuditChainHead.objects.using(using).filter(pk=HEAD_PK).first()
        if head is not None and (head.seq != seq or head.hash != prev):
            broken = Break(
                seq + 1 if head.seq > seq else seq,
                None,
                f"链尾应为序号 {head.seq}，实际最后一条是 {seq}：末尾的记录被删除或链尾被改动",
            )
    return Report(checked, first, seq if checked else None, broken)


# Export and purge ------------------------------------------------------------------------------


def _row_dict(entry: AuditEntry) -> dict[str, Any]:
    data = {name: _value(entry, name) for name in FIELDS}
    data.update(id=entry.pk, seq=entry.seq, prev_hash=entry.prev_hash, row_hash=entry.row_hash)
    return data


def export_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    """One JSON object per row with every field and the chain columns (JSON Lines)."""
    for entry in entries:
        yield json.dumps(_row_dict(entry), ensure_ascii=False, sort_keys=True) + "\n"


def verify_export(path: Path) -> Break | None:
    """Check an exported file on its own: each row's hash and the links between its rows."""
    entries = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            entry = AuditEntry(
                **{k: data[k] for k in FIELDS if k != "at"},
                at=datetime.datetime.fromisoformat(data["at"]),
            )
            entry.pk, entry.seq = data["id"], data["seq"]
            entry.prev_hash, entry.row_hash = data["prev_hash"], data["row_hash"]
            entries.append(entry)
    if not entries:
        return None
    first = entries[0]
    return _check(entries, first.seq - 1, first.prev_hash)[4]


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Rows at or after this moment must be kept (AUDIT_RETENTION_MONTHS back from now)."""
    now = now or timezone.now()
    months = settings.AUDIT_RETENTION_MONTHS
    year, month = divmod(now.month - 1 - months, 12)
    day = min(now.day, 28)
    return now.replace(year=now.year + year, month=month + 1, day=day)


class RetentionError(Exception):
    """A purge that would remove rows still inside the retention period."""


@dataclass(frozen=True)
class PurgeResult:
    rows: int
    last_seq: int | None
    export: Path | None
    sha256: str


def purge(*, before: datetime.datetime, export_to: Path, using: str = "default") -> PurgeResult:
    """Export, then delete, the oldest rows written before `before`, which must lie outside the
    retention period. Removes a prefix of the chain only (up to the first row at or after
    `before`), records an anchor and an audit row, all in one transaction: the rows are gone
    only when the export was written and synced to disk."""
    cutoff = retention_cutoff()
    if before > cutoff:
        raise RetentionError(
            f"审计日志至少保存 {settings.AUDIT_RETENTION_MONTHS} 个月："
            f"只能清理 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} 之前的记录"
        )
    if export_to.exists():
        raise FileExistsError(f"导出文件已存在：{export_to}")
    seal_pending(using=using)
    with transaction.atomic(using=using):
        _locked_head(using)  # no row is sealed meanwhile
        rows = AuditEntry.objects.using(using).exclude(seq=None)
        keep = rows.filter(at__gte=before).order_by("seq").values_list("seq", flat=True).first()
        doomed = rows.filter(seq__lt=keep) if keep is not None else rows
        doomed = doomed.order_by("seq")
        last = doomed.last()
        if last is None:
            return PurgeResult(0, None, None, "")
        sha = hashlib.sha256()
        count = 0
        with export_to.open("x", encoding="utf-8") as handle:
            for line in export_lines(doomed.iterator(chunk_size=2000)):
                handle.write(line)
                sha.update(line.encode("utf-8"))
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        AuditAnchor.objects.using(using).create(
            last_seq=last.seq,
            last_hash=last.row_hash,
            rows=count,
            before=before,
            export_name=str(export_to),
            export_sha256=sha.hexdigest(),
        )
        connection = connections[using]
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The trigger lets this one transaction delete rows past the 6-month floor.
                cursor.execute("SET LOCAL gongkai.audit_purge = 'on'")
            cursor.execute(f"DELETE FROM {table} WHERE seq <= %s", [last.seq])  # noqa: S608
    from gongkai.audit.log import record

    record(
        actor=None,
        action="audit.purge",
        note=f"{count} rows through seq {last.seq}, exported to {export_to.name} "
        f"(sha256 {sha.hexdigest()})",
    )
    return PurgeResult(count, last.seq, export_to, sha.hexdigest())
