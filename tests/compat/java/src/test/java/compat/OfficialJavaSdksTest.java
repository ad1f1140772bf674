package compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.aliyuncs.AcsRequest;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.auth.SignatureVersion;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.live.model.v20161101.DescribeLiveStreamPreloadTasksRequest;
import com.aliyuncs.live.model.v20161101.DescribeLiveStreamPreloadTasksResponse;
import com.aliyuncs.live.model.v20161101.HotLiveRtcStreamRequest;
import com.aliyuncs.live.model.v20161101.SetLiveStreamPreloadTasksRequest;
import com.aliyuncs.live.model.v20161101.SetLiveStreamPreloadTasksResponse;
import com.aliyuncs.live.model.v20161101.UpdateLivePullToPushRequest;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.vod.model.v20170321.RefreshMediaPlayUrlsRequest;
import com.aliyuncs.vod.model.v20170321.RefreshMediaPlayUrlsResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official Java SDKs, unmodified from Maven Central, against the emulator binary: aliyun-java-sdk-core with the
 * typed live and vod requests, in V1 and in V3 ({@code setSysSignatureVersion(SignatureVersion.V3)}, which signs no
 * {@code host}), and tea-openapi's generic {@code callApi} in V3 and V1. Every operation must succeed with the right
 * values in the SDK's own response, and a wrong secret must reach each stack as the service's refusal.
 */
class OfficialJavaSdksTest {
    static final String DOMAIN = "play.example.com";
    static final String TASK = "fd245384-4067-4f91-9d75-9666a6bc0001";
    static final String MEDIA_OK = "ca3a8f6e4957b658067095869abc";
    static final String MEDIA_MISSING = "missing00000000000000000000";

    static Process emulator;
    static String host;

    @BeforeAll
    static void start() throws Exception {
        String binary = System.getenv("ALIPREFETCH_EMULATOR");
        assertNotNull(binary, "ALIPREFETCH_EMULATOR must name the emulator binary (scripts/test sets it)");
        Path fixtures = Files.createTempFile("fixtures", ".json");
        Files.writeString(fixtures, "{\"live\": {\"pull_to_push_tasks\": [{\"task_id\": \"" + TASK + "\", \"region\": \"cn-shanghai\","
                + " \"state\": \"scheduled\", \"start_time\": \"2030-01-01T00:00:00Z\", \"end_time\": \"2030-01-02T00:00:00Z\"}]},"
                + " \"vod\": {\"media\": [{\"media_id\": \"" + MEDIA_OK + "\"}]}}");
        emulator = new ProcessBuilder(binary, "--listen", "127.0.0.1:0", "--fixtures", fixtures.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("listening on http://")) {
                host = line.substring("listening on http://".length()).trim();
                break;
            }
        }
        assertNotNull(host, "the emulator said where it listens");
    }

    @AfterAll
    static void stop() {
        emulator.destroy();
    }

    static IAcsClient core(String secret) {
        return new DefaultAcsClient(DefaultProfile.getProfile("cn-shanghai", "testid", secret));
    }

    /** Points a typed request at the emulator, over HTTP, signed as asked. */
    static <T extends AcsRequest<?>> T at(T request, SignatureVersion version) {
        request.setSysEndpoint(host);
        request.setSysProtocol(ProtocolType.HTTP);
        request.setSysSignatureVersion(version);
        return request;
    }

    @ParameterizedTest
    @EnumSource(SignatureVersion.class)
    void coreSdkEveryOperation(SignatureVersion version) throws Exception {
        IAcsClient client = core("testsecret");
        SetLiveStreamPreloadTasksRequest set = at(new SetLiveStreamPreloadTasksRequest(), version);
        set.setDomainName(DOMAIN);
        set.setPlayUrl("rtmp://" + DOMAIN + "/live/java-" + version + "-1,rtmp://" + DOMAIN + "/live/java-" + version + "-2");
        set.setArea("domestic");
        SetLiveStreamPreloadTasksResponse created = client.getAcsResponse(set);
        assertEquals("Success", created.getStatus());
        assertEquals(2, created.getSuccessURL());
        String taskId = created.getPreloadTasksMessages().get(0).getTaskId();
        assertEquals(36, taskId.length(), taskId);

        DescribeLiveStreamPreloadTasksRequest describe = at(new DescribeLiveStreamPreloadTasksRequest(), version);
        describe.setDomainName(DOMAIN);
        describe.setTaskId(taskId);
        describe.setPageSize(10);
        DescribeLiveStreamPreloadTasksResponse described = client.getAcsResponse(describe);
        assertEquals(1, described.getTotalNum());
        assertEquals(taskId, described.getPreloadTasks().get(0).getTaskId());
        assertEquals("rtmp://" + DOMAIN + "/live/java-" + version + "-1", described.getPreloadTasks().get(0).getPlayUrl());

        HotLiveRtcStreamRequest hot = at(new HotLiveRtcStreamRequest(), version);
        hot.setDomainName(DOMAIN);
        hot.setAppName("live");
        hot.setStreamName("s-" + version);
        hot.setRegionCode("ZHJ");
        hot.setAudioMsid("a");
        hot.setVideoMsid("v");
        assertNotNull(client.getAcsResponse(hot).getRequestId());

        UpdateLivePullToPushRequest relay = at(new UpdateLivePullToPushRequest(), version);
        relay.setTaskId(TASK);
        relay.setRegion("cn-shanghai");
        relay.setSourceUrls(List.of("rtmp://origin.example.com/app/中"));
        assertNotNull(client.getAcsResponse(relay).getRequestId());

        RefreshMediaPlayUrlsRequest refresh = at(new RefreshMediaPlayUrlsRequest(), version);
        refresh.setMediaIds(MEDIA_OK + "," + MEDIA_MISSING);
        refresh.setTaskType("Refresh");
        refresh.setFormats("mp4,m3u8");
        RefreshMediaPlayUrlsResponse refreshed = client.getAcsResponse(refresh);
        assertEquals(MEDIA_MISSING, refreshed.getNonExistMediaIds());
        assertTrue(!refreshed.getMediaRefreshJobId().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(SignatureVersion.class)
    void coreSdkWrongSecretIsRefused(SignatureVersion version) {
        DescribeLiveStreamPreloadTasksRequest describe = at(new DescribeLiveStreamPreloadTasksRequest(), version);
        describe.setDomainName(DOMAIN);
        ClientException refused = assertThrows(ClientException.class, () -> core("not-the-secret").getAcsResponse(describe));
        // On SignatureDoesNotMatch the V1 SDK compares the server's string to sign with its own and, when they are the
        // same, reports SDK.InvalidAccessKeySecret: the emulator's string to sign is the SDK's.
        assertTrue(List.of("SignatureDoesNotMatch", "SDK.InvalidAccessKeySecret").contains(refused.getErrCode()), refused.getErrCode());
    }

    static Map<String, ?> callApi(String secret, String algorithm, String action, String version, Map<String, String> query)
            throws Exception {
        Config config = new Config().setAccessKeyId("testid").setAccessKeySecret(secret).setEndpoint(host).setProtocol("http");
        if (!algorithm.isEmpty()) {
            config.setSignatureAlgorithm(algorithm);
        }
        Params params = new Params().setAction(action).setVersion(version).setProtocol("HTTP").setPathname("/")
                .setMethod("POST").setAuthType("AK").setStyle("RPC").setReqBodyType("formData").setBodyType("json");
        return new com.aliyun.teaopenapi.Client(config).callApi(params, new OpenApiRequest().setQuery(query), new RuntimeOptions());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(Map<String, ?> answer) {
        return (Map<String, Object>) answer.get("body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v2"})
    void teaOpenApiEveryOperation(String algorithm) throws Exception {
        String url = "rtmp://" + DOMAIN + "/live/tea-" + (algorithm.isEmpty() ? "v3" : algorithm);
        Map<String, Object> created = body(callApi("testsecret", algorithm, "SetLiveStreamPreloadTasks", "2016-11-01",
                Map.of("DomainName", DOMAIN, "PlayUrl", url, "Area", "overseas")));
        assertEquals("Success", created.get("Status"));
        assertEquals("1", String.valueOf(created.get("SuccessURL")));
        Map<String, Object> described = body(callApi("testsecret", algorithm, "DescribeLiveStreamPreloadTasks", "2016-11-01",
                Map.of("DomainName", DOMAIN, "PlayUrl", url)));
        assertEquals("1", String.valueOf(described.get("TotalNum")));
        assertNotNull(body(callApi("testsecret", algorithm, "HotLiveRtcStream", "2016-11-01", Map.of("DomainName", DOMAIN,
                "AppName", "live", "StreamName", "tea" + algorithm, "RegionCode", "ZHJ", "AudioMsid", "a", "VideoMsid", "v")))
                .get("RequestId"));
        assertNotNull(body(callApi("testsecret", algorithm, "UpdateLivePullToPush", "2016-11-01", Map.of("TaskId", TASK,
                "Region", "cn-shanghai", "SourceUrls", "[\"rtmp://origin.example.com/app/s\"]"))).get("RequestId"));
        Map<String, Object> refreshed = body(callApi("testsecret", algorithm, "RefreshMediaPlayUrls", "2017-03-21",
                Map.of("MediaIds", MEDIA_OK + "," + MEDIA_MISSING, "TaskType", "Preload")));
        assertEquals(MEDIA_MISSING, refreshed.get("NonExistMediaIds"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v2"})
    void teaOpenApiWrongSecretIsRefused(String algorithm) {
        TeaException refused = assertThrows(TeaException.class,
                () -> callApi("not-the-secret", algorithm, "DescribeLiveStreamPreloadTasks", "2016-11-01", Map.of("DomainName", DOMAIN)));
        assertEquals("SignatureDoesNotMatch", refused.getCode());
    }

    @Test
    void theEmulatorAnswered() {
        assertTrue(emulator.isAlive(), "the emulator ran through every test");
    }
}
