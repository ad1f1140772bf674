"""One side of a before/after comparison of the Python binding: the best of 5 x 20,000 `presign` and of 5 x 500
sequential DescribeLiveStreamPreloadTasks calls against a running emulator (quotas lifted). Run it alternately with
each build's package first on the path (BENCHMARKS.md, "Before and after issue 23's declarations"):

    PYTHONPATH=/tmp/ab/before target/py-venv/bin/python python/benchmarks/ab.py http://127.0.0.1:PORT
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import aliprefetch

DOMAIN = "play.example.com"
URLS = ["http://play.example.com/app/s1.flv", "http://play.example.com/app/s2.flv"]


def best(fn: Callable[[], object], rounds: int) -> float:
    fn()
    fastest = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            fn()
        fastest = min(fastest, (time.perf_counter() - start) / rounds)
    return fastest


def main() -> None:
    client = aliprefetch.Client(
        endpoint=sys.argv[1], credentials=aliprefetch.Credentials("testid", "testsecret"), rate_limits="disabled"
    )
    params = {"DomainName": DOMAIN, "PlayUrl": URLS, "Area": "domestic"}
    presign = best(lambda: client.presign("SetLiveStreamPreloadTasks", params), 20000)
    describe = best(lambda: client.describe_live_stream_preload_tasks(domain_name=DOMAIN), 500)
    print(f"presign {presign * 1e6:.2f} us  describe {1 / describe:.0f}/s")


if __name__ == "__main__":
    main()
