"""Export benchmark: our full formatted roster export vs bare writers, from one run.

    .venv/bin/python bench/export_bench.py [--rows 20000] [--repeat 3]

Bare writers write the same N rows × 19 columns (the import benchmark's roster columns) held
in memory: xlsxwriter in constant-memory mode, and openpyxl write_only (lxml installed). Ours
is `registry.exports.roster.build` in the complete layout for N people read from a SQLite
database (one appointment each), with every format of the real export; the trích ngang layout
is timed too, for information. Each measurement runs in its own child process (peak memory is
that run's alone; Flask is imported and the app built before the clock starts), interleaved so
that machine drift hits every writer alike. Prints medians and ratios: absolute seconds drift on
shared machines, ratios much less. Goal: ours ≤ 1.2 × the faster bare writer.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The import benchmark's roster, so that both benchmarks write and read the same shape of data.
from bench.make_roster import DISTRICTS, ETHNIC, FAMILY, GIVEN, HEADER, MIDDLE, POSITIONS  # noqa: E402

LLCT = [("so_cap", "Sơ cấp"), ("trung_cap", "Trung cấp"), ("cao_cap", "Cao cấp")]


def people(n: int, seed: int = 7) -> list[dict]:
    """N roster people as plain values (the same for the bare writers and the database)."""
    rng = random.Random(seed)
    districts = list(DISTRICTS)
    out = []
    for i in range(n):
        district = districts[i % len(districts)]
        bcv = i % 9 == 0
        dob = dt.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        name = " ".join(x for x in (rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)) if x)
        code, llct = rng.choice(LLCT)
        out.append({
            "name": name, "dob": dob, "gender": rng.choice(["Nam", "Nữ"]),
            "ethnicity": rng.choice(ETHNIC), "religion": "Không", "role": "BCV" if bcv else "TTV",
            "level": "Huyện" if bcv else "Xã", "district": district,
            "unit": district if bcv else rng.choice(DISTRICTS[district]),
            "position": rng.choice(POSITIONS),
            "cccd": f"0{62 + i % 3:02d}{dob.year % 100:02d}{i:07d}",
            "party_join": dt.date(2015, 1 + i % 12, 1), "education": "12/12",
            "professional": "Đại học", "llct_code": code, "llct": llct,
            "phone": f"09{rng.randint(10000000, 99999999)}", "email": "", "notes": ""})
    return out


def _row(i: int, p: dict) -> list:
    return [i + 1, p["name"], p["dob"], p["gender"], p["ethnicity"], p["religion"], p["role"],
            p["level"], p["district"], p["unit"], p["position"], p["cccd"], p["party_join"],
            p["education"], p["professional"], p["llct"], p["phone"], p["email"], p["notes"]]


def bare_xlsxwriter(n: int, out: str) -> dict:
    import xlsxwriter

    data = [_row(i, p) for i, p in enumerate(people(n))]
    start = time.perf_counter()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("Danh sách")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, HEADER)
    for r, row in enumerate(data, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, value, date_fmt)
            elif isinstance(value, int):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, value)
    wb.close()
    return {"seconds": time.perf_counter() - start}


def bare_openpyxl(n: int, out: str) -> dict:
    from openpyxl import Workbook

    data = [_row(i, p) for i, p in enumerate(people(n))]
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(HEADER)
    for row in data:
        ws.append(row)
    wb.save(out)
    return {"seconds": time.perf_counter() - start}


def build_database(n: int, db_path: str) -> None:
    """A registry database holding the N people, each with one active appointment."""
    import sqlalchemy as sa

    from models import Appointment, DatePrecision, Gender, Level, Person, Role, Unit, db
    from registry.roster.persons import name_keys
    from tools import live_server as live

    url = f"sqlite:///{db_path}"
    live.prepare(url, "bench")
    with live.app_for(url, "bench"):
        units = {u.name: u.id for u in db.session.execute(sa.select(Unit)).scalars()}
        now = dt.datetime(2026, 1, 1)
        rows = people(n)
        persons = [{**name_keys(p["name"]),
                    "dob": p["dob"], "dob_precision": DatePrecision.DAY,
                    "gender": Gender(p["gender"]), "ethnicity": p["ethnicity"],
                    "religion": p["religion"], "cccd": p["cccd"], "party_member": True,
                    "party_join_date": p["party_join"], "position": p["position"],
                    "education": p["education"], "professional": p["professional"],
                    "political_theory": p["llct_code"], "phone": p["phone"],
                    "unit_id": units[p["unit"]], "version": 1, "created_at": now,
                    "updated_at": now} for p in rows]
        insert = sa.insert(Person).returning(Person.id, sort_by_parameter_order=True)
        ids = db.session.execute(insert, persons).scalars().all()
        appts = [{"person_id": pid, "role": Role(p["role"]),
                  "level": Level.HUYEN if p["role"] == "BCV" else Level.CO_SO,
                  "unit_id": units[p["unit"]], "unit_name_snapshot": p["unit"],
                  "decision_no": f"{100 + i % 800}-QĐ/HU", "decision_date": dt.date(2024, 3, 1),
                  "start_date": dt.date(2024, 3, 1), "created_at": now, "updated_at": now}
                 for i, (pid, p) in enumerate(zip(ids, rows, strict=True))]
        db.session.execute(sa.insert(Appointment), appts)
        db.session.commit()


def ours(layout: str, db_path: str, out: str) -> dict:
    import sqlalchemy as sa

    from models import Unit, db
    from registry.core import access
    from registry.exports.roster import build
    from registry.roster.query import RosterFilter
    from tools import live_server as live

    with live.app_for(f"sqlite:///{db_path}", "bench"):
        province = db.session.execute(sa.select(Unit).where(Unit.parent_id.is_(None))).scalar_one()
        with access.scoped(access.scope_for_unit(province)):
            start = time.perf_counter()
            file, count = build(RosterFilter(), layout, province)
            with file, open(out, "wb") as dest:
                dest.write(file.read())
            seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": count}


def child(kind: str, n: int, db_path: str) -> None:
    if kind == "database":
        build_database(n, db_path)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out.xlsx")
        if kind == "xlsxwriter":
            result = bare_xlsxwriter(n, out)
        elif kind == "openpyxl":
            result = bare_openpyxl(n, out)
        else:
            result = ours(kind, db_path, out)
        result["mib_file"] = Path(out).stat().st_size / 2**20
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run(kind: str, n: int, db_path: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(n), db_path],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


KINDS = ("xlsxwriter", "openpyxl", "full", "trich-ngang")
LABELS = {"xlsxwriter": "bare xlsxwriter (constant_memory)", "openpyxl": "bare openpyxl write_only",
          "full": "our export, complete layout", "trich-ngang": "our export, trích ngang layout"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "bench.sqlite3")
        # In a child too: a child's peak memory starts from its parent's (it survives exec).
        subprocess.run([sys.executable, __file__, "--child", "database", str(args.rows), db_path],
                       check=True, cwd=ROOT, capture_output=True)
        results: dict[str, list[dict]] = {k: [] for k in KINDS}
        for _ in range(args.repeat):
            for kind in KINDS:
                results[kind].append(run(kind, args.rows, db_path))
    med = {k: statistics.median(r["seconds"] for r in v) for k, v in results.items()}
    print(f"{args.rows:,} rows, median of {args.repeat} runs (each in its own process):"
          .replace(",", "."))
    for kind in KINDS:
        peak = max(r["peak_mib"] for r in results[kind])
        size = results[kind][-1]["mib_file"]
        print(f"  {LABELS[kind]:<36} {med[kind]:6.2f} s   peak {peak:4.0f} MiB   "
              f"file {size:4.1f} MiB")
    faster = min(("xlsxwriter", "openpyxl"), key=med.get)
    print(f"  ratio complete/xlsxwriter = {med['full'] / med['xlsxwriter']:.2f}; "
          f"complete/openpyxl = {med['full'] / med['openpyxl']:.2f}; "
          f"complete/faster bare ({faster}) = {med['full'] / med[faster]:.2f} (goal ≤ 1.20)")
    print(f"  ratio trích ngang/faster bare = {med['trich-ngang'] / med[faster]:.2f}")


if __name__ == "__main__":
    main()
