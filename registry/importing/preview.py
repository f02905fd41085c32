"""An upload becomes a previewed batch: every row read, validated and planned, stored in the
database (never in the session or a local file) and read back for the preview page, the error
workbook and the CLI's JSON contract."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from imports import error_workbook
from imports.gcpause import paused_gc
from imports.pipeline import parse_upload
from imports.spec import CONTRACT_FIELDS, DECISION_FIELDS
from imports.text import drop_controls
from models import AuditLog, ImportBatch, ImportFile, ImportRow, ImportStatus, Unit
from registry.core import access
from registry.core.audit import Actor
from registry.importing import apply as applying
from registry.importing.bulk import insert_rows
from registry.importing.db_catalogue import catalogue_for, uploader_ref
from registry.importing.match import Matcher

ROW_CHUNK = 2000
# Around the writing of each chunk: (rows done with it, rows in all) -> context manager.
ChunkTxn = Callable[[int, int], contextlib.AbstractContextManager]


# "transfer": a person outside the uploader's scope, asked for on confirm (registry/transfers).
STATUSES = ("new", "update", "unchanged", "transfer", "invalid")


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_preview(s: Session, data: bytes, filename: str, *, unit: Unit, actor: Actor,
                  max_bytes: int) -> ImportBatch:
    """Read, validate and plan every row of an upload; store it all as a previewed batch, with
    the file itself (its error workbook copies the file's title and header rows). A rejected
    file is not kept: nothing reads it again."""
    batch = new_batch(s, data, filename, unit=unit, actor=actor)
    read_upload(s, batch, data, max_bytes=max_bytes)
    if batch.status is ImportStatus.PREVIEWED:
        store_upload(batch, data)
    return batch


def new_batch(s: Session, data: bytes, filename: str, *, unit: Unit, actor: Actor) -> ImportBatch:
    """The batch of an upload, not read yet (QUEUED): `read_upload` reads it, now or in a job."""
    filename = drop_controls(filename)   # a browser may send a NUL in it; PostgreSQL stores none
    batch = ImportBatch(
        unit_id=unit.id,
        user_id=actor.user_id,
        actor=actor.name,
        file_name=filename[:255],
        file_hash=file_hash(data),
        file_size=len(data),
        status=ImportStatus.QUEUED,
        meta={},
        counts=dict.fromkeys(STATUSES, 0),
    )
    s.add(batch)
    s.flush()
    return batch


def store_upload(batch: ImportBatch, data: bytes) -> None:
    """Keep the uploaded bytes with the batch (flushed with it), for any worker to read."""
    object_session(batch).add(ImportFile(batch_id=batch.id, data=data))


@paused_gc()
def read_upload(s: Session, batch: ImportBatch, data: bytes, *, max_bytes: int,
                chunk_txn: ChunkTxn | None = None) -> ImportBatch:
    """Read, validate and plan every row of `batch`'s file into it, in the current scope; it ends
    PREVIEWED, or REJECTED with the file-level error in `meta`.

    chunk_txn(rows_done, rows_total): a context manager around the writing of each planned chunk
    (rows_done counts that chunk); a background job commits each chunk with its progress there."""
    result = parse_upload(
        data, batch.file_name, catalogue_for(s), uploader_ref(s, batch.unit), max_bytes=max_bytes
    )
    batch.encoding = result.encoding
    batch.meta = _meta(result)
    if result.error is None:
        mark = audit_mark(s)  # before planning: a change made meanwhile makes the confirm re-plan
        matcher = Matcher(s, access.current_scope())
        batch.counts = _store_rows(s, batch, result, matcher, chunk_txn)
        batch.meta = {**batch.meta, "audit_mark": mark}
    batch.status = ImportStatus.REJECTED if result.error else ImportStatus.PREVIEWED
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
                "has_start_date": any(c.field == "start_date" for c in sh.columns),
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


def _store_rows(s: Session, batch: ImportBatch, result, matcher: Matcher,
               chunk_txn: ChunkTxn | None = None) -> dict:
    """Plan and store the rows a chunk at a time: memory stays flat for 100,000-row files."""
    counts = dict.fromkeys(STATUSES, 0)
    seq, batch_id = 0, batch.id  # read once, not an ORM attribute per row
    total = sum(len(sheet.rows) for sheet in result.sheets)
    for index, sheet in enumerate(result.sheets):
        columns = {c.field: c.index for c in reversed(sheet.columns)}  # the first of a field
        for start in range(0, len(sheet.rows), ROW_CHUNK):
            chunk = sheet.rows[start : start + ROW_CHUNK]
            values = [_json_values(r) for r in chunk]
            plans = iter(
                matcher.plan(
                    [
                        {**v, "unit_id": r.unit_id, "current_unit": r.current_unit}
                        for r, v in zip(chunk, values, strict=True)
                        if r.reason is None
                    ]
                )
            )
            records = []
            for r, v in zip(chunk, values, strict=True):
                plan = next(plans) if r.reason is None else None
                records.append(_row_record(batch_id, seq, index, r, v, plan, columns))
                counts[records[-1]["status"]] += 1
                seq += 1
            with (chunk_txn or _same_txn)(seq, total):
                ids = applying.allocate_ids(s, ImportRow.__table__, len(records))
                for record, row_id in zip(records, ids, strict=True):
                    record["id"] = row_id  # in place: 20,000 dict copies cost more than the ids
                insert_rows(s, ImportRow.__table__, records)
    return counts


@contextlib.contextmanager
def _same_txn(_done: int, _total: int):
    """In the request, every chunk goes in the one transaction the view commits."""
    yield


def _json_values(r) -> dict:
    """The row's values (ParsedRow.values) as stored: empty ones left out, the rest JSON-safe.
    Read from its keys and data directly: .values would build a dict only to filter it."""
    return {
        k: v if type(v) is str else json_safe(v)
        for k, v in zip(r.keys, r.data, strict=True)
        if v is not None
    }


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
        "data": compact(
            {
                "values": values,
                "unit_id": r.unit_id,
                "message": message,
                "note": r.note,
                "current_unit": r.current_unit,
                "choices": list(r.choices),
                # Where the error workbook marks the fault: only an invalid row has one.
                "field": r.field if plan is None else _at_fault(plan, plan.field),
                "column": r.column if plan is None else _at_fault(plan, columns.get(plan.field)),
                "duplicate_of_row": r.duplicate_of_row,
                "changes": plan.changes if plan else None,
                "history": True if plan and plan.history else None,
                "cells": [json_safe(c) for c in r.raw],
            }
        ),
    }


def _at_fault(plan, value):
    return value if plan.status == "invalid" else None


def compact(data: dict) -> dict:
    """Leave out empty entries: tens of thousands of rows are stored, read back and parsed."""
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def errors_xlsx(s: Session, batch: ImportBatch) -> bytes:
    """The batch's invalid rows as a workbook to fix and upload again (the web and the CLI give
    the same one); it copies the uploaded file's top rows when the file is kept."""
    by_sheet: dict[int, list[ImportRow]] = {}
    for r in iter_rows(s, batch, ("invalid",)):
        by_sheet.setdefault(r.sheet, []).append(r)
    stored = s.get(ImportFile, batch.id) if by_sheet else None
    original = bytes(stored.data) if stored is not None else None
    return error_workbook.build(batch.meta.get("sheets", []), by_sheet, original)


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


def audit_mark(s: Session) -> int:
    return s.execute(sa.select(sa.func.max(AuditLog.id))).scalar() or 0


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
        "note": r.data.get("note"),
        "changes": {k: v for k, v in (r.data.get("changes") or {}).items() if k in CONTRACT_FIELDS},
        "values": {k: values.get(k) for k in CONTRACT_FIELDS}
        | {k: values[k] for k in DECISION_FIELDS if k in values},
        "current_unit": r.data.get("current_unit"),
        "choices": r.data.get("choices"),
    }


def start_note(batch: ImportBatch, today: dt.date | None = None) -> str | None:
    """What the preview says when appointments will start on the import day because the file
    (or some of its sheets) has no start-date column; None when every sheet has one (an old
    batch, stored before the column was read, says nothing)."""
    if batch.status is not ImportStatus.PREVIEWED or not (
        batch.counts.get("new") or batch.counts.get("update")
    ):
        return None
    sheets = batch.meta.get("sheets", [])
    without = [sh for sh in sheets if not sh.get("has_start_date", True)]
    if not without:
        return None
    day = f"{today or dt.date.today():%d/%m/%Y}"
    if len(without) == len(sheets):
        return f"Tệp không có cột ngày bắt đầu: các bổ nhiệm mới tính từ ngày nhập {day}."
    names = ", ".join(f"«{sh['sheet']}»" for sh in without)
    return (
        f"Trang {names} không có cột ngày bắt đầu: các bổ nhiệm mới của trang đó tính từ ngày "
        f"nhập {day}."
    )


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
        # A rejected file has no sheets, except no_data_rows: the tables found, without rows.
        "sheets": sheets,
        "counts": {k: batch.counts.get(k, 0) for k in STATUSES},
    }

