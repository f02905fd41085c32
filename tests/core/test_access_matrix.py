"""Scoping matrix: every route of the URL map × role × own / child / sibling / parent unit.

A route whose URL parameters this test cannot fill fails the test, so a new route is covered
the day it is added, without anyone remembering to list it here.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import Appointment, AuditLog, Level, Person, Role, UserRole, db
from tests.factories import fill_route

OWN, CHILD, SIBLING, PARENT = "own", "child", "sibling", "parent"
UNITS = {
    OWN: "Huyện Đắk Hà",
    CHILD: "Xã Đắk Hring",
    SIBLING: "Huyện Sa Thầy",
    PARENT: "Tỉnh Kon Tum",
}
# user -> (role, unit, relations it may see)
USERS = {
    "admin": (UserRole.ADMIN, "Tỉnh Kon Tum", {OWN, CHILD, SIBLING, PARENT}),
    "officer": (UserRole.OFFICER, "Huyện Đắk Hà", {OWN, CHILD}),
    "viewer": (UserRole.VIEWER, "Huyện Đắk Hà", {OWN, CHILD}),
    "commune": (UserRole.OFFICER, "Xã Đắk Hring", {CHILD}),
}
PUBLIC = {"static", "auth.login", "auth.logout"}
# Courses, conferences and documents are open to the units below their organiser
# (registry/core/access.py): each user also sees, read-only, the courses of the relations above
# them. Rates are the province's, read by all.
ABOVE = {"admin": set(), "officer": {PARENT}, "viewer": {PARENT}, "commune": {OWN, PARENT}}
SHARED_DOWN = {"course_id", "conference_id", "document_id"}
# Rates are the province's; a ready-made list (slug) is the same list for everyone, its content
# scoped; a reorganisation job is the province's (admins only, 403 for others): all open for
# every relation, and still never naming anyone out of scope.
# Accounts (user_id) are the province admins' alone: 403 for everyone else, whatever the unit,
# so that the pages never tell an officer which ids are accounts.
PROVINCE_WIDE = {"rate_id", "slug", "job_id", "user_id"}


API_PREFIX = "/api/v1/"
API_PUBLIC = {"api-docs.openapi_json", "api_docs.page"}


def _id_routes(app):
    """The web's routes (the API's have their own matrix, tests/api/test_api_matrix.py)."""
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint not in PUBLIC and not r.rule.startswith(API_PREFIX)]
    # Deleting routes go last: on visible rows they succeed, and later routes need the rows;
    # deleting the person (and with them every record) goes last of all.
    with_ids = sorted(
        (r for r in rules if r.arguments),
        key=lambda r: ("delete" in r.endpoint, r.endpoint == "roster.delete"),
    )
    return with_ids, [r for r in rules if not r.arguments]


def _route_seen(rule, username: str) -> set[str]:
    """The relations whose row behind this route `username` may open."""
    seen = USERS[username][2]
    if set(rule.arguments) & PROVINCE_WIDE:
        return set(UNITS)
    if set(rule.arguments) & SHARED_DOWN:
        return seen | ABOVE[username]
    return seen


@pytest.fixture
def world(make):
    people = {}
    for rel, unit_name in UNITS.items():
        role, level = (Role.TTV, Level.CO_SO) if rel == CHILD else (Role.BCV, Level.HUYEN)
        people[rel] = make.person(f"Người {rel.upper()} Thử", unit_name, role=role, level=level)
    for name, (role, unit, _seen) in USERS.items():
        make.user(name, role, unit)
    return {rel: make.route_ids(p) for rel, p in people.items()}


def _snapshot():
    return (
        db.session.execute(
            sa.select(sa.func.count(Person.id)).execution_options(unscoped=True)
        ).scalar(),
        db.session.execute(
            sa.select(sa.func.count(Appointment.id)).execution_options(unscoped=True)
        ).scalar(),
        # A download is recorded (a security event) even where it names nobody out of scope.
        db.session.execute(sa.select(sa.func.count(AuditLog.id))
                           .where(AuditLog.entity != "security")).scalar(),
    )


@pytest.mark.parametrize("username", list(USERS))
def test_routes_with_ids_respect_scope(app, client, login, world, username):
    login(username)
    role, _unit, seen = USERS[username]
    id_routes, _ = _id_routes(app)
    assert id_routes, "no routes with ids found"
    for rule in id_routes:
        route_seen = _route_seen(rule, username)
        for rel, ids in world.items():
            url = fill_route(rule, ids)
            for method in sorted(rule.methods & {"GET", "POST"}):
                before = _snapshot()
                resp = client.open(url, method=method, data={})
                code = resp.status_code
                where = f"{username} {method} {url} ({rel})"
                assert code != 500, where
                if rel not in route_seen:
                    assert code == 404, f"{where}: expected 404, got {code}"
                else:
                    assert code in (200, 302, 403), f"{where}: got {code}"
                if rel not in seen:  # a shared course, a rate, a ready-made list (or its file)
                    assert ids["name"] not in _text(resp), where
                    assert _snapshot() == before, f"{where} changed data"


@pytest.mark.parametrize("username", list(USERS))
def test_lists_show_only_scope(app, client, login, world, username):
    """Pages without ids (lists, counts, search, autocomplete) never name anyone out of scope."""
    login(username)
    _role, _unit, seen = USERS[username]
    _, plain_routes = _id_routes(app)
    for rule in plain_routes:
        if "GET" not in rule.methods:
            continue
        extra = (
            {"q": "nguoi"}
            if rule.endpoint in ("roster.suggest",)
            else {"status": "all", "q": "thu"}
        )
        resp = client.get(rule.rule, query_string=extra)
        assert resp.status_code in (200, 302, 403), (
            f"{username} GET {rule.rule}: {resp.status_code}"
        )
        body = _text(resp)
        for rel, ids in world.items():
            if rel not in seen:
                assert ids["name"] not in body, f"{username} sees {rel} at {rule.rule}"


def _text(resp) -> str:
    """A page's text, or every cell of a downloaded workbook."""
    if resp.mimetype.endswith("spreadsheetml.sheet"):
        import io

        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(resp.data), read_only=True)
        return "\n".join(
            str(v)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    return resp.get_data(as_text=True)


def test_viewer_cannot_write(client, login, world):
    login("viewer")
    own = world[OWN]
    assert client.get(f"/persons/{own['person_id']}").status_code == 200
    assert client.get(f"/persons/{own['person_id']}/edit").status_code == 403
    assert client.post(f"/persons/{own['person_id']}/delete").status_code == 403
    assert (
        client.post("/persons/new", data={"full_name": "X", "unit_id": own["unit_id"]}).status_code
        == 403
    )


def test_officer_cannot_move_person_out_of_subtree(client, login, world, make):
    login("officer")
    own = world[OWN]
    page = client.get(f"/persons/{own['person_id']}/edit").get_data(as_text=True)
    assert f'value="{world[SIBLING]["unit_id"]}"' not in page  # not even offered
    resp = client.post(
        f"/persons/{own['person_id']}/edit",
        data={"full_name": "Người OWN Thử", "unit_id": world[SIBLING]["unit_id"], "version": 1},
    )
    assert resp.status_code in (200, 404)
    person = db.session.get(Person, own["person_id"])
    db.session.refresh(person)
    assert person.unit_id == own["unit_id"]
    resp = client.post(
        f"/persons/{own['person_id']}/appointments/new",
        data={
            "role": "TTV",
            "level": "co_so",
            "unit_id": world[SIBLING]["unit_id"],
            "start_date": "01/01/2025",
        },
    )
    assert resp.status_code in (200, 404)
    assert (
        db.session.execute(
            sa.select(sa.func.count(Appointment.id)).where(
                Appointment.person_id == own["person_id"]
            )
        ).scalar()
        == 1
    )


def test_a_session_cookie_never_authenticates_the_api(app, client, login, world):
    """Logged in on the web, every API route still answers 401 (JSON) without a token."""
    login("admin")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX) or rule.endpoint in API_PUBLIC:
            continue
        url = fill_route(rule, world[OWN]) if rule.arguments else rule.rule
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            resp = client.open(url, method=method, json={})
            assert resp.status_code == 401, f"{method} {url}: {resp.status_code}"
            assert resp.is_json and resp.json["code"] == 401
