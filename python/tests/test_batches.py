"""Batches of any size with progress, paging across pages, and waiting, sync and async."""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import Any

import pytest

import aliprefetch
from conftest import DOMAIN, client_on, fixtures, run

# A URL the client takes and the emulator refuses inside a success (its `refused_urls` fixture).
REFUSED = "rtmp://play.example.com/live/refused"
REFUSING = {"preload": {"seconds_to_complete": 1, "refused_urls": [REFUSED]}}


def urls(prefix: str, n: int) -> list[str]:
    return [f"rtmp://{DOMAIN}/{prefix}/s{i}" for i in range(n)]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_5000_url_batch_reports_every_url_once_with_progress(mode: str) -> None:
    with aliprefetch.Emulator(fixtures(quotas={"SetLiveStreamPreloadTasks": 0}, live=REFUSING)) as emu:
        client = client_on(emu, mode, rate_limits="disabled")
        given = urls("big", 4998) + [
            f"http://{DOMAIN}/live/s.m3u8",
            REFUSED,
            urls("big", 1)[0],
        ]
        seen: list[aliprefetch.Progress] = []
        threads: set[int] = set()

        def progress(p: aliprefetch.Progress) -> None:
            seen.append(p)
            threads.add(threading.get_ident())

        report = run(client, "preload_live_streams", DOMAIN, given, area="domestic", progress=progress)
        if mode == "async":
            assert threads == {threading.get_ident()}, "async progress runs on the event loop's thread"
        assert isinstance(report, aliprefetch.PreloadReport)
        assert (len(report.items), report.duplicates_removed, report.requests) == (5000, 1, 50)
        assert [i.url for i in report.items] == given[:5000], "each URL once, in input order"
        failed = {i.url: (i.failure.kind, i.failure.code) for i in report.failed() if i.failure}
        assert failed == {
            f"http://{DOMAIN}/live/s.m3u8": ("InvalidInput", "hls"),
            REFUSED: ("Api", "TaskNotCreated"),
        }
        assert len(report.succeeded()) == 4998 and not report.all_succeeded
        assert len({i.task_id for i in report.succeeded()}) == 4998
        last = seen[-1]
        assert (last.done, last.total, last.succeeded, last.failed) == (5000, 5000, 4998, 2)
        assert all(a.done <= b.done for a, b in zip(seen, seen[1:], strict=False)) or mode == "sync"
        assert report.to_dict()["items"][0]["url"] == given[0]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_media_batches(mode: str) -> None:
    media = [{"media_id": f"m{i}"} for i in range(41)] + [{"media_id": "locked", "forbidden": True}]
    with aliprefetch.Emulator({"vod": {"media": media}}) as emu:
        client = client_on(emu, mode)
        ids = [f"m{i}" for i in range(43)] + ["locked"]
        for method in ("refresh_media", "preload_media"):
            seen: list[aliprefetch.Progress] = []
            report = run(client, method, ids, formats=["mp4"], progress=seen.append)
            assert isinstance(report, aliprefetch.MediaReport)
            assert (len(report.items), report.requests, len(report.job_ids)) == (44, 3, 3)
            outcomes = {i.media_id: i.outcome for i in report.failed()}
            assert outcomes == {"m41": "not_found", "m42": "not_found", "locked": "forbidden"}
            assert all(i.job_id in report.job_ids for i in report.succeeded())
            if mode == "sync":
                assert seen[-1].done == 44


def test_paging_sync_and_async(emulator: aliprefetch.Emulator) -> None:
    client = client_on(emulator)
    client.preload_live_streams(DOMAIN, urls("page", 45))
    tasks = list(client.iter_preload_tasks(domain_name=DOMAIN, page_size=10))
    assert len(tasks) == 45 and len({t.task_id for t in tasks}) == 45
    assert all(isinstance(t, aliprefetch.PreloadTask) for t in tasks)
    assert list(client.iter_preload_tasks(domain_name="empty.example.com")) == []

    async def collect() -> list[aliprefetch.PreloadTask]:
        aclient = client_on(emulator, "async")
        return [t async for t in aclient.iter_preload_tasks(domain_name=DOMAIN, page_size=7)]

    assert [t.task_id for t in asyncio.run(collect())] == [t.task_id for t in tasks]
    with pytest.raises(aliprefetch.InvalidInputError) as e:
        client.iter_preload_tasks(domain_name=DOMAIN, page_size=500)
    assert e.value.field == "PageSize"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_waiting(mode: str, emulator: aliprefetch.Emulator) -> None:
    client = client_on(emulator, mode)
    for n in (3, 15):  # polled one by one, then by listing the domain
        report = run(client, "preload_live_streams", DOMAIN, urls(f"wait{n}", n))
        ids = [i.task_id for i in report.items]
        seen: list[aliprefetch.Progress] = []
        tasks = run(client, "wait_for_preload", DOMAIN, ids, timeout=20, poll_interval=0.2, progress=seen.append)
        assert [t.task_id for t in tasks] == ids
        assert all(t.status == "complete" and t.progress_percent == 100.0 for t in tasks)
        if mode == "sync":
            assert seen[-1].done == n


def test_a_wait_that_runs_out_of_time(emulator: aliprefetch.Emulator) -> None:
    with aliprefetch.Emulator(fixtures(live={"preload": {"seconds_to_complete": 3600}})) as slow:
        client = client_on(slow)
        task = client.preload_live_streams(DOMAIN, ["rtmp://h/a/slow"]).items[0].task_id
        assert task is not None
        with pytest.raises(aliprefetch.RequestTimeoutError) as e:
            client.wait_for_preload(DOMAIN, [task], timeout=0.3, poll_interval=0.1)
        assert task in str(e.value)


def test_progress_errors_do_not_break_the_batch(emulator: aliprefetch.Emulator, monkeypatch: Any) -> None:
    reported: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_value))

    def broken(p: aliprefetch.Progress) -> None:
        raise RuntimeError("callback bug")

    report = client_on(emulator).preload_live_streams(DOMAIN, urls("cb", 3), progress=broken)
    assert report.all_succeeded
    assert reported and all(isinstance(e, RuntimeError) for e in reported), "reported as unraisable"
