"""Inputs that used to raise PanicException or an internal error are refused with InvalidInputError
naming the field."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import aliprefetch
from conftest import DOMAIN, client_on

FAR = "9999-12-31T23:59:59-01:00"


def test_a_time_past_the_last_year_is_refused_by_the_signer() -> None:
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        aliprefetch.sign_v1(
            method="POST",
            action="DescribeLiveStreamPreloadTasks",
            version="2016-11-01",
            params={},
            credentials=aliprefetch.Credentials("testid", "testsecret"),
            timestamp=FAR,
            nonce="n",
        )
    assert caught.value.rule == "time_range"


@pytest.mark.parametrize(
    "start",
    [FAR, datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))],
)
def test_a_time_past_the_last_year_is_refused_before_a_call(emulator: aliprefetch.Emulator, start: object) -> None:
    client = client_on(emulator)
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        client.set_live_stream_preload_tasks(
            domain_name=DOMAIN, play_urls=[f"rtmp://{DOMAIN}/live/far"], preloaded_start_time=start
        )
    assert caught.value.field == "PreloadedStartTime"
    assert emulator.tasks() == []


def test_the_published_module_carries_no_test_hooks() -> None:
    # python/tests_hooks/ runs against a build with them (`--features test-hooks`).
    from aliprefetch import _aliprefetch

    assert not hasattr(_aliprefetch, "_panic_for_tests")


def test_the_console_script_runs_the_command_in_process() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "aliprefetch._cli", "--version"], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, f"aliprefetch {aliprefetch.__version__}"), done.stderr
    usage = subprocess.run([sys.executable, "-m", "aliprefetch._cli", "live", "nope"], capture_output=True, text=True)
    assert usage.returncode == 2


def self_containing_list() -> list[Any]:
    looped: list[Any] = [f"rtmp://{DOMAIN}/live/a"]
    looped.append(looped)
    return looped


def nested(depth: int) -> list[Any]:
    value: list[Any] = [f"rtmp://{DOMAIN}/live/a"]
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value", [self_containing_list(), nested(10_000), (nested(50),)], ids=["cycle", "deep", "tuple"]
)
def test_a_value_that_contains_itself_or_nests_deeply_is_refused_not_a_crash(
    emulator: aliprefetch.Emulator, value: Any
) -> None:
    client = client_on(emulator)
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        client.set_live_stream_preload_tasks(domain_name=DOMAIN, play_urls=value)
    assert caught.value.field == "PlayUrl"
    assert caught.value.rule in ("cycle", "depth")
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        client.call("DescribeLiveStreamPreloadTasks", service="live", params={"DomainName": DOMAIN, "PlayUrl": value})
    assert caught.value.field == "PlayUrl"
    looped: dict[str, Any] = {}
    looped["self"] = looped
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        client.refresh_media(["m1"], user_data=looped)
    assert caught.value.field == "UserData"
    assert emulator.request_counts() == [], "nothing was sent"


@pytest.mark.parametrize("offset", [3600, -3600])
def test_a_service_clock_an_hour_off_is_followed(offset: int) -> None:
    with aliprefetch.Emulator({"clock_offset_seconds": offset}) as emu:
        client = client_on(emu, retry=aliprefetch.RetryConfig(max_attempts=1))
        urls = [f"rtmp://{DOMAIN}/live/skew{offset}"]
        created = client.set_live_stream_preload_tasks(domain_name=DOMAIN, play_urls=urls)
        assert created.success_url == 1
        client.describe_live_stream_preload_tasks(domain_name=DOMAIN)
        refused = [c for c in emu.request_counts() if "InvalidTimeStamp" in c["outcome"]]
        assert sum(c["count"] for c in refused) == 1, "refused once, then learned"
        assert len(emu.tasks()) == 1


def test_a_lone_surrogate_is_refused_naming_the_field() -> None:
    client = aliprefetch.Client(endpoint="127.0.0.1:9", credentials=aliprefetch.Credentials("testid", "testsecret"))
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        client.presign("DescribeLiveStreamPreloadTasks", {"DomainName": "\ud800"})
    assert (caught.value.field, caught.value.rule) == ("DomainName", "text")


def test_an_integer_past_64_bits_is_refused_naming_the_field(emulator: aliprefetch.Emulator) -> None:
    # Its repr is not even available past sys.get_int_max_str_digits(): the error must not need it.
    client = client_on(emulator)
    huge = 10**5000
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        client.describe_live_stream_preload_tasks(domain_name=DOMAIN, page_size=huge)
    assert (caught.value.field, caught.value.rule) == ("PageSize", "range")
    for concurrency in (huge, -1):
        with pytest.raises(aliprefetch.InvalidInputError) as caught:
            client.preload_live_streams(DOMAIN, [f"rtmp://{DOMAIN}/live/a"], concurrency=concurrency)
        assert (caught.value.field, caught.value.rule) == ("concurrency", "range")
    assert emulator.request_counts() == [], "nothing was sent"
