"""The language-neutral validation table (tests/validation/), replayed through the Python API.

Each refusing case must raise InvalidInputError (also a ValueError) naming the table's field and rule,
before anything is sent; each accepting case must succeed against the emulator. Sent unchecked through
the generic `call`, each refusing case that the service also sees gets the table's service code.

A call with a required keyword missing, or with a keyword the operation does not have, is refused with a
TypeError naming the argument (as a Python signature refuses it), before anything is sent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

import aliprefetch
from conftest import client_on, fixtures, load

FILES = [
    "set_live_stream_preload_tasks",
    "describe_live_stream_preload_tasks",
    "hot_live_rtc_stream",
    "update_live_pull_to_push",
    "refresh_media_play_urls",
]

METHODS = {
    "SetLiveStreamPreloadTasks": "set_live_stream_preload_tasks",
    "DescribeLiveStreamPreloadTasks": "describe_live_stream_preload_tasks",
    "HotLiveRtcStream": "hot_live_rtc_stream",
    "UpdateLivePullToPush": "update_live_pull_to_push",
    "RefreshMediaPlayUrls": "refresh_media_play_urls",
}

# API names whose keyword argument is not simply the name in snake case.
KEYWORDS = {"PlayUrl": "play_urls", "SourceUrls": "source_urls", "StreamType": "stream_types"}


def keyword(api_name: str) -> str:
    return KEYWORDS.get(api_name) or re.sub(r"(?<!^)(?=[A-Z])", "_", api_name).lower()


def when(value: Any, now: dt.datetime) -> Any:
    """`now`, `now+6h`, `now-2d` … as the wire timestamp against `now`; anything else unchanged."""
    if not isinstance(value, str):
        return value
    m = re.fullmatch(r"now(?:([+-])(\d+)([smhd]))?", value)
    if not m:
        return value
    at = now
    if m.group(1):
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[m.group(3)]
        delta = dt.timedelta(**{unit: int(m.group(2))})
        at = now + delta if m.group(1) == "+" else now - delta
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def wire(name: str, value: Any) -> Any:
    """A value as it travels: lists comma-joined, except SourceUrls, a JSON array."""
    if isinstance(value, list):
        return json.dumps(value) if name == "SourceUrls" else ",".join(value)
    return value


def cases() -> list[Any]:
    out = []
    for name in FILES:
        doc = load(f"tests/validation/{name}.json")
        for case in doc["cases"]:
            out.append(pytest.param(doc["operation"], doc["service"], case, id=f"{doc['operation']}: {case['name']}"))
    return out


@pytest.mark.parametrize(("operation", "service", "case"), cases())
def test_case(operation: str, service: str, case: dict[str, Any]) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    kwargs = {keyword(k): when(v, now) for k, v in case["input"].items()}
    method = METHODS[operation]
    expect = case["expect"]
    with aliprefetch.Emulator(fixtures()) as emu:
        client = client_on(emu)
        try:
            result = getattr(client, method)(**kwargs)
        except TypeError as refused:
            # An unknown keyword or a missing required one, refused as a Python signature refuses it,
            # naming the same argument as the table.
            assert expect != "ok", case
            assert keyword(expect["field"]) in str(refused), (refused, expect)
            assert emu.request_counts() == [], "nothing was sent"
            return
        except aliprefetch.InvalidInputError as refused:
            error = refused
        else:
            assert expect == "ok", (case, result)
            assert result.request_id
            return
        assert isinstance(error, ValueError)
        assert (error.kind, error.field, error.rule, error.code) == (
            "InvalidInput",
            expect["field"],
            expect["rule"],
            None,
        )
        assert error.attempts == 0 and not error.retryable
        if case.get("client_only"):
            return
        # The same input sent unchecked: the service (here the emulator) refuses it with its own code.
        params = {k: wire(k, when(v, now)) for k, v in case["input"].items()}
        with pytest.raises(aliprefetch.AliPrefetchError) as answered:
            client.call(operation, service=service, params=params)
        assert answered.value.code == expect["service_code"], (answered.value, expect)
        assert isinstance(answered.value, aliprefetch.ApiError)


def test_keywords_are_the_cores_declaration_and_a_typo_is_a_type_error(emulator: aliprefetch.Emulator) -> None:
    client = client_on(emulator)
    with pytest.raises(TypeError, match="unexpected keyword argument 'domian_name'. Did you mean 'domain_name'"):
        client.describe_live_stream_preload_tasks(domian_name="play.example.com")
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'domain_name'"):
        client.describe_live_stream_preload_tasks(page_size=5)
    # The API's own name is not a Python keyword, and paging picks the pages itself.
    with pytest.raises(TypeError, match="unexpected keyword argument 'DomainName'"):
        client.describe_live_stream_preload_tasks(DomainName="play.example.com")
    with pytest.raises(TypeError, match="unexpected keyword argument 'page_num'"):
        client.iter_preload_tasks(domain_name="play.example.com", page_num=2)
    assert emulator.request_counts() == [], "nothing was sent"


def test_a_misspelt_setting_or_action_names_the_one_meant() -> None:
    with pytest.raises(TypeError, match="'regoin'. Did you mean 'region'"):
        aliprefetch.Client(regoin="cn-beijing")  # type: ignore[call-arg]
    with pytest.raises(aliprefetch.InvalidInputError, match="did you mean `SetLiveStreamPreloadTasks`"):
        aliprefetch.Client(rate_limits={"SetLiveStreamPreloadTask": 5})
    with pytest.raises(TypeError, match="'max_attempt'. Did you mean 'max_attempts'"):
        aliprefetch.RetryConfig(max_attempt=2)  # type: ignore[call-arg]


def test_a_task_id_that_cannot_be_one_is_refused_before_waiting(emulator: aliprefetch.Emulator) -> None:
    client = client_on(emulator)
    for given, rule in (("4be67dca-…", "placeholder"), ("4be67dca-...", "placeholder"), ("4be67dca 9f", "whitespace")):
        with pytest.raises(aliprefetch.InvalidInputError) as caught:
            client.wait_for_preload("play.example.com", [given], timeout=5)
        assert (caught.value.field, caught.value.rule) == ("TaskId", rule)
    assert emulator.request_counts() == [], "nothing was sent"


def test_batch_options_are_the_cores_declaration_and_a_typo_is_a_type_error(emulator: aliprefetch.Emulator) -> None:
    client = client_on(emulator)
    with pytest.raises(TypeError, match="unexpected keyword argument 'concurency'. Did you mean 'concurrency'"):
        client.preload_live_streams("play.example.com", ["rtmp://play.example.com/live/a"], concurency=3)
    with pytest.raises(TypeError, match="unexpected keyword argument 'slice_cnt'"):
        client.iter_refresh_media(["m1"], slice_cnt=2)
    with pytest.raises(TypeError, match="unexpected keyword argument 'timeout_ms'"):
        client.wait_for_preload("play.example.com", ["t1"], timeout_ms=1000)
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        client.wait_for_preload("play.example.com", ["t1"], poll_interval=-1)
    assert (caught.value.field, caught.value.rule) == ("poll_interval", "range")
    # A value is read by the rule of the parameter it fills, and named by it.
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        client.refresh_media(["m1"], result_type="Everything")
    assert (caught.value.field, caught.value.rule) == ("ResultType", "enum")
    assert emulator.request_counts() == [], "nothing was sent"


def test_a_naive_datetime_is_refused_saying_why(emulator: aliprefetch.Emulator) -> None:
    client = client_on(emulator)
    naive = dt.datetime(2030, 1, 2, 8, 0)
    with pytest.raises(aliprefetch.InvalidInputError) as caught:
        client.describe_live_stream_preload_tasks(domain_name="play.example.com", start_time=naive)
    assert (caught.value.field, caught.value.rule) == ("StartTime", "naive_time")
    assert "tzinfo" in str(caught.value)
    # Any offset is taken, and a time's text says what it takes.
    with pytest.raises(aliprefetch.InvalidInputError, match=r"RFC 3339: 2024-05-20T08:00:00Z or"):
        client.describe_live_stream_preload_tasks(domain_name="play.example.com", start_time="tomorrow")
    assert emulator.request_counts() == [], "nothing was sent"


def test_python_dash_m_runs_the_command() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "aliprefetch", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("aliprefetch "), done.stdout
