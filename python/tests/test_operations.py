"""Every operation, sync and async, against the in-process emulator."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import pytest

import aliprefetch
from conftest import DOMAIN, RELAY_TASK, client_on, run


def test_set_and_describe(client: Any, emulator: aliprefetch.Emulator) -> None:
    start = emulator.now() + dt.timedelta(minutes=1)
    created = run(
        client,
        "set_live_stream_preload_tasks",
        domain_name=DOMAIN,
        play_urls=["rtmp://play.example.com/live/a", "rtmp://play.example.com/live/b"],
        area="domestic",
        preloaded_start_time=start,
        preloaded_end_time=start + dt.timedelta(hours=1),
    )
    assert isinstance(created, aliprefetch.SetLiveStreamPreloadTasksResult)
    assert (created.total_url, created.success_url, created.failed_url) == (2, 2, 0)
    messages = created.preload_tasks_messages
    assert [m.play_url for m in messages] == ["rtmp://play.example.com/live/a", "rtmp://play.example.com/live/b"]
    assert all(m.succeeded and len(m.task_id) == 36 for m in messages)
    assert created.request_id and "SetLiveStreamPreloadTasksResult(request_id=" in repr(created)
    assert created.to_dict()["preload_tasks_messages"][0]["play_url"] == "rtmp://play.example.com/live/a"

    page = run(client, "describe_live_stream_preload_tasks", domain_name=DOMAIN, task_id=messages[0].task_id)
    assert isinstance(page, aliprefetch.DescribeLiveStreamPreloadTasksResult)
    assert page.total_num == 1
    task = page.preload_tasks[0]
    assert (task.task_id, task.play_url, task.area, task.status) == (
        messages[0].task_id,
        messages[0].play_url,
        "domestic",
        "pending",
    )
    assert task.preloaded_start_time == start.replace(microsecond=0)
    assert task.create_time is not None and task.create_time.tzinfo is not None
    assert task.progress_percent == 0.0
    assert task.to_dict()["preloaded_start_time"] == task.preloaded_start_time


def test_hot_live_rtc_stream(client: Any) -> None:
    result = run(
        client,
        "hot_live_rtc_stream",
        domain_name=DOMAIN,
        app_name="live",
        stream_name="s1",
        region_code="ZHJ",
        audio_msid="rts audio",
        video_msid="rts video",
        connection_timeout=dt.timedelta(seconds=30),
        media_timeout=100000,
    )
    assert isinstance(result, aliprefetch.HotLiveRtcStreamResult)
    assert result.request_id
    assert result.to_dict() == {"request_id": result.request_id}


def test_update_live_pull_to_push(client: Any) -> None:
    result = run(
        client,
        "update_live_pull_to_push",
        task_id=RELAY_TASK,
        region="cn-shanghai",
        source_urls=["rtmp://origin.example.com/app/a", "rtmp://origin.example.com/app/b"],
        repeat_number=-1,
        offset=dt.timedelta(seconds=30),
        end_time=dt.datetime(2030, 1, 3, tzinfo=dt.timezone.utc),
    )
    assert isinstance(result, aliprefetch.UpdateLivePullToPushResult)
    assert (result.ret_code, result.description) == (0, "OK")


def test_refresh_media_play_urls() -> None:
    with aliprefetch.Emulator(
        {"vod": {"media": [{"media_id": "m1"}, {"media_id": "locked", "forbidden": True}]}}
    ) as emu:
        for mode in ("sync", "async"):
            client = client_on(emu, mode)
            result = run(
                client,
                "refresh_media_play_urls",
                media_ids=["m1", "nope", "locked"],
                task_type="Refresh",
                formats=["mp4", "m3u8"],
                result_type="Single",
                user_data={"Extend": {"localId": "x"}},
            )
            assert isinstance(result, aliprefetch.RefreshMediaPlayUrlsResult)
            assert result.media_refresh_job_id
            assert (result.non_exist_media_ids, result.forbidden_media_ids) == (["nope"], ["locked"])


def test_enums_and_strings_both_work(client: Any) -> None:
    class Area(enum.Enum):
        OVERSEAS = "overseas"

    result = run(
        client,
        "set_live_stream_preload_tasks",
        domain_name=DOMAIN,
        play_urls="rtmp://h/a/1,rtmp://h/a/2",
        area=Area.OVERSEAS,
    )
    assert result.success_url == 2


def test_generic_call_and_presign(client: Any, emulator: aliprefetch.Emulator) -> None:
    answer = run(
        client, "call", "DescribeLiveStreamPreloadTasks", service="live", params={"DomainName": DOMAIN, "PageSize": 5}
    )
    assert answer["PageSize"] == 5 and isinstance(answer["RequestId"], str)
    signed = run(client, "presign", "SetLiveStreamPreloadTasks", {"DomainName": DOMAIN, "PlayUrl": ["rtmp://h/a/s"]})
    assert isinstance(signed, aliprefetch.SignedRequest)
    assert signed.method == "POST" and signed.url.startswith(emulator.endpoint)
    authorization = dict(signed.headers)["authorization"]
    assert authorization.startswith("ACS3-HMAC-SHA256 Credential=testid,")
    assert authorization not in repr(signed) and "<redacted>" in repr(signed)
    # What a person reads: the method, the URL and the headers, the secrets redacted.
    assert repr(signed).startswith(f'SignedRequest(method="POST", url="{emulator.endpoint}')
    assert "authorization" in repr(signed) and "x-acs-date" in repr(signed)
    with pytest.raises(aliprefetch.InvalidInputError) as refused:
        run(client, "presign", "SetLiveStreamPreloadTasks", {"DomainName": DOMAIN})
    assert refused.value.field == "PlayUrl"


def test_v1_signing_and_sts(emulator: aliprefetch.Emulator) -> None:
    sts = {
        "accounts": [{"access_key_id": "STS.demo", "access_key_secret": "stssecret", "security_token": "token-value"}]
    }
    with aliprefetch.Emulator(sts) as emu:
        assert emu.credentials.has_security_token
        for signature in ("v1", "v3"):
            client = aliprefetch.Client(endpoint=emu.endpoint, credentials=emu.credentials, signature_version=signature)
            assert client.describe_live_stream_preload_tasks(domain_name=DOMAIN).total_num == 0


def test_client_options_are_checked() -> None:
    with pytest.raises(aliprefetch.InvalidInputError) as e:
        aliprefetch.Client(endpoint="http://example.com", credentials=aliprefetch.Credentials("a", "b"))
    assert e.value.field == "endpoint"
    with pytest.raises(aliprefetch.InvalidInputError) as e:
        aliprefetch.Client(signature_version="v2")  # type: ignore[arg-type]
    assert e.value.field == "signature_version"
    with pytest.raises(aliprefetch.InvalidInputError):
        aliprefetch.Client(credentials=aliprefetch.Credentials("a", "b"), profile="p")
    creds = aliprefetch.Credentials("a", "b")
    with pytest.raises(aliprefetch.InvalidInputError) as e:
        aliprefetch.Client(credentials=creds, rate_limit_url="http://:pw-1234@127.0.0.1:6379")
    assert (e.value.field, e.value.rule) == ("rate_limit_url", "format")
    assert "pw-1234" not in str(e.value)
    with pytest.raises(aliprefetch.InvalidInputError) as e:
        aliprefetch.Client(credentials=creds, rate_limits="disabled", rate_limit_url="redis://127.0.0.1:1/0")
    assert (e.value.field, e.value.rule) == ("rate_limit_url", "conflict")
    shared = aliprefetch.Client(credentials=creds, rate_limit_url="redis://:pw-1234@127.0.0.1:1/0?key_prefix=p")
    assert shared.pacing_is_shared is False  # until Redis answers
    client = aliprefetch.Client(
        region="cn-beijing", rate_limits={"HotLiveRtcStream": 0}, retry="disabled", read_timeout=2.5
    )
    assert client.region == "cn-beijing"
    assert "live.aliyuncs.com" in repr(client)


def test_a_misspelt_client_setting_is_refused_and_a_retry_dict_is_taken() -> None:
    # The keywords are the core's declaration (CLIENT_OPTIONS), as the stub's ClientConfig says.
    with pytest.raises(TypeError, match="regoin"):
        aliprefetch.Client(regoin="cn-beijing")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="attempts"):
        aliprefetch.RetryConfig(attempts=2)  # type: ignore[call-arg]
    with pytest.raises(aliprefetch.InvalidInputError) as e:
        aliprefetch.Client(retry={"max_attempts": 0})
    assert (e.value.field, e.value.rule) == ("max_attempts", "range")
    retry = aliprefetch.RetryConfig(max_attempts=2, base_delay=dt.timedelta(milliseconds=10), max_delay=0.5)
    assert (retry.max_attempts, retry.base_delay, retry.max_delay) == (2, 0.01, 0.5)
    client = aliprefetch.Client(
        credentials=aliprefetch.Credentials("a", "b"),
        retry={"max_attempts": 2, "max_elapsed": dt.timedelta(seconds=1)},
        connect_timeout=dt.timedelta(seconds=1),
        user_agent="mine/1",
    )
    assert client.region == "cn-shanghai"


def test_durations_go_on_the_wire_in_each_parameter_s_unit(emulator: aliprefetch.Emulator) -> None:
    # The units are the core's table (ConnectionTimeout and MediaTimeout in ms, Offset in s), not the binding's.
    client = client_on(emulator)
    hot = client.presign(
        "HotLiveRtcStream",
        {
            "DomainName": DOMAIN,
            "AppName": "live",
            "StreamName": "s1",
            "RegionCode": "ZHJ",
            "AudioMsid": "a",
            "VideoMsid": "v",
            "ConnectionTimeout": dt.timedelta(seconds=30),
            "MediaTimeout": dt.timedelta(milliseconds=1500),
        },
    )
    assert "ConnectionTimeout=30000" in hot.url and "MediaTimeout=1500" in hot.url, hot.url
    relay = client.presign(
        "UpdateLivePullToPush", {"TaskId": RELAY_TASK, "Region": "cn-shanghai", "Offset": dt.timedelta(minutes=2)}
    )
    assert "Offset=120" in relay.url, relay.url


def test_advance_takes_seconds_or_a_duration_with_its_unit(emulator: aliprefetch.Emulator) -> None:
    # One form in every language: `advance(60_000)` once meant 60 s in Node and 16 h 40 min here.
    start = emulator.now()
    emulator.advance(90)
    emulator.advance(dt.timedelta(minutes=1))
    emulator.advance("1h")
    emulator.advance("1500ms")
    # The clock also runs on between the readings: at least the steps, and not a minute more.
    assert 3600 + 150 + 1 <= (emulator.now() - start).total_seconds() < 3600 + 150 + 60
    with pytest.raises(aliprefetch.InvalidInputError) as refused:
        emulator.advance("soon")
    assert (refused.value.field, refused.value.rule) == ("by", "duration")
    assert emulator.now() - start < dt.timedelta(hours=2), "a refused step does not move the clock"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_time_may_be_relative_to_now_as_on_the_command_line(emulator: aliprefetch.Emulator, mode: str) -> None:
    client = client_on(emulator, mode)
    run(client, "set_live_stream_preload_tasks", domain_name=DOMAIN, play_urls=[f"rtmp://{DOMAIN}/live/rel"],
        preloaded_start_time="now+1h", preloaded_end_time="now + 2h 30m")  # fmt: skip
    run(client, "preload_live_streams", DOMAIN, [f"rtmp://{DOMAIN}/live/opt"], start="now+10m")
    tasks = {t.play_url: t for t in run(client, "describe_live_stream_preload_tasks", domain_name=DOMAIN).preload_tasks}
    now = dt.datetime.now(dt.timezone.utc)
    for url, start, end in [("rel", 3600, 9000), ("opt", 600, None)]:
        task = tasks[f"rtmp://{DOMAIN}/live/{url}"]
        assert abs((task.preloaded_start_time - now).total_seconds() - start) < 120, task
        if end is not None:
            assert abs((task.preloaded_end_time - now).total_seconds() - end) < 120, task
    with pytest.raises(aliprefetch.InvalidInputError) as refused:
        run(client, "set_live_stream_preload_tasks", domain_name=DOMAIN, play_urls=["rtmp://a/b/c"],
            preloaded_start_time="now+soon")  # fmt: skip
    assert (refused.value.field, refused.value.rule) == ("PreloadedStartTime", "timestamp")


def test_faults_can_be_set_while_the_emulator_runs(emulator: aliprefetch.Emulator) -> None:
    client = client_on(emulator, retry={"max_attempts": 1})
    emulator.set_faults({"error_rate": 1.0, "errors": ["Throttling.User"]})
    with pytest.raises(aliprefetch.ThrottledError):
        client.describe_live_stream_preload_tasks(domain_name=DOMAIN)
    emulator.set_faults({})
    assert client.describe_live_stream_preload_tasks(domain_name=DOMAIN).total_num == 0
    for wrong in ({"error_rate": 2}, {"errors": ["Nope"]}, {"speed": 1}):
        with pytest.raises(aliprefetch.InvalidInputError) as refused:
            emulator.set_faults(wrong)
        assert refused.value.field == "faults", wrong
