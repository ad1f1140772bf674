"""The documented value sets, as ``Literal`` types for annotations. Any of these strings (or an ``enum.Enum``
whose value is one) is accepted where the API takes the set."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

Area = Literal["domestic", "overseas", "global"]
PreloadStatus = Literal["pending", "preloading", "complete", "failed"]
PullToPushRegion = Literal["ap-southeast-1", "ap-southeast-5", "cn-beijing", "cn-shanghai"]
TaskType = Literal["Refresh", "Preload"]
MediaFormat = Literal["mp4", "m3u8", "mp3", "flv", "webm", "ts"]
Definition = Literal["FD", "LD", "SD", "HD", "OD", "2K", "4K", "SQ", "HQ", "AUTO"]
StreamType = Literal["video", "audio"]
ResultType = Literal["Single", "Multiple"]
SignatureVersion = Literal["v3", "v1"]
Service = Literal["live", "vod"]
ItemOutcome = Literal["submitted", "not_found", "forbidden", "failed"]
ErrorKind = Literal[
    "InvalidInput", "Credentials", "Auth", "Throttled", "Api", "Server", "Transport", "Timeout", "Decode", "Internal"
]
#: A point in time: a ``datetime`` (naive ones are local time) or ``yyyy-MM-ddTHH:mm:ssZ``.
Time = datetime | str
#: A duration: seconds as a number, or a ``timedelta``.
Seconds = float | timedelta
