"""The import service: build a preview batch from an upload, commit it once, undo it.

`build_preview` and `commit_batch` are what the web views and the CLI call."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from imports.pipeline import parse_upload
from imports.spec import CONTRACT_FIELDS
from imports.text import drop_controls
from models import AuditLog, ImportBatch, ImportRow, ImportStatus, Unit
from models.base import utcnow
from registry.core import access
from registry.core.audit import Actor, log_event
from registry.core.rules import RuleViolation
from registry.importing import apply as applying
from registry.importing.bulk import insert_rows
from registry.importing.db_catalogue import catalogue_for, uploader_ref
from registry.importing.match import Matcher
from registry.refdata import ref_codes

ROW_CHUNK = 2000
ALREADY_COMMITTED = ("Lô nhập này đã được xác nhận trước đó (có thể do bấm hai lần); "
                     "dữ liệu chỉ được nhập một lần.")
STATUSES = ("new", "update", "unchanged", "invalid")


class CommitRefused(RuleViolation):
    """The batch cannot be committed now; `message` says why in Vietnamese. A refusal after
    re-planning keeps the new plan, so that the preview shows it."""

    def __init__(self, message: str, *, replanned: bool = False):
        super().__init__(None, message)
        self.keep_writes = replanned


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_preview(s: Session, data: bytes, filename: str, *, unit: Unit, actor: Actor,
                  max_bytes: int) -> ImportBatch:
    """Read, validate and plan every row of an upload; store it all as a previewed batch."""
    scope = access.current_scope()
    filename = drop_controls(filename)   # a browser may send a NUL in it; PostgreSQL stores none
    result = parse_upload(
        data, filename, catalogue_for(s), uploader_ref(s, unit), max_bytes=max_bytes
    )
    batch = ImportBatch(
        unit_id=unit.id,
        user_id=actor.user_id,
        actor=actor.name,
        file_name=filename[:255],
        file_hash=file_hash(data),
        file_size=len(data),
        encoding=result.encoding,
        status=ImportStatus.REJECTED if result.error else ImportStatus.PREVIEWED,
        meta=_meta(result),
        counts=dict.fromkeys(STATUSES, 0),
    )
    s.add(batch)
    s.flush()
    if result.error is None:
        batch.counts = _store_rows(s, batch, result, Matcher(s, scope))
        batch.meta = {**batch.meta, "audit_mark": audit_mark(s)}
    return batch


def _meta(result) -> dict:
    return {
        "error": result.error.to_dict() if result.error else None,
        "sheets": [
            {
                "sheet": sh.name,
                "role": sh.role,
                "header_row": sh.header_row,
                "header_rows": list(sh.header_rows),
                "first_data_row": sh.first_data_row,
                "column_number_row": sh.column_number_row,
                "columns": list(sh.titles),
            }
            for sh in result.sheets
        ],
        "ignored_sheets": list(result.ignored_sheets),
    }


def json_safe(value):
    """Cell values as JSON keeps them: dates as dd/mm/yyyy text (which the importer reads back),
    whole floats as ints."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _store_rows(s: Session, batch: ImportBatch, result, matcher: Matcher) -> dict:
    """Plan and store the rows a chunk at a time: memory stays flat for 100,000-row files."""
    counts = dict.fromkeys(STATUSES, 0)
    seq = 0
    for index, sheet in enumerate(result.sheets):
        columns = {c.field: c.index for c in reversed(sheet.columns)}  # the first of a field
        for start in range(0, len(sheet.rows), ROW_CHUNK):
            chunk = sheet.rows[start : start + ROW_CHUNK]
            values = [_json_values(r.values) for r in chunk]  # .values builds a dict: once
            plans = iter(
                matcher.plan(
                    [
                        {**v, "unit_id": r.unit_id}
                        for r, v in zip(chunk, values, strict=True)
                        if r.reason is None
                    ]
                )
            )
            records = []
            for r, v in zip(chunk, values, strict=True):
                plan = next(plans) if r.reason is None else None
                records.append(_row_record(batch.id, seq, index, r, v, plan, columns))
                counts[records[-1]["status"]] += 1
                seq += 1
            ids = applying.allocate_ids(s, ImportRow.__table__, len(records))
            insert_rows(
                s, ImportRow.__table__, [r | {"id": i} for r, i in zip(records, ids, strict=True)]
            )
    return counts


def _json_values(values: dict) -> dict:
    """The row's values as stored: empty ones left out, the rest JSON-safe."""
    return {k: v if type(v) is str else json_safe(v) for k, v in values.items() if v is not None}


def _row_record(
    batch_id: int, seq: int, sheet: int, r, values: dict, plan, columns: dict[str, int]
) -> dict:
    status = "invalid" if plan is None else plan.status
    reason = r.reason if plan is None else plan.reason
    message = r.message if plan is None else plan.message
    return {
        "batch_id": batch_id,
        "seq": seq,
        "sheet": sheet,
        "row": r.row,
        "status": status,
        "reason": reason,
        "person_id": plan.person_id if plan else None,
        "data": _compact(
            {
                "values": values,
                "unit_id": r.unit_id,
                "message": message,
                "field": r.field if plan is None else plan.field,
                "column": r.column if plan is None else columns.get(plan.field),
                "duplicate_of_row": r.duplicate_of_row,
                "changes": plan.changes if plan else None,
                "history": True if plan and plan.history else None,
                "cells": [json_safe(c) for c in r.raw],
            }
        ),
    }


def _compact(data: dict) -> dict:
    """Leave out empty entries: tens of thousands of rows are stored, read back and parsed."""
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def iter_rows(s: Session, batch: ImportBatch, statuses=STATUSES):
    """The batch's rows in file order, fetched in chunks."""
    last = -1
    while True:
        chunk = (
            s.execute(
                sa.select(ImportRow)
                .where(
                    ImportRow.batch_id == batch.id,
                    ImportRow.status.in_(statuses),
                    ImportRow.seq > last,
                )
                .order_by(ImportRow.seq)
                .limit(ROW_CHUNK)
            )
            .scalars()
            .all()
        )
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


@dataclass
class CommitResult:
    inserted: int
    updated: int
    skipped: int


# Any constant of our own: pg_advisory_xact_lock's key for "an import is committing".
_COMMIT_LOCK = 0x736F646F


def claim(s: Session, batch: ImportBatch) -> None:
    """Take the batch for this transaction; a second confirm (double click, other worker) finds
    it already taken and commits nothing.

    Commits of different batches take turns: each re-checks its plan against the database only
    once the other has committed, so two files with the same people (without CCCD, which alone
    the database keeps unique) cannot both insert them. SQLite's single writer already does
    this: the UPDATE below waits for the write lock, then reads the latest data."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _COMMIT_LOCK})
    taken = s.execute(
        sa.update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.status == ImportStatus.PREVIEWED)
        .values(status=ImportStatus.COMMITTED, committed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise CommitRefused(ALREADY_COMMITTED)
    s.expire(batch)


def commit_batch(
    s: Session, batch: ImportBatch, *, all_or_nothing: bool = False, today: dt.date | None = None
) -> CommitResult:
    """Re-check the plan against the database, then write the valid rows in this transaction."""
    if batch.status is ImportStatus.COMMITTED:
        raise CommitRefused(ALREADY_COMMITTED)
    if batch.status is not ImportStatus.PREVIEWED:
        raise CommitRefused(
            f"Lô nhập này đang ở trạng thái «{batch.status.label}», không thể xác nhận."
        )
    if all_or_nothing and batch.counts.get("invalid"):
        raise CommitRefused(
            f"Tệp còn {batch.counts['invalid']} dòng lỗi; với lựa chọn «tất cả hoặc "
            "không», hãy sửa các dòng lỗi rồi tải lên lại."
        )
    claim(s, batch)
    today = today or dt.date.today()
    drift = _replan(s, batch, today) if _database_moved(s, batch) else 0
    if drift:
        _reopen(s, batch)
        raise CommitRefused(
            f"Dữ liệu đã thay đổi sau khi xem trước ({drift} dòng có kế hoạch khác). "
            "Đã lập lại bản xem trước; vui lòng kiểm tra rồi xác nhận lại.",
            replanned=True,
        )
    return _write(s, batch, today, all_or_nothing)


def _reopen(s: Session, batch: ImportBatch) -> None:
    """Put a batch whose plan changed back to preview, with its recounted rows; the caller
    commits this so that the user sees the new plan."""
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(
        dict(
            s.execute(
                sa.select(ImportRow.status, sa.func.count())
                .where(ImportRow.batch_id == batch.id)
                .group_by(ImportRow.status)
            ).all()
        )
    )
    batch.status, batch.committed_at, batch.counts = ImportStatus.PREVIEWED, None, counts
    batch.meta = {**batch.meta, "audit_mark": audit_mark(s)}
    s.flush()


@dataclass(slots=True)
class PlanRow:
    """A planned row as the commit reads it (plain tuples: cheaper than ORM objects)."""

    id: int
    sheet: int
    status: str
    person_id: int | None
    data: dict

    def values(self) -> dict:
        return {**self.data["values"], "unit_id": self.data.get("unit_id")}


def _plan_chunks(s: Session, batch: ImportBatch, statuses: tuple[str, ...]):
    """The batch's planned rows in file order, a chunk at a time (keyset on seq)."""
    # Raw driver rows and one orjson call each: for 20,000 rows the ORM's JSON processing was
    # a tenth of the whole import.
    conn = s.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    wanted = ", ".join(f"'{st}'" for st in statuses if st in STATUSES)
    sql = (
        f"SELECT id, sheet, status, person_id, data, seq FROM import_rows "
        f"WHERE batch_id = {mark} AND seq > {mark} AND status IN ({wanted}) "
        f"ORDER BY seq LIMIT {ROW_CHUNK}"
    )
    loads, last = orjson.loads, -1
    while True:
        rows = conn.exec_driver_sql(sql, (batch.id, last)).fetchall()
        if not rows:
            return
        last = rows[-1][5]
        yield [
            PlanRow(i, sheet, status, pid, data if isinstance(data, dict) else loads(data))
            for i, sheet, status, pid, data, _seq in rows
        ]


def audit_mark(s: Session) -> int:
    return s.execute(sa.select(sa.func.max(AuditLog.id))).scalar() or 0


def _database_moved(s: Session, batch: ImportBatch) -> bool:
    """Every change made through the app writes an audit entry (imports included), so an
    unchanged high-water mark means the preview's plan still holds and need not be re-run."""
    return audit_mark(s) != batch.meta.get("audit_mark")


def _replan(s: Session, batch: ImportBatch, today: dt.date) -> int:
    """Plan the rows again against today's database; store and count the rows whose plan moved.

    Rows are matched chunk by chunk; a person appears once per sheet (duplicates were refused
    when the file was read), so chunks do not interfere."""
    matcher = Matcher(s, access.current_scope(), today)
    drift = 0
    for chunk in _plan_chunks(s, batch, ("new", "update", "unchanged")):
        by_sheet: dict[int, list[PlanRow]] = {}
        for r in chunk:
            by_sheet.setdefault(r.sheet, []).append(r)
        for sheet_rows in by_sheet.values():
            plans = matcher.plan([r.values() for r in sheet_rows])
            for r, plan in zip(sheet_rows, plans, strict=True):
                if (plan.status, plan.person_id, plan.changes) == (
                    r.status,
                    r.person_id,
                    r.data.get("changes", {}),
                ):
                    continue
                drift += 1
                data = _compact(
                    {
                        **r.data,
                        "changes": plan.changes,
                        "message": plan.message,
                        "history": plan.history or None,
                    }
                )
                s.execute(
                    sa.update(ImportRow)
                    .where(ImportRow.id == r.id)
                    .values(
                        status=plan.status, person_id=plan.person_id, reason=plan.reason, data=data
                    )
                )
    return drift


def _write(s: Session, batch: ImportBatch, today: dt.date, all_or_nothing: bool) -> CommitResult:
    units = {u.id: u for u in s.execute(sa.select(Unit)).scalars()}
    llct = ref_codes(s, "political_theory")
    done = applying.Applied()
    inserted = updated = 0
    for chunk in _plan_chunks(s, batch, ("new", "update")):
        new = [r.values() for r in chunk if r.status == "new"]
        applying.insert_new(s, new, llct, units, today, done)
        updates = [
            (r.person_id, r.values(), r.data.get("changes", {}))
            for r in chunk
            if r.status == "update"
        ]
        applying.apply_updates(s, updates, llct, units, today, done)
        inserted, updated = inserted + len(new), updated + len(updates)
    batch.applied, batch.all_or_nothing = done.as_dict(), all_or_nothing
    result = CommitResult(inserted, updated, batch.counts.get("invalid", 0))
    log_event(
        s,
        "import",
        "import_batches",
        batch.id,
        after={"file": batch.file_name, "inserted": result.inserted, "updated": result.updated},
    )
    return result


def undo_batch(s: Session, batch: ImportBatch) -> None:
    """Reverse a committed batch, or raise CommitRefused naming the people changed since."""
    if batch.status is not ImportStatus.COMMITTED or not batch.applied:
        raise CommitRefused("Chỉ hoàn tác được lô đã nhập và chưa hoàn tác.")
    try:
        applying.undo(s, batch.applied)
    except applying.UndoRefused as exc:
        shown = ", ".join(exc.names[:10]) + (
            f" và {len(exc.names) - 10} người khác" if len(exc.names) > 10 else ""
        )
        raise CommitRefused(
            f"Không thể hoàn tác: hồ sơ đã được sửa sau khi nhập ({shown}). "
            "Hãy sửa trực tiếp các hồ sơ này."
        ) from exc
    batch.status, batch.undone_at = ImportStatus.UNDONE, utcnow()
    log_event(s, "undo_import", "import_batches", batch.id, before=batch.applied)


def earlier_uploads(s: Session, batch: ImportBatch) -> list[ImportBatch]:
    """Other batches of the same file (by hash) the user can see: the same file again warns."""
    return (
        s.execute(
            sa.select(ImportBatch)
            .where(
                ImportBatch.file_hash == batch.file_hash,
                ImportBatch.id != batch.id,
                ImportBatch.status.in_([ImportStatus.COMMITTED, ImportStatus.PREVIEWED]),
            )
            .order_by(ImportBatch.created_at.desc())
        )
        .scalars()
        .all()
    )


def row_contract(r: ImportRow) -> dict:
    values = r.data["values"]
    return {
        "row": r.row,
        "status": r.status,
        "reason": r.reason,
        "duplicate_of_row": r.data.get("duplicate_of_row"),
        "message": r.data.get("message"),
        "changes": {k: v for k, v in (r.data.get("changes") or {}).items() if k in CONTRACT_FIELDS},
        "values": {k: values.get(k) for k in CONTRACT_FIELDS},
    }


def to_contract(s: Session, batch: ImportBatch) -> dict:
    """The batch as the CLI's JSON contract: every data row of every roster sheet."""
    sheets = [
        {
            "sheet": m["sheet"],
            "header_row": m["header_row"],
            "first_data_row": m["first_data_row"],
            "rows": [],
        }
        for m in batch.meta["sheets"]
    ]
    for r in iter_rows(s, batch):
        sheets[r.sheet]["rows"].append(row_contract(r))
    return {
        "file": batch.file_name,
        "error": batch.meta.get("error"),
        "encoding": batch.encoding,
        "sheets": sheets if not batch.meta.get("error") else [],
        "counts": {k: batch.counts.get(k, 0) for k in STATUSES},
    }
