"""Import benchmark: our full import (preview + confirm, into SQLite) vs a bare openpyxl read.

    .venv/bin/python bench/import_bench.py [--rows 20000] [--narrow 20000] [--big 100000]
        [--repeat 3]

--rows: the 19-column roster; --narrow: the 11-column commune list (bench/make_roster.py); both
Excel-like, with a shared-strings table.

Every measurement runs in its own child process, so peak memory (ru_maxrss) is that run's
alone; Flask and the schema are set up before the clock starts. Prints medians and ratios
from this one run: absolute seconds drift on shared machines, ratios much less. CPU seconds
(process_time) come beside the wall seconds: when other work loads the machine they drift less.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def bare_openpyxl(path: str) -> dict:
    import openpyxl

    start, cpu = time.perf_counter(), time.process_time()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "cells": cells}


def our_import(path: str, db_path: str) -> dict:
    import sqlalchemy as sa

    from models import Person, Unit, db
    from registry.core import access
    from registry.core.audit import Actor, acting_as
    from registry.importing.confirm import commit_batch
    from registry.importing.preview import build_preview
    from tools import live_server as live

    url = f"sqlite:///{db_path}"
    live.prepare(url, "bench")
    with live.app_for(url, "bench"):
        province = db.session.execute(sa.select(Unit).where(Unit.parent_id.is_(None))).scalar_one()
        data = Path(path).read_bytes()
        actor = Actor(None, "bench")
        with access.scoped(access.scope_for_unit(province)), acting_as(actor):
            start, cpu = time.perf_counter(), time.process_time()
            batch = build_preview(db.session, data, Path(path).name, unit=province, actor=actor,
                                  max_bytes=len(data) + 1)
            db.session.commit()
            preview = time.perf_counter() - start
            commit_batch(db.session, batch)
            db.session.commit()
            total, cpu = time.perf_counter() - start, time.process_time() - cpu
        persons = db.session.execute(sa.select(sa.func.count(Person.id))).scalar()
        counts = dict(batch.counts)
    return {"seconds": total, "cpu": cpu, "preview_seconds": preview, "persons": persons,
            "counts": counts}


def child(kind: str, path: str) -> None:
    if kind == "openpyxl":
        out = bare_openpyxl(path)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = our_import(path, str(Path(tmp) / "bench.sqlite3"))
    out["peak_mib"] = peak_mib()
    print(json.dumps(out))


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited on fork)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(kind: str, path: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, path], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(path: str, repeat: int) -> tuple[list[dict], list[dict]]:
    bare, ours = [], []
    for _ in range(repeat):  # interleaved, so drift hits both alike
        bare.append(run("openpyxl", path))
        ours.append(run("ours", path))
    return bare, ours


def report(label: str, bare: list[dict], ours: list[dict]) -> None:
    b = statistics.median(r["seconds"] for r in bare)
    o = statistics.median(r["seconds"] for r in ours)
    b_cpu = statistics.median(r["cpu"] for r in bare)
    o_cpu = statistics.median(r["cpu"] for r in ours)
    p = statistics.median(r["preview_seconds"] for r in ours)
    bare_peak = max(r["peak_mib"] for r in bare)
    ours_peak = max(r["peak_mib"] for r in ours)
    last = ours[-1]
    print(
        f"{label}: bare openpyxl read_only {b:.2f} s (peak {bare_peak:.0f} MiB); "
        f"our import {o:.2f} s (preview {p:.2f} s; peak {ours_peak:.0f} MiB); "
        f"ratio ours/bare = {o / b:.2f}; CPU {o_cpu:.2f} s / {b_cpu:.2f} s = {o_cpu / b_cpu:.2f}  "
        f"[{last['persons']} persons, counts {last['counts']}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2)
    parser.add_argument("--rows", type=int, default=20000, help="19 columns; 0 to skip")
    parser.add_argument("--narrow", type=int, default=20000, help="11 columns; 0 to skip")
    parser.add_argument("--big", type=int, default=100000, help="0 to skip")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from bench.make_roster import write, write_narrow

    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    cases = ((args.rows, args.repeat, "roster", write, 19),
             (args.narrow, args.repeat, "narrow", write_narrow, 11),
             (args.big, 1, "roster", write, 19))
    for rows, repeat, stem, writer, width in cases:
        if not rows:
            continue
        path = out / f"{stem}_{rows}.xlsx"
        if not path.exists():
            writer(str(path), rows)
        label = f"{rows:,} rows × {width}".replace(",", ".")
        report(label, *measure(str(path), repeat))


if __name__ == "__main__":
    main()
