"""Two processes import the same file at the same moment (the CLI, against the suite's own
database: SQLite here, PostgreSQL in the suite's PostgreSQL run).

Whoever commits second must not create a second copy of anyone: the unique constraint on CCCD
stops it, and the loser is told so in Vietnamese and exits non-zero; or, when the commits do not
overlap, the second simply finds everyone unchanged."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from bench.make_roster import write
from models import ImportBatch, ImportStatus, Person, db
from registry.importing.views import CONCURRENT_IMPORT
from tests.paths import ROOT, SAMPLES

ROWS = 3000  # a few hundred ms of work each: enough for the two to overlap


# `flask --app app ARGS…`, started only when the gate file appears: both processes have loaded
# Python and the app by then, so that their imports really run at the same moment.
GATED_FLASK = """
import os, sys, time
import app, registry.importing.confirm, registry.importing.cli  # warm up before the gate opens
gate = sys.argv[1]
open(f"{gate}.{os.getpid()}", "w").close()
while not os.path.exists(gate):
    time.sleep(0.002)
from flask.cli import main
sys.argv = ["flask", "--app", "app", *sys.argv[2:]]
main()
"""


def _flask(app, gate: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": "race-test", "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen([sys.executable, "-c", GATED_FLASK, str(gate), *args], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _race(app, tmp_path: Path, path: Path) -> tuple[list, list]:
    """Both processes import `path` from the same instant: (winners, losers) as
    (exit code, stdout, stderr); the losers checked to have been told why."""
    db.session.remove()  # hold no connection or lock while the two processes race
    gate = tmp_path / "go"
    procs = [_flask(app, gate, "import-roster", str(path), "--unit", "Tỉnh Kon Tum", "--json")
             for _ in range(2)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # until both are loaded and waiting at the gate
    gate.touch()
    outcomes = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        outcomes.append((p.returncode, out, err))
    winners = [o for o in outcomes if o[0] == 0]
    losers = [o for o in outcomes if o[0] != 0]
    assert len(winners) >= 1, "\n".join(o[2][-3000:] for o in outcomes)
    for code, _out, err in losers:  # the loser: told why, in Vietnamese, and nothing written
        assert code == 2, (code, err[-2000:])
        assert CONCURRENT_IMPORT in err or "Dữ liệu đã thay đổi sau khi xem trước" in err, err[
            -2000:
        ]
        assert "Traceback" not in err, err[-2000:]
    return winners, losers


def _inserted_by_committed_batches() -> int:
    committed = (
        db.session.execute(
            sa.select(ImportBatch).where(ImportBatch.status == ImportStatus.COMMITTED)
        )
        .scalars()
        .all()
    )
    return sum(len((b.applied or {}).get("persons", [])) for b in committed)


def test_two_imports_of_one_file_at_once_leave_no_duplicate(app, ctx, tmp_path):
    path = tmp_path / "ds-tinh.xlsx"
    write(str(path), ROWS)
    winners, _losers = _race(app, tmp_path, path)
    for _code, out, _err in winners:
        counts = json.loads(out)["counts"]
        assert counts["invalid"] == 0 and counts["new"] + counts["unchanged"] == ROWS, counts

    persons = db.session.execute(sa.select(sa.func.count(Person.id))).scalar()
    distinct = db.session.execute(sa.select(sa.func.count(sa.distinct(Person.cccd)))).scalar()
    assert persons == distinct == ROWS
    assert _inserted_by_committed_batches() == ROWS  # exactly one batch inserted the people


def test_two_imports_without_cccd_at_once_leave_no_duplicate(app, ctx, tmp_path):
    """Only the CCCD is unique in the database: here the commits' taking turns (and the
    second's re-check of its plan) is all that keeps a person from being inserted twice."""
    path = tmp_path / "ds-tinh-khong-cccd.xlsx"
    write(str(path), ROWS, with_cccd=False)
    _race(app, tmp_path, path)
    people = db.session.execute(sa.select(Person.name_folded, Person.dob, Person.unit_id)).all()
    assert len(people) == len(set(people)) > ROWS // 2
    assert _inserted_by_committed_batches() == len(people)


def test_cli_reports_a_lost_race_in_vietnamese(app, ctx, monkeypatch):
    """The loser's path, deterministically: the commit meets the unique CCCD of another batch."""
    from registry.importing import confirm

    def conflict(*_a, **_k):
        raise sa.exc.IntegrityError("INSERT INTO persons …", {}, Exception("uq_persons_cccd"))

    monkeypatch.setattr(confirm, "commit_batch", conflict)
    sample = SAMPLES / "S01_dakha_ttv_trichngang.xlsx"
    result = app.test_cli_runner().invoke(
        args=["import-roster", str(sample), "--unit", "Huyện Đắk Hà", "--json"]
    )
    assert result.exit_code == 2
    assert CONCURRENT_IMPORT in result.stderr
    assert json.loads(result.stdout)["counts"]["new"] == 13  # the contract is still printed
    db.session.expire_all()
    assert db.session.execute(sa.select(sa.func.count(Person.id))).scalar() == 0
    assert db.session.execute(sa.select(sa.func.count(ImportBatch.id))).scalar() == 0
