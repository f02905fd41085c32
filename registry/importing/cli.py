"""`flask import-roster`: the web import flow from the command line, with the JSON contract."""
from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from models import db
from registry.cli.common import cli_actor, find_unit
from registry.core import access
from registry.core.audit import acting_as
from registry.importing.views import CONCURRENT_IMPORT


@click.command("import-roster")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--unit", "unit_name", required=True, help="Đơn vị tải lên (tên trong danh mục).")
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước, không ghi gì.")
@click.option("--json", "as_json", is_flag=True, help="In một đối tượng JSON ra stdout.")
@click.option("--all-or-nothing", is_flag=True, help="Chỉ nhập khi mọi dòng đều hợp lệ.")
@click.option("--errors-xlsx", "errors_out", type=click.Path(dir_okay=False),
              help="Ghi các dòng lỗi ra tệp xlsx này (như tệp lỗi tải về từ trang xem trước).")
def import_roster(file, unit_name, dry_run, as_json, all_or_nothing, errors_out):
    """Import a roster spreadsheet as an officer of UNIT would."""
    from registry.importing.preview import build_preview, errors_xlsx, to_contract

    path = Path(file)
    if not path.is_file():
        raise click.ClickException(f"Không tìm thấy tệp «{file}».")
    unit = find_unit(unit_name)
    actor = cli_actor("import-roster")
    with access.scoped(access.scope_for_unit(unit)), acting_as(actor):
        batch = build_preview(db.session, path.read_bytes(), path.name, unit=unit,
                              actor=actor, max_bytes=current_app.config["UPLOAD_MAX_BYTES"])
        report = to_contract(db.session, batch)
        if errors_out and report["error"] is None:
            # Before anything is written: when the file cannot be saved, nothing is imported.
            _save(errors_out, errors_xlsx(db.session, batch))
        note = None
        try:
            if report["error"] is None and not dry_run:
                note = _confirm(batch, all_or_nothing)
            db.session.rollback() if dry_run else db.session.commit()
        except sa.exc.IntegrityError:
            # Another import inserted the same CCCD first: nothing of this one is written.
            db.session.rollback()
            note = CONCURRENT_IMPORT
    _print(report, as_json, note)
    if report["error"] is not None:
        raise SystemExit(1)
    if note is not None:  # nothing was imported: a script must not take this for success
        raise SystemExit(2)


def _save(out: str, data: bytes) -> None:
    try:
        Path(out).write_bytes(data)
    except OSError as exc:
        raise click.ClickException(
            f"Không ghi được tệp lỗi «{out}» ({exc.strerror or exc}); chưa nhập gì.") from None


def _confirm(batch, all_or_nothing: bool) -> str | None:
    """Confirm the previewed batch; returns why it was refused, if it was."""
    from registry.importing.confirm import CommitRefused, commit_batch
    from registry.importing.lifecycle import NOTHING_TO_WRITE, discard_batch, planned_writes

    if not planned_writes(batch):
        # Every row unchanged or invalid: nothing needed writing, which is no failure; the
        # preview is not left pending, as nobody could confirm it.
        discard_batch(db.session, batch)
        click.echo(NOTHING_TO_WRITE, err=True)
        return None
    try:
        commit_batch(db.session, batch, all_or_nothing=all_or_nothing)
    except CommitRefused as exc:
        return exc.message
    return None


def _print(report: dict, as_json: bool, note: str | None) -> None:
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        if note:
            click.echo(note, err=True)
        return
    if report["error"]:
        click.echo(f"Lỗi: {report['error']['message']}", err=True)
        return
    c = report["counts"]
    asked = f"{c['transfer']} đề nghị chuyển công tác, " if c["transfer"] else ""
    click.echo(f"{report['file']}: {c['new']} mới, {c['update']} cập nhật, "
               f"{c['unchanged']} không đổi, {asked}{c['invalid']} lỗi.")
    for sheet in report["sheets"]:
        for row in sheet["rows"]:
            if row["message"]:  # an invalid row's reason, or what a history row will do
                click.echo(f"  [{sheet['sheet'] or 'CSV'}] dòng {row['row']}: {row['message']}")
    if note:
        click.echo(note, err=True)


@click.command("purge-imports")
def purge_imports():
    """Discard import previews not confirmed within the days the settings give (for cron)."""
    from registry.importing.lifecycle import purge_expired

    total = 0
    while True:  # a chunk at a time, each its own short transaction
        done = purge_expired(db.session)
        db.session.commit()
        total += done
        if not done:
            break
    click.echo(f"Đã hủy {total} bản xem trước quá hạn.")
