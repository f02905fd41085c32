"""API person list benchmark (issue 16): GET /api/v1/persons?per_page=50 at 100,000 people.

    .venv/bin/python bench/api_persons_bench.py [--persons 100000] [--runs 50]
                                                [--database-url postgresql+psycopg://…/scratch_db]

1. A scratch database (SQLite in a temporary folder unless --database-url names an EMPTY
   PostgreSQL database, which is wiped) gets --persons people with one appointment each, by the
   load benchmark's bulk INSERTs (bench/load_bench.py `seed`), and a province admin (who sees
   all of them) with a personal access token.
2. Through the Flask test client (no server, no network), each of
     plain   /api/v1/persons?per_page=50
     search  /api/v1/persons?per_page=50&q=nguyen van an
     unit    /api/v1/persons?per_page=50&unit=<Huyện Đắk Hà>
   is sent --runs times after 3 warm-up requests, with the token; the web roster page with the
   same filters (/roster…, the admin logged in by session cookie, its page size) is timed the
   same way in the same run. Prints median and 95th percentile in ms, and API / web ratios.
   Goal: plain list ≤ 20 ms median.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEARCH = "nguyen van an"


def _token(app) -> str:
    import sqlalchemy as sa

    from models import User, db
    from registry.api import tokens

    with app.app_context():
        admin = db.session.execute(sa.select(User).where(User.username == "bench_admin")) \
            .scalar_one()
        _row, plain = tokens.create(admin, "bench", read_only=True, days=1)
        db.session.commit()
    return plain


def _app(url: str, secret: str):
    os.environ["SECRET_KEY"] = secret
    from app import create_app

    # No rate limit in the way of a benchmark's few hundred requests a minute.
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                       "API_RATE_PER_MINUTE": 10**9, "SESSION_COOKIE_SECURE": False,
                       "WTF_CSRF_ENABLED": False})


def _time(client, path: str, runs: int, **kw) -> list[float]:
    for _ in range(3):
        resp = client.get(path, **kw)
        assert resp.status_code == 200, (path, resp.status_code, resp.get_data()[:300])
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        resp = client.get(path, **kw)
        out.append((time.perf_counter() - start) * 1000)
        assert resp.status_code == 200
    return out


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", help="a scratch folder of an earlier run (no seeding)")
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:  # the child process: the seeding makes apps of its own
        from flask.sansio.blueprints import Blueprint

        from bench.load_bench import seed

        # seed() makes two apps in one process; registry.api.setup adds the API's token check
        # to the module-level blueprints at each, which Flask refuses the second time. This
        # process sends no API request: let the second app register them again.
        Blueprint._check_setup_finished = lambda self, f_name: None

        url, secret = json.loads(args.seed)
        print(json.dumps(seed(url, args.persons, secret)))
        return

    if args.reuse:
        url, secret, info = json.loads((Path(args.reuse) / "info.json").read_text())
    else:
        tmp = Path(tempfile.mkdtemp(prefix="sodoingu-api-"))
        url = args.database_url or f"sqlite:///{tmp / 'api.sqlite3'}"
        secret = os.urandom(16).hex()
        print(f"seeding {args.persons:,} people into {url.split('@')[-1]} …", flush=True)
        out = subprocess.run([sys.executable, __file__, "--persons", str(args.persons),
                              "--seed", json.dumps([url, secret])],
                             cwd=ROOT, capture_output=True, text=True, check=True)
        info = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  seeded in {info['seed_seconds']:.1f} s (folder {tmp}, for --reuse)", flush=True)
        (tmp / "info.json").write_text(json.dumps([url, secret, info]))
    app = _app(url, secret)
    plain = _token(app)
    api, web = app.test_client(), app.test_client()
    resp = web.post("/login", data={"username": "bench_admin",
                                    "password": info["passwords"]["bench_admin"]})
    assert resp.status_code == 302, resp.status_code
    bearer = {"headers": {"Authorization": f"Bearer {plain}"}}
    district = info["district"]
    cases = {"plain": "", "search": f"q={SEARCH}", "unit": f"unit={district}"}
    total = api.get("/api/v1/persons?per_page=1", **bearer).get_json()["meta"]["total"]
    print(f"{total:,} people in the list; {args.runs} runs each\n")
    print(f"{'case':<8} {'API median':>11} {'API p95':>9} {'web median':>11} {'web p95':>9} "
          f"{'API/web':>8}")
    for name, query in cases.items():
        a = _time(api, f"/api/v1/persons?per_page=50&{query}", args.runs, **bearer)
        w = _time(web, f"/roster?{query}", args.runs)
        print(f"{name:<8} {statistics.median(a):>9.1f}ms {_p95(a):>7.1f}ms "
              f"{statistics.median(w):>9.1f}ms {_p95(w):>7.1f}ms "
              f"{statistics.median(a) / statistics.median(w):>8.2f}")


if __name__ == "__main__":
    main()
