"""Setting up a registry: init-db, seed-demo, create-user."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from models import UserRole, db
from registry.cli.common import cli_actor, find_unit, upgrade_schema
from registry.core.audit import acting_as


@click.command("init-db")
@click.option("--province", help="Nạp đơn vị hành chính sau sắp xếp 2025 của tỉnh này "
              "(vd. \"Quảng Ngãi\") vào cơ sở dữ liệu chưa có đơn vị; mặc định: biến PROVINCE, "
              "hoặc Quảng Ngãi.")
def init_db(province: str | None):
    """Create or upgrade the schema and load reference data (safe to run again)."""
    from registry import refdata
    from registry.units.catalogue2025 import loaded_province

    upgrade_schema()
    with acting_as(cli_actor("init-db")):
        province = province or loaded_province()
        if province is None and refdata.has_legacy_tree():
            # A registry from before 01-7-2025 keeps its tree until `reorganise` moves it on.
            added = refdata.load_all()
        else:
            added = _load_units_2025(province or current_app.config["PROVINCE"])
        db.session.commit()
    click.echo(f"Cơ sở dữ liệu đã sẵn sàng. Thêm mới: {added['units']} đơn vị, "
               f"{added['ref_items']} mục danh mục.")


def _load_units_2025(province: str) -> dict[str, int]:
    """Today's units of `province` with their pre-2025 history, instead of the legacy tree (and
    again on a plain `init-db` of a database loaded so: the legacy tree must not join it)."""
    from registry import refdata
    from registry.units.catalogue2025 import UnitsNotEmpty, load_province

    try:
        units = load_province(province)
    except LookupError as exc:
        raise click.ClickException(f"Không có danh mục đơn vị của tỉnh «{province}».") from exc
    except UnitsNotEmpty as exc:
        raise click.ClickException(
            f"Cơ sở dữ liệu đã có cây đơn vị khác; chỉ nạp {exc} vào cơ sở dữ liệu chưa có "
            "đơn vị nào.") from exc
    return {"units": units, "ref_items": refdata.load_ref_items()}


@click.command("seed-demo")
@click.option("--people", default=360, show_default=True, help="Số người trong dữ liệu mẫu.")
def seed_demo(people: int):
    """Load a demo roster and demo accounts, printing their logins."""
    from registry.demo import people as demo

    with acting_as(cli_actor("seed-demo")):
        logins = demo.seed(people)
        db.session.commit()
    # The passwords are random; keep them beside the database so a restart can show them again
    # (one file per database: a seed of another DATABASE_URL must not overwrite the default's).
    saved = Path(current_app.config["DEMO_LOGINS_DIR"]) / f"demo-logins-{_db_tag()}.txt"
    if logins:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text("".join(f"Tài khoản mẫu ({label}): {user} / {pw}\n"
                                 for user, pw, label in logins), "utf-8")
        saved.chmod(0o600)
    else:
        click.echo("Dữ liệu mẫu đã có; không thêm gì.")
    if saved.exists():
        click.echo(saved.read_text("utf-8").rstrip())


def _db_tag() -> str:
    import hashlib

    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    return "default" if uri.endswith("/registry.sqlite3") and current_app.instance_path in uri \
        else hashlib.sha256(uri.encode()).hexdigest()[:10]


@click.command("create-user")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Họ tên hiển thị.")
@click.option("--role", type=click.Choice([r.value for r in UserRole]), default="officer")
@click.option("--unit", "unit_name", required=True, help="Tên đơn vị trong danh mục.")
@click.password_option(prompt="Mật khẩu", confirmation_prompt="Nhập lại mật khẩu")
def create_user(username, display_name, role, unit_name, password):
    """Create an account; the password is asked at the prompt, never given in code."""
    from registry.auth.users import create_user as create

    with acting_as(cli_actor("create-user")):
        try:
            create(username, password, display_name=display_name, role=UserRole(role),
                   unit=find_unit(unit_name))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
    click.echo(f"Đã tạo tài khoản {username}.")
