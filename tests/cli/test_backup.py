"""`flask backup` / `flask restore`: a round trip gives back every table, row for row, and
restore refuses what is not a backup (in Vietnamese, changing nothing). Runs on the suite's
database: SQLite here, PostgreSQL (pg_dump / pg_restore) in the PostgreSQL run."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import Person, Setting, UserRole, db
from registry.roster import persons as svc
from tests.paths import SAMPLES


def every_table() -> dict[str, list[tuple]]:
    db.session.remove()
    out = {}
    with db.engine.connect() as conn:
        for name in sorted(sa.inspect(conn).get_table_names()):
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            order = list(table.primary_key.columns) or list(table.columns)
            out[name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(*order))]
    return out


@pytest.fixture
def registry_with_everything(app, make):
    """People with every kind of record, a committed import (batches, rows, audit), settings."""
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    person = make.person("Nguyễn Thị Ánh", "Xã Đắk La", cccd="062190000001")
    make.records(person)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-roster", str(SAMPLES / "S01_dakha_ttv_trichngang.xlsx"),
                                 "--unit", "Huyện Đắk Hà"])
    assert result.exit_code == 0, result.output
    return runner


def test_backup_and_restore_round_trip_every_table(app, ctx, registry_with_everything, tmp_path):
    runner = registry_with_everything
    before = every_table()
    assert len(before["persons"]) == 14 and before["audit_log"] and before["import_rows"]
    file = tmp_path / "sao-luu.bak"
    result = runner.invoke(args=["backup", str(file)])
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu" in result.output and file.stat().st_size > 0

    # Change everything the backup holds: delete, add, edit.
    victim = ctx.execute(sa.select(Person).where(Person.cccd == "062076120004")).scalar_one()
    ctx.delete(victim)
    svc.set_name(ctx.execute(sa.select(Person).where(Person.cccd == "062190000001")).scalar_one(),
                 "Tên Đã Đổi")
    ctx.add(Setting(key="training_months", value=3))
    ctx.commit()
    assert every_table() != before

    result = runner.invoke(args=["restore", str(file), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Đã khôi phục" in result.output
    after = every_table()
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], f"table {name} differs after the round trip"

    # The restored database takes new rows (sequences restored too on PostgreSQL).
    from tests.factories import Factory
    db.session.remove()
    Factory(db.session).person("Người Mới Sau Khôi Phục", "Xã Đắk La")


def test_restore_asks_before_replacing(app, ctx, registry_with_everything, tmp_path):
    runner = registry_with_everything
    file = tmp_path / "sao-luu.bak"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    before = every_table()
    result = runner.invoke(args=["restore", str(file)], input="n\n")
    assert result.exit_code != 0 and "Tiếp tục?" in result.output
    assert every_table() == before


def _not_backups(tmp_path: Path) -> dict[str, Path]:
    files = {"empty": tmp_path / "rong.bak", "xlsx": SAMPLES / "S01_dakha_ttv_trichngang.xlsx",
             "text": tmp_path / "ghi-chu.txt", "other sqlite": tmp_path / "khac.sqlite3",
             "truncated": tmp_path / "cut.bak", "pg magic": tmp_path / "gia.dump"}
    files["empty"].write_bytes(b"")
    files["text"].write_text("không phải bản sao lưu", "utf-8")
    other = sqlite3.connect(files["other sqlite"])
    other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    other.commit()
    other.close()
    files["truncated"].write_bytes(b"SQLite format 3\x00" + b"\x10\x00" * 100)
    files["pg magic"].write_bytes(b"PGDMP" + b"\x00" * 200)
    return files


def test_restore_refuses_what_is_not_a_backup(app, ctx, registry_with_everything, tmp_path):
    runner = registry_with_everything
    before = every_table()
    for label, path in _not_backups(tmp_path).items():
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code != 0, label
        assert "không phải bản sao lưu của Sổ đội ngũ" in result.output, (label, result.output)
        assert "Traceback" not in result.output
    missing = runner.invoke(args=["restore", str(tmp_path / "khong-co.bak"), "--yes"])
    assert missing.exit_code != 0 and "Không tìm thấy tệp" in missing.output
    assert every_table() == before
