"""CLI: init-db is idempotent, seed-demo prints working logins, create-user prompts."""
import json
from pathlib import Path

import sqlalchemy as sa

from models import Person, RefItem, Unit, User, db
from tests.paths import REFDATA, ROOT


def _counts():
    return {m.__tablename__: db.session.execute(sa.select(sa.func.count()).select_from(m)).scalar()
            for m in (Unit, RefItem, Person, User)}


def test_init_db_twice_changes_nothing(app, ctx):
    runner = app.test_cli_runner()
    before = _counts()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Thêm mới: 0 đơn vị, 0 mục danh mục." in result.output
    assert _counts() == before


def test_reference_data_matches_catalogue(ctx):
    names = {(u.name, u.parent.name if u.parent else None)
             for u in ctx.execute(sa.select(Unit)).scalars()}
    ref = json.loads((REFDATA / "kontum_units.json").read_text("utf-8"))
    expected = {
        (
            u["name"],
            None
            if u["type"] == "tỉnh"
            else ("Tỉnh Kon Tum" if u["type"] in ("huyện", "thành phố") else u["district"]),
        )
        for u in ref["units"]
    }
    assert names == expected and len(names) == 112
    ethnic = ctx.execute(sa.select(RefItem).where(RefItem.kind == "ethnicity")).scalars().all()
    assert len(ethnic) == 54
    xd = next(e for e in ethnic if e.name == "Xơ Đăng")
    assert xd.code == "16" and "Xê Đăng" in xd.aliases
    llct = (
        ctx.execute(
            sa.select(RefItem.name)
            .where(RefItem.kind == "political_theory")
            .order_by(RefItem.ordinal)
        )
        .scalars()
        .all()
    )
    assert llct == ["Chưa qua đào tạo", "Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân chính trị"]


def test_seed_demo_prints_logins_that_work(app, ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--people", "60"])
    assert result.exit_code == 0, result.output
    logins = dict(
        line.split(": ")[1].split(" / ")
        for line in result.output.splitlines()
        if line.startswith("Tài khoản mẫu")
    )
    assert set(logins) == {"admin", "dakha"}
    assert ctx.execute(sa.select(sa.func.count(Person.id))).scalar() == 60
    again = runner.invoke(args=["seed-demo"])
    assert "không thêm gì" in again.output and logins["dakha"] in again.output
    kept = list(Path(app.config["DEMO_LOGINS_DIR"]).glob("demo-logins-*.txt"))
    assert len(kept) == 1 and logins["dakha"] in kept[0].read_text("utf-8")  # not the checkout's
    client = app.test_client()
    resp = client.post("/login", data={"username": "dakha", "password": logins["dakha"]})
    assert resp.status_code == 302
    html = client.get("/roster", query_string={"status": "all"}).get_data(as_text=True)
    assert "Huyện Sa Thầy" not in html.split("<table")[1]


def test_create_user_prompts_for_password(app, ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "cb1",
            "--name",
            "Cán bộ 1",
            "--role",
            "viewer",
            "--unit",
            "Huyện Sa Thầy",
        ],
        input="matkhau-dai-1\nmatkhau-dai-1\n",
    )
    assert result.exit_code == 0, result.output
    user = ctx.execute(sa.select(User).where(User.username == "cb1")).scalar_one()
    assert user.check_password("matkhau-dai-1") and user.unit.name == "Huyện Sa Thầy"
    bad = runner.invoke(
        args=["create-user", "cb2", "--name", "X", "--unit", "Huyện Không Có"],
        input="matkhau-dai-1\nmatkhau-dai-1\n",
    )
    assert bad.exit_code != 0 and "Không tìm thấy đơn vị" in bad.output
    short = runner.invoke(
        args=["create-user", "cb3", "--name", "X", "--unit", "Huyện Sa Thầy"], input="ngan\nngan\n"
    )
    assert short.exit_code != 0 and "ít nhất 10 ký tự" in short.output


def test_migrations_match_models(app, ctx):
    """The schema built by the migrations is exactly what the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from models.base import declared_in_models  # as migrations/env.py uses it

    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": declared_in_models}
            ),
            db.metadata,
        )
    assert diff == []


def test_an_app_given_its_key_and_database_leaves_instance_alone(tmp_path, monkeypatch):
    """Tests and configured servers must not write a generated key under instance/."""
    from app import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = ROOT / "instance"
    before = sorted(instance.iterdir()) if instance.exists() else None
    app = create_app(
        {"SECRET_KEY": "given", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    )
    assert app.config["SECRET_KEY"] == "given"
    assert (sorted(instance.iterdir()) if instance.exists() else None) == before
