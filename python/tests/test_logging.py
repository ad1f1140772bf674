"""What a user sees through Python's `logging` (logger `aliprefetch`): one line per attempt, retries and
throttling, the signed request at level 5 (TRACE), and never a secret."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest

import aliprefetch
from conftest import DOMAIN, FAST_RETRY, fixtures

TRACE = 5
SECRET, TOKEN = "sEcReT-stssecret-42", "ToKeN-value-99"
THROTTLED = fixtures(faults={"error_rate": 1.0, "errors": ["Throttling.User"]})


def ours(caplog: pytest.LogCaptureFixture, level: int = logging.DEBUG) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name.startswith("aliprefetch") and not r.name.startswith("aliprefetch.emulator") and r.levelno >= level
    ]


def test_each_attempt_is_one_line_with_its_status_and_request_id(
    caplog: pytest.LogCaptureFixture, emulator: aliprefetch.Emulator
) -> None:
    caplog.set_level(logging.DEBUG, logger="aliprefetch")
    client = aliprefetch.Client(endpoint=emulator.endpoint, credentials=emulator.credentials, retry=FAST_RETRY)
    result = client.describe_live_stream_preload_tasks(domain_name=DOMAIN)
    lines = [r.getMessage() for r in ours(caplog) if r.name == "aliprefetch.client.send"]
    assert lines == [
        f"request action=DescribeLiveStreamPreloadTasks attempt=1 status=200 request_id={result.request_id} "
        + lines[0].rsplit(" ", 1)[1]
    ], lines
    assert lines[0].rsplit(" ", 1)[1].startswith("ms="), lines


def test_a_throttled_preload_shows_each_attempt_the_retries_and_the_end(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="aliprefetch")
    with aliprefetch.Emulator(THROTTLED) as emu:
        client = aliprefetch.Client(
            endpoint=emu.endpoint, credentials=emu.credentials, retry={"max_attempts": 2, "base_delay": 0.001}
        )
        report = client.preload_live_streams(DOMAIN, [f"https://{DOMAIN}/live/s{i}.flv" for i in range(3)])
        assert len(report.failed()) == 3 and not emu.tasks(), "refused before anything ran: not created"
    lines = [(r.levelname, r.getMessage()) for r in ours(caplog)]
    attempts = [m for _, m in lines if m.startswith("request ")]
    assert len(attempts) == 2, lines
    assert all("status=400 code=Throttling.User request_id=" in m for m in attempts), attempts
    retries = [m for lv, m in lines if lv == "INFO" and m.startswith("retrying in ")]
    assert len(retries) == 1 and retries[0].endswith(
        "ms after Throttling.User action=SetLiveStreamPreloadTasks attempt=2 max_attempts=2"
    ), lines
    assert any(m.startswith("not retried (the retry budget is spent)") for _, m in lines), lines


def test_nothing_is_logged_below_the_logger_s_level(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="aliprefetch")
    with aliprefetch.Emulator(THROTTLED) as emu:
        client = aliprefetch.Client(endpoint=emu.endpoint, credentials=emu.credentials, retry=FAST_RETRY)
        with pytest.raises(aliprefetch.ThrottledError):
            client.describe_live_stream_preload_tasks(domain_name=DOMAIN)
    assert ours(caplog, logging.NOTSET) == []


def test_the_signed_request_is_at_trace_level_and_no_secret_is_ever_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(1, logger="aliprefetch")
    accounts = {"accounts": [{"access_key_id": "STS.demo", "access_key_secret": SECRET, "security_token": TOKEN}]}
    with aliprefetch.Emulator(fixtures(**accounts)) as emu:
        for signature in ("v1", "v3"):
            client = aliprefetch.Client(
                endpoint=emu.endpoint, credentials=emu.credentials, signature_version=signature, retry=FAST_RETRY
            )
            client.describe_live_stream_preload_tasks(domain_name=DOMAIN)

            async def go(version: str = signature) -> None:
                async_client = aliprefetch.AsyncClient(
                    endpoint=emu.endpoint, credentials=emu.credentials, signature_version=version
                )
                await async_client.describe_live_stream_preload_tasks(domain_name=DOMAIN)

            asyncio.run(go())
    signed = [r.getMessage() for r in ours(caplog, TRACE) if r.levelno == TRACE]
    assert len(signed) == 4, signed
    assert any("Signature=<redacted>" in m and "SecurityToken=<redacted>" in m for m in signed), signed
    assert any("authorization: <redacted>" in m.lower() for m in signed), signed
    assert all(re.match(r"signed request: (GET|POST) http://127\.0\.0\.1:\d+/\?", m) for m in signed), signed
    assert {r.levelname for r in caplog.records if r.levelno == TRACE} == {"TRACE"}
    for record in caplog.records:
        text = record.getMessage()
        assert SECRET not in text and TOKEN not in text, text


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_handler_that_raises_does_not_break_the_call(
    caplog: pytest.LogCaptureFixture, emulator: aliprefetch.Emulator
) -> None:
    class Broken(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raise RuntimeError("a broken handler")

    logger = logging.getLogger("aliprefetch")
    broken = Broken()
    logger.addHandler(broken)
    logger.setLevel(logging.DEBUG)
    try:
        client = aliprefetch.Client(endpoint=emulator.endpoint, credentials=emulator.credentials)
        assert client.describe_live_stream_preload_tasks(domain_name=DOMAIN).total_num == 0
    finally:
        logger.removeHandler(broken)
        logger.setLevel(logging.NOTSET)
