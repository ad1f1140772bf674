"""Inputs that used to raise PanicException or an internal error are refused with InvalidInputError
naming the field."""

from __future__ import annotations

import datetime

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


def test_a_panic_in_the_core_is_an_aliprefetch_error_not_a_panic_exception() -> None:
    from aliprefetch import _aliprefetch

    try:
        _aliprefetch._panic_for_tests("boom")
    except Exception as e:  # PanicException derives from BaseException and would escape this
        assert isinstance(e, aliprefetch.AliPrefetchError)
        assert e.kind == "Internal"
        assert "boom" in str(e)
    else:
        pytest.fail("no error")


def test_the_console_script_runs_the_command_in_process() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "aliprefetch._cli", "--version"], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, f"aliprefetch {aliprefetch.__version__}"), done.stderr
    usage = subprocess.run([sys.executable, "-m", "aliprefetch._cli", "live", "nope"], capture_output=True, text=True)
    assert usage.returncode == 2
