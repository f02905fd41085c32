"""The page cache is bounded (issue 13): searches are never stored, and other filter values, as
endless as a user cares to type, keep at most PER_SCOPE entries per page and scope, the oldest
evicted, and never those of another scope."""
from __future__ import annotations

import sqlalchemy as sa

from models import FigureCache, UserRole, db
from registry.core import figure_cache


def _stored(app, name: str = "") -> list[str]:
    with app.app_context():
        keys = db.session.execute(sa.select(FigureCache.key)).scalars().all()
        db.session.remove()
    return [k for k in keys if k.startswith(name)]


def test_500_searches_store_nothing(app, client, make, login):
    make.user("viewer", UserRole.VIEWER, "Huyện Đắk Hà")
    make.person("Nguyễn Văn Thử", "Huyện Đắk Hà")
    login("viewer")
    for n in range(500):
        assert client.get("/roster", query_string={"q": f"tên {n}"}).status_code == 200
    assert _stored(app) == []


def test_other_text_filters_keep_at_most_the_cap_per_scope(app, client, make, login,
                                                          monkeypatch):
    monkeypatch.setattr(figure_cache, "PER_SCOPE", 15)
    make.user("viewer", UserRole.VIEWER, "Huyện Đắk Hà")
    make.user("other", UserRole.VIEWER, "Huyện Sa Thầy")
    make.person("Nguyễn Văn Thử", "Huyện Đắk Hà")
    other = app.test_client()
    other.post("/login", data={"username": "other", "password": "mat-khau-thu-nghiem"})
    assert other.get("/roster").status_code == 200
    others = _stored(app, "roster-page")
    assert len(others) == 1
    login("viewer")  # a login (its throttle counters too) leaves the cached figures valid
    for n in range(40):
        args = {"ethnicity": f"dân tộc {n}", "llct": "x" * n, "on": f"{n % 28 + 1:02d}/01/2020"}
        assert client.get("/roster", query_string=args).status_code == 200
    kept = _stored(app, "roster-page")
    assert len(kept) == 15 + 1 and set(others) <= set(kept)
    # The newest are the ones kept: the last request is answered from the cache.
    assert client.get("/roster", query_string={
        "ethnicity": "dân tộc 39", "llct": "x" * 39, "on": "12/01/2020"}).status_code == 200
    assert len(_stored(app, "roster-page")) == 16


def test_the_cap_evicts_the_oldest(ctx, monkeypatch):
    monkeypatch.setattr(figure_cache, "PER_SCOPE", 200)
    for n in range(500):
        assert figure_cache.cached("roster-page", ("scope-a", n), lambda n=n: n) == n
    figure_cache.cached("roster-page", ("scope-b", 0), lambda: "b")
    keys = set(ctx.execute(sa.select(FigureCache.key)).scalars())
    assert len(keys) == 201
    assert figure_cache.key_for("roster-page", ("scope-b", 0)) in keys
    assert figure_cache.key_for("roster-page", ("scope-a", 499)) in keys
    assert figure_cache.key_for("roster-page", ("scope-a", 299)) not in keys
