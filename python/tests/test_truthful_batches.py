"""Batches through an emulator that loses answers, checked against what the emulator holds; batches as
iterators; interrupting and cancelling keep what settled."""

from __future__ import annotations

import asyncio
import signal
from collections import defaultdict
from typing import Any

import pytest

import aliprefetch
from conftest import DOMAIN

# 15 % of requests fail before execution (throttling among them); 15 % are executed and lose the answer.
FAULTS = {
    "error_rate": 0.15,
    "errors": ["InternalError", "ServiceUnavailable", "Throttling.User"],
    "ambiguous_rate": 0.15,
    "ambiguous_delay_ms": 2500,
}


def faulty_client(emu: aliprefetch.Emulator, mode: str = "sync") -> Any:
    cls = aliprefetch.AsyncClient if mode == "async" else aliprefetch.Client
    return cls(
        endpoint=emu.endpoint,
        credentials=emu.credentials,
        read_timeout=1.0,
        retry=aliprefetch.RetryConfig(base_delay=0.02),
    )


def held_tasks(emu: aliprefetch.Emulator) -> dict[str, list[str]]:
    held: dict[str, list[str]] = defaultdict(list)
    for t in emu.tasks():
        held[t["play_url"]].append(t["task_id"])
    return held


def lost_answers(emu: aliprefetch.Emulator, action: str) -> int:
    return sum(c["count"] for c in emu.request_counts() if c["action"] == action and c["outcome"].startswith("lost:"))


def test_exactly_once_audit_of_10000_urls() -> None:
    with aliprefetch.Emulator({"faults": FAULTS}, seed=21) as emu:
        given = [f"rtmp://{DOMAIN}/live/audit-{i}" for i in range(10_000)]
        report = faulty_client(emu).preload_live_streams(DOMAIN, given)
        assert [i.url for i in report.items] == given
        assert lost_answers(emu, "SetLiveStreamPreloadTasks") > 0, "the run really lost answers"
        held = held_tasks(emu)
        assert all(len(ids) == 1 for ids in held.values()), "no URL holds two tasks"
        unknown = 0
        for item in report.items:
            ids = held.get(item.url)
            if item.task_id is not None:
                assert ids == [item.task_id], "the reported task is the one held"
            elif item.failure is not None and item.failure.outcome_unknown:
                assert item.outcome_unknown
                unknown += 1
            else:
                assert ids is None, f"{item.url} reported not created but holds a task"
        # Sanity bounds; the claims are checked item by item above. A chunk whose attempts all fail
        # before execution is truthfully "not created" (about one chunk in 300).
        assert unknown <= len(given) * 5 // 100
        assert len(held) >= len(given) * 90 // 100
        assert report.lookups > 0 and any(i.found_by_lookup for i in report.items)
        assert report.to_dict()["items"][0]["failure"] is None


def test_media_audit_every_id_in_its_job() -> None:
    media = [{"media_id": f"m{i}", "forbidden": i % 50 == 0} for i in range(1000)]
    with aliprefetch.Emulator({"faults": FAULTS, "vod": {"media": media}}, seed=4) as emu:
        ids = [f"m{i}" for i in range(1000)] + [f"missing-{i}" for i in range(20)]
        report = faulty_client(emu).refresh_media(ids)
        jobs = {j["job_id"]: set(j["media_ids"]) for j in emu.refresh_jobs()}
        in_a_job = set().union(*jobs.values())
        unknown = 0
        for item in report.items:
            if item.outcome == "submitted":
                assert item.job_id is not None and item.media_id in jobs[item.job_id]
            elif item.outcome == "not_found":
                assert item.media_id.startswith("missing-")
            elif item.outcome == "forbidden":
                assert int(item.media_id[1:]) % 50 == 0
            elif item.failure is not None and item.failure.outcome_unknown:
                unknown += 1
            else:
                assert item.media_id not in in_a_job
        assert unknown <= len(ids) * 5 // 100
        assert len(jobs) - len(report.job_ids) <= report.repeated_requests


def test_items_stream_and_an_interrupt_keeps_what_was_returned() -> None:
    # A background job starts with SIGINT ignored: install the default handler for this test.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with aliprefetch.Emulator({"faults": {"latency_ms": 100}}) as emu:
            client = aliprefetch.Client(endpoint=emu.endpoint, credentials=emu.credentials, rate_limits="disabled")
            given = [f"rtmp://{DOMAIN}/live/int-{i}" for i in range(5000)]
            batch = client.iter_preload_live_streams(DOMAIN, given, concurrency=2)
            assert isinstance(batch, aliprefetch.BatchIterator)
            returned: list[aliprefetch.PreloadItem] = []
            with pytest.raises(KeyboardInterrupt):
                for item in batch:
                    returned.append(item)
                    if len(returned) == 150:
                        signal.raise_signal(signal.SIGINT)
            assert len(returned) >= 150
            in_flight = batch.unsettled()
            batch.stop()
            rest = list(batch)  # what settles of the requests in flight; nothing more is sent
            held = {t["play_url"]: t["task_id"] for t in emu.tasks()}
            for item in returned + rest:
                assert held[item.url] == item.task_id
            reported = {i.url for i in returned + rest}
            assert set(held) <= reported | set(in_flight), "every task held was returned or named in flight"
            assert len(held) < len(given), "the batch stopped"
            assert sorted(i.index for i in returned + rest) == list(range(len(reported)))
    finally:
        signal.signal(signal.SIGINT, previous)


def test_async_iteration_cancelled_keeps_what_was_returned() -> None:
    async def main() -> None:
        with aliprefetch.Emulator({"faults": {"latency_ms": 50}}) as emu:
            client = aliprefetch.AsyncClient(endpoint=emu.endpoint, credentials=emu.credentials, rate_limits="disabled")
            given = [f"rtmp://{DOMAIN}/live/acancel-{i}" for i in range(3000)]
            batch = client.iter_preload_live_streams(DOMAIN, given, concurrency=2)
            assert isinstance(batch, aliprefetch.AsyncBatchIterator)
            returned: list[aliprefetch.PreloadItem] = []
            got_enough = asyncio.Event()

            async def consume() -> None:
                async for item in batch:
                    returned.append(item)
                    if len(returned) >= 120:
                        got_enough.set()

            task = asyncio.create_task(consume())
            await got_enough.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            batch.stop()
            rest = [item async for item in batch]
            held = {t["play_url"]: t["task_id"] for t in emu.tasks()}
            for item in returned + rest:
                assert held[item.url] == item.task_id
            assert len(held) < len(given)

    asyncio.run(main())


def test_media_iterators_and_the_admin_api() -> None:
    with aliprefetch.Emulator({"vod": {"media": [{"media_id": "a"}, {"media_id": "b", "forbidden": True}]}}) as emu:
        client = aliprefetch.Client(endpoint=emu.endpoint, credentials=emu.credentials)
        items = sorted(client.iter_preload_media(["a", "b", "c", "a"]), key=lambda i: i.index)
        assert [(i.media_id, i.outcome) for i in items] == [
            ("a", "submitted"),
            ("b", "forbidden"),
            ("c", "not_found"),
        ]
        assert [j["media_ids"] for j in emu.refresh_jobs()] == [["a"]]
        assert any(c["action"] == "RefreshMediaPlayUrls" and c["outcome"] == "ok" for c in emu.request_counts())
        client.preload_live_streams(DOMAIN, [f"rtmp://{DOMAIN}/live/x"])
        assert [t["play_url"] for t in emu.tasks()] == [f"rtmp://{DOMAIN}/live/x"]
        emu.reset()
        assert emu.tasks() == [] and emu.refresh_jobs() == [] and emu.request_counts() == []


def test_a_create_that_may_have_taken_effect_is_not_retryable() -> None:
    with aliprefetch.Emulator({"faults": {"ambiguous_rate": 1.0, "ambiguous_delay_ms": 3000}}, seed=2) as emu:
        client = aliprefetch.Client(
            endpoint=emu.endpoint,
            credentials=emu.credentials,
            read_timeout=0.5,
            retry=aliprefetch.RetryConfig.disabled(),
        )
        for i in range(6):
            with pytest.raises(aliprefetch.AliPrefetchError) as caught:
                client.set_live_stream_preload_tasks(domain_name=DOMAIN, play_urls=[f"rtmp://{DOMAIN}/a/{i}"])
            assert caught.value.retryable is False, caught.value
        assert len(emu.tasks()) == 6


def test_media_batches_take_user_data_as_a_dict_or_its_text() -> None:
    with aliprefetch.Emulator({"vod": {"media": [{"media_id": "a"}]}}) as emu:
        client = aliprefetch.Client(endpoint=emu.endpoint, credentials=emu.credentials)
        for user_data in ({"Extend": {"localId": "x"}}, '{"Extend":{"localId":"x"}}'):
            report = client.refresh_media(["a"], user_data=user_data)
            assert [i.outcome for i in report.items] == ["submitted"]
        assert len(emu.refresh_jobs()) == 2
        with pytest.raises(aliprefetch.InvalidInputError) as refused:
            client.refresh_media(["a"], user_data=["not", "an", "object"])
        assert (refused.value.field, refused.value.rule) == ("UserData", "type")
        assert len(emu.refresh_jobs()) == 2, "nothing sent"
