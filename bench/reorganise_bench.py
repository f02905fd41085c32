"""Reorganisation benchmark: a legacy Kon Tum registry of --persons people (one appointment
each, a tenth of them BCV cấp huyện), moved onto the units of 01-7-2025 by `reorganise`.

    .venv/bin/python bench/reorganise_bench.py [--persons 20000] [--repeats 3]
                                               [--database-url postgresql+psycopg://…/scratch_db]

Each repeat builds a fresh scratch database (SQLite in a temporary folder unless
--database-url names an EMPTY PostgreSQL database, which is wiped) with bench/load_bench.seed
(bulk INSERTs), then times, in one process:
  seed      the bulk INSERT of the people and their appointments (the baseline: what writing
            that many rows costs on this machine and database);
  dry-run   `service.apply(..., dry_run=True)` (the admin's preview);
  run       `service.apply(...)` and its commit;
  re-run    the same again (finds nothing to do).
It prints the medians and the ratios run/seed and dry-run/seed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load_bench import seed  # noqa: E402
from tools import live_server as live  # noqa: E402

DAY = dt.date(2025, 7, 1)


def one_round(url: str, persons: int) -> dict[str, float]:
    from models import db
    from registry.core.audit import Actor, acting_as
    from registry.reorganise import service

    secret = os.urandom(16).hex()
    info = seed(url, persons, secret)
    times = {"seed": info["seed_seconds"]}
    with live.app_for(url, secret), acting_as(Actor(None, "bench")):
        for label, dry in (("dry-run", True), ("run", False), ("re-run", False)):
            start = time.perf_counter()
            summary = service.apply(DAY, actor="bench", dry_run=dry)
            db.session.commit()
            times[label] = time.perf_counter() - start
            times[f"{label} moved"] = summary["counts"]["appointments"]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    rounds = []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            url = args.database_url or live.database_url(Path(tmp))
            rounds.append(one_round(url, args.persons))
        print({k: round(v, 2) for k, v in rounds[-1].items()}, flush=True)
    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    print(f"{args.persons:,} people, {args.repeats} rounds, medians: seed {med['seed']:.2f} s, "
          f"dry-run {med['dry-run']:.2f} s, run {med['run']:.2f} s "
          f"({med['run moved']:,.0f} appointments moved), re-run {med['re-run']:.2f} s")
    print(f"ratios: run/seed {med['run'] / med['seed']:.1f}, "
          f"dry-run/seed {med['dry-run'] / med['seed']:.1f}")


if __name__ == "__main__":
    main()
