//! The client against the real emulator over loopback HTTP.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aliprefetch::credentials::{EcsRamRoleProvider, Env, ProviderChain};
use aliprefetch::{
    Area, Client, Credentials, DescribeLiveStreamPreloadTasksRequest, ErrorKind, HotLiveRtcStreamRequest, MediaOptions,
    Method, PreloadOptions, PreloadStatus, PullToPushRegion, RateLimits, RefreshMediaPlayUrlsRequest, RetryConfig,
    Service, SetLiveStreamPreloadTasksRequest, SignatureVersion, TaskType, UpdateLivePullToPushRequest, WaitOptions,
};
use aliprefetch::{MediaOutcome, Progress};
use aliprefetch_emulator::{Config, Emulator, Fixtures};

const DOMAIN: &str = "play.example.com";
const TASK: &str = "fd245384-4067-4f91-9d75-9666a6bc0001";

fn fixtures(extra: &str) -> Fixtures {
    let text = format!(
        r#"{{
        "accounts": [
            {{"access_key_id": "testid", "access_key_secret": "testsecret"}},
            {{"access_key_id": "STS.demo", "access_key_secret": "stssecret", "security_token": "token-value"}}
        ],
        "live": {{
            "domains": [{{"name": "play.example.com", "prefetch_enabled": true}},
                        {{"name": "noprefetch.example.com", "prefetch_enabled": false}}],
            "rtc_regions_without_nodes": ["TIB"],
            "pull_to_push_tasks": [{{"task_id": "{TASK}", "region": "cn-shanghai", "state": "scheduled",
                "start_time": "2030-01-01T00:00:00Z", "end_time": "2030-01-02T00:00:00Z",
                "source_urls": ["rtmp://origin.example.com/app/stream"]}}],
            "preload": {{"seconds_to_complete": 0.6, "refused_urls": ["rtmp://h/a/refused", "rtmp://play.example.com/live/refused"]}}
        }},
        "vod": {{"media": [{{"media_id": "m-ok"}}, {{"media_id": "m-forbidden", "forbidden": true}}]}}
        {extra}
    }}"#
    );
    Fixtures::from_json(&text).unwrap()
}

async fn emulator(extra: &str) -> Emulator {
    Emulator::start(Config::with_fixtures(fixtures(extra))).await.unwrap()
}

fn client(emu: &Emulator, sig: SignatureVersion) -> Client {
    Client::builder()
        .endpoint(emu.endpoint())
        .credentials(Credentials::new("testid", "testsecret"))
        .signature_version(sig)
        .retry(RetryConfig::standard().with_base_delay(Duration::from_millis(5)))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_with_v3_and_v1() {
    let emu = emulator("").await;
    for sig in [SignatureVersion::V3, SignatureVersion::V1] {
        let c = client(&emu, sig);
        let urls = ["rtmp://play.example.com/app/a b", "rtmp://play.example.com/app/s~1*"];
        let set = c
            .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(DOMAIN, urls).area(Area::Overseas))
            .await
            .unwrap();
        assert_eq!(
            (set.status.as_str(), set.total_url, set.success_url, set.failed_url),
            ("Success", 2, 2, 0),
            "{sig:?}"
        );
        assert_eq!(set.preload_tasks_messages.len(), 2);
        assert_eq!(set.preload_tasks_messages[0].play_url, urls[0], "a space survives the wire");
        let task_id = set.preload_tasks_messages[1].task_id.clone();

        let found = c
            .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN).task_id(&task_id))
            .await
            .unwrap();
        assert_eq!(found.total_num, 1);
        assert_eq!(found.preload_tasks[0].play_url, urls[1]);
        assert_eq!(found.preload_tasks[0].area, "overseas");
        assert!(found.preload_tasks[0].create_time.is_some());

        let hot = c
            .hot_live_rtc_stream(
                &HotLiveRtcStreamRequest::new(DOMAIN, "app", "stream", "ZHJ".parse().unwrap())
                    .connection_timeout(Duration::from_millis(30_000)),
            )
            .await
            .unwrap();
        assert!(!hot.request_id.is_empty());

        let upd = c
            .update_live_pull_to_push(
                &UpdateLivePullToPushRequest::new(TASK, PullToPushRegion::CnBeijing)
                    .source_urls(["rtmp://a.example.com/app/s?k=v&x=1", "https://b.example.com/中文.mp4"])
                    .repeat_number(-1),
            )
            .await
            .unwrap();
        assert_eq!((upd.ret_code, upd.description.as_str()), (0, "OK"));
        let task = emu.services().pull_to_push_task(TASK).unwrap();
        assert_eq!(task.region, "cn-beijing");
        assert_eq!(task.source_urls[1], "https://b.example.com/中文.mp4");

        let refresh = c
            .refresh_media_play_urls(
                &RefreshMediaPlayUrlsRequest::new(["m-ok", "m-missing", "m-forbidden"], TaskType::Preload)
                    .slice_flag(true)
                    .slice_count(3),
            )
            .await
            .unwrap();
        assert!(!refresh.media_refresh_job_id.is_empty());
        assert_eq!(refresh.non_exist_media_ids(), ["m-missing"]);
        assert_eq!(refresh.forbidden_media_ids(), ["m-forbidden"]);
    }
    assert_eq!(emu.services().hot_stream_count(), 1, "repeating HotLiveRtcStream converges on one configuration");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_refusals_arrive_as_typed_errors() {
    let emu = emulator("").await;
    let c = client(&emu, SignatureVersion::V3);
    let e = c
        .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(
            "noprefetch.example.com",
            ["rtmp://x/a/s"],
        ))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.http_status(), e.attempts()),
        (ErrorKind::Api, Some("NoSpecialConfiguration"), Some(400), 1)
    );
    assert!(e.request_id().is_some_and(|id| !id.is_empty()));
    let e = c
        .hot_live_rtc_stream(&HotLiveRtcStreamRequest::new(DOMAIN, "a", "s", "TIB".parse().unwrap()))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("CodeRegionHasNoNode"));
    let e = c
        .update_live_pull_to_push(&UpdateLivePullToPushRequest::new("no-such-task", PullToPushRegion::CnShanghai))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("CodeTaskNotExist"));
    // A partial failure arrives inside a success.
    let set = c
        .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(
            DOMAIN,
            ["rtmp://h/a/s", "rtmp://h/a/refused"],
        ))
        .await
        .unwrap();
    assert_eq!((set.status.as_str(), set.success_url, set.failed_url), ("Failed", 1, 1));
    assert!(!set.preload_tasks_messages[1].succeeded());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sts_credentials_sign_with_the_token() {
    let emu = emulator("").await;
    for sig in [SignatureVersion::V3, SignatureVersion::V1] {
        let base = Client::builder().endpoint(emu.endpoint()).signature_version(sig);
        let ok = base
            .clone()
            .credentials(Credentials::new("STS.demo", "stssecret").with_security_token("token-value"))
            .build()
            .unwrap();
        ok.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await.unwrap();
        let wrong =
            base.credentials(Credentials::new("STS.demo", "stssecret").with_security_token("other")).build().unwrap();
        let e = wrong
            .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN))
            .await
            .unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some("InvalidSecurityToken.Mismatch")), "{sig:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_an_auth_error_and_is_not_retried() {
    let emu = emulator("").await;
    for sig in [SignatureVersion::V3, SignatureVersion::V1] {
        let c = Client::builder()
            .endpoint(emu.endpoint())
            .signature_version(sig)
            .credentials(Credentials::new("testid", "wrong-secret"))
            .build()
            .unwrap();
        let e = c
            .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN))
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.code(), e.http_status(), e.attempts()),
            (ErrorKind::Auth, Some("SignatureDoesNotMatch"), Some(400), 1)
        );
        assert!(e.message().contains("server string to sign is:"), "{}", e.message());
        assert!(!e.is_retryable());
        let unknown = Client::builder()
            .endpoint(emu.endpoint())
            .signature_version(sig)
            .credentials(Credentials::new("nobody", "x"))
            .build()
            .unwrap();
        let e = unknown
            .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN))
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.code(), e.http_status()),
            (ErrorKind::Auth, Some("InvalidAccessKeyId.NotFound"), Some(404))
        );
    }
}

fn faulty(errors: &str, error_rate: f64, reset_rate: f64) -> String {
    format!(r#", "faults": {{"error_rate": {error_rate}, "reset_rate": {reset_rate}, "errors": [{errors}]}}"#)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_only_where_repeating_converges() {
    let emu = emulator(&faulty(r#""ServiceUnavailable""#, 1.0, 0.0)).await;
    let c = client(&emu, SignatureVersion::V3);
    let e =
        c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Server, Some("ServiceUnavailable"), 3));
    let e = c
        .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(DOMAIN, ["rtmp://h/a/s"]))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Server, 1), "creating tasks is not repeated after a 5xx");
    assert!(!e.is_retryable(), "repeating a create that may have taken effect could duplicate its tasks");
    assert!(e.may_have_taken_effect());
    // A purge or prefetch has the same effect repeated, so it is repeated.
    let e =
        c.refresh_media_play_urls(&RefreshMediaPlayUrlsRequest::new(["m-ok"], TaskType::Refresh)).await.unwrap_err();
    assert_eq!((e.attempts(), e.is_retryable()), (3, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_retried_for_every_operation() {
    let emu = emulator(&faulty(r#""Throttling.User""#, 1.0, 0.0)).await;
    let c = client(&emu, SignatureVersion::V1);
    let e = c
        .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(DOMAIN, ["rtmp://h/a/s"]))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Throttled, Some("Throttling.User"), 3));
    assert_eq!(e.retry_after(), Some(Duration::from_millis(200)), "x-acs-retry-after is read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_resets_are_retried_only_where_repeating_converges() {
    let emu = emulator(&faulty(r#""InternalError""#, 0.0, 1.0)).await;
    let c = client(&emu, SignatureVersion::V3);
    let e =
        c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await.unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Transport, 3));
    let e = c
        .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(DOMAIN, ["rtmp://h/a/s"]))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Transport, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intermittent_faults_are_ridden_out_by_retries() {
    let emu = emulator(&faulty(r#""InternalError", "ServiceUnavailable", "Throttling.User""#, 0.3, 0.1)).await;
    let c = Client::builder()
        .endpoint(emu.endpoint())
        .credentials(Credentials::new("testid", "testsecret"))
        .retry(
            RetryConfig::standard()
                .with_max_attempts(10)
                .with_base_delay(Duration::from_millis(2))
                .with_max_delay(Duration::from_millis(20)),
        )
        .rate_limits(RateLimits::disabled())
        .build()
        .unwrap();
    for _ in 0..40 {
        c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_service_times_out_and_only_converging_calls_are_retried() {
    let emu = emulator(r#", "faults": {"latency_ms": 400}"#).await;
    let c = Client::builder()
        .endpoint(emu.endpoint())
        .credentials(Credentials::new("testid", "testsecret"))
        .read_timeout(Duration::from_millis(100))
        .retry(RetryConfig::standard().with_base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let e =
        c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await.unwrap_err();
    assert_eq!((e.kind(), e.attempts(), e.is_retryable()), (ErrorKind::Timeout, 3, true));
    let e = c
        .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(DOMAIN, ["rtmp://h/a/s"]))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Timeout, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_is_retried_even_for_calls_that_create() {
    // Nothing listens on this port; the request never reaches a server.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::builder()
        .endpoint(format!("127.0.0.1:{port}"))
        .credentials(Credentials::new("testid", "testsecret"))
        .retry(RetryConfig::standard().with_base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let e = c
        .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(DOMAIN, ["rtmp://h/a/s"]))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.attempts(), e.was_not_sent()), (ErrorKind::Transport, 3, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_keeps_calls_under_the_quota() {
    // The documented quotas: Describe 10 per second.
    let emu = emulator("").await;
    // Extra slack per window so that a busy test machine delaying one request cannot crowd a window.
    let paced = Client::builder()
        .endpoint(emu.endpoint())
        .credentials(Credentials::new("testid", "testsecret"))
        .retry(RetryConfig::disabled())
        .rate_limits(RateLimits::documented().slack(Duration::from_millis(250)))
        .build()
        .unwrap();
    let calls = (0..25).map(|_| {
        let c = paced.clone(); // clones share the limiter
        tokio::spawn(async move {
            c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await
        })
    });
    let started = std::time::Instant::now();
    for r in futures::future::join_all(calls).await {
        r.unwrap().expect("no call is throttled");
    }
    assert!(started.elapsed() >= Duration::from_secs(2), "25 calls at 10 per second need two more windows");

    // Without pacing the same burst meets the quota: it is real.
    let unpaced = Client::builder()
        .endpoint(emu.endpoint())
        .credentials(Credentials::new("testid", "testsecret"))
        .retry(RetryConfig::disabled())
        .rate_limits(RateLimits::disabled())
        .build()
        .unwrap();
    let calls = (0..25).map(|_| {
        let c = unpaced.clone();
        tokio::spawn(async move {
            c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await
        })
    });
    let throttled = futures::future::join_all(calls)
        .await
        .into_iter()
        .filter(|r| r.as_ref().unwrap().as_ref().is_err_and(|e| e.kind() == ErrorKind::Throttled))
        .count();
    assert!(throttled >= 10, "{throttled} throttled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_1000_urls_reports_every_url_exactly_once() {
    let emu = emulator("").await;
    let c = client(&emu, SignatureVersion::V3);
    let mut input: Vec<String> = (0..1000).map(|i| format!("rtmp://play.example.com/live/stream{i}")).collect();
    input.insert(10, "rtmp://play.example.com/live/stream3".to_owned()); // a duplicate
    input.push("http://play.example.com/live/s.m3u8".to_owned()); // HLS: refused without sending
                                                                  // A URL the client takes and the emulator refuses (its `refused_urls` fixture), inside a success.
    input.push("rtmp://play.example.com/live/refused".to_owned());
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let progress = seen.clone();
    let report = c
        .preload_live_streams(
            DOMAIN,
            input.clone(),
            PreloadOptions::default().progress(Arc::new(move |p| progress.lock().unwrap().push(p))),
        )
        .await
        .unwrap();
    assert_eq!(report.duplicates_removed, 1);
    assert_eq!(report.items.len(), 1002);
    assert_eq!(report.requests, 11);
    let unique: HashSet<&str> = input.iter().map(String::as_str).collect();
    let reported: Vec<&str> = report.items.iter().map(|i| i.url.as_str()).collect();
    assert_eq!(reported.iter().copied().collect::<HashSet<_>>(), unique);
    assert_eq!(reported.len(), unique.len(), "each URL exactly once");
    assert_eq!(report.succeeded().count(), 1000);
    let failed: Vec<(&str, &str)> =
        report.failed().map(|i| (i.url.as_str(), i.failure.as_ref().unwrap().code.as_str())).collect();
    assert_eq!(
        failed,
        [("http://play.example.com/live/s.m3u8", "hls"), ("rtmp://play.example.com/live/refused", "TaskNotCreated")]
    );
    let kinds: Vec<ErrorKind> = report.failed().map(|i| i.failure.as_ref().unwrap().kind).collect();
    assert_eq!(kinds, [ErrorKind::InvalidInput, ErrorKind::Api], "refused before sending, refused by the service");
    let task_ids: HashSet<&str> = report.succeeded().map(|i| i.task_id.as_deref().unwrap()).collect();
    assert_eq!(task_ids.len(), 1000);
    let last = *seen.lock().unwrap().last().unwrap();
    assert_eq!((last.done, last.total, last.succeeded, last.failed), (1002, 1002, 1000, 2));
    // The tasks exist on the service.
    let all = c.all_preload_tasks(DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await.unwrap();
    assert_eq!(all.len(), 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_request_marks_its_urls_failed_and_nothing_is_lost() {
    let emu = emulator("").await;
    let c = client(&emu, SignatureVersion::V3);
    // The whole batch is refused for its domain: every URL is reported, each with the reason.
    let urls: Vec<String> = (0..150).map(|i| format!("rtmp://x/a/s{i}")).collect();
    let report = c.preload_live_streams("noprefetch.example.com", urls, PreloadOptions::default()).await.unwrap();
    assert_eq!(report.items.len(), 150);
    assert!(report
        .items
        .iter()
        .all(|i| i.failure.as_ref().is_some_and(|f| f.code == "NoSpecialConfiguration" && f.kind == ErrorKind::Api)));
    // Shared parameters that break a rule fail the call before anything is sent.
    let e =
        c.preload_live_streams(DOMAIN, ["rtmp://x/a/s"], PreloadOptions::default().end(emu.now())).await.unwrap_err();
    assert_eq!((e.kind(), e.field(), e.attempts()), (ErrorKind::InvalidInput, Some("PreloadedEndTime"), 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_batches_sort_every_id() {
    let emu = emulator("").await;
    let c = client(&emu, SignatureVersion::V1);
    let mut ids: Vec<String> = (0..45).map(|i| format!("m-{i}")).collect();
    ids.extend(["m-ok".to_owned(), "m-forbidden".to_owned(), "m-ok".to_owned(), "bad,id".to_owned()]);
    let done = Arc::new(AtomicUsize::new(0));
    let d = done.clone();
    let report = c
        .preload_media(ids, MediaOptions::default().progress(Arc::new(move |p| d.store(p.done, Ordering::SeqCst))))
        .await
        .unwrap();
    assert_eq!((report.items.len(), report.duplicates_removed, report.requests), (48, 1, 3));
    assert_eq!(report.items.iter().filter(|i| i.outcome == MediaOutcome::NotFound).count(), 45);
    assert!(matches!(report.items[45].outcome, MediaOutcome::Submitted { .. }));
    assert_eq!(report.items[46].outcome, MediaOutcome::Forbidden);
    assert!(matches!(&report.items[47].outcome, MediaOutcome::Failed(f) if f.code == "comma"));
    assert_eq!(report.job_ids.len(), 3);
    assert_eq!(done.load(Ordering::SeqCst), 48);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_walks_every_page() {
    let emu = emulator("").await;
    let c = client(&emu, SignatureVersion::V3);
    let urls: Vec<String> = (0..250).map(|i| format!("rtmp://play.example.com/live/p{i}")).collect();
    c.preload_live_streams(DOMAIN, urls, PreloadOptions::default()).await.unwrap();
    use futures::TryStreamExt as _;
    let pages: Vec<_> = c
        .preload_task_pages(DescribeLiveStreamPreloadTasksRequest::new(DOMAIN).page_size(100))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.iter().map(|p| p.preload_tasks.len()).collect::<Vec<_>>(), [100, 100, 50]);
    assert_eq!((pages[2].total_num, pages[2].total_page, pages[2].page_num), (250, 3, 3));
    let tasks = c.all_preload_tasks(DescribeLiveStreamPreloadTasksRequest::new(DOMAIN).page_size(30)).await.unwrap();
    assert_eq!(tasks.iter().map(|t| t.task_id.as_str()).collect::<HashSet<_>>().len(), 250);
    let none = c.all_preload_tasks(DescribeLiveStreamPreloadTasksRequest::new(DOMAIN).task_id("nope")).await.unwrap();
    assert!(none.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_returns_when_tasks_complete() {
    // Tasks take five minutes of the emulator's clock; the first poll moves the clock past them (six
    // minutes: inside the 15 minutes a request's timestamp may differ), so the test does not race a
    // wall clock however slow the machine.
    let emu = Arc::new(
        Emulator::start(Config::with_fixtures(
            Fixtures::from_json(r#"{"live": {"preload": {"seconds_to_complete": 300}}}"#).unwrap(),
        ))
        .await
        .unwrap(),
    );
    let c = client(&emu, SignatureVersion::V3);
    for n in [3, 15] {
        // 3 are polled one by one, 15 by listing the domain.
        let urls: Vec<String> = (0..n).map(|i| format!("rtmp://play.example.com/w{n}/{i}")).collect();
        let report = c.preload_live_streams(DOMAIN, urls, PreloadOptions::default()).await.unwrap();
        let ids: Vec<String> = report.items.iter().map(|i| i.task_id.clone().unwrap()).collect();
        let polls = Arc::new(AtomicUsize::new(0));
        let p = polls.clone();
        let states: Arc<Mutex<Vec<Vec<String>>>> = Arc::default();
        let s = states.clone();
        let clock = emu.clone();
        let tasks = c
            .wait_for_preload(
                DOMAIN,
                &ids,
                WaitOptions::default()
                    .timeout(Duration::from_secs(20))
                    .poll_interval(Duration::from_millis(150))
                    .progress(Arc::new(move |_| {
                        p.fetch_add(1, Ordering::SeqCst);
                    }))
                    .on_poll(Arc::new(move |tasks| {
                        let mut seen = s.lock().unwrap();
                        seen.push(tasks.iter().map(|t| t.process.clone()).collect());
                        if seen.len() == 1 {
                            clock.advance(Duration::from_secs(360));
                        }
                    })),
            )
            .await
            .unwrap();
        assert_eq!(tasks.iter().map(|t| t.task_id.clone()).collect::<Vec<_>>(), ids, "in the order asked");
        assert!(tasks
            .iter()
            .all(|t| t.preload_status() == Some(PreloadStatus::Complete) && t.progress_percent() == Some(100.0)));
        assert_eq!(polls.load(Ordering::SeqCst), 2, "it polled until done: once before the clock moved, once after");
        let states = states.lock().unwrap();
        assert_eq!(states.len(), polls.load(Ordering::SeqCst), "one state per poll");
        assert!(states.iter().all(|s| s.len() == n), "every task seen on every poll");
        assert!(states[0].iter().all(|p| p != "100%"), "none complete at the first poll: {:?}", states[0]);
        assert_eq!(states.last().unwrap(), &vec!["100%".to_owned(); n]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_gives_up_at_its_timeout() {
    let emu = Emulator::start(Config::with_fixtures(
        Fixtures::from_json(r#"{"live": {"preload": {"seconds_to_complete": 3600}}}"#).unwrap(),
    ))
    .await
    .unwrap();
    let c = client(&emu, SignatureVersion::V3);
    let report = c.preload_live_streams(DOMAIN, ["rtmp://h/a/slow"], PreloadOptions::default()).await.unwrap();
    let id = report.items[0].task_id.clone().unwrap();
    let e = c
        .wait_for_preload(
            DOMAIN,
            std::slice::from_ref(&id),
            WaitOptions::default().timeout(Duration::from_millis(300)).poll_interval(Duration::from_millis(100)),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains(&id), "{}", e.message());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_presigned_request_is_what_execute_sends() {
    let emu = emulator("").await;
    aliprefetch::install_crypto_provider();
    let http = reqwest::Client::new();
    for sig in [SignatureVersion::V3, SignatureVersion::V1] {
        let c = client(&emu, sig);
        let req = SetLiveStreamPreloadTasksRequest::new(DOMAIN, ["rtmp://play.example.com/pre/s1"]);
        let signed = c.presign(&req).await.unwrap();
        assert!(signed.url.starts_with(&emu.endpoint()), "{}", signed.url);
        // Sent by hand, the emulator accepts it: the signature is valid and complete.
        let mut send = http.post(&signed.url);
        for (k, v) in &signed.headers {
            send = send.header(*k, v);
        }
        let resp = send.send().await.unwrap();
        assert_eq!(resp.status(), 200, "{sig:?}: {}", resp.text().await.unwrap());
        // Bad input is refused before signing.
        let bad = SetLiveStreamPreloadTasksRequest::new(DOMAIN, Vec::<String>::new());
        assert_eq!(c.presign(&bad).await.unwrap_err().field(), Some("PlayUrl"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_from_api_named_maps() {
    use aliprefetch::{AnyRequest, AnyResponse};
    let emu = emulator("").await;
    let c = client(&emu, SignatureVersion::V3);
    let map = |v: serde_json::Value| v.as_object().unwrap().clone();
    let set = AnyRequest::from_params(
        "SetLiveStreamPreloadTasks",
        &map(serde_json::json!({"DomainName": DOMAIN, "PlayUrl": "rtmp://h/a/1,rtmp://h/a/2"})),
        true,
    )
    .unwrap();
    assert_eq!(set.action(), "SetLiveStreamPreloadTasks");
    match c.execute_any(&set).await.unwrap() {
        AnyResponse::SetLiveStreamPreloadTasks(r) => assert_eq!(r.success_url, 2),
        other => panic!("{other:?}"),
    }
    let media = AnyRequest::from_params(
        "RefreshMediaPlayUrls",
        &map(serde_json::json!({"MediaIds": ["m1"], "TaskType": "Preload"})),
        true,
    )
    .unwrap();
    assert!(matches!(c.execute_any(&media).await.unwrap(), AnyResponse::RefreshMediaPlayUrls(_)));
    let e = AnyRequest::from_params("DescribeRegions", &map(serde_json::json!({})), true).unwrap_err();
    assert_eq!((e.field(), e.rule()), (Some("Action"), Some("enum")));
    let e = AnyRequest::from_params("HotLiveRtcStream", &map(serde_json::json!({"Domain": "x"})), true).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generic_call_signs_any_action() {
    let emu = emulator("").await;
    for sig in [SignatureVersion::V3, SignatureVersion::V1] {
        let c = client(&emu, sig);
        let v = c
            .call(
                Service::Live,
                "DescribeLiveStreamPreloadTasks",
                Method::Post,
                vec![("DomainName".into(), DOMAIN.into()), ("PageSize".into(), "5".into())],
            )
            .await
            .unwrap();
        assert_eq!(v["PageSize"], 5);
        let e = c.call(Service::Live, "DescribeLiveDomains", Method::Post, vec![]).await.unwrap_err();
        assert_eq!((e.code(), e.http_status()), (Some("InvalidAction.NotFound"), Some(404)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_is_refused_before_anything_is_sent() {
    // Nothing listens here; an attempt to send would be a Transport error.
    let c = Client::builder().endpoint("127.0.0.1:9").credentials(Credentials::new("id", "secret")).build().unwrap();
    let urls: Vec<String> = (0..101).map(|i| format!("rtmp://h/a/{i}")).collect();
    let e = c.set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(DOMAIN, urls)).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.field(), e.rule(), e.attempts()),
        (ErrorKind::InvalidInput, Some("PlayUrl"), Some("count"), 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_credentials_the_error_lists_what_was_tried() {
    let home = tempfile::tempdir().unwrap();
    let env =
        Env::from_vars([("HOME", home.path().to_str().unwrap()), ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]);
    let chain = ProviderChain::default_chain_with(env.clone(), EcsRamRoleProvider::new(env));
    let c = Client::builder().endpoint("127.0.0.1:9").credentials_provider(Arc::new(chain)).build().unwrap();
    let e =
        c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await.unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Credentials, 0));
    for tried in ["environment", "cli_profile", "credentials_file", "ecs_ram_role", "credentials_uri"] {
        assert!(e.message().contains(tried), "{tried} missing from: {}", e.message());
    }
}

#[test]
fn the_blocking_client_wraps_the_async_one() {
    let emu = Emulator::start_in_background(Config::with_fixtures(fixtures(""))).unwrap();
    let c =
        aliprefetch::blocking::Client::new(Client::builder().endpoint(emu.endpoint()).credentials(emu.credentials()))
            .unwrap();
    let report =
        c.preload_live_streams(DOMAIN, (0..120).map(|i| format!("rtmp://h/b/{i}")), PreloadOptions::default()).unwrap();
    assert!(report.all_succeeded());
    let tasks: Vec<_> = c
        .preload_tasks(DescribeLiveStreamPreloadTasksRequest::new(DOMAIN).page_size(50))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(tasks.len(), 120);
    let resp = c.refresh_media_play_urls(&RefreshMediaPlayUrlsRequest::new(["m-ok"], TaskType::Refresh)).unwrap();
    assert!(resp.non_exist_media_ids().is_empty());
    emu.shutdown_blocking();
}

#[test]
fn endpoints_parse_and_plain_http_is_refused_off_loopback() {
    use aliprefetch::Endpoint;
    let e = Endpoint::parse("127.0.0.1:8080", false).unwrap();
    assert_eq!((e.scheme.as_str(), e.authority.as_str()), ("http", "127.0.0.1:8080"));
    assert_eq!(Endpoint::parse("live.aliyuncs.com", false).unwrap().scheme, "https");
    assert_eq!(
        Endpoint::parse("https://vod.cn-shanghai.aliyuncs.com/", false).unwrap().authority,
        "vod.cn-shanghai.aliyuncs.com"
    );
    assert_eq!(Endpoint::parse("http://[::1]:9000", false).unwrap().authority, "[::1]:9000");
    let e = Endpoint::parse("http://live.aliyuncs.com", false).unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("endpoint")));
    assert!(Endpoint::parse("http://live.aliyuncs.com", true).is_ok());
    assert!(Endpoint::parse("ftp://x", false).is_err());
    assert!(Endpoint::parse("host/path", false).is_err());
    // What the fuzzer found, and its kin: nothing that is not a host becomes one.
    for bad in [
        "\u{1}\u{0}",
        "a b",
        "h:port",
        "h:99999",
        "1.2.3.999",
        "[::1",
        "[zz]:80",
        "[::1]x",
        "é.com",
        ":80",
        "A:+0",
        "h:",
        "XN--_0XR0.example",
    ] {
        assert!(Endpoint::parse(bad, true).is_err(), "{bad:?}");
    }
    assert_eq!(Endpoint::parse("localhost:8080", false).unwrap().scheme, "http");
    let c = Client::builder().credentials(Credentials::new("a", "b")).region("cn-hangzhou").build().unwrap();
    assert_eq!(c.endpoint(Service::Vod).authority, "vod.cn-shanghai.aliyuncs.com");
    assert_eq!(c.endpoint(Service::Live).authority, "live.aliyuncs.com");
    // A region the endpoints are derived from must be a known one: a typo names the one meant; an explicit
    // endpoint reaches any other.
    let e = Client::builder().credentials(Credentials::new("a", "b")).region("cn-shangai").build().unwrap_err();
    assert_eq!((e.field(), e.rule()), (Some("region"), Some("unknown")));
    assert!(e.message().contains("did you mean `cn-shanghai`?"), "{e}");
    let c = Client::builder()
        .credentials(Credentials::new("a", "b"))
        .region("xx-moon-1")
        .endpoint("https://vod.example.com")
        .build()
        .unwrap();
    assert_eq!(c.region(), "xx-moon-1");
}
