"""The reorganisation's preview and run as jobs of the worker (run at once in the tests,
JOBS_IMMEDIATE): a job that fails says why and saves nothing, one real run at a time, a job
whose worker died times out, and the job page is the admins' alone."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from models import Person, ReorganiseJob, User, UserRole, db
from models.base import utcnow
from registry.core import jobs as core_jobs
from registry.reorganise import jobs
from tests.factories import IMPORT_TABLES, dump

JOB_TABLES = IMPORT_TABLES | {"audit_log", "reorganise_jobs", "data_version"}


@pytest.fixture
def legacy(make):
    person = make.person("Phạm Thị Thị Trấn", "Thị trấn Đắk Hà", start=dt.date(2023, 4, 1))
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    return person.id


def _text(resp) -> str:
    return re.sub(r"\s+", " ", resp.get_data(as_text=True))


def _queued(*, dry_run: bool, minutes_ago: int = 0) -> ReorganiseJob:
    """A job as a request leaves it before the worker takes it (none is enqueued)."""
    admin = db.session.execute(sa.select(User).where(User.username == "admin")).scalar_one()
    job = ReorganiseJob(day=dt.date(2025, 7, 1), dry_run=dry_run, actor="admin",
                        user_id=admin.id, state=jobs.QUEUED)
    db.session.add(job)
    db.session.flush()
    job.created_at = utcnow() - dt.timedelta(minutes=minutes_ago)
    db.session.commit()
    return job


def _jobs() -> list[tuple[bool, str]]:
    db.session.expire_all()
    return [(j.dry_run, j.state) for j in db.session.execute(
        sa.select(ReorganiseJob).order_by(ReorganiseJob.id)).scalars()]


def test_a_run_that_fails_shows_its_error_a_retry_and_saved_nothing(legacy, login, app,
                                                                     monkeypatch):
    client = login("admin")
    monkeypatch.setitem(app.config, "PROVINCE", "Hà Nội")  # does not cover Kon Tum's tree
    before = dump(exclude=JOB_TABLES)
    resp = client.post("/reorganise/confirm", data={"day": "01/07/2025"})
    page = _text(client.get(resp.location))
    assert "Không sắp xếp được" in page
    assert "không thuộc các tỉnh hợp thành" in page and "kiểm tra biến PROVINCE" in page
    assert 'action="/reorganise/confirm"' in page and "Thử lại" in page
    assert dump(exclude=JOB_TABLES) == before
    assert db.session.get(Person, legacy).unit.name == "Thị trấn Đắk Hà"
    assert _jobs() == [(False, jobs.FAILED)]
    monkeypatch.setitem(app.config, "PROVINCE", "Quảng Ngãi")
    retried = client.post("/reorganise/confirm", data={"day": "01/07/2025"})
    assert "Đã sắp xếp lại dữ liệu" in _text(client.get(retried.location))
    db.session.expire_all()
    assert db.session.get(Person, legacy).unit.name == "Xã Đăk Hà"


def test_a_second_confirm_while_a_run_is_queued_is_refused(legacy, login):
    client = login("admin")
    _queued(dry_run=False)
    before = dump(exclude=JOB_TABLES)
    resp = client.post("/reorganise/confirm", data={"day": "01/07/2025"}, follow_redirects=True)
    assert "Đang có một lần sắp xếp chờ chạy hoặc đang chạy (do admin yêu cầu)" in _text(resp)
    assert _jobs() == [(False, jobs.QUEUED)]  # nothing more queued
    assert dump(exclude=JOB_TABLES) == before
    # a preview meanwhile is harmless: it writes nothing
    preview = client.post("/reorganise/preview", data={"day": "01/07/2025"})
    assert "Xác nhận sắp xếp" in _text(client.get(preview.location))
    assert _jobs() == [(False, jobs.QUEUED), (True, jobs.DONE)]


def test_a_queued_job_refreshes_until_it_times_out_then_no_longer_blocks(legacy, login):
    client = login("admin")
    fresh = _queued(dry_run=True)
    resp = client.get(f"/reorganise/jobs/{fresh.id}")
    page = _text(resp)
    assert "Đang tính…" in page and "đang chờ máy chủ chạy việc nền" in page
    assert '<meta http-equiv="refresh" content="2">' in page
    stale = _queued(dry_run=False, minutes_ago=31)
    page = _text(client.get(f"/reorganise/jobs/{stale.id}"))
    assert "Việc chưa xong sau 30 phút" in page and "http-equiv" not in page
    assert "Thử lại" in page
    assert _jobs() == [(True, jobs.QUEUED), (False, jobs.FAILED)]
    resp = client.post("/reorganise/confirm", data={"day": "01/07/2025"})
    assert "Đã sắp xếp lại dữ liệu" in _text(client.get(resp.location))


def test_a_stale_run_blocks_no_confirm_even_unread(legacy, login):
    client = login("admin")
    _queued(dry_run=False, minutes_ago=45)
    resp = client.post("/reorganise/confirm", data={"day": "01/07/2025"})
    assert re.search(r"/reorganise/jobs/\d+$", resp.location)
    assert _jobs() == [(False, jobs.FAILED), (False, jobs.DONE)]


def test_a_worker_stopped_in_the_middle_leaves_the_job_failed(legacy, app):
    job_id = _queued(dry_run=False).id
    _fn, on_interrupt = core_jobs._TASKS["registry.reorganise.jobs.carry_out"]
    with app.app_context():
        on_interrupt(job_id)
    db.session.expire_all()
    job = db.session.get(ReorganiseJob, job_id)
    assert (job.state, job.error) == (jobs.FAILED, jobs.INTERRUPTED)


def test_a_job_of_a_user_no_longer_admin_does_nothing(legacy, app):
    job_id = _queued(dry_run=False).id
    admin = db.session.execute(sa.select(User).where(User.username == "admin")).scalar_one()
    admin.role = UserRole.VIEWER
    db.session.commit()
    before = dump(exclude=JOB_TABLES)
    jobs.carry_out(job_id)
    db.session.expire_all()
    assert db.session.get(ReorganiseJob, job_id).error == jobs.NOT_ADMIN
    assert dump(exclude=JOB_TABLES) == before


def test_unknown_jobs_are_404_a_get_preview_writes_nothing_and_others_get_403(
        legacy, login, make, client):
    login("admin")
    for url in ("/reorganise/jobs/987654", "/reorganise/jobs/abc", "/reorganise/jobs/0"):
        assert client.get(url).status_code == 404, url
    resp = client.get("/reorganise/preview?day=01/07/2025")
    assert resp.status_code == 302 and resp.location.endswith("/reorganise/")
    assert _jobs() == []
    job = _queued(dry_run=True)
    client.post("/logout")
    make.user("xem", UserRole.VIEWER, "Tỉnh Kon Tum")
    login("xem")
    assert client.get(f"/reorganise/jobs/{job.id}").status_code == 403
    assert client.post("/reorganise/preview", data={"day": "01/07/2025"}).status_code == 403
    assert _jobs() == [(True, jobs.QUEUED)]
