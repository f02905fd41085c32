"""An upload becomes a previewed batch: every row read, validated and planned, stored in the
database (never in the session or a local file) and read back for the preview page, the error
workbook and the CLI's JSON contract."""
from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from imports.pipeline import parse_upload
from imports.spec import CONTRACT_FIELDS
from imports.text import drop_controls
from models import AuditLog, ImportBatch, ImportRow, ImportStatus, Unit
from registry.core import access
from registry.core.audit import Actor
from registry.importing import apply as applying
from registry.importing.bulk import insert_rows
from registry.importing.db_catalogue import catalogue_for, uploader_ref
from registry.importing.match import Matcher

ROW_CHUNK = 2000


STATUSES = ("new", "update", "unchanged", "invalid")


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
        "data": compact(
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


def compact(data: dict) -> dict:
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

