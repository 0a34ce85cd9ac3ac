"""Load test of the production stack (scripts/serve.sh: gunicorn, PostgreSQL, Redis, RQ):
50 concurrent clients for 60 s, each looping over the evidence map, an intervention page,
the directory search and the API, through keep-alive connections to 127.0.0.1 only.

Prints requests/s, p50, p95, p99 and the error count (target: 0 errors, p95 < 300 ms), and
`ours=… baseline=… ratio=…` where the baseline is the same load on /healthz in the same run
(the stack's own floor: gunicorn, Django's middleware, no page).

Run: .venv/bin/python bench/bench_load.py [--quick] [--clients N] [--seconds S]
Against a stack that is already running: FACIT_BENCH_STACK_URL=http://127.0.0.1:8000.
Otherwise it starts one on a PostgreSQL cluster and a redis-server of its own (throwaway).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "sv"}


def fetch_json(base: str, path: str) -> object:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.request("GET", path, headers=HEADERS)
    body = conn.getresponse().read()
    conn.close()
    return json.loads(body)


def paths_for(base: str) -> list[str]:
    interventions = fetch_json(base, "/api/v1/interventions")
    slug = interventions["items"][0]["id"]  # type: ignore[index]
    return [
        "/sv/evidence/",
        f"/sv/evidence/interventions/{slug}/",
        "/sv/directory/search/?municipality=Stockholm",
        "/api/v1/interventions",
    ]


def run_load(base: str, paths: list[str], clients: int, seconds: float) -> dict[str, float]:
    parts = urlsplit(base)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit("the load test runs against 127.0.0.1 only")
    latencies: list[float] = []
    by_path: dict[str, list[float]] = {path: [] for path in paths}
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine: list[float] = []
        mine_by_path: dict[str, list[float]] = {path: [] for path in paths}
        i = index
        while time.monotonic() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=HEADERS)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                with lock:
                    errors.append(f"{path}: {type(exc).__name__}")
                continue
            mine.append(time.perf_counter() - started)
            mine_by_path[path].append(mine[-1])
            if status != 200:
                with lock:
                    errors.append(f"{path}: {status}")
        conn.close()
        with lock:
            latencies.extend(mine)
            for path, values in mine_by_path.items():
                by_path[path].extend(values)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    per_path = {
        path: sorted(values)[int(0.95 * len(values))] * 1000 if values else float("nan")
        for path, values in by_path.items()
    }
    return {
        "per_path_p95": per_path,  # type: ignore[dict-item]
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],  # type: ignore[dict-item]
    }


def report(name: str, r: dict[str, float]) -> None:
    print(
        f"  {name}: {r['requests']} requests, {r['rps']:.1f} req/s, p50={r['p50']:.0f} ms "
        f"p95={r['p95']:.0f} ms p99={r['p99']:.0f} ms, errors={r['errors']}"
        + (f" {r['error_kinds']}" if r["errors"] else ""),
        flush=True,
    )
    per_path = r["per_path_p95"]
    if len(per_path) > 1:  # type: ignore[arg-type]
        for path, p95 in per_path.items():  # type: ignore[attr-defined]
            print(f"    p95 {p95:6.0f} ms  {path}")


def machine_load() -> str:
    try:
        load1, _, _ = os.getloadavg()
    except OSError:
        return "unknown"
    return f"load average {load1:.1f} on {os.cpu_count()} cores"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    args = parser.parse_args()
    clients = args.clients or (10 if args.quick else 50)
    seconds = args.seconds or (10 if args.quick else 60)

    from tests.stack.harness import Postgres, Redis, Stack, free_port, stack_env

    base = os.environ.get("FACIT_BENCH_STACK_URL", "")
    cleanup = []
    if not base:
        tmp = Path(tempfile.mkdtemp(prefix="facit-bench-load-"))
        tmp.chmod(0o755)
        postgres, redis = Postgres(tmp / "pg"), Redis(tmp)
        postgres.init()
        postgres.start()
        cleanup.append(lambda: postgres.stop("immediate"))
        redis.start()
        cleanup.append(redis.stop)
        stack = Stack(
            # The load comes from one address: the anonymous API limit (120/min per IP)
            # would answer most of it 429, which is the limit working, not what is measured.
            env=stack_env(
                database_url=postgres.createdb("facit"),
                redis_url=redis.url(0),
                FACIT_API_ANON_RATE="100000/m",
            ),
            port=free_port(),
            log=tmp / "stack.log",
        )
        print(f"  starting the production stack (log: {stack.log})", flush=True)
        stack.start()
        cleanup.insert(0, stack.stop)
        base = stack.base
    try:
        paths = paths_for(base)
        run_load(base, paths, min(clients, 8), 3)  # warm caches and connections
        print(f"  {clients} clients, {seconds:.0f} s, {machine_load()} before the run")
        baseline = run_load(base, ["/healthz"], clients, max(seconds / 4, 5))
        report("baseline /healthz", baseline)
        ours = run_load(base, paths, clients, seconds)
        report("map, intervention, directory search, API", ours)
        print(f"  {machine_load()} after the run")
        print(
            f"load: ours=p95 {ours['p95']:.0f} ms baseline=p95 {baseline['p95']:.0f} ms "
            f"ratio={ours['p95'] / max(baseline['p95'], 0.001):.2f} "
            f"(target: 0 errors, p95 < 300 ms; rps={ours['rps']:.1f} errors={ours['errors']})",
            flush=True,
        )
        return 0 if ours["errors"] == 0 else 1
    finally:
        for step in cleanup:
            try:
                step()
            except Exception as exc:
                print(f"  cleanup: {exc}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
