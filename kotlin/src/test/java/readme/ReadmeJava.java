package readme;

import io.aliprefetch.*;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

public final class ReadmeJava {
    public static void main(String[] args) throws Exception {
        // A local emulator stands in for the cloud. With an account, set no endpoint and no credentials.
        Emulator emulator = Emulator.start("{\"live\": {\"preload\": {\"seconds_to_complete\": 1}}}");
        ClientConfig config = new ClientConfig();
        config.setEndpoint(emulator.endpoint());
        config.setCredentials(emulator.credentials());
        try (Client client = new Client(config)) {
            // Every suspend function has a ...Blocking form, which returns when the call settles,
            List<String> urls = IntStream.rangeClosed(1, 250).mapToObj(i -> "rtmp://play.example.com/live/stream" + i).toList();
            PreloadReport report = client.preloadLiveStreamsBlocking("play.example.com", urls, new PreloadOptions(Area.DOMESTIC), null);
            List<String> ids = report.getItems().stream().map(PreloadItem::getTaskId).filter(Objects::nonNull).toList();
            System.out.println(ids.size() + " of " + report.getItems().size() + " URLs have a prefetch task (" + report.getRequests() + " requests)");

            // and an ...Async form, which returns a CompletableFuture.
            WaitOptions wait = new WaitOptions();
            wait.setPollInterval(Duration.ofMillis(500));
            CompletableFuture<List<PreloadTask>> settled = client.waitForPreloadAsync("play.example.com", ids, wait, null);
            System.out.println(settled.get().stream().filter(t -> t.getStatus().equals("complete")).count() + " tasks complete");

            // Bad input is refused before anything is sent, naming the field and the rule.
            try {
                client.setLiveStreamPreloadTasksBlocking(new SetLiveStreamPreloadTasksRequest("play.example.com", List.of("https://cdn.example.com/s.m3u8")));
            } catch (AliPrefetchException e) {
                System.out.println("refused: " + e.field() + " (" + e.rule() + "), HTTP status " + e.httpStatus());
            }
        }
        emulator.stop();
    }
}
