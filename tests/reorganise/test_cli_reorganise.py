"""`flask reorganise --on 2025-07-01 [--dry-run] [--json]`."""
from __future__ import annotations

import json

import sqlalchemy as sa

from models import Appointment, AuditLog, Level, Reorganisation, Role, db
from registry import refdata


def _invoke(app, *args):
    with app.app_context():  # as the `flask` command pushes one; the runner does not
        return app.test_cli_runner().invoke(args=["reorganise", *args])


def _people(make):
    make.person("Nguyễn Văn An", "Thị trấn Đắk Hà")
    make.person("Trần Thị Bình", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)


def test_dry_run_json_then_run_then_rerun(app, make):
    _people(make)
    preview = _invoke(app, "--on", "2025-07-01", "--dry-run", "--json")
    assert preview.exit_code == 0, preview.output
    summary = json.loads(preview.output)
    assert summary["dry_run"] and summary["changed"]
    assert summary["counts"]["appointments"] == 1 and summary["counts"]["rerecognise"] == 1
    assert summary["counts"]["units"] == 112 and summary["counts"]["new_units"] > 0
    assert summary["appointments"][0]["to"] == "Xã Đăk Hà"
    with app.app_context():
        assert refdata.has_legacy_tree()
        assert db.session.execute(sa.select(Reorganisation)).first() is None
    run = _invoke(app, "--on", "2025-07-01", "--json")
    assert run.exit_code == 0, run.output
    assert {**summary, "dry_run": False} == json.loads(run.output)
    with app.app_context():
        run_row = db.session.execute(sa.select(Reorganisation)).scalar_one()
        assert run_row.actor == "cli:reorganise"
        actors = set(db.session.execute(sa.select(AuditLog.actor).where(
            AuditLog.entity == "appointments")).scalars())
        assert "cli:reorganise" in actors
    again = _invoke(app, "--on", "2025-07-01", "--json")
    assert again.exit_code == 0 and json.loads(again.output)["changed"] is False
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(Reorganisation.id))).scalar_one() == 1
        assert db.session.execute(sa.select(sa.func.count(Appointment.id))).scalar_one() == 3


def test_human_output_in_vietnamese(app, make):
    _people(make)
    result = _invoke(app, "--on", "01/07/2025")
    assert result.exit_code == 0, result.output
    assert "Bổ nhiệm chuyển sang đơn vị mới: 1" in result.output
    assert "Nguyễn Văn An: Thị trấn Đắk Hà → Xã Đăk Hà" in result.output
    assert "BCV cấp huyện cần công nhận lại: 1" in result.output
    assert "Đã sắp xếp lại theo cơ cấu Tỉnh Quảng Ngãi từ ngày 01/07/2025." in result.output
    again = _invoke(app)
    assert "Không có gì cần thay đổi" in again.output


def test_bad_date_is_a_clean_error(app, make):
    result = _invoke(app, "--on", "2025-13-45")
    assert result.exit_code != 0
    assert "Ngày «2025-13-45» không hợp lệ" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_wrong_day_for_the_legacy_catalogue_is_refused(app, make):
    result = _invoke(app, "--on", "2025-08-01", "--dry-run")
    assert result.exit_code != 0 and "01/07/2025" in result.output
    with app.app_context():
        assert refdata.has_legacy_tree()
