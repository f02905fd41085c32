"""`flask export-roster`: the roster export for scripts and scheduled jobs."""
from __future__ import annotations

import shutil
from pathlib import Path

import click

from models import Role
from registry.cli.common import find_unit
from registry.core import access
from registry.core.dates import parse_day
from registry.roster.query import RosterFilter


@click.command("export-roster")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--unit", "unit_name", required=True,
              help="Đơn vị xuất (tên trong danh mục); danh sách gồm cả các đơn vị cấp dưới.")
@click.option("--layout", type=click.Choice(["full", "trich-ngang"]), default="full",
              show_default=True, help="full: đầy đủ, nhập lại được; trich-ngang: mẫu văn bản.")
@click.option("--role", type=click.Choice([r.value for r in Role]), help="Chỉ BCV hoặc chỉ TTV.")
@click.option("--active-on", "active_on",
              help="Đang hoạt động vào ngày YYYY-MM-DD (mặc định: hôm nay).")
def export_roster(out, unit_name, layout, role, active_on):
    """Export the roster of UNIT (its whole subtree) as an officer of UNIT would see it."""
    from registry.exports.roster import build

    day = parse_day(active_on or "")
    if active_on and day is None:
        raise click.ClickException(f"Ngày «{active_on}» không hợp lệ; dùng dạng YYYY-MM-DD.")
    target = Path(out)
    if not target.parent.is_dir():
        raise click.ClickException(f"Không có thư mục «{target.parent}» để ghi tệp.")
    unit = find_unit(unit_name)
    f = RosterFilter(role=role or "", status="active", on=day.isoformat() if day else "")
    with access.scoped(access.scope_for_unit(unit)):
        file, count = build(f, layout, unit)
    with file, target.open("wb") as dest:
        shutil.copyfileobj(file, dest)
    click.echo(f"Đã xuất {count} dòng vào {target}.")
