"""Benchmark: POST /api/v1/synthesis/meta-analysis, ours vs the framework floor, same run.

Workload: N requests (default 2,000), each a meta-analysis of 20 studies given as group
means, SDs and sizes (so every request computes 20 Hedges' g and one REML fit).

Baseline: the same request body posted through the same Django stack, middleware and
django-ninja schema (MetaAnalysisIn) to an endpoint that only parses it and answers a
constant of similar size. The ratio is therefore what validation, the effect sizes and
the meta-analysis add on top of receiving and answering a JSON request; a second line
shows the share the statistics themselves take inside one request.

Run: /work/main/.venv/bin/python bench/bench_synthesis_api.py [--quick] [--n N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facit.settings")
os.environ.setdefault("FACIT_TESTING", "1")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/facit_bench_synth.sqlite3"
)

import django

django.setup()

import numpy as np  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402
from ninja import NinjaAPI  # noqa: E402

from facit import urls as site_urls  # noqa: E402
from facit.evidence.synthesis.api import MetaAnalysisIn  # noqa: E402
from facit.evidence.synthesis.stats import effect_size, meta_analysis  # noqa: E402

K = 20
TARGET = 2.5  # a 20-study REML request may cost at most 2.5x parsing the same body
URL = "/api/v1/synthesis/meta-analysis"


def _body(seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    studies = []
    for i in range(K):
        n1, n2 = (int(x) for x in rng.integers(20, 200, 2))
        studies.append(
            {
                "label": f"Study {i + 1}",
                "m1i": float(rng.normal(10.4, 1)),
                "sd1i": float(rng.uniform(2, 5)),
                "n1i": n1,
                "m2i": float(rng.normal(10, 1)),
                "sd2i": float(rng.uniform(2, 5)),
                "n2i": n2,
            }
        )
    return {"measure": "SMD", "method": "REML", "studies": studies}


def _urlconf() -> types.ModuleType:
    floor = NinjaAPI(urls_namespace="bench-floor", docs_url=None, openapi_url=None)
    answer = {"k": K, "estimate": 0.1, "studies": [{"yi": 0.1, "vi": 0.01, "weight": 5.0}] * K}

    @floor.post("/meta-analysis", auth=None)
    def parse_only(request: HttpRequest, payload: MetaAnalysisIn) -> dict[str, Any]:
        return answer

    module = types.ModuleType("bench_synthesis_urls")
    module.urlpatterns = [path("bench-floor/", floor.urls), *site_urls.urlpatterns]  # type: ignore[attr-defined]
    return module


def _time(fn: Any, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _line(name: str, ours: float, base: float, target: float) -> str:
    return (
        f"{name}: ours={ours * 1e3:.1f}ms baseline={base * 1e3:.1f}ms "
        f"ratio={ours / base:.2f} (target <= {target})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 requests, one repeat")
    parser.add_argument("--n", type=int, default=2_000)
    args = parser.parse_args()
    n = 200 if args.quick else args.n
    repeats = 1 if args.quick else 3
    bodies = [json.dumps(_body(seed)) for seed in range(50)]
    parsed = [json.loads(b) for b in bodies]
    client = Client()

    def post(url: str) -> None:
        for i in range(n):
            response = client.post(url, data=bodies[i % 50], content_type="application/json")
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}: {response.content!r}")

    def statistics_only() -> None:
        for i in range(n):
            studies = parsed[i % 50]["studies"]
            effects = [
                effect_size("SMD", **{k: v for k, v in s.items() if k != "label"}) for s in studies
            ]
            meta_analysis([e.yi for e in effects], [e.vi for e in effects], method="REML")

    with override_settings(ROOT_URLCONF=_urlconf(), DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        post(URL)  # warm up both paths
        post("/bench-floor/meta-analysis")
        ours = _time(lambda: post(URL), repeats)
        base = _time(lambda: post("/bench-floor/meta-analysis"), repeats)
    stats = _time(statistics_only, repeats)
    print(f"{n} requests x {K} studies (SMD from means, REML) through django.test.Client")
    print(_line("meta-analysis endpoint vs parse-only endpoint", ours, base, TARGET))
    print(
        f"statistics share of the endpoint: {stats * 1e3:.1f}ms of {ours * 1e3:.1f}ms "
        f"({100 * stats / ours:.0f}%), {ours / n * 1e3:.2f}ms per request"
    )


if __name__ == "__main__":
    main()
