"""Error mapping: every core kind to its exception class, with the fields; faults injected by the emulator."""

from __future__ import annotations

import socket
from typing import Any

import pytest

import aliprefetch
from aliprefetch import errors
from conftest import DOMAIN, client_on, run

SECRET = "sEcReT-9f8e7d"
TOKEN = "ToKeN/+=-4c3b2a"


def test_the_exception_tree() -> None:
    kinds = [
        errors.InvalidInputError, errors.CredentialsError, errors.AuthError, errors.ThrottledError, errors.ApiError,
        errors.ServerError, errors.TransportError, errors.RequestTimeoutError, errors.DecodeError,
    ]  # fmt: skip
    assert all(issubclass(k, aliprefetch.AliPrefetchError) for k in kinds)
    assert issubclass(aliprefetch.InvalidInputError, ValueError)
    assert issubclass(aliprefetch.RequestTimeoutError, TimeoutError)
    assert issubclass(aliprefetch.TransportError, ConnectionError)
    e = aliprefetch.ApiError("no", kind="Api", code="X", http_status=400)
    assert (str(e), e.code, e.http_status, e.retryable) == ("no", "X", 400, False)
    assert repr(e) == "ApiError('no', kind='Api', code='X', http_status=400)"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_throttling(mode: str) -> None:
    with aliprefetch.Emulator({"faults": {"error_rate": 1.0, "errors": ["Throttling.User"]}}) as emu:
        client = client_on(emu, mode)
        with pytest.raises(aliprefetch.ThrottledError) as e:
            run(client, "describe_live_stream_preload_tasks", domain_name=DOMAIN)
    assert (e.value.kind, e.value.code, e.value.retryable, e.value.attempts) == (
        "Throttled",
        "Throttling.User",
        True,
        3,
    )
    assert e.value.request_id and e.value.http_status


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_server_failure_is_retried_then_raised(mode: str) -> None:
    with aliprefetch.Emulator({"faults": {"error_rate": 1.0, "errors": ["ServiceUnavailable"]}}) as emu:
        client = client_on(emu, mode)
        with pytest.raises(aliprefetch.ServerError) as e:
            run(
                client,
                "hot_live_rtc_stream",
                domain_name=DOMAIN,
                app_name="a",
                stream_name="s",
                region_code="US",
                audio_msid="a",
                video_msid="v",
            )
    assert (e.value.code, e.value.http_status, e.value.attempts) == ("ServiceUnavailable", 503, 3)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_auth(mode: str, emulator: aliprefetch.Emulator) -> None:
    wrong = run_with(emulator, mode, aliprefetch.Credentials("testid", SECRET, TOKEN))
    with pytest.raises(aliprefetch.AuthError) as e:
        run(wrong, "describe_live_stream_preload_tasks", domain_name=DOMAIN)
    assert (e.value.kind, e.value.code, e.value.http_status, e.value.attempts) == (
        "Auth",
        "SignatureDoesNotMatch",
        400,
        1,
    )
    for shown in (str(e.value), repr(e.value), e.value.message):
        assert SECRET not in shown and TOKEN not in shown
    unknown = run_with(emulator, mode, aliprefetch.Credentials("nobody", "x"))
    with pytest.raises(aliprefetch.AuthError) as e:
        run(unknown, "describe_live_stream_preload_tasks", domain_name=DOMAIN)
    assert (e.value.code, e.value.http_status) == ("InvalidAccessKeyId.NotFound", 404)


def run_with(emu: aliprefetch.Emulator, mode: str, creds: aliprefetch.Credentials) -> Any:
    cls = aliprefetch.AsyncClient if mode == "async" else aliprefetch.Client
    return cls(endpoint=emu.endpoint, credentials=creds, retry=aliprefetch.RetryConfig(base_delay=0.005))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_transport_failure(mode: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = (aliprefetch.AsyncClient if mode == "async" else aliprefetch.Client)(
        endpoint=f"127.0.0.1:{port}",
        credentials=aliprefetch.Credentials("a", "b"),
        retry=aliprefetch.RetryConfig(base_delay=0.005),
    )
    with pytest.raises(aliprefetch.TransportError) as e:
        run(client, "set_live_stream_preload_tasks", domain_name=DOMAIN, play_urls=["rtmp://h/a/s"])
    assert isinstance(e.value, ConnectionError)
    assert (e.value.kind, e.value.attempts, e.value.http_status) == ("Transport", 3, None), "never reached: retried"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_read_timeout(mode: str) -> None:
    with aliprefetch.Emulator({"faults": {"latency_ms": 2000}}) as emu:
        client = client_on(emu, mode, read_timeout=0.2, retry="disabled")
        with pytest.raises(aliprefetch.RequestTimeoutError) as e:
            run(client, "describe_live_stream_preload_tasks", domain_name=DOMAIN)
    assert isinstance(e.value, TimeoutError)
    assert (e.value.kind, e.value.attempts) == ("Timeout", 1)


def test_api_error_and_missing_credentials(emulator: aliprefetch.Emulator, tmp_path: Any, monkeypatch: Any) -> None:
    with pytest.raises(aliprefetch.ApiError) as e:
        client_on(emulator).update_live_pull_to_push(task_id="nope", region="cn-shanghai")
    assert (e.value.code, e.value.http_status, e.value.retryable) == ("CodeTaskNotExist", 400, False)
    monkeypatch.setenv("HOME", str(tmp_path))
    client = aliprefetch.Client(endpoint=emulator.endpoint, profile="event")
    with pytest.raises(aliprefetch.CredentialsError) as c:
        client.describe_live_stream_preload_tasks(domain_name=DOMAIN)
    assert c.value.kind == "Credentials" and "config.json" in c.value.message


def test_secrets_stay_out_of_reprs(emulator: aliprefetch.Emulator) -> None:
    creds = aliprefetch.Credentials("LTAI-id", SECRET, TOKEN)
    assert "LTAI-id" in repr(creds) and SECRET not in repr(creds) and TOKEN not in repr(creds)
    for signature in ("v1", "v3"):
        client = aliprefetch.Client(endpoint=emulator.endpoint, credentials=creds, signature_version=signature)  # type: ignore[arg-type]
        signed = client.presign("DescribeLiveStreamPreloadTasks", {"DomainName": DOMAIN})
        secret_parts = [v for k, v in signed.headers if k in ("authorization", "x-acs-security-token")]
        secret_parts += [
            v
            for k, v in (p.split("=", 1) for p in signed.url.split("?", 1)[1].split("&"))
            if k in ("Signature", "SecurityToken")
        ]
        assert secret_parts, signature
        for part in secret_parts:
            assert part not in repr(signed), (signature, repr(signed))
        assert SECRET not in repr(client)
