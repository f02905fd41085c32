"""The scoping matrix of the API (issue 16): every rule under /api/v1/ × user × own / child /
sibling / parent row, with the same users, rows and sharing rules as the web's matrix
(tests/core/test_access_matrix.py). The URL map is iterated, so a resource is covered the day it
is added; a route whose ids the factory cannot fill fails the test."""
from __future__ import annotations

import pytest

from models import ApiToken, User, db
from tests.core.test_access_matrix import (  # noqa: F401  (world: the shared fixture)
    UNITS,
    USERS,
    _route_seen,
    _snapshot,
    _text,
    world,
)
from tests.factories import fill_route

API_PREFIX = "/api/v1/"
PUBLIC = {"api-docs.openapi_json", "api_docs.page"}
READS = {"GET"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _rules(app):
    """The API's rules, those that delete (or end) last: on rows in scope they succeed."""
    rules = [r for r in app.url_map.iter_rules()
             if r.rule.startswith(API_PREFIX) and r.endpoint not in PUBLIC]
    assert rules, "no API routes found"
    return sorted(rules, key=lambda r: ("DELETE" in r.methods, "end" in r.endpoint))


def _tokens(make) -> dict[str, tuple[str, str]]:
    """username -> (its token as the user asks for it, read-write; a read-only one)."""
    users = {u.username: u for u in db.session.query(User).filter(User.username.in_(USERS))}
    return {name: (make.token(users[name]), make.token(users[name], read_only=True))
            for name in USERS}


@pytest.fixture
def api_world(app, make, world, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "API_RATE_PER_MINUTE", 100_000)
    return world, _tokens(make)


def _call(client, method: str, url: str, plain: str):
    kwargs = {"json": {}} if method in WRITES else {}
    return client.open(url, method=method, headers={"Authorization": f"Bearer {plain}"},
                       **kwargs)


@pytest.mark.parametrize("username", list(USERS))
def test_api_routes_with_ids_respect_scope(app, client, api_world, username):
    world_ids, tokens = api_world
    seen = USERS[username][2]
    plain = tokens[username][0]
    for rule in (r for r in _rules(app) if r.arguments):
        route_seen = _route_seen(rule, username)
        for rel, ids in world_ids.items():
            url = fill_route(rule, ids)
            for method in sorted(rule.methods & (READS | WRITES)):
                before = _snapshot()
                resp = _call(client, method, url, plain)
                code, where = resp.status_code, f"{username} {method} {url} ({rel})"
                assert code < 500, f"{where}: {code} {resp.get_data(as_text=True)[:300]}"
                if method in READS:
                    expected = 200 if rel in route_seen else 404
                    assert code == expected, f"{where}: expected {expected}, got {code}"
                elif username == "viewer":  # a viewer's token is read-only, whatever was asked
                    assert code == 403, f"{where}: a viewer's token wrote ({code})"
                elif rel not in route_seen:
                    assert code >= 400, f"{where}: wrote out of scope ({code})"
                if rel not in seen:
                    assert ids["name"] not in _text(resp), f"{where} names {rel}"
                    if method in READS or rel not in route_seen:
                        assert _snapshot() == before, f"{where} changed data"


def test_api_lists_and_read_only_tokens(app, client, api_world):
    """Routes without ids never name anyone out of scope; a read-only token is refused (403)
    on every route that writes, whatever the row, and changes nothing."""
    world_ids, tokens = api_world
    rules = _rules(app)
    for username, (plain, read_only) in tokens.items():
        seen = USERS[username][2]
        for rule in (r for r in rules if not r.arguments and "GET" in r.methods):
            resp = client.get(rule.rule, query_string={"q": "thu", "status": "all"},
                              headers={"Authorization": f"Bearer {plain}"})
            where = f"{username} GET {rule.rule}"
            assert resp.status_code < 500, f"{where}: {resp.status_code}"
            body = _text(resp)
            for rel, ids in world_ids.items():
                if rel not in seen:
                    assert ids["name"] not in body, f"{where} names {rel}"
        for rule in (r for r in rules if r.methods & WRITES):
            for method in sorted(rule.methods & WRITES):
                url = fill_route(rule, world_ids[next(iter(seen))])
                before = _snapshot()
                resp = _call(client, method, url, read_only)
                assert resp.status_code == 403, f"{username} read-only {method} {url}: " \
                                                f"{resp.status_code}"
                assert _snapshot() == before
    assert db.session.query(ApiToken).count() == 2 * len(USERS)
    assert set(UNITS) >= {rel for _u, (_r, _n, s) in USERS.items() for rel in s}
