#!/usr/bin/env python3
"""aliprefetch for Python side by side with the official SDK (alibabacloud-live20161101 on tea-openapi, V3), in one
run against the same release emulator (quotas lifted, every signature verified): (a) build + sign one request, no
network; (b) sequential calls per second; (c) 100 concurrent calls with asyncio; (d) import time and resident memory.
Prints a Markdown table. Loopback only, bounded in count.

    target/py-venv/bin/python python/benchmarks/bench.py   # the venv ./scripts/test makes (release wheel inside)
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import benchenv  # noqa: E402

DOMAIN = "play.example.com"
URLS = ["http://play.example.com/app/s1.flv", "http://play.example.com/app/s2.flv"]


def per_call_us(fn: Callable[[], object], rounds: int) -> float:
    fn()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            fn()
        best = min(best, (time.perf_counter() - start) / rounds)
    return best * 1e6


def calls_per_second(fn: Callable[[], object], calls: int) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return calls / (time.perf_counter() - start)


def gather_per_second(make: Callable[[], Any], in_flight: int, rounds: int) -> float:
    """`rounds` batches of `in_flight` calls awaited together with asyncio.gather, on one event loop."""

    async def main() -> float:
        await make()
        start = time.perf_counter()
        for _ in range(rounds):
            await asyncio.gather(*(make() for _ in range(in_flight)))
        return in_flight * rounds / (time.perf_counter() - start)

    return asyncio.run(main())


def fresh_python(code: str, runs: int = 7) -> float:
    """The median of a number printed by `code` in fresh interpreters."""
    values = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(values)


IMPORT = "import time; s = time.perf_counter(); {stmt}; print((time.perf_counter() - s) * 1000)"
# Resident now (VmRSS): ru_maxrss would carry the parent's peak across fork and exec on Linux.
RSS = (
    "{stmt}; print(next(int(line.split()[1]) for line in open('/proc/self/status')"
    " if line.startswith('VmRSS:')) / 1024)"
)


class Sent(BaseException):
    """Stops the official client where it would send (a BaseException passes its retry loop)."""


def main() -> None:
    from alibabacloud_live20161101 import models
    from alibabacloud_live20161101.client import Client as Official
    from alibabacloud_tea_openapi.models import Config
    from darabonba.core import DaraCore
    from darabonba.response import DaraResponse

    import aliprefetch

    benchenv.cargo_release("-p", "aliprefetch", "--example", "client_timing")
    with benchenv.ReleaseEmulator() as emu:
        official = Official(
            Config(access_key_id="testid", access_key_secret="testsecret", endpoint=emu.host, protocol="http")
        )
        ours = aliprefetch.Client(
            endpoint=emu.host, credentials=aliprefetch.Credentials("testid", "testsecret"), rate_limits="disabled"
        )
        ours_async = aliprefetch.AsyncClient(
            endpoint=emu.host, credentials=aliprefetch.Credentials("testid", "testsecret"), rate_limits="disabled"
        )

        # (a) build + sign one SetLiveStreamPreloadTasks request (2 URLs, an area), stopped before sending.
        def official_build_and_sign() -> None:
            request = models.SetLiveStreamPreloadTasksRequest(
                domain_name=DOMAIN, play_url=",".join(URLS), area="domestic"
            )
            try:
                official.set_live_stream_preload_tasks(request)
            except Sent:
                pass

        def ours_build_and_sign() -> None:
            ours.presign("SetLiveStreamPreloadTasks", {"DomainName": DOMAIN, "PlayUrl": URLS, "Area": "domestic"})

        real_do_action = DaraCore.do_action

        def stop(*args: Any, **kwargs: Any) -> None:
            raise Sent()

        # The yardstick is the official client's build + sign + parse: its send is replaced by the
        # emulator's real answer to this request (recorded once), which it then reads into its response model.
        answer: dict[str, Any] = {}

        def record(request: Any, runtime: Any) -> Any:
            response = real_do_action(request, runtime)
            body = response.body if isinstance(response.body, bytes) else response.body.read()
            answer.update(status=response.status_code, headers=dict(response.headers), body=body)
            response.body = answer["body"]
            return response

        def replay(*args: Any, **kwargs: Any) -> DaraResponse:
            response = DaraResponse()
            response.status_code, response.headers, response.body = answer["status"], answer["headers"], answer["body"]
            return response

        def official_build_sign_and_parse() -> None:
            request = models.SetLiveStreamPreloadTasksRequest(
                domain_name=DOMAIN, play_url=",".join(URLS), area="domestic"
            )
            parsed = official.set_live_stream_preload_tasks(request)
            assert parsed.body.request_id and parsed.body.preload_tasks_messages  # read into the model

        try:
            DaraCore.do_action = staticmethod(record)  # type: ignore[method-assign]
            official_build_sign_and_parse()
            assert answer["status"] == 200, answer
            DaraCore.do_action = staticmethod(replay)  # type: ignore[method-assign]
            a_parse = per_call_us(official_build_sign_and_parse, 2000)
            DaraCore.do_action = staticmethod(stop)  # type: ignore[method-assign]
            a = (per_call_us(official_build_and_sign, 2000), per_call_us(ours_build_and_sign, 20000))
        finally:
            DaraCore.do_action = real_do_action  # type: ignore[method-assign]

        # (b) sequential DescribeLiveStreamPreloadTasks calls; ours and the Rust client's own rate on the same
        # emulator alternate over five rounds (medians), so the ratio is what the Python boundary costs.
        describe = models.DescribeLiveStreamPreloadTasksRequest(domain_name=DOMAIN, page_size=10)
        timing = benchenv.ROOT / "target" / "release" / "examples" / "client_timing"
        ours_rounds, rust_rounds = [], []

        def ours_describe() -> object:
            return ours.describe_live_stream_preload_tasks(domain_name=DOMAIN, page_size=10)

        for _ in range(5):
            ours_rounds.append(calls_per_second(ours_describe, 1000))
            rust_out = subprocess.check_output([str(timing), emu.host, "1000", "0", "1"], text=True)
            rust_rounds.append(float(rust_out.split('"sequential_per_s": ')[1].split(",")[0]))
        b = (
            calls_per_second(lambda: official.describe_live_stream_preload_tasks(describe), 1000),
            statistics.median(ours_rounds),
        )
        rust_sequential = statistics.median(rust_rounds)

        # (c) 100 concurrent calls with asyncio, 10 rounds.
        c = (
            gather_per_second(lambda: official.describe_live_stream_preload_tasks_async(describe), 100, 10),
            gather_per_second(
                lambda: ours_async.describe_live_stream_preload_tasks(domain_name=DOMAIN, page_size=10), 100, 10
            ),
        )

    # (d) import and resident memory, in fresh interpreters.
    official_import = "from alibabacloud_live20161101.client import Client"
    d_import = (
        fresh_python(IMPORT.format(stmt=official_import)),
        fresh_python(IMPORT.format(stmt="import aliprefetch")),
    )
    d_rss = (fresh_python(RSS.format(stmt=official_import), 3), fresh_python(RSS.format(stmt="import aliprefetch"), 3))
    baseline = fresh_python(RSS.format(stmt="pass"), 3)

    print(f"Python {sys.version.split()[0]}, aliprefetch {aliprefetch.__version__}, emulator at {emu.host}\n")
    print("| | official SDK (tea-openapi, V3) | aliprefetch | ratio |")
    print("| --- | --- | --- | --- |")
    print(f"| (a) build + sign one request | {a[0]:.1f} µs | {a[1]:.2f} µs | {a[0] / a[1]:.0f}× faster |")
    print(
        f"| (a) the official client's build + sign + parse of the answer, against our build + sign (the issue's"
        f" yardstick) | {a_parse:.1f} µs | {a[1]:.2f} µs | {a_parse / a[1]:.0f}× faster |"
    )
    print(f"| (b) sequential calls | {b[0]:.0f} /s | {b[1]:.0f} /s | {b[1] / b[0]:.1f}× |")
    print(
        f"| (b) the Rust client, same emulator, same run (medians of 5 alternating rounds) | | {rust_sequential:.0f} /s"
        f" | Python at {b[1] / rust_sequential:.2f}× Rust |"
    )
    print(f"| (c) 100 concurrent calls (asyncio) | {c[0]:.0f} /s | {c[1]:.0f} /s | {c[1] / c[0]:.1f}× |")
    speedup = d_import[0] / d_import[1]
    print(f"| (d) import time (median of 7) | {d_import[0]:.1f} ms | {d_import[1]:.1f} ms | {speedup:.0f}× faster |")
    print(
        f"| (d) resident memory after import (interpreter alone: {baseline:.1f} MiB) | {d_rss[0]:.1f} MiB"
        f" | {d_rss[1]:.1f} MiB | {d_rss[0] - baseline:.1f} vs {d_rss[1] - baseline:.1f} MiB added |"
    )


if __name__ == "__main__":
    main()
