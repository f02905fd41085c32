"""A previewed batch is confirmed once (claimed, re-planned if the database moved since the
preview, written in the caller's transaction) or, once committed, undone."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from imports.gcpause import paused_gc
from models import ImportBatch, ImportRow, ImportStatus, Unit
from models.base import utcnow
from registry.core import access
from registry.core.audit import log_event
from registry.core.rules import RuleViolation
from registry.importing import apply as applying
from registry.importing import lifecycle
from registry.importing.match import Matcher
from registry.importing.preview import ROW_CHUNK, STATUSES, audit_mark, compact, iter_rows
from registry.refdata import ref_codes
from registry.transfers import service as transfers

ALREADY_COMMITTED = ("Lô nhập này đã được xác nhận trước đó (có thể do bấm hai lần); "
                     "dữ liệu chỉ được nhập một lần.")


class CommitRefused(RuleViolation):
    """The batch cannot be committed now; `message` says why in Vietnamese. A refusal after
    re-planning keeps the new plan, so that the preview shows it."""

    def __init__(self, message: str, *, replanned: bool = False):
        super().__init__(None, message)
        self.keep_writes = replanned


@dataclass
class CommitResult:
    inserted: int
    updated: int
    skipped: int
    requested: int = 0  # transfer requests filed (registry/transfers)


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


@paused_gc()
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
    if not lifecycle.planned_writes(batch):
        raise CommitRefused(lifecycle.NOTHING_TO_WRITE)
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
    for chunk in _plan_chunks(s, batch, ("new", "update", "unchanged", "transfer")):
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
                data = compact(
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
    # Rows of people outside the scope write nothing to them: they file requests instead.
    requested = transfers.file_requests(s, batch, iter_rows(s, batch, ("transfer",)))
    batch.applied, batch.all_or_nothing = done.as_dict(), all_or_nothing
    result = CommitResult(inserted, updated, batch.counts.get("invalid", 0), requested)
    log_event(
        s,
        "import",
        "import_batches",
        batch.id,
        after={"file": batch.file_name, "inserted": result.inserted, "updated": result.updated,
               "requested": result.requested},
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
    transfers.withdraw_pending(s, batch)
    batch.status, batch.undone_at = ImportStatus.UNDONE, utcnow()
    log_event(s, "undo_import", "import_batches", batch.id, before=batch.applied)

