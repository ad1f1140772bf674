"""Alibaba Cloud ApsaraVideo prefetch and relay APIs on the aliprefetch Rust core.

``Client`` blocks (with the GIL released); ``AsyncClient`` returns awaitables for asyncio. Both sign
byte-identically to the official SDKs (V3 by default, V1), refuse bad input before sending with an
``InvalidInputError`` naming the field, retry, pace under the documented quotas, split batches, page and
wait. ``Emulator`` runs the local service in-process for tests.
"""

from __future__ import annotations

from ._aliprefetch import (
    AsyncClient,
    AsyncPreloadTaskIterator,
    Client,
    Credentials,
    DescribeLiveStreamPreloadTasksResult,
    Emulator,
    HotLiveRtcStreamResult,
    ItemFailure,
    MediaItem,
    MediaReport,
    PreloadItem,
    PreloadReport,
    PreloadTask,
    PreloadTaskIterator,
    PreloadTasksMessage,
    Progress,
    RefreshMediaPlayUrlsResult,
    RetryConfig,
    SetLiveStreamPreloadTasksResult,
    SignedRequest,
    SignedV1,
    SignedV3,
    UpdateLivePullToPushResult,
    __version__,
    sign_v1,
    sign_v3,
)
from .errors import (
    AliPrefetchError,
    ApiError,
    AuthError,
    CredentialsError,
    DecodeError,
    InvalidInputError,
    RequestTimeoutError,
    ServerError,
    ThrottledError,
    TransportError,
)

__all__ = [
    "AliPrefetchError",
    "ApiError",
    "AsyncClient",
    "AsyncPreloadTaskIterator",
    "AuthError",
    "Client",
    "Credentials",
    "CredentialsError",
    "DecodeError",
    "DescribeLiveStreamPreloadTasksResult",
    "Emulator",
    "HotLiveRtcStreamResult",
    "InvalidInputError",
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
    "RequestTimeoutError",
    "RetryConfig",
    "ServerError",
    "SetLiveStreamPreloadTasksResult",
    "SignedRequest",
    "SignedV1",
    "SignedV3",
    "ThrottledError",
    "TransportError",
    "UpdateLivePullToPushResult",
    "__version__",
    "sign_v1",
    "sign_v3",
]
