"""Who reads which audit entries: admins everything, officers and viewers their own people."""
from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa

from models import Appointment, Person, Unit, db
from registry.core.audit import Actor, acting_as


def _text(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.mark.parametrize("username", ["dakha", "viewer"])
def test_officer_and_viewer_see_only_their_people(client, login, history, username):
    login(username)
    page = _text(client.get("/audit"))
    assert history["own_name"] in page and "0905123456" in page
    assert history["other_name"] not in page and "0905999999" not in page
    assert "10.9.8.7" not in page and "Đăng nhập sai" not in page.split("<table")[1]


def test_admin_sees_everything_with_security_events(client, login, history):
    login("admin")
    page = _text(client.get("/audit"))
    assert history["own_name"] in page and history["other_name"] in page
    assert "10.9.8.7" in page and "Đăng nhập sai" in page
    security = _text(client.get("/audit", query_string={"entity": "security"}))
    assert "10.9.8.7" in security and history["own_name"] not in security


@pytest.mark.parametrize("query", [
    {"person": "{other}"}, {"person": "Khác"}, {"user": "sathay"},
    {"entity": "security"}, {"action": "login_failed"}, {"entity": "appointments"},
    {"person": "{other}", "entity": "persons"}, {"unit": "{other_unit}"},
])
def test_no_filter_reaches_past_the_scope(client, login, history, query):
    login("dakha")
    other_unit = db.session.execute(sa.select(Person.unit_id).where(
        Person.id == history["other"]).execution_options(unscoped=True)).scalar_one()
    args = {k: v.format(other=history["other"], other_unit=other_unit) for k, v in query.items()}
    page = _text(client.get("/audit", query_string=args))
    assert history["other_name"] not in page and "0905999999" not in page
    assert "10.9.8.7" not in page
    book = client.get("/audit/export.xlsx", query_string=args)
    if book.status_code == 200:
        assert "0905999999" not in _cells(book) and "10.9.8.7" not in _cells(book)
    else:
        assert book.status_code == 400


def test_officer_filters_own_person(client, login, history):
    login("dakha")
    page = _text(client.get("/audit", query_string={"person": history["own"]}))
    assert "0905123456" in page
    by_name = _text(client.get("/audit", query_string={"person": "minh"}))
    assert "0905123456" in by_name


def test_deleted_rows_keep_their_owner(client, login, history, app):
    """A deleted appointment of the officer's person stays theirs; the other one stays hidden."""
    for appt_id, who in ((history["own_appt"], "dakha"), (history["other_appt"], "sathay")):
        with acting_as(Actor(None, who)):
            db.session.delete(db.session.get(Appointment, appt_id))
            db.session.commit()
    login("dakha")
    page = _text(client.get("/audit", query_string={"entity": "appointments",
                                                      "action": "delete"}))
    assert f"Bổ nhiệm #{history['own_appt']}" in page
    assert f"Bổ nhiệm #{history['other_appt']}" not in page


def test_deleted_person_stays_with_their_unit(client, login, history):
    with acting_as(Actor(None, "sathay")):
        db.session.delete(db.session.get(Person, history["other"]))
        db.session.commit()
    login("dakha")
    page = _text(client.get("/audit", query_string={"action": "delete"}))
    assert history["other_name"] not in page and "0905999999" not in page
    client.post("/logout")
    login("sathay")
    page = _text(client.get("/audit", query_string={"person": history["other"]}))
    assert history["other_name"] in page and "0905999999" in page


def test_person_page_lists_only_that_person(client, login, history):
    login("dakha")
    page = _text(client.get(f"/persons/{history['own']}"))
    assert "Lịch sử thay đổi" in page and "0905123456" in page
    assert f"/audit?person={history['own']}" in page
    assert client.get(f"/persons/{history['other']}").status_code == 404


def test_moved_person_history_follows_them(client, login, history):
    """Scope follows the person's current unit: moved away, the old unit no longer reads it."""
    other_unit = db.session.execute(sa.select(Unit).where(Unit.name == "Huyện Sa Thầy")) \
        .scalars().first()
    person = db.session.get(Person, history["own"])
    person.unit = other_unit
    db.session.commit()
    login("dakha")
    assert "0905123456" not in _text(client.get("/audit"))


def _cells(resp) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(resp.data), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


def test_anonymous_is_sent_to_login(client, history):
    for url in ("/audit", "/audit/export.xlsx"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]
