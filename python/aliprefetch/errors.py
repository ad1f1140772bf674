"""The exceptions of aliprefetch: one base class, one subclass per kind of failure."""

from __future__ import annotations


class AliPrefetchError(Exception):
    """Every failure of aliprefetch. ``kind`` names the class of failure (``InvalidInput``, ``Auth``, …);
    ``code`` is the service's error code when the service answered."""

    kind: str
    message: str
    code: str | None
    request_id: str | None
    host_id: str | None
    recommend: str | None
    http_status: int | None
    retryable: bool
    attempts: int
    field: str | None
    rule: str | None
    retry_after: float | None

    def __init__(
        self,
        message: str,
        *,
        kind: str = "Internal",
        code: str | None = None,
        request_id: str | None = None,
        host_id: str | None = None,
        recommend: str | None = None,
        http_status: int | None = None,
        retryable: bool = False,
        attempts: int = 0,
        field: str | None = None,
        rule: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.code = code
        self.request_id = request_id
        self.host_id = host_id
        self.recommend = recommend
        self.http_status = http_status
        self.retryable = retryable
        self.attempts = attempts
        self.field = field
        self.rule = rule
        self.retry_after = retry_after

    def __repr__(self) -> str:
        details = [f"kind={self.kind!r}"]
        for name in ("code", "field", "rule", "http_status", "request_id"):
            value = getattr(self, name)
            if value is not None:
                details.append(f"{name}={value!r}")
        return f"{type(self).__name__}({self.message!r}, {', '.join(details)})"


class InvalidInputError(AliPrefetchError, ValueError):
    """A parameter broke a documented rule; nothing was sent. ``field`` and ``rule`` say which."""


class CredentialsError(AliPrefetchError):
    """No credentials could be found or fetched; the message lists every source tried."""


class AuthError(AliPrefetchError):
    """The service refused the credentials or the signature."""


class ThrottledError(AliPrefetchError):
    """The service throttled the call (after the retries); ``retry_after`` is its hint in seconds."""


class ApiError(AliPrefetchError):
    """The service refused the request (a 4xx with a service code)."""


class ServerError(AliPrefetchError):
    """The service failed (5xx) after the retries."""


class TransportError(AliPrefetchError, ConnectionError):
    """The request did not complete at the transport level (connect, reset, TLS)."""


class RequestTimeoutError(AliPrefetchError, TimeoutError):
    """A deadline passed: the read timeout, or a wait that did not finish in time."""


class DecodeError(AliPrefetchError):
    """An answer could not be understood."""


__all__ = [
    "AliPrefetchError",
    "ApiError",
    "AuthError",
    "CredentialsError",
    "DecodeError",
    "InvalidInputError",
    "RequestTimeoutError",
    "ServerError",
    "ThrottledError",
    "TransportError",
]
