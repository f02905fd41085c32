"""The reorganisation asked for in the web, carried out by the job worker: a registry of tens of
thousands of people takes minutes, longer than a web request may last.

A request stores a ReorganiseJob (queued), commits and enqueues `carry_out` with its id. The job
takes it (running, committed at once so the page sees it), runs `service.apply` as the admin who
asked, and stores the summary with the state in the same commit as the run's changes: a job is
"done" exactly when what it did is saved. A dry run stores the summary of the run rolled back. A
failure, a worker stopped in the middle and a job left queued or running too long all end
"failed" with a Vietnamese message; nothing of the run is kept then."""
from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from models import ReorganiseJob, User, db
from models.base import utcnow
from registry.core import access, jobs
from registry.core.audit import Actor, acting_as
from registry.core.rules import RuleViolation
from registry.reorganise import service

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)

CRASHED = ("Không sắp xếp được do lỗi của hệ thống; chưa có gì được lưu. Hãy chạy lại; nếu vẫn "
           "lỗi, hãy báo quản trị viên.")
INTERRUPTED = "Việc bị dừng giữa chừng; hãy chạy lại."
TIMED_OUT = ("Việc chưa xong sau {minutes} phút (máy chủ chạy việc nền có thể đang dừng); chưa có "
             "gì được lưu. Hãy chạy lại.")
NOT_QUEUED = ("Chưa gửi được việc cho máy chủ chạy việc nền (hàng đợi không trả lời). Hãy chạy "
              "lại sau ít phút.")
NOT_ADMIN = "Tài khoản yêu cầu không còn quyền quản trị; chưa có gì được lưu."
BUSY = ("Đang có một lần sắp xếp chờ chạy hoặc đang chạy (do {actor} yêu cầu): hãy chờ nó xong "
        "rồi xem kết quả; lần xác nhận này không được thực hiện.")
ALREADY = ("Dữ liệu đã theo cơ cấu mới (đã sắp xếp trước đó): không cần xác nhận lại, không có "
           "gì được thay đổi.")


def request_preview(day: dt.date, user: User) -> ReorganiseJob:
    """Queue a dry run for `day` (committed); the caller shows the job's page."""
    return _request(day, user, dry_run=True)


def request_run(day: dt.date, user: User) -> ReorganiseJob:
    """Queue the real run for `day` (committed).

    :raise RuleViolation: a real run is already queued or running, or the registry is already
        reorganised; nothing is queued then.
    """
    s = db.session()
    busy = [j for j in _active_runs(s) if not expire_stale(s, j)]
    s.commit()
    if busy:
        raise RuleViolation("day", BUSY.format(actor=busy[0].actor))
    state = service.status()
    if not state.needs_run and (state.last_run is not None or _has_done_run(s)):
        raise RuleViolation("day", ALREADY)
    return _request(day, user, dry_run=False)


def _active_runs(s: Session) -> list[ReorganiseJob]:
    return list(s.execute(sa.select(ReorganiseJob).where(
        ReorganiseJob.dry_run.is_(False), ReorganiseJob.state.in_(ACTIVE))
        .order_by(ReorganiseJob.id)).scalars())


def _has_done_run(s: Session) -> bool:
    return s.execute(sa.select(ReorganiseJob.id).where(
        ReorganiseJob.dry_run.is_(False), ReorganiseJob.state == DONE).limit(1)).first() is not None


def _request(day: dt.date, user: User, *, dry_run: bool) -> ReorganiseJob:
    s = db.session()
    job = ReorganiseJob(day=day, dry_run=dry_run, actor=user.username, user_id=user.id,
                        state=QUEUED)
    s.add(job)
    s.commit()  # the worker reads the row in a session of its own
    try:
        jobs.enqueue(carry_out, job.id)
    except Exception:  # noqa: BLE001 - Redis down: the job says so, the page does not fail
        log.exception("could not enqueue reorganise job %s", job.id)
        s.rollback()
        _end(s, job.id, FAILED, error=NOT_QUEUED, states=(QUEUED,))
        s.commit()
    s.refresh(job)
    return job


def _fail(job_id: int, message: str) -> None:
    s = db.session()
    s.rollback()
    _end(s, job_id, FAILED, error=message)
    s.commit()


@jobs.task(on_interrupt=lambda job_id: _fail(job_id, INTERRUPTED))
def carry_out(job_id: int) -> None:
    """The job: run (or preview) the reorganisation a queued ReorganiseJob asks for."""
    s = db.session()
    if not _claim(s, job_id):
        return
    job = s.get(ReorganiseJob, job_id)
    user = s.get(User, job.user_id) if job.user_id else None
    if user is None or not access.is_admin(access.scope_for_user(user)):
        _fail(job_id, NOT_ADMIN)
        return
    dry_run = job.dry_run
    try:
        with access.scoped(access.scope_for_user(user)), \
                acting_as(Actor(user.id, user.username)):
            summary = service.apply(job.day, actor=job.actor, dry_run=dry_run)
        if dry_run:
            s.rollback()  # whatever the dry run left in the session stays unsaved
        if _end(s, job_id, DONE, summary=summary, states=(RUNNING,)):
            s.commit()
        else:  # timed out meanwhile: the page already says failed, so nothing may be kept
            s.rollback()
    except RuleViolation as exc:
        _fail(job_id, exc.message)
    except Exception:  # noqa: BLE001 - whatever happens, the job must not stay running
        log.exception("reorganise job %s failed", job_id)
        _fail(job_id, CRASHED)


def _claim(s: Session, job_id: int) -> bool:
    """Mark the queued job running, committed at once; False when it is no longer queued."""
    taken = s.execute(sa.update(ReorganiseJob).where(
        ReorganiseJob.id == job_id, ReorganiseJob.state == QUEUED).values(state=RUNNING)
        .execution_options(synchronize_session=False)).rowcount
    s.commit()
    return taken == 1


def _end(s: Session, job_id: int, state: str, *, summary: dict | None = None,
         error: str | None = None, states: tuple[str, ...] = ACTIVE) -> bool:
    """Leave the job `state` if it is still in one of `states`; False when it was not."""
    return s.execute(sa.update(ReorganiseJob).where(
        ReorganiseJob.id == job_id, ReorganiseJob.state.in_(states))
        .values(state=state, summary=summary, error=error, finished_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1


def expire_stale(s: Session, job: ReorganiseJob, now: dt.datetime | None = None) -> bool:
    """Fail `job` if it has waited or run longer than the configured minutes (its worker was
    killed, or never ran); True if it did so (the caller commits)."""
    minutes = current_app.config["IMPORT_JOB_TIMEOUT_MINUTES"]
    if job.state not in ACTIVE or (now or utcnow()) - job.created_at < dt.timedelta(
            minutes=minutes):
        return False
    done = _end(s, job.id, FAILED, error=TIMED_OUT.format(minutes=minutes))
    s.refresh(job)
    return done
