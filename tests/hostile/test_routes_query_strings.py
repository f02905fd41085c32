"""Property: whatever query string a logged-in user sends to any GET route of the URL map (so a
route added tomorrow is covered), the server never answers 500 — as an admin and as an officer.

Keys are the query parameters the code and templates really read (found in the source, so a new
filter is covered too) mixed with random ones; values are random text, huge and negative
numbers, impossible and calendar-edge dates, NUL bytes, very long strings and unicode. A first
sweep sends one hostile query to every route; the property then draws routes, users and queries.
`HYPOTHESIS_PROFILE=ci` runs at least 1,000 cases (`.ci/run`); the default run a few dozen."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from models import UserRole, db
from tests.factories import PASSWORD, Factory, fill_route

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"static"}
USERS = {"admin": (UserRole.ADMIN, "Tỉnh Kon Tum"), "dakha": (UserRole.OFFICER, "Huyện Đắk Hà")}


def _parameter_names() -> list[str]:
    """Every query or form parameter the views read or the templates send."""
    code = "\n".join(p.read_text("utf-8") for p in (ROOT / "registry").rglob("*.py"))
    html = "\n".join(p.read_text("utf-8") for p in (ROOT / "templates").rglob("*.html"))
    names = set(re.findall(r"""\.get(?:list)?\(\s*["']([a-z_]+)["']""", code))
    names |= set(re.findall(r"""name=["']([a-z_]+)["']""", html))
    names |= set(re.findall(r"^\s{4}([a-z_]+): str = ", code, re.M))  # the filters' dataclasses
    return sorted(names - {"csrf_token"})


NAMES = _parameter_names()
EDGE_VALUES = ["31/02/0000", "01/01/0001", "01/01/0002", "31/12/9999", "9999-12", "0001-01",
               "00/0000", "13/2025", "2025-02-30", "29/02/2023", "1899-12-31", "3000-01-01",
               "0", "-1", "99999999999999999999", "-99999999999999999999", "1e309", "nan",
               "inf", "", " ", "\x00", "a\x00b", "%", "'", '"', "<>", "../..", "all", "1",
               "x" * 5000, "9" * 400, "đ" * 2000, "🙂" * 100, "\u202e", "\r\n"]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NUMBERS = st.integers(min_value=-(10**30), max_value=10**30).map(str)
DATES = st.builds("{:02d}/{:02d}/{:04d}".format, st.integers(0, 99), st.integers(0, 99),
                  st.integers(0, 9999))
VALUES = st.one_of(st.sampled_from(EDGE_VALUES), TEXT, NUMBERS, DATES)
KEYS = st.one_of(st.sampled_from(NAMES), TEXT.filter(bool))
QUERIES = st.lists(st.tuples(KEYS, VALUES), max_size=6)


def _get_rules(app) -> list:
    # The API's own garbage is schemathesis' (tests/api/test_schemathesis.py).
    return sorted((r for r in app.url_map.iter_rules()
                   if "GET" in r.methods and r.endpoint not in SKIP
                   and not r.rule.startswith("/api/")), key=lambda r: r.rule)


@pytest.fixture
def clients(app):
    """Two logged-in clients and the ids every route takes, built in an app context of its own
    so that each request has its own `g`."""
    with app.app_context():
        make = Factory(db.session)
        users = [make.user(name, role, unit) for name, (role, unit) in USERS.items()]
        ids = {"user_id": users[-1].id,
               **make.route_ids(make.person("Nguyễn Văn Thử", "Xã Đắk Hring"))}
        make.route_ids(make.person("Trần Thị Khác", "Huyện Sa Thầy"))
        db.session.remove()
    out = {}
    for name in USERS:
        client = app.test_client()
        resp = client.post("/login", data={"username": name, "password": PASSWORD})
        assert resp.status_code == 302, name
        out[name] = client
    return out, ids


def _check(client, url: str, query) -> None:
    resp = client.get(url, query_string=MultiDict(query))
    assert resp.status_code != 500, f"GET {url} {query!r}: 500"
    assert resp.status_code in (200, 302, 400, 403, 404), f"GET {url} {query!r}"


def test_every_route_survives_every_known_parameter_at_once(app, clients):
    clients, ids = clients
    assert {"q", "page", "month", "on", "unit", "status"} <= set(NAMES), NAMES
    # No NUL here: it is refused before any view runs (tests/core/test_no_500.py), and would
    # hide what the views do with the other values.
    for values in (["99999999999999999999", "01/01/0001", "x" * 5000, "0"],
                   ["-1", "31/12/9999", "9999-12", "🙂"]):
        query = [(name, values[i % len(values)]) for i, name in enumerate(NAMES)]
        for rule in _get_rules(app):
            for client in clients.values():
                _check(client, fill_route(rule, ids), query)


@given(data=st.data())
def test_random_query_strings_never_give_a_500(app, clients, data):
    clients, ids = clients
    rule = data.draw(st.sampled_from(_get_rules(app)), label="route")
    user = data.draw(st.sampled_from(sorted(clients)), label="user")
    _check(clients[user], fill_route(rule, ids), data.draw(QUERIES, label="query"))
