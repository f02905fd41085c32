"""Big uploads read outside the web request.

The upload view stores the batch QUEUED with its file (preview.store_upload), commits, and
enqueues `read_batch` (registry.core.jobs). The job reads and plans the file exactly as the
request would (preview.read_upload), committing each chunk of rows with the progress in one short
transaction, so that the batch page's progress bar sees it move and no lock is held for long. It
ends PREVIEWED, or REJECTED with a Vietnamese message in meta["error"]: a job that fails, a
consumer stopped in the middle and a batch left queued too long never stay "Đang đọc tệp"."""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from models import ImportBatch, ImportFile, ImportRow, ImportStatus, Unit, db
from models.base import utcnow
from registry.core import access, jobs
from registry.core.audit import Actor, acting_as
from registry.importing import preview as previewing

log = logging.getLogger(__name__)

FAILED = ("Không đọc được tệp do lỗi của hệ thống. Vui lòng tải tệp lên lại; nếu vẫn lỗi, "
          "hãy báo quản trị viên.")
INTERRUPTED = ("Việc đọc tệp bị gián đoạn vì máy chủ đọc tệp đã dừng. Vui lòng tải tệp lên lại.")
TIMED_OUT = ("Tệp chưa được đọc xong sau {minutes} phút (máy chủ đọc tệp có thể đang dừng). "
             "Vui lòng tải tệp lên lại.")
NOT_QUEUED = ("Chưa gửi được tệp cho máy chủ đọc tệp (hàng đợi không trả lời). "
              "Vui lòng tải tệp lên lại sau ít phút.")


class Cancelled(Exception):
    """The batch is no longer queued (rejected meanwhile): the job stops and keeps nothing."""


def is_big(size: int, config) -> bool:
    """Read in the background? Decided from the size alone, before anything is read; a file
    over the upload limit is refused at once in the request."""
    return config["IMPORT_BACKGROUND_BYTES"] < size <= config["UPLOAD_MAX_BYTES"]


def queue_upload(s: Session, data: bytes, filename: str, *, unit: Unit, actor: Actor
                 ) -> ImportBatch:
    """A QUEUED batch with its file stored; the caller commits, then calls `start`."""
    batch = previewing.new_batch(s, data, filename, unit=unit, actor=actor)
    previewing.store_upload(batch, data)
    return batch


def start(s: Session, batch_id: int) -> None:
    """Enqueue the reading of a committed QUEUED batch; if the queue refuses, reject it."""
    try:
        jobs.enqueue(read_batch, batch_id)
    except Exception:  # noqa: BLE001 - Redis down: the batch says so, the page does not fail
        log.exception("could not enqueue import batch %s", batch_id)
        s.rollback()
        reject(s, batch_id, NOT_QUEUED)
        s.commit()


def reject(s: Session, batch_id: int, message: str) -> bool:
    """Leave a QUEUED batch REJECTED with `message` and without rows; False when it was not
    queued any more (read, or rejected, by now)."""
    taken = s.execute(
        sa.update(ImportBatch)
        .where(ImportBatch.id == batch_id, ImportBatch.status == ImportStatus.QUEUED)
        .values(status=ImportStatus.REJECTED,
                meta={"error": {"code": "job_failed", "message": message}, "sheets": [],
                      "ignored_sheets": []})
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken:
        s.execute(sa.delete(ImportRow).where(ImportRow.batch_id == batch_id))
        s.execute(sa.delete(ImportFile).where(ImportFile.batch_id == batch_id))
    return taken == 1


def _give_up(batch_id: int, message: str) -> None:
    s = db.session()
    s.rollback()
    reject(s, batch_id, message)
    s.commit()


@jobs.task(on_interrupt=lambda batch_id: _give_up(batch_id, INTERRUPTED))
def read_batch(batch_id: int) -> None:
    """The job: read, validate and plan a QUEUED batch's file into it."""
    s = db.session()
    s.expire_on_commit = False  # the batch and the matcher's units stay loaded across chunks
    batch = s.get(ImportBatch, batch_id)
    if batch is None or batch.status is not ImportStatus.QUEUED:
        return
    try:
        stored = s.get(ImportFile, batch_id)
        data = bytes(stored.data) if stored is not None else b""
        with access.scoped(_scope_of(batch)), acting_as(Actor(batch.user_id, batch.actor)):
            previewing.read_upload(
                s, batch, data, max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
                chunk_txn=functools.partial(_chunk_txn, s, batch_id))
            total = sum(batch.counts.values())
            with s.no_autoflush:
                _hold(s, batch_id, total, total)
            batch.progress = batch.progress_total = total
            if batch.status is ImportStatus.REJECTED:  # a rejected file is not kept
                s.execute(sa.delete(ImportFile).where(ImportFile.batch_id == batch_id))
            s.commit()
    except Cancelled:
        s.rollback()
        log.info("import batch %s was no longer queued; its reading stopped", batch_id)
    except Exception:  # noqa: BLE001 - whatever happens, the batch must not stay queued
        log.exception("reading import batch %s failed", batch_id)
        _give_up(batch_id, FAILED)


def _scope_of(batch: ImportBatch) -> access.Scope:
    """What the uploader saw when they uploaded (their user's scope; the unit's without one)."""
    return access.scope_for_user(batch.user) if batch.user else access.scope_for_unit(batch.unit)


@contextlib.contextmanager
def _chunk_txn(s: Session, batch_id: int, done: int, total: int):
    """Each chunk of rows goes in with its progress in a short transaction of its own. It first
    takes the batch, which on SQLite also takes the write lock, so that the chunk's ids
    (max(id)+1…) are ours alone; planning the next chunk holds no lock."""
    _hold(s, batch_id, done, total)
    yield
    s.commit()


def _hold(s: Session, batch_id: int, done: int, total: int | None) -> None:
    """Write the progress of a batch still QUEUED, which keeps it ours until the commit."""
    taken = s.execute(
        sa.update(ImportBatch.__table__)
        .where(ImportBatch.__table__.c.id == batch_id,
               ImportBatch.__table__.c.status == ImportStatus.QUEUED)
        .values(progress=done, progress_total=total)
    ).rowcount
    if taken != 1:
        raise Cancelled


def expire_stale(s: Session, batch: ImportBatch, now: dt.datetime | None = None) -> bool:
    """Reject `batch` if it has waited or been read longer than the configured minutes (its
    consumer was killed, or never ran); True if it did so (the caller commits)."""
    minutes = current_app.config["IMPORT_JOB_TIMEOUT_MINUTES"]
    if batch.status is not ImportStatus.QUEUED:
        return False
    if (now or utcnow()) - batch.created_at < dt.timedelta(minutes=minutes):
        return False
    done = reject(s, batch.id, TIMED_OUT.format(minutes=minutes))
    s.refresh(batch)
    return done


def progress(batch: ImportBatch) -> dict:
    """What the progress bar shows (the JSON of the progress view)."""
    return {
        "status": batch.status.value,
        "label": batch.status.label,
        "done": batch.progress,
        "total": batch.progress_total,
        "error": ((batch.meta or {}).get("error") or {}).get("message"),
    }
