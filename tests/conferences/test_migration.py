"""Migration l1work moves the courses of kind "Hội nghị báo cáo viên" to conferences and back,
losing nothing: built on a scratch database of its own (a SQLite file, or a scratch PostgreSQL
database beside the one the suite uses), upgraded to k1accounts, filled, then moved."""
from __future__ import annotations

import contextlib
import datetime as dt

import flask_migrate
import pytest
import sqlalchemy as sa

from app import create_app
from models import db
from tools import live_server as live

NOW = dt.datetime(2025, 6, 1, 8, 0)
ROWS = {
    "units": [{"id": 1, "name": "Tỉnh Kon Tum", "kind": "tinh", "path": "/1/"}],
    "persons": [{"id": p, "full_name": n, "search_key": n.lower(), "name_folded": n.lower(),
                 "sort_key": n.lower(), "party_member": True, "version": 1, "unit_id": 1}
                for p, n in ((1, "A Một"), (2, "B Hai"))],
    "courses": [
        {"id": 10, "name": "Hội nghị báo cáo viên tháng 5/2025", "kind": "hoi_nghi_bcv",
         "level": "tinh", "organiser": "Ban Tuyên giáo Tỉnh ủy", "start_date": dt.date(2025, 5, 5),
         "end_date": dt.date(2025, 5, 6), "place": "Hội trường Tỉnh ủy", "form": "truc_tuyen",
         "hours": 8, "note": "Có tài liệu kèm theo", "unit_id": 1},
        {"id": 11, "name": "Bồi dưỡng nghiệp vụ", "kind": "boi_duong", "level": "tinh",
         "organiser": None, "start_date": dt.date(2025, 3, 1), "end_date": dt.date(2025, 3, 3),
         "place": "Trường",
         "form": "truc_tiep", "hours": 24, "note": None, "unit_id": 1}],
    "attendances": [
        {"id": 20, "course_id": 10, "person_id": 1, "result": "gioi", "certificate_no": "HN-01",
         "note": "Tham luận"},
        {"id": 21, "course_id": 10, "person_id": 2, "result": None, "certificate_no": None,
         "note": None},
        {"id": 22, "course_id": 11, "person_id": 1, "result": "kha", "certificate_no": "BD-7",
         "note": None}],
}


@contextlib.contextmanager
def _scratch_url(tmp_path):
    """A database no other test uses: a SQLite file, or a PostgreSQL database made for it."""
    url = sa.make_url(live.database_url(tmp_path))
    if url.get_backend_name() != "postgresql":
        yield str(url)
        return
    scratch = url.set(database=f"{url.database}_mig")
    server = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch.database}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{scratch.database}"'))
    try:
        yield scratch.render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        server.dispose()


def _insert(conn) -> None:
    meta = sa.MetaData()
    meta.reflect(conn, only=list(ROWS))
    for name, rows in ROWS.items():
        table = meta.tables[name]
        stamps = {c: NOW for c in ("created_at", "updated_at") if c in table.c}
        conn.execute(table.insert(), [{**stamps, **row} for row in rows])
    if conn.dialect.name == "postgresql":  # rows given their ids: move the sequences on
        for name in ROWS:
            conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                 f"(SELECT MAX(id) FROM {name}))"))


def _all(conn, sql: str) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sa.text(sql))]


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_bcv_courses_become_conferences_and_come_back(tmp_path):
    with _scratch_url(tmp_path) as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t",
                          "DEMO_LOGINS_DIR": str(tmp_path)})
        with app.app_context():
            directory = app.extensions["migrate"].directory
            try:
                flask_migrate.upgrade(directory, revision="k1accounts")
                with db.engine.begin() as conn:
                    _insert(conn)
                flask_migrate.upgrade(directory, revision="l1work")
                with db.engine.connect() as conn:
                    _check_moved(conn)
                flask_migrate.downgrade(directory, revision="k1accounts")
                with db.engine.connect() as conn:
                    _check_back(conn)
            finally:
                db.session.remove()
                db.engine.dispose()


def _check_moved(conn) -> None:
    assert _all(conn, "SELECT id, kind FROM courses") == [(11, "boi_duong")]
    assert _all(conn, "SELECT course_id, person_id, result, certificate_no FROM attendances") \
        == [(11, 1, "kha", "BD-7")]
    conf = conn.execute(sa.text("SELECT * FROM conferences")).one()._mapping
    assert (conf["topic"], conf["level"], conf["form"], conf["organiser"], conf["hours"],
            conf["note"], conf["former_course_id"], conf["unit_id"]) == (
        "Hội nghị báo cáo viên tháng 5/2025", "tinh", "truc_tuyen", "Ban Tuyên giáo Tỉnh ủy", 8,
        "Có tài liệu kèm theo", 10, 1)
    assert (str(conf["date"])[:10], str(conf["end_date"])[:10]) == ("2025-05-05", "2025-05-06")
    point = conn.execute(sa.text("SELECT * FROM conference_points")).one()._mapping
    assert (point["conference_id"], point["unit_id"], point["place"], point["participants"]) \
        == (conf["id"], 1, "Hội trường Tỉnh ủy", 2)
    assert _all(conn, "SELECT person_id, point_id, note FROM conference_attendances "
                      "ORDER BY person_id") == [
        (1, point["id"], "Kết quả: Giỏi; Số chứng nhận: HN-01; Tham luận"), (2, point["id"], None)]


def _check_back(conn) -> None:
    courses = _all(conn, "SELECT name, kind, level, organiser, start_date, end_date, place, "
                         "form, hours, note FROM courses ORDER BY kind")
    assert [c[:4] + c[6:] for c in courses] == [
        ("Bồi dưỡng nghiệp vụ", "boi_duong", "tinh", None, "Trường", "truc_tiep", 24, None),
        ("Hội nghị báo cáo viên tháng 5/2025", "hoi_nghi_bcv", "tinh", "Ban Tuyên giáo Tỉnh ủy",
         "Hội trường Tỉnh ủy", "truc_tuyen", 8, "Có tài liệu kèm theo")]
    assert [str(d)[:10] for d in courses[1][4:6]] == ["2025-05-05", "2025-05-06"]
    rows = _all(conn, "SELECT c.kind, a.person_id, a.note FROM attendances a "
                      "JOIN courses c ON c.id = a.course_id ORDER BY c.kind, a.person_id")
    assert rows == [("boi_duong", 1, None),
                    ("hoi_nghi_bcv", 1, "Kết quả: Giỏi; Số chứng nhận: HN-01; Tham luận"),
                    ("hoi_nghi_bcv", 2, None)]
    tables = sa.inspect(conn).get_table_names()
    assert "conferences" not in tables
