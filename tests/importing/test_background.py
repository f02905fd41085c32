"""Big uploads read outside the request (registry/importing/background.py): the same preview as
the request makes, progress committed chunk by chunk, never stuck queued, and a real consumer
(`flask run-jobs` in its own process) end to end."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from huey import RedisHuey, SqliteHuey

from models import ImportBatch, ImportFile, ImportRow, ImportStatus, Person, Unit, UserRole, db
from registry.core import jobs
from registry.core.audit import Actor
from registry.importing import background
from registry.importing import preview as previewing
from tests.factories import count, latest_batch
from tests.paths import SAMPLES

SAMPLE = "S01_dakha_ttv_trichngang.xlsx"  # 18 data rows: 13 new, 5 invalid (Huyện Đắk Hà)
ROOT = Path(__file__).resolve().parents[2]


def _upload(client, name: str = SAMPLE):
    data = {"file": (io.BytesIO((SAMPLES / name).read_bytes()), name)}
    return client.post("/imports/upload", data=data, content_type="multipart/form-data")


@pytest.fixture
def big(app):
    """Every upload counts as big: read by the background job."""
    before = app.config["IMPORT_BACKGROUND_BYTES"]
    app.config["IMPORT_BACKGROUND_BYTES"] = 0
    yield
    app.config["IMPORT_BACKGROUND_BYTES"] = before


@pytest.fixture
def queue(app):
    """Put back the app's own (immediate) queue after a test that swaps it."""
    yield jobs.jobs_of(app)
    jobs.jobs_of(app).use(jobs.make_huey(app.config))


def _rows(batch_id: int) -> list[tuple]:
    return [tuple(r) for r in db.session.execute(
        sa.select(ImportRow.row, ImportRow.status, ImportRow.reason)
        .where(ImportRow.batch_id == batch_id).order_by(ImportRow.seq))]


def test_a_small_file_is_still_read_in_the_request(officer, app):
    assert _upload(officer).status_code == 302
    batch = latest_batch()
    assert batch.status is ImportStatus.PREVIEWED and batch.progress_total is None  # no job


def test_a_big_file_gets_the_same_preview_from_the_job(officer, app, big, monkeypatch):
    app.config["IMPORT_BACKGROUND_BYTES"] = 10**9
    _upload(officer)
    in_request = latest_batch()
    assert in_request.progress_total is None  # read in the request
    app.config["IMPORT_BACKGROUND_BYTES"] = 0
    seen = []
    monkeypatch.setattr(previewing, "ROW_CHUNK", 4)  # 18 rows: five chunks, five commits
    original = background._chunk_txn

    @contextlib.contextmanager
    def watch(s, batch_id, done, total):
        with original(s, batch_id, done, total):
            yield
        with db.engine.connect() as other:  # another connection sees each chunk's progress
            seen.append(tuple(other.execute(
                sa.select(ImportBatch.progress, ImportBatch.progress_total, ImportBatch.status)
                .where(ImportBatch.id == batch_id)).one()))

    monkeypatch.setattr(background, "_chunk_txn", watch)
    resp = _upload(officer)
    batch = latest_batch()
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/imports/{batch.id}")
    assert seen == [(n, 18, ImportStatus.QUEUED) for n in (4, 8, 12, 16, 18)]
    assert batch.status is ImportStatus.PREVIEWED
    assert (batch.progress, batch.progress_total) == (18, 18)
    assert batch.counts == in_request.counts and _rows(batch.id) == _rows(in_request.id)
    assert db.session.get(ImportFile, batch.id).data == (SAMPLES / SAMPLE).read_bytes()
    assert officer.get(f"/imports/{batch.id}/progress").get_json()["status"] == "previewed"
    assert officer.post(f"/imports/{batch.id}/confirm").status_code == 302
    assert count(Person) == 13


def test_a_queued_batch_shows_its_progress_to_its_scope_only(officer, make, login):
    unit = db.session.execute(sa.select(Unit).where(Unit.name == "Huyện Đắk Hà")).scalar_one()
    batch = background.queue_upload(db.session, (SAMPLES / SAMPLE).read_bytes(), SAMPLE,
                                    unit=unit, actor=Actor(None, "dakha"))
    db.session.commit()
    batch_id = batch.id  # never enqueued: it stays queued
    assert officer.get(f"/imports/{batch_id}/progress").get_json() == {
        "status": "queued", "label": "Đang đọc tệp", "done": 0, "total": None, "error": None}
    html = officer.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "Đang đọc tệp" in html and f'data-progress-url="/imports/{batch_id}/progress"' in html
    assert "Xác nhận nhập" not in html
    make.user("sathay", UserRole.OFFICER, "Huyện Sa Thầy")
    other = login("sathay")
    assert other.get(f"/imports/{batch_id}/progress").status_code == 404
    assert other.get(f"/imports/{batch_id}").status_code == 404


def test_a_failing_job_leaves_the_batch_rejected_without_rows(officer, app, big, monkeypatch):
    monkeypatch.setattr(previewing, "ROW_CHUNK", 4)
    calls = []
    original = previewing.Matcher.plan

    def plan_then_fail(self, rows):
        calls.append(len(rows))
        if len(calls) == 3:  # two chunks are committed by then
            raise RuntimeError("disk full")
        return original(self, rows)

    monkeypatch.setattr(previewing.Matcher, "plan", plan_then_fail)
    assert _upload(officer).status_code == 302
    batch = latest_batch()
    assert batch.status is ImportStatus.REJECTED and _rows(batch.id) == []
    assert batch.meta["error"]["message"] == background.FAILED
    page = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert "Không đọc được tệp do lỗi của hệ thống" in page
    assert officer.get(f"/imports/{batch.id}/progress").get_json()["error"] == background.FAILED


def test_a_batch_left_queued_too_long_is_rejected(officer, app, big, queue, tmp_path):
    queue.use(SqliteHuey("nobody-consumes", filename=str(tmp_path / "jobs.db")))
    _upload(officer)
    batch = latest_batch()
    assert batch.status is ImportStatus.QUEUED
    assert officer.get(f"/imports/{batch.id}/progress").get_json()["status"] == "queued"
    db.session.execute(sa.update(ImportBatch).values(
        created_at=batch.created_at - dt.timedelta(minutes=31)))
    db.session.commit()
    job = officer.get(f"/imports/{batch.id}/progress").get_json()
    assert job["status"] == "rejected" and "30 phút" in job["error"]
    background.read_batch(batch.id)  # a consumer that starts late reads nothing
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).status is ImportStatus.REJECTED
    assert _rows(batch.id) == []


def test_an_unreachable_queue_rejects_the_batch_not_the_request(officer, app, big, queue):
    queue.use(RedisHuey("sodoingu-test", url="redis://127.0.0.1:1/0"))  # nothing listens there
    resp = _upload(officer)
    assert resp.status_code == 302
    batch = latest_batch()
    assert batch.status is ImportStatus.REJECTED
    assert batch.meta["error"]["message"] == background.NOT_QUEUED


def test_an_interrupted_job_is_rejected(officer, app, big, queue, tmp_path):
    queue.use(SqliteHuey("nobody-consumes", filename=str(tmp_path / "jobs.db")))
    _upload(officer)
    batch = latest_batch()
    huey = queue.huey
    task = huey.dequeue()
    huey._tasks_in_flight.add(task)  # what a consumer holds when it is stopped
    huey.notify_interrupted_tasks()  # what huey's consumer calls as it stops
    db.session.expire_all()
    batch = db.session.get(ImportBatch, batch.id)
    assert batch.status is ImportStatus.REJECTED
    assert batch.meta["error"]["message"] == background.INTERRUPTED


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_a_real_consumer_reads_the_batch(officer, app, big, queue, tmp_path, kind):
    """`flask run-jobs` in its own process, on the test database, through a SQLite queue (one
    machine) or Redis (several: the machine's Redis, database 15, or the one TEST_REDIS_URL names:
    .ci/run gives the PostgreSQL suite another, as it runs beside the SQLite one)."""
    queue_file = tmp_path / "jobs.sqlite3"
    redis_url = (os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
                 if kind == "redis" else "")
    config = {"JOBS_SQLITE": str(queue_file), "REDIS_URL": redis_url}
    huey = jobs.make_huey(config)
    huey.flush()  # nothing left over from an earlier run
    queue.use(huey)
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": "test-secret", **config}
    consumer = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "run-jobs", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        assert _upload(officer).status_code == 302
        batch_id = latest_batch().id
        deadline = time.monotonic() + 60
        job = officer.get(f"/imports/{batch_id}/progress").get_json()
        while job["status"] == "queued" and time.monotonic() < deadline:
            time.sleep(0.2)
            job = officer.get(f"/imports/{batch_id}/progress").get_json()
        assert job == {"status": "previewed", "label": "Chờ xác nhận", "done": 18, "total": 18,
                       "error": None}
        html = officer.get(f"/imports/{batch_id}").get_data(as_text=True)
        assert "Xác nhận nhập" in html and "Đang đọc tệp" not in html
    finally:
        os.killpg(consumer.pid, signal.SIGTERM)
        out = consumer.communicate(timeout=30)[0].decode(errors="replace")
    assert "read_batch" in out and "executed in" in out, out[-2000:]


def test_the_cli_reads_in_the_foreground_whatever_the_size(app, ctx, big):
    result = app.test_cli_runner().invoke(args=[
        "import-roster", str(SAMPLES / SAMPLE), "--unit", "Huyện Đắk Hà", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["new"] == 13 and count(Person) == 13
    assert latest_batch().status is ImportStatus.COMMITTED
