"""The language-neutral validation table (tests/validation/), replayed through the Python API.

Each refusing case must raise InvalidInputError (also a ValueError) naming the table's field and rule,
before anything is sent; each accepting case must succeed against the emulator. Sent unchecked through
the generic `call`, each refusing case that the service also sees gets the table's service code.

A keyword-only Python signature cannot be called with a required argument missing or with a name it does
not have: Python itself refuses those calls with a TypeError naming the argument, before any code runs.
"""

from __future__ import annotations

import datetime as dt
import inspect
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


def keywords(method: str) -> tuple[set[str], set[str]]:
    """The keyword arguments of a method, and those without a default."""
    params = inspect.signature(getattr(aliprefetch.Client, method)).parameters.values()
    names = {p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY}
    return names, {p.name for p in params if p.name in names and p.default is inspect.Parameter.empty}


@pytest.mark.parametrize(("operation", "service", "case"), cases())
def test_case(operation: str, service: str, case: dict[str, Any]) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    kwargs = {keyword(k): when(v, now) for k, v in case["input"].items()}
    method = METHODS[operation]
    expect = case["expect"]
    with aliprefetch.Emulator(fixtures()) as emu:
        client = client_on(emu)
        known, required = keywords(method)
        unknown = [k for k in kwargs if k not in known]
        missing = [k for k in required if k not in kwargs]
        if unknown or missing:
            # Python refuses the call itself; the table names the same argument.
            assert expect != "ok", case
            with pytest.raises(TypeError) as refused:
                getattr(client, method)(**kwargs)
            assert keyword(expect["field"]) in str(refused.value), (refused.value, expect)
            return
        if expect == "ok":
            result = getattr(client, method)(**kwargs)
            assert result.request_id
            return
        with pytest.raises(aliprefetch.InvalidInputError) as refused:
            getattr(client, method)(**kwargs)
        error = refused.value
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
