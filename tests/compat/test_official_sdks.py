"""The official Alibaba Cloud Python SDKs, unmodified from PyPI, against the emulator.

Three stacks x five operations: the current SDK with its default V3 signing, the same SDK with
Config(signature_algorithm='v2') (V1 signing), and the old AcsClient SDK (V1; CommonRequest for VOD). Each call
must succeed and the SDK's own typed response must carry the right values; the gateway refusals (wrong secret,
stale timestamp, replayed nonce, unknown key) must reach each stack with the service's codes.
"""

import json

import pytest
from alibabacloud_live20161101 import models as live_models
from alibabacloud_live20161101.client import Client as LiveClient
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_openapi.utils import Utils as OpenApiUtils
from alibabacloud_vod20170321 import models as vod_models
from alibabacloud_vod20170321.client import Client as VodClient
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.auth.credentials import AccessKeyCredential, StsTokenCredential
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
from aliyunsdkcore.utils import parameter_helper
from aliyunsdklive.request.v20161101.DescribeLiveStreamPreloadTasksRequest import (
    DescribeLiveStreamPreloadTasksRequest,
)
from aliyunsdklive.request.v20161101.HotLiveRtcStreamRequest import HotLiveRtcStreamRequest
from aliyunsdklive.request.v20161101.SetLiveStreamPreloadTasksRequest import SetLiveStreamPreloadTasksRequest
from aliyunsdklive.request.v20161101.UpdateLivePullToPushRequest import UpdateLivePullToPushRequest

DOMAIN = "play.example.com"
TASK = "fd245384-4067-4f91-9d75-9666a6bc0001"
MEDIA_OK = "ca3a8f6e4957b658067095869abc"
MEDIA_FORBIDDEN = "forbidden0000000000000000000"
MEDIA_MISSING = "missing00000000000000000000"


class NewSdk:
    """alibabacloud-live20161101 / alibabacloud-vod20170321 on alibabacloud-tea-openapi."""

    def __init__(self, host, algorithm=None, key_id="testid", secret="testsecret", token=None):
        def config():
            c = open_api_models.Config(
                access_key_id=key_id, access_key_secret=secret, security_token=token, endpoint=host, protocol="http"
            )
            if algorithm:
                c.signature_algorithm = algorithm
            return c

        self.live = LiveClient(config())
        self.vod = VodClient(config())

    @staticmethod
    def error_code(exc):
        return getattr(exc, "code", None)

    def set_tasks(self, urls, area="domestic"):
        body = self.live.set_live_stream_preload_tasks(
            live_models.SetLiveStreamPreloadTasksRequest(domain_name=DOMAIN, play_url=",".join(urls), area=area)
        ).body
        messages = body.preload_tasks_messages.preload_tasks_message
        return {
            "status": body.status,
            "total": body.total_url,
            "ok": body.success_url,
            "tasks": [(m.play_url, m.task_id, m.description) for m in messages],
        }

    def describe(self, task_id):
        body = self.live.describe_live_stream_preload_tasks(
            live_models.DescribeLiveStreamPreloadTasksRequest(domain_name=DOMAIN, task_id=task_id, page_size=10)
        ).body
        return {
            "total": body.total_num,
            "pages": body.total_page,
            "tasks": [(t.task_id, t.play_url, t.status, t.area) for t in body.preload_tasks.preload_task],
        }

    def hot(self, region_code):
        body = self.live.hot_live_rtc_stream(
            live_models.HotLiveRtcStreamRequest(
                domain_name=DOMAIN,
                app_name="app",
                stream_name="stream",
                audio_msid="rts audio",
                video_msid="rts video",
                region_code=region_code,
                connection_timeout="30000",
            )
        ).body
        return body.request_id

    def update(self, region, source_urls, repeat):
        body = self.live.update_live_pull_to_push(
            live_models.UpdateLivePullToPushRequest(
                task_id=TASK, region=region, source_urls=source_urls, repeat_number=repeat
            )
        ).body
        return {"ret_code": body.ret_code, "description": body.description}

    def refresh(self, ids, task_type):
        body = self.vod.refresh_media_play_urls(
            vod_models.RefreshMediaPlayUrlsRequest(
                media_ids=",".join(ids), task_type=task_type, slice_flag=True, slice_count=3, formats="mp4,m3u8"
            )
        ).body
        return {
            "job": body.media_refresh_job_id,
            "missing": body.non_exist_media_ids,
            "forbidden": body.forbidden_media_ids,
        }


class OldSdk:
    """aliyun-python-sdk-core's AcsClient with aliyun-python-sdk-live's requests; CommonRequest for VOD."""

    def __init__(self, host, key_id="testid", secret="testsecret", token=None):
        cred = StsTokenCredential(key_id, secret, token) if token else AccessKeyCredential(key_id, secret)
        self.client = AcsClient(credential=cred, region_id="cn-shanghai", auto_retry=False)
        self.host = host

    @staticmethod
    def error_code(exc):
        return exc.get_error_code() if isinstance(exc, ServerException) else None

    def _do(self, request):
        request.set_endpoint(self.host)
        request.set_protocol_type("http")
        return json.loads(self.client.do_action_with_exception(request))

    def set_tasks(self, urls, area="domestic"):
        r = SetLiveStreamPreloadTasksRequest()
        r.set_DomainName(DOMAIN)
        r.set_PlayUrl(",".join(urls))
        r.set_Area(area)
        body = self._do(r)
        messages = body["PreloadTasksMessages"]["PreloadTasksMessage"]
        return {
            "status": body["Status"],
            "total": body["TotalURL"],
            "ok": body["SuccessURL"],
            "tasks": [(m["PlayUrl"], m["TaskId"], m["Description"]) for m in messages],
        }

    def describe(self, task_id):
        r = DescribeLiveStreamPreloadTasksRequest()
        r.set_DomainName(DOMAIN)
        r.set_TaskId(task_id)
        r.set_PageSize(10)
        body = self._do(r)
        return {
            "total": body["TotalNum"],
            "pages": body["TotalPage"],
            "tasks": [(t["TaskId"], t["PlayUrl"], t["Status"], t["Area"]) for t in body["PreloadTasks"]["PreloadTask"]],
        }

    def hot(self, region_code):
        r = HotLiveRtcStreamRequest()
        for setter, value in [
            (r.set_DomainName, DOMAIN),
            (r.set_AppName, "app"),
            (r.set_StreamName, "stream"),
            (r.set_AudioMsid, "rts audio"),
            (r.set_VideoMsid, "rts video"),
            (r.set_RegionCode, region_code),
            (r.set_ConnectionTimeout, "30000"),
        ]:
            setter(value)
        return self._do(r)["RequestId"]

    def update(self, region, source_urls, repeat):
        r = UpdateLivePullToPushRequest()
        r.set_TaskId(TASK)
        r.set_Region(region)
        r.set_SourceUrls(source_urls)
        r.set_RepeatNumber(repeat)
        body = self._do(r)
        return {"ret_code": body["RetCode"], "description": body["Description"]}

    def refresh(self, ids, task_type):
        r = CommonRequest(domain=self.host, version="2017-03-21", action_name="RefreshMediaPlayUrls")
        r.set_method("POST")
        for k, v in [
            ("MediaIds", ",".join(ids)),
            ("TaskType", task_type),
            ("SliceFlag", True),
            ("SliceCount", 3),
            ("Formats", "mp4,m3u8"),
        ]:
            r.add_query_param(k, v)
        body = self._do(r)
        return {
            "job": body["MediaRefreshJobId"],
            "missing": body["NonExistMediaIds"],
            "forbidden": body["ForbiddenMediaIds"],
        }


STACKS = {
    "v3": lambda host, **kw: NewSdk(host, **kw),
    "v2-signature": lambda host, **kw: NewSdk(host, algorithm="v2", **kw),
    "acsclient": lambda host, **kw: OldSdk(host, **kw),
}


@pytest.fixture(params=sorted(STACKS))
def stack_name(request):
    return request.param


def make(stack_name, host, **kw):
    return STACKS[stack_name](host, **kw)


def refusal(stack, call):
    with pytest.raises(Exception) as info:
        call()
    return stack.error_code(info.value), str(info.value)


def test_set_live_stream_preload_tasks(emulator, stack_name):
    sdk = make(stack_name, emulator.host)
    urls = [f"rtmp://{DOMAIN}/app/{stack_name} 1", f"rtmp://{DOMAIN}/app/{stack_name}~2*"]
    r = sdk.set_tasks(urls)
    assert (r["status"], r["total"], r["ok"]) == ("Success", 2, 2)
    assert [t[0] for t in r["tasks"]] == urls, "spaces and reserved characters survive each client's encoding"
    assert all(t[1] and t[2] == "Successfully" for t in r["tasks"])


def test_describe_live_stream_preload_tasks(emulator, stack_name):
    sdk = make(stack_name, emulator.host)
    url = f"rtmp://{DOMAIN}/app/describe-{stack_name}"
    task_id = sdk.set_tasks([url], area="overseas")["tasks"][0][1]
    r = sdk.describe(task_id)
    assert (r["total"], r["pages"]) == (1, 1)
    assert r["tasks"] == [(task_id, url, "pending", "overseas")]


def test_hot_live_rtc_stream(emulator, stack_name):
    sdk = make(stack_name, emulator.host)
    assert len(sdk.hot("ZHJ")) == 36
    code, _ = refusal(sdk, lambda: sdk.hot("TIB"))
    assert code == "CodeRegionHasNoNode"


def test_update_live_pull_to_push(emulator, stack_name):
    sdk = make(stack_name, emulator.host)
    r = sdk.update("cn-beijing", ["rtmp://a.example.com/app/s?k=v&x=1", "https://b.example.com/中文 1.mp4"], -1)
    assert r == {"ret_code": 0, "description": "OK"}
    r = sdk.update("cn-shanghai", ["rtmp://origin.example.com/app/stream"], 0)
    assert r["ret_code"] == 0
    code, _ = refusal(sdk, lambda: sdk.update("us-east-1", None, 0))
    assert code == "InvalidParameter"


def test_refresh_media_play_urls(emulator, stack_name):
    sdk = make(stack_name, emulator.host)
    r = sdk.refresh([MEDIA_OK, MEDIA_MISSING, MEDIA_FORBIDDEN], "Preload")
    assert len(r["job"]) == 16
    assert (r["missing"], r["forbidden"]) == (MEDIA_MISSING, MEDIA_FORBIDDEN)
    code, _ = refusal(sdk, lambda: sdk.refresh([MEDIA_OK], "Purge"))
    assert code == "InvalidParameter"


def test_service_rules_reach_the_sdk(emulator, stack_name):
    sdk = make(stack_name, emulator.host)
    code, _ = refusal(sdk, lambda: sdk.set_tasks([f"http://{DOMAIN}/app/live.m3u8"]))
    assert code == "InvalidParam"
    code, _ = refusal(sdk, lambda: sdk.set_tasks([f"rtmp://{DOMAIN}/app/{i}" for i in range(101)]))
    assert code == "InvalidParam"


def test_sts_credentials(emulator, stack_name):
    sdk = make(stack_name, emulator.host, key_id="STS.demo", secret="stssecret", token="token-value")
    assert sdk.refresh([MEDIA_OK], "Refresh")["missing"] == ""
    wrong = make(stack_name, emulator.host, key_id="STS.demo", secret="stssecret", token="other")
    code, _ = refusal(wrong, lambda: wrong.refresh([MEDIA_OK], "Refresh"))
    assert code == "InvalidSecurityToken.Mismatch"


def test_a_wrong_secret_is_signature_does_not_match(emulator, stack_name, monkeypatch):
    server_codes = []
    original = AcsClient._parse_error_info_from_response_body

    def recording(body):
        code, message = original(body)
        server_codes.append(code)
        return code, message

    monkeypatch.setattr(AcsClient, "_parse_error_info_from_response_body", staticmethod(recording))
    sdk = make(stack_name, emulator.host, secret="not-the-secret")
    code, text = refusal(sdk, lambda: sdk.describe("x"))
    if stack_name == "acsclient":
        # The server answers SignatureDoesNotMatch; AcsClient compares the server's string to sign with its own and,
        # when they are identical (ours is, byte for byte), reports InvalidAccessKeySecret instead.
        assert server_codes == ["SignatureDoesNotMatch"]
        assert code == "InvalidAccessKeySecret"
    else:
        assert code == "SignatureDoesNotMatch"
        assert "server string to sign is:" in text


def test_an_unknown_key_is_not_found(emulator, stack_name):
    sdk = make(stack_name, emulator.host, key_id="nobody")
    code, _ = refusal(sdk, lambda: sdk.describe("x"))
    assert code == "InvalidAccessKeyId.NotFound"


def test_a_stale_timestamp_is_refused(stale_emulator, stack_name):
    sdk = make(stack_name, stale_emulator.host)
    code, _ = refusal(sdk, lambda: sdk.describe("x"))
    assert code == "InvalidTimeStamp.Expired"


def test_a_replayed_nonce_is_refused(emulator, stack_name, monkeypatch):
    nonce = f"replayed-nonce-{stack_name}"
    monkeypatch.setattr(OpenApiUtils, "get_nonce", staticmethod(lambda: nonce))
    monkeypatch.setattr(parameter_helper, "get_uuid", lambda: nonce)
    sdk = make(stack_name, emulator.host)
    sdk.describe("x")
    code, _ = refusal(sdk, lambda: sdk.describe("x"))
    assert code == "SignatureNonceUsed"
