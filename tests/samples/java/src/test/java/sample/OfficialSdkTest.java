package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.auth.SignatureVersion;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.live.model.v20161101.SetLiveStreamPreloadTasksRequest;
import com.aliyuncs.live.model.v20161101.SetLiveStreamPreloadTasksResponse;
import com.aliyuncs.profile.DefaultProfile;
import io.aliprefetch.AliPrefetchException;
import io.aliprefetch.Client;
import io.aliprefetch.DescribeLiveStreamPreloadTasksRequest;
import io.aliprefetch.Emulator;
import io.aliprefetch.testing.AliPrefetchEmulator;
import io.aliprefetch.testing.EmulatorFixtures;
import io.aliprefetch.testing.OfficialSdkSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user's own test suite: code written against the official Java SDK (aliyun-java-sdk-core) and aliprefetch, tested
 * with aliprefetch's JUnit 5 extension. scripts/check-install runs it from the Maven repository in target/dist; the
 * Kotlin project's JUnit suite runs it against the build under test.
 */
@ExtendWith(AliPrefetchEmulator.class)
class OfficialSdkTest {
    static final String DOMAIN = "play.example.com";

    @Test
    @EmulatorFixtures("{\"accounts\": [{\"access_key_id\": \"mine\", \"access_key_secret\": \"s3cret\"}]}")
    void theOfficialSdkCreatesATaskTheEmulatorHolds(OfficialSdkSettings sdk, Emulator emulator) throws Exception {
        IAcsClient official = new DefaultAcsClient(DefaultProfile.getProfile("cn-shanghai", sdk.getAccessKeyId(), sdk.getAccessKeySecret()));
        SetLiveStreamPreloadTasksRequest request = new SetLiveStreamPreloadTasksRequest();
        request.setSysEndpoint(sdk.getHost());
        request.setSysProtocol(ProtocolType.HTTP);
        request.setSysSignatureVersion(SignatureVersion.V3);
        request.setDomainName(DOMAIN);
        request.setPlayUrl("rtmp://" + DOMAIN + "/live/java");
        SetLiveStreamPreloadTasksResponse answer = official.getAcsResponse(request);
        assertEquals(1, answer.getSuccessURL());
        assertEquals("mine", emulator.tasks().get(0).getAccount());
        assertEquals("rtmp://" + DOMAIN + "/live/java", emulator.tasks().get(0).getPlayUrl());
    }

    @Test
    void eachTestStartsWithAnEmptyEmulator(Emulator emulator) {
        assertEquals(0, emulator.tasks().size());
    }

    @Test
    @EmulatorFixtures("{\"faults\": {\"error_rate\": 1.0, \"errors\": [\"Throttling.User\"]}}")
    void faultsAndTheClock(Client client, Emulator emulator) {
        AliPrefetchException refused = assertThrows(AliPrefetchException.class,
                () -> client.describeLiveStreamPreloadTasksBlocking(new DescribeLiveStreamPreloadTasksRequest(DOMAIN)));
        assertEquals("Throttling.User", refused.code());
        java.time.Instant before = emulator.now();
        emulator.advance(Duration.ofHours(1));
        // The emulator's clock runs on between the two readings: at least the hour, and not a minute more.
        long moved = Duration.between(before, emulator.now()).getSeconds();
        org.junit.jupiter.api.Assertions.assertTrue(moved >= 3600 && moved < 3660, moved + " s");
    }
}
