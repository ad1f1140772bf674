"""Shared fixtures: an in-process emulator per test, clients on it, and the language-neutral test data."""

from __future__ import annotations

import asyncio
import json
import pathlib
from collections.abc import Iterator
from typing import Any

import pytest

import aliprefetch

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOMAIN = "play.example.com"
RELAY_TASK = "fd245384-4067-4f91-9d75-9666a6bc0001"
# A scheduled relay task in cn-shanghai starting in 2030, as the validation table expects.
RELAY_FIXTURE = {
    "task_id": RELAY_TASK,
    "region": "cn-shanghai",
    "state": "scheduled",
    "start_time": "2030-01-01T00:00:00Z",
    "end_time": "2030-01-02T00:00:00Z",
    "source_urls": ["rtmp://origin.example.com/app/stream"],
}
FAST_RETRY = aliprefetch.RetryConfig(base_delay=0.005, max_delay=0.05)


def load(relative: str) -> Any:
    return json.loads((ROOT / relative).read_text())


def fixtures(**extra: Any) -> dict[str, Any]:
    live = {"pull_to_push_tasks": [RELAY_FIXTURE], "preload": {"seconds_to_complete": 1}}
    live.update(extra.pop("live", {}))
    return {"live": live, **extra}


@pytest.fixture
def emulator() -> Iterator[aliprefetch.Emulator]:
    with aliprefetch.Emulator(fixtures()) as emu:
        yield emu


def client_on(emu: aliprefetch.Emulator, mode: str = "sync", **options: Any) -> Any:
    cls = aliprefetch.AsyncClient if mode == "async" else aliprefetch.Client
    options.setdefault("retry", FAST_RETRY)
    return cls(endpoint=emu.endpoint, credentials=emu.credentials, **options)


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, emulator: aliprefetch.Emulator) -> Any:
    """A Client and an AsyncClient on the same emulator; use `run` to call either."""
    return client_on(emulator, request.param)


def run(client: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """Calls `method` on a Client, or awaits it on an AsyncClient (on a fresh event loop)."""
    fn = getattr(client, method)
    if isinstance(client, aliprefetch.AsyncClient):

        async def go() -> Any:
            return await fn(*args, **kwargs)

        return asyncio.run(go())
    return fn(*args, **kwargs)
