"""AsyncClient's methods are coroutines: each form asyncio offers takes them (await, create_task,
TaskGroup, gather, wait_for), and the emulator holds what they made."""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Coroutine
from typing import Any

import pytest

import aliprefetch
from conftest import DOMAIN

URLS = [f"rtmp://{DOMAIN}/live/aio-{i}" for i in range(3)]


def client_for(emu: aliprefetch.Emulator) -> aliprefetch.AsyncClient:
    return aliprefetch.AsyncClient(endpoint=emu.endpoint, credentials=emu.credentials, rate_limits="disabled")


def describe(client: aliprefetch.AsyncClient) -> Coroutine[Any, Any, aliprefetch.DescribeLiveStreamPreloadTasksResult]:
    return client.describe_live_stream_preload_tasks(domain_name=DOMAIN)


def test_a_call_is_a_coroutine_and_await_takes_it(emulator: aliprefetch.Emulator) -> None:
    async def main() -> None:
        client = client_for(emulator)
        call = client.set_live_stream_preload_tasks(domain_name=DOMAIN, play_urls=URLS[:1])
        assert inspect.iscoroutine(call)
        created = await call
        assert [t["task_id"] for t in emulator.tasks()] == [m.task_id for m in created.preload_tasks_messages]

    asyncio.run(main())


def test_create_task_takes_every_kind_of_call(emulator: aliprefetch.Emulator) -> None:
    async def main() -> None:
        client = client_for(emulator)
        report = await asyncio.create_task(client.preload_live_streams(DOMAIN, URLS))
        ids = [i.task_id for i in report.items if i.task_id]
        waited = await asyncio.create_task(client.wait_for_preload(DOMAIN, ids, timeout=30, poll_interval=0.05))
        assert sorted(t.task_id for t in waited) == sorted(ids)
        assert sorted(ids) == sorted(t["task_id"] for t in emulator.tasks())

    asyncio.run(main())


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.TaskGroup is new in 3.11")
def test_a_task_group_takes_calls(emulator: aliprefetch.Emulator) -> None:
    async def main() -> list[str]:
        client = client_for(emulator)
        async with asyncio.TaskGroup() as group:  # type: ignore[attr-defined,unused-ignore]
            tasks = [group.create_task(describe(client)) for _ in range(4)]
        return [t.result().request_id for t in tasks]

    assert len(set(asyncio.run(main()))) == 4


def test_gather_takes_calls(emulator: aliprefetch.Emulator) -> None:
    async def main() -> None:
        client = client_for(emulator)
        answers = await asyncio.gather(*(describe(client) for _ in range(5)))
        assert len({a.request_id for a in answers}) == 5

    asyncio.run(main())


def test_wait_for_takes_a_call() -> None:
    # Its timeout cancelling the call, and the request with it, is test_async_lifecycle's.
    with aliprefetch.Emulator({"faults": {"latency_ms": 60_000}}) as slow, aliprefetch.Emulator() as quick:

        async def main() -> None:
            answer = await asyncio.wait_for(describe(client_for(quick)), 30)
            assert answer.request_id
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(describe(client_for(slow)), 0.2)

        asyncio.run(main())
