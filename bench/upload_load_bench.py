"""Big uploads off the request: while two 200,000-row files are read, do other pages answer?

    .venv/bin/python bench/upload_load_bench.py [--rows 200000] [--seconds-before 10]
        [--sync] [--database-url postgresql+psycopg://…/EMPTY_DB]

1. A scratch database (SQLite in a temporary folder unless --database-url names an EMPTY
   PostgreSQL database, which is wiped) gets the schema, reference data, the demo roster and two
   province admins; two different Excel-like rosters of --rows rows are generated once
   (bench/make_roster.py, narrow layout: 11 columns; kept in bench/out/).
2. gunicorn serves the app with 2 sync workers, and the job consumer (`flask run-jobs`, 2
   threads) runs beside it (tools/live_server.py); uploads up to 32 MB are accepted.
3. Baseline: one client thread loads other pages one after another (dashboard, roster, a
   search, a person, the import history; each loaded once before, to warm the figure cache)
   for --seconds-before seconds.
4. Load: two clients upload their file at the same moment and poll their batch's progress each
   second until the preview is ready; the page thread keeps loading pages meanwhile. Printed:
   each upload request's time, the time until each preview was ready, and the latency of the
   other pages (median, 95th percentile, max) before and during; bench/out/upload-load-*.json.

--sync reads every upload in the request instead (IMPORT_BACKGROUND_MB huge): the behaviour
before the job queue, for comparison. The clients share the machine's cores with the server.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import make_roster  # noqa: E402
from registry.core.config import psycopg_url  # noqa: E402
from tools import live_server as live  # noqa: E402

PAGES = ("/", "/roster", "/roster?q=nguyen+van+an", "/imports/", "/roster?role=TTV&page=2")


def make_files(rows: int) -> list[Path]:
    """Two different rosters, kept in bench/out/ (ignored by git) for the next run."""
    write = getattr(make_roster, "write_narrow", make_roster.write)
    paths = []
    for seed in (11, 12):
        path = ROOT / "bench" / "out" / f"upload-{rows}-{seed}.xlsx"
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            write(str(path), rows, seed=seed)
        paths.append(path)
    return paths


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    if not ms:
        return {"n": 0}
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1), "max_ms": round(ms[-1], 1)}


class PageLoader(threading.Thread):
    """Loads the other pages one after another, recording (phase, ms, status)."""

    def __init__(self, client: live.Client, person_ids: list[int]):
        super().__init__(daemon=True)
        self.client, self.person_ids = client, person_ids
        self.phase, self.samples, self.stop = "before", [], threading.Event()

    def run(self) -> None:
        rng = random.Random(1)
        while not self.stop.is_set():
            path = rng.choice(PAGES + (f"/persons/{rng.choice(self.person_ids)}",))
            start = time.perf_counter()
            try:
                status = self.client.request("GET", path, timeout=300)[0]
            except OSError as exc:  # refused, reset, timed out: an error, not the end
                status = repr(exc)
            self.samples.append((self.phase, (time.perf_counter() - start) * 1000, status, path,
                                 start))
            time.sleep(0.05)


def upload_and_wait(client: live.Client, path: Path, out: dict, start: threading.Barrier) -> None:
    data = path.read_bytes()
    token = client.csrf("/imports/upload")
    start.wait()
    began = time.perf_counter()
    try:
        status, headers, _ = client.post("/imports/upload", {"csrf_token": token},
                                         files={"file": (path.name, data)})
    except OSError as exc:
        status, headers = repr(exc), {}
    out["upload_request_s"] = round(time.perf_counter() - began, 2)
    out["upload_status"] = status
    if status != 302:  # e.g. the worker timed out reading it in the request (--sync)
        return
    out["batch"] = headers["location"].rstrip("/").rsplit("/", 1)[-1]
    job = {"status": "queued"}
    while job.get("status") == "queued":
        time.sleep(1)
        job = json.loads(client.get(f"/imports/{out['batch']}/progress")[2])
    out["ready_s"] = round(time.perf_counter() - began, 1)
    out["final"] = job


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--seconds-before", type=float, default=10)
    ap.add_argument("--sync", action="store_true")
    ap.add_argument("--database-url")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="upload-load-"))
    url = psycopg_url(args.database_url) if args.database_url else f"sqlite:///{tmp}/b.db"
    secret = secrets.token_hex(16)
    t0 = time.perf_counter()
    files = make_files(args.rows)
    print(f"files: {[f'{p.stat().st_size / 2**20:.1f} MiB' for p in files]} "
          f"({time.perf_counter() - t0:.0f} s to write)", flush=True)
    users = {"admin_a": ("admin", "Tỉnh Kon Tum"), "admin_b": ("admin", "Tỉnh Kon Tum"),
             "reader": ("admin", "Tỉnh Kon Tum")}
    passwords = live.prepare(url, secret, demo_people=360, users=users)
    with live.app_for(url, secret):
        import sqlalchemy as sa

        from models import Person, db
        person_ids = list(db.session.execute(sa.select(Person.id)).scalars())
    os.environ["UPLOAD_MAX_MB"] = "32"
    os.environ["IMPORT_BACKGROUND_MB"] = "100000" if args.sync else "1.5"
    server = live.Server(url, secret, workers=2, log_dir=tmp, jobs=not args.sync)
    server.start()
    try:
        result = run(server, passwords, person_ids, files, args)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    result.update(rows=args.rows, mode="sync" if args.sync else "background",
                  database="postgresql" if args.database_url else "sqlite")
    out = ROOT / "bench" / "out" / f"upload-load-{result['database']}-{result['mode']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


def run(server, passwords, person_ids, files, args) -> dict:
    pages = PageLoader(live.Client(server).login("reader", passwords["reader"]), person_ids)
    clients = [live.Client(server).login(u, passwords[u]) for u in ("admin_a", "admin_b")]
    for path in PAGES:  # warm: the first dashboard computes its figures (~2 s), then caches
        pages.client.get(path)
    pages.start()
    time.sleep(args.seconds_before)
    pages.phase = "during"
    uploads = [{}, {}]
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=upload_and_wait, args=(c, f, o, barrier))
               for c, f, o in zip(clients, files, uploads, strict=True)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    during_s = time.perf_counter() - began
    pages.stop.set()
    pages.join(timeout=300)
    by_phase = {phase: [ms for ph, ms, *_ in pages.samples if ph == phase]
                for phase in ("before", "during")}
    errors = [s for s in pages.samples if s[2] != 200]
    return {
        "uploads": uploads,
        "both_ready_s": round(during_s, 1),
        "pages_before": summary(by_phase["before"]),
        "pages_during": summary(by_phase["during"]),
        "pages_during_over_1s": sum(ms > 1000 for ms in by_phase["during"]),
        "page_errors": len(errors),
        # (ms, page, when it was asked for: seconds after the uploads were sent)
        "slowest_during": sorted(((round(ms), p, round(at - began, 1))
                                  for ph, ms, _s, p, at in pages.samples if ph == "during"),
                                 reverse=True)[:5],
    }


if __name__ == "__main__":
    main()
