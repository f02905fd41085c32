"""The import service: build a preview batch from an upload, commit it once, undo it.

`build_preview` and `commit_batch` are what the web views and the CLI call."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.import_batch import ImportBatch, ImportRow, ImportStatus
from models import Unit
from models.base import utcnow
from registry import access
from registry.audit import Actor, log_event

from . import apply as applying
from .db_catalogue import catalogue_for, uploader_ref
from .match import Matcher, _ref_lookup
from .pipeline import parse_upload

ROW_CHUNK = 2000
ALREADY_COMMITTED = ("Lô nhập này đã được xác nhận trước đó (có thể do bấm hai lần); "
                     "dữ liệu chỉ được nhập một lần.")
STATUSES = ("new", "update", "unchanged", "invalid")


class CommitRefused(Exception):
    """The batch cannot be committed now; `message` says why in Vietnamese."""

    def __init__(self, message: str, *, replanned: bool = False):
        super().__init__(message)
        self.message = message
        self.replanned = replanned


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_preview(s: Session, data: bytes, filename: str, *, unit: Unit, actor: Actor,
                  max_bytes: int) -> ImportBatch:
    """Read, validate and plan every row of an upload; store it all as a previewed batch."""
    scope = access.current_scope()
    result = parse_upload(data, filename, catalogue_for(s), uploader_ref(s, unit), max_bytes=max_bytes)
    batch = ImportBatch(unit_id=unit.id, user_id=actor.user_id, actor=actor.name,
                        file_name=filename[:255], file_hash=file_hash(data), file_size=len(data),
                        encoding=result.encoding,
                        status=ImportStatus.REJECTED if result.error else ImportStatus.PREVIEWED,
                        meta=_meta(result), counts=dict.fromkeys(STATUSES, 0))
    s.add(batch)
    s.flush()
    if result.error is None:
        batch.counts = _store_rows(s, batch, result, Matcher(s, scope))
    return batch


def _meta(result) -> dict:
    return {"error": result.error.to_dict() if result.error else None,
            "sheets": [{"sheet": sh.name, "role": sh.role, "header_row": sh.header_row,
                        "header_rows": list(sh.header_rows), "first_data_row": sh.first_data_row,
                        "column_number_row": sh.column_number_row, "columns": list(sh.titles)}
                       for sh in result.sheets],
            "ignored_sheets": list(result.ignored_sheets)}


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
    counts = dict.fromkeys(STATUSES, 0)
    seq = 0
    for index, sheet in enumerate(result.sheets):
        valid = [r for r in sheet.rows if r.reason is None]
        plans = iter(matcher.plan([_values(r) for r in valid]))
        unit_col = next((c.index for c in sheet.columns if c.field == "unit"), None)
        records = []
        for r in sheet.rows:
            plan = next(plans) if r.reason is None else None
            records.append(_row_record(batch.id, seq, index, r, plan, unit_col))
            counts[records[-1]["status"]] += 1
            seq += 1
        for i in range(0, len(records), ROW_CHUNK):
            s.execute(sa.insert(ImportRow), records[i:i + ROW_CHUNK])
    return counts


def _values(row) -> dict:
    return {**row.values, "unit_id": row.unit_id}


def _row_record(batch_id: int, seq: int, sheet: int, r, plan, unit_col: int | None) -> dict:
    status = "invalid" if plan is None else plan.status
    reason = r.reason if plan is None else plan.reason
    message = r.message if plan is None else plan.message
    return {"batch_id": batch_id, "seq": seq, "sheet": sheet, "row": r.row, "status": status,
            "reason": reason, "person_id": plan.person_id if plan else None,
            "data": {"values": {k: json_safe(v) for k, v in r.values.items()}, "unit_id": r.unit_id,
                     "message": message, "field": r.field if plan is None else "unit",
                     "column": r.column if plan is None else unit_col,
                     "duplicate_of_row": r.duplicate_of_row,
                     "changes": plan.changes if plan else {},
                     "cells": [json_safe(c) for c in r.raw]}}


def iter_rows(s: Session, batch: ImportBatch, statuses=STATUSES):
    """The batch's rows in file order, fetched in chunks."""
    last = -1
    while True:
        chunk = s.execute(sa.select(ImportRow).where(
            ImportRow.batch_id == batch.id, ImportRow.status.in_(statuses), ImportRow.seq > last)
            .order_by(ImportRow.seq).limit(ROW_CHUNK)).scalars().all()
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


@dataclass
class CommitResult:
    inserted: int
    updated: int
    skipped: int


def claim(s: Session, batch: ImportBatch) -> None:
    """Take the batch for this transaction; a second confirm (double click, other worker) finds
    it already taken and commits nothing."""
    taken = s.execute(sa.update(ImportBatch).where(
        ImportBatch.id == batch.id, ImportBatch.status == ImportStatus.PREVIEWED)
        .values(status=ImportStatus.COMMITTED, committed_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        raise CommitRefused(ALREADY_COMMITTED)
    s.expire(batch)


def commit_batch(s: Session, batch: ImportBatch, *, all_or_nothing: bool = False,
                 today: dt.date | None = None) -> CommitResult:
    """Re-check the plan against the database, then write the valid rows in this transaction."""
    if batch.status is ImportStatus.COMMITTED:
        raise CommitRefused(ALREADY_COMMITTED)
    if batch.status is not ImportStatus.PREVIEWED:
        raise CommitRefused(f"Lô nhập này đang ở trạng thái «{batch.status.label}», không thể xác nhận.")
    if all_or_nothing and batch.counts.get("invalid"):
        raise CommitRefused(f"Tệp còn {batch.counts['invalid']} dòng lỗi; với lựa chọn «tất cả hoặc "
                            "không», hãy sửa các dòng lỗi rồi tải lên lại.")
    claim(s, batch)
    today = today or dt.date.today()
    rows = list(iter_rows(s, batch, ("new", "update", "unchanged")))
    drift = _replan(s, batch, rows, today)
    if drift:
        _reopen(s, batch)
        raise CommitRefused(f"Dữ liệu đã thay đổi sau khi xem trước ({drift} dòng có kế hoạch khác). "
                            "Đã lập lại bản xem trước; vui lòng kiểm tra rồi xác nhận lại.",
                            replanned=True)
    return _write(s, batch, rows, today, all_or_nothing)


def _reopen(s: Session, batch: ImportBatch) -> None:
    """Put a batch whose plan changed back to preview, with its recounted rows; the caller
    commits this so that the user sees the new plan."""
    s.flush()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(dict(s.execute(sa.select(ImportRow.status, sa.func.count()).where(
        ImportRow.batch_id == batch.id).group_by(ImportRow.status)).all()))
    batch.status, batch.committed_at, batch.counts = ImportStatus.PREVIEWED, None, counts
    s.flush()


def _replan(s: Session, batch: ImportBatch, rows: list[ImportRow], today: dt.date) -> int:
    matcher = Matcher(s, access.current_scope(), today)
    drift = 0
    by_sheet: dict[int, list[ImportRow]] = {}
    for r in rows:
        by_sheet.setdefault(r.sheet, []).append(r)
    for sheet_rows in by_sheet.values():
        plans = matcher.plan([{**r.data["values"], "unit_id": r.data["unit_id"]} for r in sheet_rows])
        for r, plan in zip(sheet_rows, plans):
            if (plan.status, plan.person_id, plan.changes) != (r.status, r.person_id, r.data["changes"]):
                drift += 1
                r.status, r.person_id, r.reason = plan.status, plan.person_id, plan.reason
                r.data = {**r.data, "changes": plan.changes, "message": plan.message}
    return drift


def _write(s: Session, batch: ImportBatch, rows: list[ImportRow], today: dt.date,
           all_or_nothing: bool) -> CommitResult:
    units = {u.id: u for u in s.execute(access.unscoped(sa.select(Unit))).scalars()}
    llct = _ref_lookup(s, "political_theory")
    done = applying.Applied()
    new = [{**r.data["values"], "unit_id": r.data["unit_id"]} for r in rows if r.status == "new"]
    applying.insert_new(s, new, llct, units, today, done)
    updates = [(r.person_id, {**r.data["values"], "unit_id": r.data["unit_id"]}, r.data["changes"])
               for r in rows if r.status == "update"]
    applying.apply_updates(s, updates, llct, units, today, done)
    batch.applied, batch.all_or_nothing = done.as_dict(), all_or_nothing
    result = CommitResult(len(new), len(updates), batch.counts.get("invalid", 0))
    log_event(s, "import", "import_batches", batch.id,
              after={"file": batch.file_name, "inserted": result.inserted, "updated": result.updated})
    return result


def undo_batch(s: Session, batch: ImportBatch) -> None:
    """Reverse a committed batch, or raise CommitRefused naming the people changed since."""
    if batch.status is not ImportStatus.COMMITTED or not batch.applied:
        raise CommitRefused("Chỉ hoàn tác được lô đã nhập và chưa hoàn tác.")
    try:
        applying.undo(s, batch.applied)
    except applying.UndoRefused as exc:
        shown = ", ".join(exc.names[:10]) + (f" và {len(exc.names) - 10} người khác"
                                              if len(exc.names) > 10 else "")
        raise CommitRefused(f"Không thể hoàn tác: hồ sơ đã được sửa sau khi nhập ({shown}). "
                            "Hãy sửa trực tiếp các hồ sơ này.") from exc
    batch.status, batch.undone_at = ImportStatus.UNDONE, utcnow()
    log_event(s, "undo_import", "import_batches", batch.id, before=batch.applied)


def earlier_uploads(s: Session, batch: ImportBatch) -> list[ImportBatch]:
    """Other batches of the same file (by hash) the user can see: the same file again warns."""
    return s.execute(sa.select(ImportBatch).where(
        ImportBatch.file_hash == batch.file_hash, ImportBatch.id != batch.id,
        ImportBatch.status.in_([ImportStatus.COMMITTED, ImportStatus.PREVIEWED]))
        .order_by(ImportBatch.created_at.desc())).scalars().all()


CONTRACT_FIELDS = ("full_name", "dob", "gender", "ethnicity", "unit", "district", "role", "level",
                   "position", "cccd")


def row_contract(r: ImportRow) -> dict:
    values = r.data["values"]
    return {"row": r.row, "status": r.status, "reason": r.reason,
            "duplicate_of_row": r.data.get("duplicate_of_row"), "message": r.data.get("message"),
            "changes": {k: v for k, v in (r.data.get("changes") or {}).items() if k in CONTRACT_FIELDS},
            "values": {k: values.get(k) for k in CONTRACT_FIELDS}}


def to_contract(s: Session, batch: ImportBatch) -> dict:
    """The batch as the CLI's JSON contract: every data row of every roster sheet."""
    sheets = [{"sheet": m["sheet"], "header_row": m["header_row"],
               "first_data_row": m["first_data_row"], "rows": []} for m in batch.meta["sheets"]]
    for r in iter_rows(s, batch):
        sheets[r.sheet]["rows"].append(row_contract(r))
    return {"file": batch.file_name, "error": batch.meta.get("error"), "encoding": batch.encoding,
            "sheets": sheets if not batch.meta.get("error") else [],
            "counts": {k: batch.counts.get(k, 0) for k in STATUSES}}
