"""A user's own test suite: code written against the official Alibaba Cloud SDK and aliprefetch, tested with the
fixtures of aliprefetch's pytest plugin (installed with the package; nothing to configure). scripts/check-install
runs it from the wheel in target/dist; python/tests/test_pytest_plugin.py runs it against the build under test."""

import pytest
from alibabacloud_live20161101 import models as live_models
from alibabacloud_live20161101.client import Client as LiveClient
from alibabacloud_tea_openapi import models as open_api_models

import aliprefetch

DOMAIN = "play.example.com"


def test_a_task_is_created(aliprefetch_client, aliprefetch_emulator):
    aliprefetch_client.set_live_stream_preload_tasks(domain_name=DOMAIN, play_urls=[f"rtmp://{DOMAIN}/live/a"])
    assert [t["play_url"] for t in aliprefetch_emulator.tasks()] == [f"rtmp://{DOMAIN}/live/a"]


def test_each_test_starts_empty(aliprefetch_emulator):
    assert aliprefetch_emulator.tasks() == []


@pytest.mark.aliprefetch(fixtures={"accounts": [{"access_key_id": "mine", "access_key_secret": "s3cret"}]})
@pytest.mark.parametrize("algorithm", [None, "v2"])
def test_the_official_sdk_points_at_it(aliprefetch_sdk, aliprefetch_emulator, algorithm):
    config = open_api_models.Config(**aliprefetch_sdk.tea_config())
    if algorithm:
        config.signature_algorithm = algorithm
    body = (
        LiveClient(config)
        .set_live_stream_preload_tasks(
            live_models.SetLiveStreamPreloadTasksRequest(domain_name=DOMAIN, play_url=f"rtmp://{DOMAIN}/live/sdk")
        )
        .body
    )
    assert body.success_url == 1
    assert [(t["account"], t["play_url"]) for t in aliprefetch_emulator.tasks()] == [
        ("mine", f"rtmp://{DOMAIN}/live/sdk")
    ]


@pytest.mark.aliprefetch(fixtures={"faults": {"error_rate": 1.0, "errors": ["Throttling.User"]}})
def test_faults_and_the_clock(aliprefetch_client, aliprefetch_emulator):
    with pytest.raises(aliprefetch.ThrottledError):
        aliprefetch_client.describe_live_stream_preload_tasks(domain_name=DOMAIN)
    before = aliprefetch_emulator.now()
    aliprefetch_emulator.advance("1h")
    # The emulator's clock runs on between the two readings: at least the hour, and not a minute more.
    assert 3600 <= (aliprefetch_emulator.now() - before).total_seconds() < 3660
