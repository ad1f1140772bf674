"""The async layer's edges: leaving calls in flight at interpreter exit, cancelling an awaited call, and
interrupting a blocking call with Ctrl-C."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import aliprefetch
from aliprefetch import _aliprefetch
from conftest import DOMAIN, client_on

# Starts calls (and a batch with a progress callback) against a slow emulator, then leaves the
# interpreter while they are in flight: the runtime's threads finish them during finalisation.
SCRIPT = textwrap.dedent(
    """
    import asyncio, aliprefetch
    emu = aliprefetch.Emulator({"faults": {"latency_ms": %(latency)d}})
    client = aliprefetch.AsyncClient(endpoint=emu.endpoint, credentials=emu.credentials)
    async def start():
        calls = [client.describe_live_stream_preload_tasks(domain_name="play.example.com") for _ in range(8)]
        calls.append(client.preload_live_streams("play.example.com", ["rtmp://h/a/%%d" %% i for i in range(300)],
                                                 progress=lambda p: None))
        for c in calls:
            asyncio.ensure_future(c)
        await asyncio.sleep(%(wait)f)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(start())
    print("leaving", flush=True)
    """
)


def run_once(i: int) -> tuple[int, str]:
    # Vary the moment of exit against the answers' arrival.
    script = SCRIPT % {"latency": 5 + (i % 7) * 3, "wait": (i % 5) * 0.004}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    return done.returncode, done.stderr[-2000:]


def test_interpreter_exit_with_calls_in_flight_never_crashes() -> None:
    runs = int(os.environ.get("ALIPREFETCH_EXIT_RUNS", "200"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run_once, range(runs)))
    crashes = [(code, err) for code, err in results if code != 0]
    assert not crashes, f"{len(crashes)} of {runs} runs failed; first: {crashes[0]}"
    assert len(results) == runs


def test_cancelling_an_awaited_call_aborts_the_request() -> None:
    # The answer would take a minute: only an aborted request leaves the in-flight count within the
    # generous bound below, however loaded the machine.
    with aliprefetch.Emulator({"faults": {"latency_ms": 60_000}}) as emu:
        client = client_on(emu, "async")

        async def main() -> float:
            task = asyncio.ensure_future(client.describe_live_stream_preload_tasks(domain_name=DOMAIN))
            await asyncio.sleep(0.2)
            assert _aliprefetch._tasks_in_flight() == 1
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            while _aliprefetch._tasks_in_flight() and time.monotonic() - started < 30:
                await asyncio.sleep(0.01)
            return time.monotonic() - started

        took = asyncio.run(main())
        assert _aliprefetch._tasks_in_flight() == 0, "the Rust task was dropped, and its request with it"
        assert took < 30, "aborted, not left to finish"


def test_wait_for_timeout_cancels_too() -> None:
    with aliprefetch.Emulator({"faults": {"latency_ms": 60_000}}) as emu:
        client = client_on(emu, "async")

        async def main() -> None:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.describe_live_stream_preload_tasks(domain_name=DOMAIN), 0.2)

        asyncio.run(main())
        deadline = time.monotonic() + 30
        while _aliprefetch._tasks_in_flight() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _aliprefetch._tasks_in_flight() == 0


def test_ctrl_c_interrupts_a_blocking_call() -> None:
    with aliprefetch.Emulator({"faults": {"latency_ms": 60_000}}) as emu:
        client = client_on(emu, retry="disabled", read_timeout=120)
        # A background job starts with SIGINT ignored: this test installs the handler it needs.
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
        started = time.monotonic()
        timer.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                client.describe_live_stream_preload_tasks(domain_name=DOMAIN)
        finally:
            signal.signal(signal.SIGINT, previous)
        assert time.monotonic() - started < 30, "interrupted, not left to the minute-long answer"


def test_async_methods_need_a_running_loop(emulator: aliprefetch.Emulator) -> None:
    client = client_on(emulator, "async")
    with pytest.raises(RuntimeError, match="running event loop"):
        client.describe_live_stream_preload_tasks(domain_name=DOMAIN)


def test_many_concurrent_async_calls() -> None:
    with aliprefetch.Emulator({"quotas": {"DescribeLiveStreamPreloadTasks": 0}}) as emu:
        client = client_on(emu, "async", rate_limits="disabled")

        async def main() -> int:
            calls = [client.describe_live_stream_preload_tasks(domain_name=DOMAIN) for _ in range(100)]
            return len({r.request_id for r in await asyncio.gather(*calls)})

        assert asyncio.run(main()) == 100
