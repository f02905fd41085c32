"""`flask reorganise`: move a registry's people and records onto the units of 01-7-2025."""
from __future__ import annotations

import datetime as dt
import json

import click

from models import db
from registry.cli.common import cli_actor
from registry.core.audit import acting_as
from registry.core.dates import parse_day
from registry.core.rules import RuleViolation
from registry.reorganise.service import REFORM_DAY, apply

HEADINGS = (
    ("units", "Đơn vị cũ đã xử lý"), ("moved_units", "Đơn vị trực thuộc chuyển sang đơn vị mới"),
    ("unmatched_units", "Đơn vị không có trong danh mục (cần xử lý tay)"),
    ("appointments", "Bổ nhiệm chuyển sang đơn vị mới"),
    ("divided", "Người của xã bị chia tách (cần chọn đơn vị kế thừa)"),
    ("rerecognise", "BCV cấp huyện cần công nhận lại"),
    ("records", "Hoạt động, chi trả, khóa học từ ngày sắp xếp chuyển sang đơn vị mới"),
    ("accounts", "Tài khoản thuộc đơn vị đã hết hiệu lực"),
)

RECORD_WORDS = {"activity": "Hoạt động", "payment": "Chi trả", "course": "Khóa học"}


@click.command("reorganise")
@click.option("--on", "on", default=REFORM_DAY.isoformat(), show_default=True,
              help="Ngày cơ cấu mới có hiệu lực (YYYY-MM-DD hoặc dd/mm/yyyy).")
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước: không lưu thay đổi nào.")
@click.option("--json", "as_json", is_flag=True, help="In bản tóm tắt dạng JSON ra stdout.")
def reorganise(on: str, dry_run: bool, as_json: bool):
    """Move people, appointments and records of ended units to their successors."""
    day = parse_day(on.strip())
    if day is None:
        raise click.ClickException(f"Ngày «{on}» không hợp lệ; dùng dạng YYYY-MM-DD.")
    with acting_as(cli_actor("reorganise")):
        try:
            summary = apply(day, actor="cli:reorganise", dry_run=dry_run)
        except RuleViolation as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
        db.session.commit()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        _print(summary)


def _print(summary: dict) -> None:
    counts = summary["counts"]
    for key, heading in HEADINGS:
        click.echo(f"{heading}: {counts[key]}")
        for row in summary[key]:
            click.echo(f"  - {_line(key, row)}")
    click.echo(f"Đơn vị mới thêm từ danh mục: {counts['new_units']}")
    if summary["dry_run"]:
        click.echo("Chạy thử: chưa lưu thay đổi nào.")
    elif summary["changed"]:
        click.echo(f"Đã sắp xếp lại theo cơ cấu {summary['province']} từ ngày "
                   f"{_vn(summary['day'])}.")
    else:
        click.echo("Không có gì cần thay đổi: dữ liệu đã theo cơ cấu mới.")


def _line(key: str, row: dict) -> str:
    if key == "units":
        return f"{row['name']} → {row['default'] or '(không có)'}" + (
            f" (chia cho: {', '.join(row['successors'])})" if len(row["successors"]) > 1 else "")
    if key == "rerecognise":
        return f"{row['person']} ({row['unit']})"
    if key == "accounts":
        return f"{row['username']} ({row['unit']} → {row['successor'] or '-'})"
    if key == "records":
        return f"{RECORD_WORDS[row['kind']]} #{row['id']} ngày {_vn(row['date'])}: " \
               f"{row['from']} → {row['to']}"
    label = row.get("person") or row.get("name")
    return f"{label}: {row['from']} → {row['to']}" if "from" in row else label


def _vn(iso: str) -> str:
    return f"{dt.date.fromisoformat(iso):%d/%m/%Y}"
