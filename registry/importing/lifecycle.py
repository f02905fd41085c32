"""What happens to a preview that is not confirmed: the officer discards it, or it expires after
the number of days the settings give; either way its stored rows and uploaded file go, and the
batch stays in the history as discarded."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models import ImportBatch, ImportFile, ImportRow, ImportStatus
from models.base import utcnow
from registry.core import access
from registry.core.audit import Actor, acting_as, log_event
from registry.core.rules import RuleViolation
from registry.settings import service as settings

# Row statuses whose confirm writes something: a new person, an update, and a transfer (which
# files a transfer request). "unchanged" and "invalid" rows write nothing.
WRITING = ("new", "update", "transfer")
NOTHING_TO_WRITE = (
    "Không có dòng nào cần ghi: mọi dòng đều không đổi hoặc có lỗi. Hãy sửa tệp rồi tải lên lại."
)
# Expired previews handled per call: a purge stays short however many have piled up; the next
# upload or history page takes the rest.
PURGE_CHUNK = 200


def planned_writes(batch: ImportBatch) -> int:
    """How many rows the confirm of `batch` would write (from the batch's counts)."""
    return sum(batch.counts.get(status, 0) for status in WRITING)


def expires_at(batch: ImportBatch) -> dt.datetime:
    """When the purge may discard `batch` if it is still a pending preview."""
    return batch.created_at + dt.timedelta(days=settings.get("import_preview_days"))


def discard_batch(s: Session, batch: ImportBatch) -> None:
    """Discard a pending preview: status DISCARDED, its rows and file deleted, audited.

    :raise RuleViolation: the batch is not a pending preview (already discarded, confirmed by
        now, or still being read); nothing is changed.
    """
    # Conditional on the status, like the confirm's claim: of a discard and a confirm (or two
    # discards) racing, exactly one takes the batch.
    taken = s.execute(
        sa.update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.status == ImportStatus.PREVIEWED)
        .values(status=ImportStatus.DISCARDED)
        .execution_options(synchronize_session=False)
    ).rowcount
    s.expire(batch)
    if taken != 1:
        raise RuleViolation(None, _not_pending(batch.status))
    _drop_stored([batch.id], s)
    log_event(s, "discard_import", "import_batches", batch.id, before={"file": batch.file_name})


def _not_pending(status: ImportStatus) -> str:
    if status is ImportStatus.DISCARDED:
        return "Bản xem trước này đã được hủy trước đó."
    if status is ImportStatus.COMMITTED:
        return ("Lô nhập này đã được xác nhận nên không hủy được bản xem trước; "
                "dùng «Hoàn tác lô nhập» nếu cần gỡ dữ liệu đã nhập.")
    return f"Lô nhập này đang ở trạng thái «{status.label}», không thể hủy bản xem trước."


def _drop_stored(ids: list[int], s: Session) -> None:
    """Delete the rows and file of those of `ids` that are discarded now (never of a batch a
    concurrent confirm took)."""
    gone = sa.select(ImportBatch.id).where(
        ImportBatch.id.in_(ids), ImportBatch.status == ImportStatus.DISCARDED)
    s.execute(sa.delete(ImportRow).where(ImportRow.batch_id.in_(gone)))
    s.execute(sa.delete(ImportFile).where(ImportFile.batch_id.in_(gone)))


def purge_expired(s: Session, now: dt.datetime | None = None) -> int:
    """Discard the previews of every unit older than the setting's days; returns how many.

    Cheap when there is nothing to do (one indexed read, no write lock, so any page may call
    it), and safe with several workers: each batch is taken by a conditional UPDATE, and on
    PostgreSQL a batch that a confirm holds is skipped rather than waited for."""
    days = settings.get("import_preview_days")
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    # Every unit's previews, whoever's request runs the purge.
    expired = access.unscoped(
        sa.select(ImportBatch.id)
        .where(ImportBatch.status == ImportStatus.PREVIEWED, ImportBatch.created_at < cutoff)
        .order_by(ImportBatch.id)
        .limit(PURGE_CHUNK)
        .with_for_update(skip_locked=True)
    )
    ids = list(s.execute(expired).scalars())
    if not ids:
        return 0
    # Only the batches this UPDATE took: another worker's purge or a confirm may have been first.
    taken = list(s.execute(
        sa.update(ImportBatch)
        .where(ImportBatch.id.in_(ids), ImportBatch.status == ImportStatus.PREVIEWED)
        .values(status=ImportStatus.DISCARDED)
        .returning(ImportBatch.id)
        .execution_options(synchronize_session=False)
    ).scalars())
    if taken:
        _drop_stored(taken, s)
    with acting_as(Actor(None, "system")):
        for batch_id in taken:
            log_event(s, "expire_import", "import_batches", batch_id, after={"days": days})
    return len(taken)
