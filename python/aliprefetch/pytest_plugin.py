"""The pytest plugin of aliprefetch, registered as ``aliprefetch`` (a ``pytest11`` entry point), so installing the
package is enough: a running emulator per test for code written against aliprefetch or an official SDK.

Fixtures:

- ``aliprefetch_emulator``: an :class:`aliprefetch.Emulator` of this test alone, on a free loopback port, stopped
  after it (so tests never share state, and ``pytest-xdist`` workers never share a port). Its fixtures (the
  emulator's fixture format: accounts, domains, faults, quotas, …) come from the ``aliprefetch`` marker::

      @pytest.mark.aliprefetch(fixtures={"faults": {"error_rate": 1.0, "errors": ["Throttling.User"]}}, seed=7)
      def test_retries(aliprefetch_emulator): ...

  What it holds is on the handle: ``tasks()``, ``refresh_jobs()``, ``request_counts()``, ``now()``,
  ``advance("90s")``, ``reset()``.
- ``aliprefetch_client``: an :class:`aliprefetch.Client` on that emulator.
- ``aliprefetch_sdk``: how to point an official SDK at it (:class:`OfficialSdkSettings`).
"""

from __future__ import annotations

import json
import os
import pathlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import aliprefetch


@dataclass(frozen=True)
class OfficialSdkSettings:
    """The emulator as the official Python SDKs are configured for it."""

    host: str
    access_key_id: str
    access_key_secret: str
    security_token: str | None

    def tea_config(self) -> dict[str, Any]:
        """Keyword arguments of ``alibabacloud_tea_openapi.models.Config`` (the current SDKs: V3, or V1 with
        ``signature_algorithm="v2"``)."""
        return {
            "access_key_id": self.access_key_id,
            "access_key_secret": self.access_key_secret,
            "security_token": self.security_token,
            "endpoint": self.host,
            "protocol": "http",
        }

    def point(self, request: Any) -> Any:
        """Points an ``aliyunsdkcore`` request (the older ``AcsClient`` SDK) at the emulator, over HTTP; returns it."""
        request.set_endpoint(self.host)
        request.set_protocol_type("http")
        return request


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "aliprefetch(fixtures=None, seed=0, now=None): the emulator of aliprefetch_emulator: its fixture format, "
        "fault seed and clock start",
    )


@pytest.fixture
def aliprefetch_emulator(request: pytest.FixtureRequest) -> Iterator[aliprefetch.Emulator]:
    """A running emulator of this test alone (see the module's documentation)."""
    marker = request.node.get_closest_marker("aliprefetch")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    if marker and marker.args:
        options.setdefault("fixtures", marker.args[0])
    with aliprefetch.Emulator(**options) as emulator:
        yield emulator


@pytest.fixture
def aliprefetch_client(aliprefetch_emulator: aliprefetch.Emulator) -> aliprefetch.Client:
    """An aliprefetch client on this test's emulator."""
    return aliprefetch.Client(endpoint=aliprefetch_emulator.endpoint, credentials=aliprefetch_emulator.credentials)


def _first_account(fixtures: Any) -> dict[str, Any]:
    """The first account of the emulator's fixtures (an object, its JSON text or a path), or the default one."""
    if isinstance(fixtures, (str, os.PathLike)):
        text = str(fixtures)
        fixtures = json.loads(text if text.lstrip().startswith("{") else pathlib.Path(text).read_text())
    accounts = (fixtures or {}).get("accounts") or [{"access_key_id": "testid", "access_key_secret": "testsecret"}]
    return dict(accounts[0])


@pytest.fixture
def aliprefetch_sdk(request: pytest.FixtureRequest, aliprefetch_emulator: aliprefetch.Emulator) -> OfficialSdkSettings:
    """How to point an official SDK at this test's emulator (its first account, which the test's fixtures name)."""
    marker = request.node.get_closest_marker("aliprefetch")
    fixtures = (marker.kwargs.get("fixtures") or (marker.args[0] if marker.args else None)) if marker else None
    account = _first_account(fixtures)
    return OfficialSdkSettings(
        host=aliprefetch_emulator.endpoint.removeprefix("http://"),
        access_key_id=account["access_key_id"],
        access_key_secret=account["access_key_secret"],
        security_token=account.get("security_token"),
    )
