"""`flask create-token USERNAME [--read-only] [--days N] [--name TEXT]`: a personal access token
of an account, printed once (only its hash is kept), as a security event."""
from __future__ import annotations

import click
import sqlalchemy as sa

from models import User, db
from registry.api import tokens
from registry.cli.common import cli_actor
from registry.core.audit import acting_as
from registry.core.rules import RuleViolation


@click.command("create-token")
@click.argument("username")
@click.option("--read-only", is_flag=True, help="Chỉ đọc: không thêm, sửa, kết thúc được gì.")
@click.option("--days", type=int, default=None,
              help=f"Số ngày hiệu lực (1–{tokens.MAX_DAYS}); bỏ qua: không hết hạn.")
@click.option("--name", default="Khóa dòng lệnh", show_default=True, help="Tên của khóa.")
def create_token(username: str, read_only: bool, days: int | None, name: str):
    """Create a personal access token of USERNAME and print it (once)."""
    from registry.accounts.tokens import issue

    user = db.session.execute(sa.select(User).where(User.username == username.strip())
                              ).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"Không có tài khoản «{username}».")
    if not user.active:
        raise click.ClickException(f"Tài khoản «{username}» đã bị khóa.")
    actor = cli_actor("create-token")
    with acting_as(actor):
        try:
            token, plain = issue(actor, user, name, read_only=read_only, days=days, via="cli")
        except RuleViolation as exc:
            raise click.ClickException(exc.message) from exc
        db.session.commit()
    kind = "chỉ đọc" if token.read_only else "đọc và ghi"
    until = f"hết hạn {token.expires_at:%d/%m/%Y %H:%M} (UTC)" if token.expires_at \
        else "không hết hạn"
    click.echo(f"Khóa «{token.name}» của {user.username} ({kind}, {until}). "
               "Khóa chỉ hiện một lần này:", err=True)
    click.echo(plain)
