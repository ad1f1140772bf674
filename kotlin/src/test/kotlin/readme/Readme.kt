package readme

import io.aliprefetch.*
import kotlinx.coroutines.runBlocking

fun main() = runBlocking {
    // A local emulator stands in for the cloud. With an account, leave out `endpoint` and `credentials`:
    // the default chain (environment, ~/.aliyun, ~/.alibabacloud, ECS role) applies.
    val emulator = Emulator.start("""{"live": {"preload": {"seconds_to_complete": 1}}}""")
    val client = Client(ClientConfig(endpoint = emulator.endpoint(), credentials = emulator.credentials()))

    // Warm the CDN for 250 streams: requests of 100, paced under the quota, every URL reported once.
    val urls = (1..250).map { "rtmp://play.example.com/live/stream$it" }
    val report = client.preloadLiveStreams("play.example.com", urls, PreloadOptions(area = Area.DOMESTIC), null)
    val ids = report.items.mapNotNull { it.taskId }
    println("${ids.size} of ${report.items.size} URLs have a prefetch task (${report.requests} requests)")

    // Suspend until every task is complete or failed.
    val tasks = client.waitForPreload("play.example.com", ids, WaitOptions(pollInterval = java.time.Duration.ofMillis(500)), null)
    println("${tasks.count { it.status == "complete" }} tasks complete")

    // Bad input is refused before anything is sent, naming the field and the rule.
    try {
        client.setLiveStreamPreloadTasks(SetLiveStreamPreloadTasksRequest("play.example.com", listOf("https://cdn.example.com/s.m3u8")))
    } catch (e: AliPrefetchException) {
        println("refused: ${e.field()} (${e.rule()})") // e.kind() is ErrorKind.INVALID_INPUT
    }
    emulator.stop()
}
