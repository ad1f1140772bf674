# The native module's public surface, checked against the compiled module by mypy.stubtest.
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from datetime import datetime
from enum import Enum
from os import PathLike
from types import TracebackType
from typing import Any, Generic, TypeVar, final

from typing_extensions import Self, Unpack

from ._operations import ClientConfig, RetryFields, SignV1Input, SignV3Input, _AsyncOperations, _Operations
from ._records import (
    DescribeLiveStreamPreloadTasksResult,
    HeldPreloadTask,
    HeldRefreshJob,
    HotLiveRtcStreamResult,
    ItemFailure,
    MediaItem,
    MediaReport,
    PreloadItem,
    PreloadReport,
    PreloadTask,
    PreloadTasksMessage,
    Progress,
    RefreshMediaPlayUrlsResult,
    RequestCount,
    SetLiveStreamPreloadTasksResult,
    SignedV1,
    SignedV3,
    UpdateLivePullToPushResult,
)
from .types import (
    Seconds,
    Service,
    Time,
)

__version__: str
__all__ = [
    "AsyncBatchIterator",
    "AsyncClient",
    "AsyncPreloadTaskIterator",
    "BatchIterator",
    "Client",
    "Credentials",
    "DescribeLiveStreamPreloadTasksResult",
    "Emulator",
    "HotLiveRtcStreamResult",
    "ItemFailure",
    "MediaItem",
    "MediaReport",
    "PreloadItem",
    "PreloadReport",
    "PreloadTask",
    "PreloadTaskIterator",
    "PreloadTasksMessage",
    "Progress",
    "RefreshMediaPlayUrlsResult",
    "RetryConfig",
    "SetLiveStreamPreloadTasksResult",
    "SignedRequest",
    "SignedV1",
    "SignedV3",
    "UpdateLivePullToPushResult",
    "__version__",
    "_tasks_in_flight",
    "run_cli",
    "sign_v1",
    "sign_v3",
]

_Strs = Sequence[str | Enum] | str
_Item = TypeVar("_Item")
_ProgressCallback = Callable[[Progress], object]

@final
class Credentials:
    def __new__(cls, access_key_id: str, access_key_secret: str, security_token: str | None = None) -> Self: ...
    @property
    def access_key_id(self) -> str: ...
    @property
    def has_security_token(self) -> bool: ...

@final
class RetryConfig:
    def __new__(cls, **fields: Unpack[RetryFields]) -> Self: ...
    @staticmethod
    def standard() -> RetryConfig: ...
    @staticmethod
    def disabled() -> RetryConfig: ...
    @property
    def max_attempts(self) -> int: ...
    @property
    def base_delay(self) -> float: ...
    @property
    def max_delay(self) -> float: ...
    @property
    def max_elapsed(self) -> float: ...

@final
class SignedRequest:
    @property
    def method(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...

def sign_v1(**input: Unpack[SignV1Input]) -> SignedV1: ...
def sign_v3(**input: Unpack[SignV3Input]) -> SignedV3: ...
def _tasks_in_flight() -> int: ...
def run_cli(args: Sequence[str]) -> int: ...

@final
class PreloadTaskIterator(Iterator[PreloadTask]):
    def __iter__(self) -> Self: ...
    def __next__(self) -> PreloadTask: ...

@final
class AsyncPreloadTaskIterator(AsyncIterator[PreloadTask]):
    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[PreloadTask]: ...

@final
class BatchIterator(Iterator[_Item], Generic[_Item]):
    def __iter__(self) -> Self: ...
    def __next__(self) -> _Item: ...
    def stop(self) -> None: ...
    def unsettled(self) -> list[str]: ...
    @property
    def duplicates_removed(self) -> int: ...
    @property
    def requests(self) -> int: ...

@final
class AsyncBatchIterator(AsyncIterator[_Item], Generic[_Item]):
    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[_Item]: ...
    def stop(self) -> None: ...
    def unsettled(self) -> list[str]: ...
    @property
    def duplicates_removed(self) -> int: ...
    @property
    def requests(self) -> int: ...

@final
class Client(_Operations):
    def __new__(cls, **config: Unpack[ClientConfig]) -> Self: ...
    @property
    def region(self) -> str: ...
    @property
    def pacing_is_shared(self) -> bool: ...
    def call(
        self, action: str, *, service: Service, params: Mapping[str, Any] | None = None, method: str = "POST"
    ) -> dict[str, Any]: ...
    def presign(self, action: str, params: Mapping[str, Any]) -> SignedRequest: ...

@final
class AsyncClient(_AsyncOperations):
    def __new__(cls, **config: Unpack[ClientConfig]) -> Self: ...
    @property
    def region(self) -> str: ...
    @property
    def pacing_is_shared(self) -> bool: ...
    def call(
        self, action: str, *, service: Service, params: Mapping[str, Any] | None = None, method: str = "POST"
    ) -> Awaitable[dict[str, Any]]: ...
    def presign(self, action: str, params: Mapping[str, Any]) -> Awaitable[SignedRequest]: ...

@final
class Emulator:
    def __new__(
        cls,
        fixtures: Mapping[str, Any] | str | PathLike[str] | None = None,
        *,
        seed: int = 0,
        now: Time | None = None,
    ) -> Self: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def credentials(self) -> Credentials: ...
    def advance(self, seconds: Seconds) -> None: ...
    def now(self) -> datetime: ...
    def tasks(self) -> list[HeldPreloadTask]: ...
    def refresh_jobs(self) -> list[HeldRefreshJob]: ...
    def request_counts(self) -> list[RequestCount]: ...
    def reset(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> bool: ...
