// The Kotlin bindings on the JVM against the in-process emulator: every operation, a batch with progress
// callbacks, paging, waiting, typed exceptions (invalid input with its field, auth, throttling), and the shared
// validation table. JUnit 5 runs each check as a test of its own (Surefire, from scripts/package).
package aliprefetch.tests

import io.aliprefetch.*
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.Collections
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

const val DOMAIN = "play.example.com"
const val RELAY_TASK = "fd245384-4067-4f91-9d75-9666a6bc0001"
const val REFUSED = "rtmp://play.example.com/live/refused"
const val FIXTURES = """{"live": {"preload": {"seconds_to_complete": 1, "refused_urls": ["$REFUSED"]},
  "pull_to_push_tasks": [{"task_id": "$RELAY_TASK", "region": "cn-shanghai", "state": "scheduled",
    "start_time": "2030-01-01T00:00:00Z", "end_time": "2030-01-02T00:00:00Z"}]}}"""
val FAST_RETRY = RetryPolicy.Custom(3, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(30))

class CheckFailed(message: String) : Exception(message)

fun check(condition: Boolean, message: () -> String) {
    if (!condition) throw CheckFailed(message())
}

fun <T> eq(actual: T, expected: T, what: String) = check(actual == expected) { "$what: expected <$expected>, got <$actual>" }

suspend inline fun <reified E : Throwable> throws(block: suspend () -> Unit): E {
    try {
        block()
    } catch (e: Throwable) {
        if (e is E) return e
        throw CheckFailed("expected ${E::class.simpleName}, got $e")
    }
    throw CheckFailed("expected ${E::class.simpleName}, nothing was thrown")
}

/** The one error type, of this kind. */
suspend fun fails(kind: ErrorKind, block: suspend () -> Unit): AliPrefetchException {
    val e = throws<AliPrefetchException>(block)
    eq(e.kind(), kind, "the kind of $e")
    return e
}

suspend fun <T> withEmulator(fixtures: String? = FIXTURES, block: suspend (Emulator, Client) -> T): T {
    val emulator = Emulator.start(fixtures)
    try {
        val client = Client(ClientConfig(endpoint = emulator.endpoint(), credentials = emulator.credentials(), retry = FAST_RETRY))
        return block(emulator, client)
    } finally {
        emulator.stop()
    }
}

/** The C library's environment, which the core reads: what a pod's variables look like to it. */
interface LibC : com.sun.jna.Library {
    fun setenv(name: String, value: String, overwrite: Int): Int
    fun unsetenv(name: String): Int
}

val LIBC: LibC = com.sun.jna.Native.load("c", LibC::class.java)

/** Runs `block` with these variables set (a null value unsets one), then restores them. */
suspend fun <T> withEnv(vars: Map<String, String?>, block: suspend () -> T): T {
    val saved = vars.keys.associateWith { System.getenv(it) }
    fun apply(values: Map<String, String?>) = values.forEach { (k, v) -> if (v == null) LIBC.unsetenv(k) else LIBC.setenv(k, v, 1) }
    apply(vars)
    try {
        return block()
    } finally {
        apply(saved)
    }
}

fun urls(prefix: String, n: Int) = (0 until n).map { "rtmp://$DOMAIN/$prefix/s$it" }

val CHECKS: List<Pair<String, suspend () -> Unit>> = listOf(
    "a service clock an hour ahead or behind is learned and followed" to suspend {
        for (offset in listOf(3600, -3600)) {
            withEmulator("""{"clock_offset_seconds": $offset}""") { emulator, client ->
                val created = client.setLiveStreamPreloadTasks(SetLiveStreamPreloadTasksRequest(DOMAIN, listOf("rtmp://$DOMAIN/skew/$offset")))
                eq(created.successUrl, 1L, "created despite the clock ($offset s)")
                client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN))
                val refused = emulator.requestCounts().filter { it.outcome.contains("InvalidTimeStamp") }.sumOf { it.count.toLong() }
                eq(refused, 1L, "refused once, then learned ($offset s)")
                eq(emulator.tasks().size, 1, "one task ($offset s)")
            }
        }
    },
    "SetLiveStreamPreloadTasks and DescribeLiveStreamPreloadTasks" to suspend {
        withEmulator { _, client ->
            val start = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS)
            val created = client.setLiveStreamPreloadTasks(
                SetLiveStreamPreloadTasksRequest(DOMAIN, listOf("rtmp://$DOMAIN/live/a", "rtmp://$DOMAIN/live/b"), Area.DOMESTIC, start, start.plusSeconds(3600)),
            )
            eq(listOf(created.totalUrl, created.successUrl, created.failedUrl), listOf(2L, 2L, 0L), "counts")
            val taskId = created.preloadTasksMessages[0].taskId
            val page = client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN, taskId = taskId))
            eq(page.totalNum, 1L, "found by id")
            val task = page.preloadTasks[0]
            eq(listOf(task.taskId, task.area, task.status), listOf(taskId, "domestic", "pending"), "task")
            eq(task.preloadedStartTime, start, "times come back as Instants")
        }
    },
    "HotLiveRtcStream" to suspend {
        withEmulator { _, client ->
            val r = client.hotLiveRtcStream(HotLiveRtcStreamRequest(DOMAIN, "live", "s1", "ZHJ", "rts audio", "rts video", Duration.ofSeconds(30)))
            check(r.requestId.isNotEmpty()) { "a request id" }
        }
    },
    "UpdateLivePullToPush" to suspend {
        withEmulator { _, client ->
            val r = client.updateLivePullToPush(
                UpdateLivePullToPushRequest(RELAY_TASK, PullToPushRegion.CN_SHANGHAI, sourceUrls = listOf("rtmp://o/a/1", "rtmp://o/a/2"), repeatNumber = -1, offset = Duration.ofSeconds(30)),
            )
            eq(listOf(r.retCode, r.description), listOf(0L, "OK"), "relay updated")
        }
    },
    "RefreshMediaPlayUrls" to suspend {
        withEmulator("""{"vod": {"media": [{"media_id": "m1"}, {"media_id": "locked", "forbidden": true}]}}""") { _, client ->
            val r = client.refreshMediaPlayUrls(RefreshMediaPlayUrlsRequest(listOf("m1", "nope", "locked"), TaskType.REFRESH, formats = listOf(MediaFormat.MP4, MediaFormat.M3U8)))
            check(r.mediaRefreshJobId.isNotEmpty()) { "a job id" }
            eq(listOf(r.nonExistMediaIds, r.forbiddenMediaIds), listOf(listOf("nope"), listOf("locked")), "media sorted")
        }
    },
    "a batch of 1,002 URLs with progress callbacks" to suspend {
        withEmulator { _, client ->
            val seen = Collections.synchronizedList(mutableListOf<Progress>())
            val listener = object : ProgressListener {
                override fun onProgress(progress: Progress) {
                    seen.add(progress)
                }
            }
            val given = urls("batch", 1000) + listOf("http://$DOMAIN/live/s.m3u8", REFUSED)
            val report = client.preloadLiveStreams(DOMAIN, given, PreloadOptions(), listener)
            eq(report.items.map { it.url }, given, "every URL once, in order")
            eq(report.requests, 11L, "1,001 URLs sent, in requests of 100")
            val failed = report.items.filter { it.taskId == null }.map { Triple(it.url, it.failure?.code, it.failure?.kind) }
            eq(failed, listOf(Triple("http://$DOMAIN/live/s.m3u8", "hls", ErrorKind.INVALID_INPUT),
                Triple(REFUSED, "TaskNotCreated", ErrorKind.API)), "failures with reasons and kinds")
            val last = seen.maxByOrNull { it.done }!!
            eq(listOf(last.done, last.total, last.succeeded, last.failed), listOf(1002L, 1002L, 1000L, 2L), "last progress")
        }
    },
    "lost answers: every URL ends with one task and the report says which" to suspend {
        val faults = """{"faults": {"error_rate": 0.15, "errors": ["InternalError", "ServiceUnavailable", "Throttling.User"],
            "ambiguous_rate": 0.15, "ambiguous_delay_ms": 2500}}"""
        val emulator = Emulator.start(faults)
        try {
            val client = Client(ClientConfig(endpoint = emulator.endpoint(), credentials = emulator.credentials(),
                retry = FAST_RETRY, readTimeout = Duration.ofSeconds(1)))
            val given = urls("lost", 5000)
            val report = client.preloadLiveStreams(DOMAIN, given, PreloadOptions(), null)
            eq(report.items.map { it.url }, given, "every URL once, in order")
            val lostSet = emulator.requestCounts()
                .filter { it.action == "SetLiveStreamPreloadTasks" && it.outcome.startsWith("lost:") }
                .sumOf { it.count }
            val held = emulator.tasks().groupBy({ it.playUrl }, { it.taskId })
            check(held.values.all { it.size == 1 }) { "a URL holds two tasks" }
            var unknown = 0
            for (item in report.items) {
                when {
                    item.taskId != null -> eq(held[item.url], listOf(item.taskId), "the reported task is the one held")
                    item.failure?.outcomeUnknown == true -> unknown += 1
                    else -> eq(held[item.url], null, "${item.url} reported not created")
                }
                eq(item.outcomeUnknown, item.failure?.outcomeUnknown ?: false, "outcomeUnknown")
            }
            // A sanity bound; the claims are checked item by item above.
            check(unknown * 100 <= given.size * 5) { "$unknown unknown" }
            // An executed request whose answer was lost has its URLs found by a lookup.
            if (lostSet > 0L) check(report.lookups > 0L && report.items.any { it.foundByLookup }) { "$lostSet answers lost, none found" }
        } finally {
            emulator.stop()
        }
    },
    "a batch read as it settles; cancelling the coroutine keeps what was returned" to suspend {
        val emulator = Emulator.start("""{"faults": {"latency_ms": 80}}""")
        try {
            val client = Client(ClientConfig(endpoint = emulator.endpoint(), credentials = emulator.credentials(),
                rateLimits = RateLimitPolicy.Disabled))
            val given = urls("cancel", 4000)
            val batch = client.preloadLiveStreamsBatch(DOMAIN, given, PreloadOptions(concurrency = 2), null)
            val returned = Collections.synchronizedList(mutableListOf<PreloadItem>())
            val enough = CompletableDeferred<Unit>()
            coroutineScope {
                val reader = launch {
                    while (true) {
                        val items = batch.next() ?: break
                        returned.addAll(items)
                        if (returned.size >= 150) enough.complete(Unit)
                    }
                }
                enough.await()
                reader.cancelAndJoin()
            }
            val inFlight = batch.unsettled()
            batch.stop()
            val rest = mutableListOf<PreloadItem>()
            while (true) rest.addAll(batch.next() ?: break)
            val held = emulator.tasks().associate { it.playUrl to it.taskId }
            for (item in returned + rest) eq(held[item.url], item.taskId, "a returned task is held")
            val reported = (returned + rest).map { it.url }.toSet()
            check(held.keys.all { it in reported || it in inFlight }) { "a task held was never reported nor named in flight" }
            check(held.size < given.size) { "the batch stopped" }
            emulator.reset()
            eq(emulator.tasks().size, 0, "reset forgets the tasks")
        } finally {
            emulator.stop()
        }
    },
    "a batch as a Flow: take(n) stops it" to suspend {
        withEmulator { emulator, client ->
            val batch = client.preloadLiveStreamsBatch(DOMAIN, urls("flow", 1000), PreloadOptions(concurrency = 1), null)
            val first = batch.asFlow().take(150).toList()
            eq(first.size, 150, "150 items")
            val held = emulator.tasks().associate { it.playUrl to it.taskId }
            for (item in first) eq(held[item.url], item.taskId, "an emitted task is held")
            check(held.size < 1000) { "the batch stopped when the flow ended" }
            val media = client.preloadMediaBatch(listOf("m1", "m2"), MediaOptions(), null).asFlow().toList()
            eq(media.map { it.mediaId }.toSet(), setOf("m1", "m2"), "a media flow")
        }
    },
    "media batches of 20" to suspend {
        withEmulator("""{"vod": {"media": [${(0 until 41).joinToString(",") { "{\"media_id\": \"m$it\"}" }}]}}""") { _, client ->
            val report = client.preloadMedia((0 until 43).map { "m$it" }, MediaOptions(), null)
            eq(listOf(report.items.size.toLong(), report.requests), listOf(43L, 3L), "43 ids in 3 requests")
            eq(report.items.filter { it.outcome is MediaOutcome.NotFound }.map { it.mediaId }, listOf("m41", "m42"), "unknown media")
        }
    },
    "paging" to suspend {
        withEmulator { _, client ->
            client.preloadLiveStreams(DOMAIN, urls("page", 45), PreloadOptions(), null)
            val pages = client.preloadTaskPages(DescribeLiveStreamPreloadTasksRequest(DOMAIN, pageSize = 10))
            val sizes = mutableListOf<Int>()
            while (true) {
                val page = pages.next() ?: break
                sizes.add(page.size)
            }
            eq(sizes, listOf(10, 10, 10, 10, 5), "five pages")
            eq(client.allPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)).map { it.taskId }.toSet().size, 45, "all tasks")
        }
    },
    "waiting" to suspend {
        withEmulator { _, client ->
            val ids = client.preloadLiveStreams(DOMAIN, urls("wait", 3), PreloadOptions(), null).items.mapNotNull { it.taskId }
            val tasks = client.waitForPreload(DOMAIN, ids, WaitOptions(Duration.ofSeconds(20), Duration.ofMillis(200)), null)
            eq(tasks.map { it.taskId }, ids, "in the order asked")
            check(tasks.all { it.status == "complete" && it.process == "100%" }) { "all complete: $tasks" }
        }
    },
    "invalid input: a typed exception naming the field, before anything is sent" to suspend {
        withEmulator { _, client ->
            val e = fails(ErrorKind.INVALID_INPUT) {
                client.setLiveStreamPreloadTasks(SetLiveStreamPreloadTasksRequest(DOMAIN, emptyList()))
            }
            eq(listOf(e.field(), e.rule(), e.code()), listOf("PlayUrl", "required", null), "field and rule")
            eq(e.attempts(), 0L, "nothing was sent")
            eq(e.message, e.errorMessage(), "Throwable.message is the error's sentence")
            eq(e.toString(), e.errorMessage(), "and so is toString()")
            val region = fails(ErrorKind.INVALID_INPUT) {
                client.hotLiveRtcStream(HotLiveRtcStreamRequest(DOMAIN, "a", "s", "NOWHERE", "a", "v"))
            }
            eq(region.field(), "RegionCode", "region code")
            val url = fails(ErrorKind.INVALID_INPUT) {
                Client(ClientConfig(credentials = Credentials("a", "b"), rateLimitUrl = RateLimitUrl("http://:pw-1234@127.0.0.1:6379")))
            }
            eq(listOf(url.field(), url.rule()), listOf("rate_limit_url", "format"), "a shared-pacing URL that is not Redis's")
            check(!url.message!!.contains("pw-1234")) { "no password in the message" }
            val secretUrl = RateLimitUrl("redis://:pw/1234@127.0.0.1:1/0")
            eq(secretUrl.toString(), "redis://***@127.0.0.1:1/0", "the URL shows without its password")
            val config = ClientConfig(credentials = Credentials("a", "b"), rateLimitUrl = secretUrl)
            check(!config.toString().contains("pw/1234")) { "no password in the configuration's toString: $config" }
            val shared = Client(ClientConfig(credentials = Credentials("a", "b"), rateLimitUrl = RateLimitUrl("redis://127.0.0.1:1/0")))
            eq(shared.pacingIsShared(), false, "not shared until Redis answers")
            // The request records are generated from the core's declaration and read by the core.
            val page = fails(ErrorKind.INVALID_INPUT) {
                client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN, pageSize = 500))
            }
            eq(listOf(page.field(), page.rule()), listOf("PageSize", "range"), "a page size past 100")
            val far = fails(ErrorKind.INVALID_INPUT) {
                client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN, startTime = Instant.parse("+10000-01-01T00:00:00Z")))
            }
            eq(listOf(far.field(), far.rule()), listOf("StartTime", "time_range"), "a time past the year 9999")
        }
    },
    "auth failure" to suspend {
        withEmulator { emulator, _ ->
            val wrong = Client(ClientConfig(endpoint = emulator.endpoint(), credentials = Credentials("testid", "wrong-secret")))
            val e = fails(ErrorKind.AUTH) { wrong.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)) }
            eq(listOf(e.code(), e.httpStatus()?.toInt()), listOf("SignatureDoesNotMatch", 400), "the service's code")
            check(!e.message!!.contains("wrong-secret")) { "no secret in the message" }
        }
    },
    "throttling, retried then raised" to suspend {
        withEmulator("""{"faults": {"error_rate": 1.0, "errors": ["Throttling.User"]}}""") { _, client ->
            val e = fails(ErrorKind.THROTTLED) { client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)) }
            eq(listOf(e.code(), e.retryable(), e.attempts()), listOf("Throttling.User", true, 3L), "throttled")
            check(e.retryAfter() != null && e.retryAfter()!! > Duration.ZERO) { "the wait the service asked for: ${e.retryAfter()}" }
        }
    },
    "a create whose answer was lost may have taken effect: not retryable" to suspend {
        withEmulator("""{"faults": {"ambiguous_rate": 1.0, "ambiguous_delay_ms": 3000}}""") { emulator, _ ->
            val client = Client(ClientConfig(endpoint = emulator.endpoint(), credentials = emulator.credentials(),
                retry = RetryPolicy.Disabled, readTimeout = Duration.ofMillis(500)))
            for (i in 0 until 6) {
                val e = throws<AliPrefetchException> {
                    client.setLiveStreamPreloadTasks(SetLiveStreamPreloadTasksRequest(DOMAIN, listOf("rtmp://$DOMAIN/a/$i")))
                }
                check(e.kind() in setOf(ErrorKind.SERVER, ErrorKind.TRANSPORT, ErrorKind.TIMEOUT)) {
                    "a lost answer is a server error, a broken connection or a timeout: $e"
                }
                eq(e.retryable(), false, "retryable after a lost answer ($e)")
            }
            eq(emulator.tasks().size, 6, "the service holds every task whose answer was lost")
        }
    },
    "RRSA variables: the default chain picks the OIDC role with no code change" to suspend {
        val role = "acs:ram::1234567890123456:role/prefetch"
        val emulator = Emulator.start("""{"sts": {"roles": ["$role"], "oidc_tokens": ["good-token"]}}""")
        val home = java.nio.file.Files.createTempDirectory("aliprefetch-rrsa")
        try {
            val token = home.resolve("oidc-token")
            val vars = mapOf(
                "HOME" to home.toString(),
                "ALIBABA_CLOUD_ECS_METADATA_DISABLED" to "true",
                "ALIBABA_CLOUD_STS_ENDPOINT" to emulator.endpoint(),
                "ALIBABA_CLOUD_ROLE_ARN" to role,
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN" to "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1",
                "ALIBABA_CLOUD_OIDC_TOKEN_FILE" to token.toString(),
                "ALIBABA_CLOUD_ACCESS_KEY_ID" to null,
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET" to null,
                "ALIBABA_CLOUD_PROFILE" to null,
            )
            withEnv(vars) {
                fun stsCalls(outcome: String) = emulator.requestCounts()
                    .filter { it.action == "AssumeRoleWithOIDC" && it.outcome == outcome }.sumOf { it.count }
                java.nio.file.Files.writeString(token, "good-token")
                val client = Client(ClientConfig(endpoint = emulator.endpoint()))
                client.setLiveStreamPreloadTasks(SetLiveStreamPreloadTasksRequest(DOMAIN, listOf("rtmp://$DOMAIN/rrsa/s1")))
                eq(emulator.tasks().map { it.playUrl }, listOf("rtmp://$DOMAIN/rrsa/s1"), "created with the role's credentials")
                eq(stsCalls("ok"), 1L, "one AssumeRoleWithOIDC")
                java.nio.file.Files.writeString(token, "stolen-token-123")
                val fresh = Client(ClientConfig(endpoint = emulator.endpoint()))
                val e = fails(ErrorKind.CREDENTIALS) { fresh.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)) }
                check(e.errorMessage().contains("oidc_role_arn") && e.errorMessage().contains("AuthenticationFail.OIDCToken.Invalid")) { e.errorMessage() }
                check(!e.toString().contains("stolen-token-123")) { "no token in $e" }
            }
        } finally {
            emulator.stop()
            home.toFile().deleteRecursively()
        }
    },
    "every record carries the fields of the core's record" to suspend {
        val records = RECORD_KEYS
        eq(records.size, 13, "records")
        for ((core, keys) in records) {
            val cls = Class.forName("io.aliprefetch.$core")
            val fields = cls.declaredFields.filter { !java.lang.reflect.Modifier.isStatic(it.modifiers) }.map { it.name }.toSet()
            eq(fields, keys.toSet(), "the fields of $core")
        }
    },
    "the service refusing a request" to suspend {
        withEmulator { _, client ->
            val e = fails(ErrorKind.API) { client.updateLivePullToPush(UpdateLivePullToPushRequest("nope", PullToPushRegion.CN_SHANGHAI)) }
            eq(e.code(), "CodeTaskNotExist", "code")
            check(e.hostId() != null && e.recommend()?.contains("CodeTaskNotExist") == true) { "hostId ${e.hostId()}, recommend ${e.recommend()}" }
        }
    },
    "the generic call, and many calls at once" to suspend {
        withEmulator("""{"quotas": {"DescribeLiveStreamPreloadTasks": 0}}""") { emulator, _ ->
            val client = Client(ClientConfig(endpoint = emulator.endpoint(), credentials = emulator.credentials(), rateLimits = RateLimitPolicy.Disabled))
            val json = client.call(Service.LIVE, "DescribeLiveStreamPreloadTasks", HttpMethod.POST, mapOf("DomainName" to DOMAIN, "PageSize" to "5"))
            check(json.contains("\"PageSize\":5") && json.contains("RequestId")) { json }
            val ids = coroutineScope {
                (1..50).map { async { client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)).requestId } }.awaitAll()
            }
            eq(ids.toSet().size, 50, "50 concurrent calls")
        }
    },
    "V1 signing and STS credentials" to suspend {
        withEmulator("""{"accounts": [{"access_key_id": "STS.demo", "access_key_secret": "stssecret", "security_token": "token-value"}]}""") { emulator, _ ->
            check(emulator.credentials().hasSecurityToken()) { "an STS account" }
            val client = Client(ClientConfig(endpoint = emulator.endpoint(), credentials = emulator.credentials(), signatureVersion = SignatureVersion.V1))
            eq(client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)).totalNum, 0L, "V1 + STS accepted")
        }
    },
    "the shared validation table" to suspend {
        withEmulator { _, client ->
            eq(VALIDATION_CASES.size, 125, "cases")
            val now = Instant.now().truncatedTo(ChronoUnit.SECONDS)
            for (case in VALIDATION_CASES) {
                val params = resolveTimes(case.input, now)
                val what = "${case.operation}: ${case.name}"
                if (case.field == null) {
                    val answer = client.executeJson(case.operation, params)
                    check(answer.contains("RequestId")) { "$what: $answer" }
                } else {
                    val e = fails(ErrorKind.INVALID_INPUT) { client.executeJson(case.operation, params) }
                    eq(listOf(e.field(), e.rule()), listOf(case.field, case.rule), what)
                }
            }
        }
    },
)

/** `"now"`, `"now+6h"`, `"now-2d"` … in a JSON text as wire times against `now`. */
fun resolveTimes(json: String, now: Instant): String =
    Regex("\"now(?:([+-])(\\d+)([smhd]))?\"").replace(json) { m ->
        val (sign, amount, unit) = m.destructured
        val seconds = if (sign.isEmpty()) 0L else amount.toLong() * mapOf("s" to 1L, "m" to 60L, "h" to 3600L, "d" to 86400L).getValue(unit)
        "\"" + (if (sign == "-") now.minusSeconds(seconds) else now.plusSeconds(seconds)).toString() + "\""
    }

/** Log records of JUL's logger `aliprefetch` and its children, kept while `block` runs at `level`. */
suspend fun <T> logged(level: java.util.logging.Level, block: suspend () -> T): Pair<T, List<java.util.logging.LogRecord>> {
    val records = Collections.synchronizedList(mutableListOf<java.util.logging.LogRecord>())
    val keep = object : java.util.logging.Handler() {
        override fun publish(record: java.util.logging.LogRecord) { records.add(record) }
        override fun flush() {}
        override fun close() {}
    }
    keep.level = java.util.logging.Level.ALL
    val logger = java.util.logging.Logger.getLogger("aliprefetch")
    logger.level = level
    logger.addHandler(keep)
    check(AliPrefetchLogging.install()) { "the JUL listener was installed" }
    try {
        return block() to records.toList()
    } finally {
        logger.removeHandler(keep)
        logger.level = java.util.logging.Level.OFF
    }
}

val JVM_CHECKS: List<Pair<String, suspend () -> Unit>> = listOf(
    "java.util.logging gets a line per attempt, the retries, and the signed request redacted at FINEST" to suspend {
        val secret = "sEcReT-stssecret-42"
        val token = "ToKeN-value-99"
        val sts = """{"accounts": [{"access_key_id": "STS.demo", "access_key_secret": "$secret", "security_token": "$token"}],
            "faults": {"error_rate": 1.0, "errors": ["Throttling.User"]}}"""
        val (_, records) = logged(java.util.logging.Level.ALL) {
            withEmulator(sts) { _, client ->
                fails(ErrorKind.THROTTLED) { client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)) }
            }
        }
        val send = records.filter { it.loggerName == "aliprefetch.client.send" }
        val attempts = send.filter { it.message.startsWith("request ") }
        eq(attempts.size, 3, "a line per attempt: ${send.map { it.message }}")
        check(attempts.all { it.level == java.util.logging.Level.FINE && "status=400 code=Throttling.User request_id=" in it.message }) {
            "each attempt at FINE with its status, code and request id: ${attempts.map { it.message }}"
        }
        eq(send.count { it.level == java.util.logging.Level.INFO && it.message.startsWith("retrying in ") }, 2, "two retries at INFO")
        val signed = send.filter { it.level == java.util.logging.Level.FINEST }.map { it.message }
        check(signed.size == 3 && signed.all { "authorization: <redacted>" in it && "x-acs-security-token: <redacted>" in it }) {
            "the signed request at FINEST, redacted: $signed"
        }
        check(records.none { secret in it.message || token in it.message }) { "no secret is logged" }
        val (_, quiet) = logged(java.util.logging.Level.WARNING) {
            withEmulator { _, client -> client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)) }
        }
        eq(quiet.filter { it.loggerName.startsWith("aliprefetch.client") }, listOf(), "nothing below the logger's level")
    },
    "Java's forms: blocking and CompletableFuture calls, signed counts, the error's fields on the one exception" to suspend {
        withEmulator { emulator, client ->
            val request = DescribeLiveStreamPreloadTasksRequest(DOMAIN)
            eq(client.describeLiveStreamPreloadTasksBlocking(request).totalNum, 0L, "blocking")
            eq(client.describeLiveStreamPreloadTasksAsync(request).get().totalNum, 0L, "a CompletableFuture")
            val refused = client.setLiveStreamPreloadTasksAsync(SetLiveStreamPreloadTasksRequest(DOMAIN, listOf("https://cdn.example.com/s.m3u8")))
            val cause = throws<java.util.concurrent.ExecutionException> { refused.get() }.cause as AliPrefetchException
            eq(listOf(cause.field(), cause.rule(), cause.httpStatus(), cause.attempts()), listOf("PlayUrl", "hls", null, 0L), "the error's fields")
            check(cause.message!!.lines().size == 1) { "a one-line message: ${cause.message}" }
            val negative = fails(ErrorKind.INVALID_INPUT) { client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN, pageSize = -1)) }
            eq(negative.field(), "PageSize", "a negative count is refused naming its field")
            val misspelt = throws<AliPrefetchException> {
                Client(ClientConfig(endpoint = emulator.endpoint(), rateLimits = RateLimitPolicy.Custom(mapOf("SetLiveStreamPreloadTask" to 5))))
            }
            check("SetLiveStreamPreloadTasks" in misspelt.errorMessage()) { "a misspelt action names the closest: ${misspelt.errorMessage()}" }
            // Getters with plain names: the Kotlin properties of signed types compile to getX(), which Java calls.
            val getter = PreloadReport::class.java.methods.map { it.name }
            check("getRequests" in getter && "getDuplicatesRemoved" in getter) { "plain getters: $getter" }
            check(AliPrefetchException::class.java.methods.any { it.name == "httpStatus" }) { "httpStatus() on the base exception" }
        }
    },
    "faults can be set while the emulator runs" to suspend {
        withEmulator { emulator, client ->
            emulator.setFaults("""{"error_rate": 1.0, "errors": ["Throttling.User"]}""")
            fails(ErrorKind.THROTTLED) { client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)) }
            emulator.setFaults("{}")
            eq(client.describeLiveStreamPreloadTasks(DescribeLiveStreamPreloadTasksRequest(DOMAIN)).totalNum, 0L, "no fault")
            eq(fails(ErrorKind.INVALID_INPUT) { emulator.setFaults("""{"error_rate": 2}""") }.field(), "faults", "a rate above 1")
        }
    },
    "advance takes a Duration and moves the emulator's clock by it" to suspend {
        withEmulator { emulator, _ ->
            val before = emulator.now()
            emulator.advance(Duration.ofMinutes(90))
            eq(Duration.between(before, emulator.now()).toMinutes(), 90L, "the clock moved 90 minutes")
        }
    },
)

class KotlinChecksTest {
    @TestFactory
    fun jvm(): List<DynamicTest> = JVM_CHECKS.map { (name, body) -> DynamicTest.dynamicTest(name) { runBlocking { body() } } }

    @TestFactory
    fun checks(): List<DynamicTest> = CHECKS.map { (name, body) -> DynamicTest.dynamicTest(name) { runBlocking { body() } } }
}
