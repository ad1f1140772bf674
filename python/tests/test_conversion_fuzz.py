"""Fuzzing the conversion of Python values through the Rust side: any value built from the types a user
may pass (nested, self-containing, deep) as any parameter of any operation is either accepted or refused
with an AliPrefetchError naming the field, never a crash, a hang or another exception."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import aliprefetch

ACTIONS = {
    "SetLiveStreamPreloadTasks": ["DomainName", "PlayUrl", "Area", "PreloadedStartTime", "PreloadedEndTime"],
    "DescribeLiveStreamPreloadTasks": ["DomainName", "TaskId", "PlayUrl", "Status", "PageSize", "PageNum"],
    "HotLiveRtcStream": ["DomainName", "AppName", "StreamName", "RegionCode", "ConnectionTimeout"],
    "UpdateLivePullToPush": ["TaskId", "Region", "SourceUrls", "RepeatNumber", "Offset", "CallbackUrl"],
    "RefreshMediaPlayUrls": ["MediaIds", "TaskType", "Formats", "SliceCount", "UserData"],
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(tuple),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=40,
)


def loop_into(value: Any, depth: int) -> Any:
    """`value` wrapped in `depth` lists, the innermost holding the outermost: a cycle."""
    outer: list[Any] = [value]
    inner = outer
    for _ in range(depth):
        nxt: list[Any] = [value]
        inner.append(nxt)
        inner = nxt
    inner.append(outer)
    return outer


def nest(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


shaped = st.one_of(
    values,
    st.builds(loop_into, values, st.integers(min_value=0, max_value=40)),
    st.builds(nest, values, st.integers(min_value=0, max_value=20_000)),
)

CLIENT = aliprefetch.Client(endpoint="127.0.0.1:9", credentials=aliprefetch.Credentials("testid", "testsecret"))


@settings(max_examples=300, deadline=None)
@given(
    action=st.sampled_from(sorted(ACTIONS)),
    data=st.data(),
)
def test_any_value_as_any_parameter_is_taken_or_refused_cleanly(action: str, data: st.DataObject) -> None:
    field = data.draw(st.sampled_from(ACTIONS[action]))
    value = data.draw(shaped)
    params: dict[str, Any] = {field: value}
    try:
        # presign validates and signs exactly as a call would, without sending anything.
        CLIENT.presign(action, params)
    except aliprefetch.AliPrefetchError as e:
        assert e.kind == "InvalidInput", e
