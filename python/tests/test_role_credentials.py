"""Role credentials in Python with no code change: the RRSA variables ACK injects make the default chain
assume the role through the emulator's STS, and a bad token is a CredentialsError naming the provider."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import aliprefetch
from conftest import DOMAIN

ROLE = "acs:ram::1234567890123456:role/prefetch"
PROVIDER = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1"


def rrsa(monkeypatch: Any, home: Path, emulator: aliprefetch.Emulator, token: str) -> None:
    """An empty home, no access key, no metadata service, and what RRSA injects into a pod."""
    for name in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    token_file = home / "oidc-token"
    token_file.write_text(token)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
    monkeypatch.setenv("ALIBABA_CLOUD_STS_ENDPOINT", emulator.endpoint)
    monkeypatch.setenv("ALIBABA_CLOUD_ROLE_ARN", ROLE)
    monkeypatch.setenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER)
    monkeypatch.setenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE", str(token_file))


def sts_calls(emulator: aliprefetch.Emulator, outcome: str) -> int:
    return sum(
        c["count"] for c in emulator.request_counts() if c["action"] == "AssumeRoleWithOIDC" and c["outcome"] == outcome
    )


def test_the_default_chain_picks_the_oidc_role(tmp_path: Path, monkeypatch: Any) -> None:
    fixtures = {"sts": {"roles": [ROLE], "oidc_tokens": ["good-token"]}}
    with aliprefetch.Emulator(fixtures) as emu:
        rrsa(monkeypatch, tmp_path, emu, "good-token")
        client = aliprefetch.Client(endpoint=emu.endpoint)  # no credentials given: the chain finds them
        client.set_live_stream_preload_tasks(domain_name=DOMAIN, play_urls=[f"rtmp://{DOMAIN}/rrsa/s1"])
        assert [t["play_url"] for t in emu.tasks()] == [f"rtmp://{DOMAIN}/rrsa/s1"]
        assert sts_calls(emu, "ok") == 1, emu.request_counts()


def test_a_bad_token_is_a_credentials_error_naming_the_provider(tmp_path: Path, monkeypatch: Any) -> None:
    fixtures = {"sts": {"roles": [ROLE], "oidc_tokens": ["good-token"]}}
    with aliprefetch.Emulator(fixtures) as emu:
        rrsa(monkeypatch, tmp_path, emu, "stolen-token-123")
        client = aliprefetch.Client(endpoint=emu.endpoint)
        with pytest.raises(aliprefetch.CredentialsError) as e:
            client.describe_live_stream_preload_tasks(domain_name=DOMAIN)
        assert "oidc_role_arn" in e.value.message and "AuthenticationFail.OIDCToken.Invalid" in e.value.message
        assert "stolen-token-123" not in str(e.value) and "stolen-token-123" not in repr(e.value)
        assert sts_calls(emu, "AuthenticationFail.OIDCToken.Invalid") == 1


def test_a_profile_gives_its_region_unless_the_environment_or_an_option_does(tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / ".aliyun").mkdir()
    (tmp_path / ".aliyun" / "config.json").write_text(
        '{"current": "main", "profiles": [{"name": "main", "mode": "AK", "access_key_id": "id",'
        ' "access_key_secret": "secret", "region_id": "cn-beijing", "retry_count": 4}]}'
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_ACCESS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    assert aliprefetch.Client().region == "cn-beijing"
    assert aliprefetch.Client(profile="main").region == "cn-beijing"
    monkeypatch.setenv("ALIBABA_CLOUD_REGION_ID", "ap-southeast-1")
    assert aliprefetch.Client().region == "ap-southeast-1"
    assert aliprefetch.Client(region="cn-shenzhen").region == "cn-shenzhen"
    explicit = aliprefetch.Client(credentials=aliprefetch.Credentials("id", "secret"))
    assert explicit.region == "ap-southeast-1", "the environment applies; a profile only without explicit credentials"
