"""The documented value sets, as ``Literal`` types for annotations. Any of these strings (or an ``enum.Enum``
whose value is one) is accepted where the API takes the set."""

from __future__ import annotations

from datetime import datetime, timedelta

# The core's value sets, generated from it into _value_sets.py.
from aliprefetch._value_sets import (
    Area,
    Definition,
    ErrorKind,
    ItemOutcome,
    MediaFormat,
    PreloadStatus,
    PullToPushRegion,
    ResultType,
    Service,
    SignatureVersion,
    StreamType,
    TaskType,
)

__all__ = [
    "Area",
    "Definition",
    "ErrorKind",
    "ItemOutcome",
    "MediaFormat",
    "PreloadStatus",
    "PullToPushRegion",
    "ResultType",
    "Seconds",
    "Service",
    "SignatureVersion",
    "StreamType",
    "TaskType",
    "Time",
]

#: A point in time: a ``datetime`` (naive ones are local time) or ``yyyy-MM-ddTHH:mm:ssZ``.
Time = datetime | str
#: A duration: seconds as a number, or a ``timedelta``.
Seconds = float | timedelta
