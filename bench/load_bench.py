"""Load benchmark: 100,000 people, gunicorn with 2 workers, a bounded load from a second process.

    .venv/bin/python bench/load_bench.py [--persons 100000] [--requests 400] [--seconds 30]
                                         [--concurrency 2]
                                         [--database-url postgresql+psycopg://…/scratch_db]

1. A scratch database (SQLite in a temporary folder unless --database-url names an EMPTY
   PostgreSQL database, which is wiped) gets the schema, the reference data and --persons people
   with one active appointment each, by bulk INSERTs (not the ORM per row).
2. gunicorn serves the app with 2 sync workers on 127.0.0.1 (tools/live_server.py).
3. A second process (this file with --client) logs in as a province admin — who sees all
   100,000 — and sends a fixed number of requests per endpoint (at most --seconds per phase)
   with --concurrency threads, one connection per request (gunicorn's sync workers close each):
     roster-filter   /roster?role=TTV|BCV&unit=<a district>&page=1..10   (filtered lists)
     roster-search   /roster?q=nguyen van an                   (diacritic-free search)
     person          /persons/<random id>
     dashboard       /
   then all four interleaved ("mixed": the overall rate). It prints median and 95th-percentile
   latency and requests per second for each, and writes bench/out/load-<database>.json.

The client shares the machine's 2 cores with the server: the numbers are what one 2-core box
does serving and loading itself, a pessimistic figure for the server alone.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô",
          "Y", "A", "Đinh", "Ksor", "Rơ Châm", "Siu", "Nay"]
MIDDLE = ["Văn", "Thị", "Hữu", "Ngọc", "Thanh", "Quang", "Đức", "Thùy", "Minh", ""]
GIVEN = ["An", "Bình", "Blô", "Thút", "Hằng", "Ánh", "Dũng", "Hiền", "Kha", "Nhung", "Sang",
         "Tâm", "Thắng", "Hoa", "Mai", "Loan", "Hùng", "Jar", "Phiu", "H'Blơ", "Trung", "Tuấn"]
ETHNIC = ["Kinh", "Xơ Đăng", "Ba Na", "Gia Rai", "Giẻ Triêng", "Brâu", "Rơ Măm"]
ENDPOINTS = ("roster-filter", "roster-search", "person", "dashboard")
CHUNK = 5000


# ---- seeding ----------------------------------------------------------------------------------

def seed(url: str, persons: int, secret: str) -> dict:
    """Schema, reference data, users, and `persons` people by bulk INSERT; returns ids to use."""
    from tools import live_server as live

    passwords = live.prepare(url, secret, users={"bench_admin": ("admin", "Tỉnh Kon Tum")})
    import sqlalchemy as sa

    from models import (
        Appointment,
        DatePrecision,
        EndReason,
        Gender,
        Level,
        Person,
        Role,
        Unit,
        UnitKind,
        db,
    )
    from registry.roster.persons import name_keys

    rng = random.Random(2026)
    with live.app_for(url, secret):
        units = db.session.execute(sa.select(Unit)).scalars().all()
        districts = [u for u in units if u.parent_id is not None and u.kind is not UnitKind.XA
                     and any(c.parent_id == u.id for c in units)]
        communes = [u for u in units if u.kind is UnitKind.XA] or [u for u in units if u.parent_id]
        now = dt.datetime(2026, 1, 1)
        conn = db.session.connection()
        start = time.perf_counter()
        for base in range(0, persons, CHUNK):
            people, appts = [], []
            for i in range(base, min(base + CHUNK, persons)):
                name = " ".join(x for x in (rng.choice(FAMILY), rng.choice(MIDDLE),
                                            rng.choice(GIVEN)) if x)
                bcv = i % 10 == 0
                unit = rng.choice(districts if bcv else communes)
                people.append(
                    {
                        "id": i + 1,
                        **name_keys(name),
                        "dob": dt.date(
                            rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)
                        ),
                        "dob_precision": DatePrecision.DAY,
                        "gender": rng.choice([Gender.NAM, Gender.NU]),
                        "ethnicity": rng.choice(ETHNIC),
                        "cccd": f"0{62 + i % 3:02d}{i:09d}"[:12],
                        "party_member": rng.random() < 0.7,
                        "position": "Trưởng thôn",
                        "political_theory": rng.choice(["so_cap", "trung_cap", "cao_cap", None]),
                        "unit_id": unit.id,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                appts.append(
                    {
                        "id": i + 1,
                        "person_id": i + 1,
                        "role": Role.BCV if bcv else Role.TTV,
                        "level": Level.HUYEN if bcv else Level.CO_SO,
                        "unit_id": unit.id,
                        "unit_name_snapshot": unit.name,
                        "start_date": dt.date(2020 + i % 5, 1, 1),
                        "end_date": dt.date(2024, 12, 31) if i % 17 == 0 else None,
                        "end_reason": EndReason.HET_NHIEM_KY if i % 17 == 0 else None,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            conn.execute(sa.insert(Person.__table__), people)
            conn.execute(sa.insert(Appointment.__table__), appts)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("persons", "appointments"):
                db.session.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {persons})")
                )
            db.session.commit()
            # As autovacuum would soon after a bulk load: statistics and the visibility map.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as auto:
                auto.execute(sa.text("VACUUM ANALYZE"))
        else:
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        seconds = time.perf_counter() - start
        district = next(u for u in districts if u.name == "Huyện Đắk Hà")
    return {
        "passwords": passwords,
        "district": district.id,
        "persons": persons,
        "seed_seconds": seconds,
    }


def drop_e1perf(url: str) -> None:
    """For comparison: the same database without the indexes of migration e1perf."""
    import sqlalchemy as sa

    from models.base import DIALECT_ONLY_INDEXES

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for name in sorted(DIALECT_ONLY_INDEXES):
            conn.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    print("  without the e1perf indexes", flush=True)


# ---- the client (second process) -------------------------------------------------------------


def paths_for(endpoint: str, rng: random.Random, info: dict) -> str:
    if endpoint == "roster-filter":  # 20 different lists: each is computed on its first view
        return (
            f"/roster?role={rng.choice(['TTV', 'BCV'])}&unit={info['district']}"
            f"&page={rng.randint(1, 10)}"
        )
    if endpoint == "roster-search":
        return "/roster?q=" + rng.choice(
            ["nguyen+van+an", "tran+thi+hoa", "ksor+hblo", "dang+thanh+tam", "y+nhung"]
        )
    if endpoint == "person":
        return f"/persons/{rng.randint(1, info['persons'])}"
    return "/"


def run_phase(
    port: int, cookie: str, plan: list[str], concurrency: int, seconds: float = 1e9
) -> dict:
    """Send every request of `plan` (or as many as fit in `seconds`) with `concurrency` threads."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    queue = list(reversed(plan))
    deadline = time.perf_counter() + seconds

    def worker():
        while True:
            with lock:
                if not queue or time.perf_counter() > deadline:
                    return
                path = queue.pop()
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", path, headers={"Cookie": cookie})
                resp = conn.getresponse()
                resp.read()
                conn.close()
                ok = resp.status == 200
            except OSError as exc:
                ok, resp = False, exc
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(f"{path}: {getattr(resp, 'status', resp)}")

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_sample": errors[:3],
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
        "rps": round(len(latencies) / wall, 1),
        "seconds": round(wall, 2),
    }


def client_main(args) -> None:
    info = json.loads(args.client)
    rng = random.Random(7)
    # The first dashboard and list after a change compute what later requests read from the
    # figure cache: timed once each, before anything is cached.
    cold = {
        e: run_phase(info["port"], info["cookie"], [paths_for(e, rng, info)], 1)["median_ms"]
        for e in ("dashboard", "roster-filter")
    }
    results = {}
    for endpoint in ENDPOINTS:  # warm both workers up first
        run_phase(info["port"], info["cookie"], [paths_for(endpoint, rng, info)] * 4, 2, 20)
    for endpoint in ENDPOINTS:
        plan = [paths_for(endpoint, rng, info) for _ in range(info["requests"])]
        results[endpoint] = run_phase(
            info["port"], info["cookie"], plan, info["concurrency"], info["seconds"]
        )
    mixed = [paths_for(ENDPOINTS[i % 4], rng, info) for i in range(info["requests"] * 2)]
    rng.shuffle(mixed)
    results["mixed"] = run_phase(
        info["port"], info["cookie"], mixed, info["concurrency"], info["seconds"]
    )
    print(json.dumps({"results": results, "cold_ms": cold}))


# ---- driver ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint")
    parser.add_argument(
        "--seconds",
        type=float,
        default=30,
        help="at most this long per phase (a slow endpoint sends fewer requests)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=2,
        help="client threads (2 = one request in flight per worker)",
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--without-e1perf",
        action="store_true",
        help="drop the indexes of migration e1perf first (to compare)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch folder (database, logs)"
    )
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(args)
        return

    from tools import live_server as live

    tmp = Path(tempfile.mkdtemp(prefix="sodoingu-load-"))
    url = args.database_url or f"sqlite:///{tmp / 'load.sqlite3'}"
    secret = os.urandom(16).hex()
    print(f"seeding {args.persons:,} people into {url.split('@')[-1]} …", flush=True)
    info = seed(url, args.persons, secret)
    print(f"  seeded in {info['seed_seconds']:.1f} s", flush=True)
    if args.without_e1perf:
        drop_e1perf(url)
    server = live.Server(url, secret, workers=2, log_dir=tmp).start()
    try:
        client = live.Client(server).login("bench_admin", info["passwords"]["bench_admin"])
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        payload = json.dumps(
            {
                "port": server.port,
                "cookie": cookie,
                "district": info["district"],
                "persons": info["persons"],
                "requests": args.requests,
                "seconds": args.seconds,
                "concurrency": args.concurrency,
            }
        )
        out = subprocess.run(
            [sys.executable, __file__, "--client", payload],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        measured = json.loads(out.stdout)
        results, cold = measured["results"], measured["cold_ms"]
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"\n{'endpoint':<15}{'requests':>9}{'errors':>8}{'median ms':>11}{'p95 ms':>9}{'req/s':>9}"
    )
    for name, r in results.items():
        print(
            f"{name:<15}{r['requests']:>9}{r['errors']:>8}{r['median_ms']:>11}{r['p95_ms']:>9}"
            f"{r['rps']:>9}"
        )
    total = sum(r["requests"] for k, r in results.items() if k != "mixed")
    seconds = sum(r["seconds"] for k, r in results.items() if k != "mixed")
    print(
        "\nfirst request, before anything is cached: "
        + ", ".join(f"{k} {v:,.0f} ms" for k, v in cold.items())
    )
    print(
        f"all endpoint phases: {total} requests in {seconds:.1f} s = {total / seconds:.0f} req/s;"
        f" mixed: {results['mixed']['rps']} req/s"
    )
    record = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "persons": args.persons,
        "e1perf_indexes": not args.without_e1perf,
        "database": url.split(":")[0],
        "concurrency": args.concurrency,
        "cores": os.cpu_count(),
        "seed_seconds": round(info["seed_seconds"], 1),
        "cold_ms": cold,
        "results": results,
    }
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(exist_ok=True)
    suffix = "-without-e1perf" if args.without_e1perf else ""
    (out_dir / f"load-{record['database'].split('+')[0]}{suffix}.json").write_text(
        json.dumps(record, indent=1)
    )
    if any(r["errors"] for r in results.values()):
        sys.exit(
            "some requests failed: "
            + json.dumps({k: r["error_sample"] for k, r in results.items()})
        )


if __name__ == "__main__":
    main()
