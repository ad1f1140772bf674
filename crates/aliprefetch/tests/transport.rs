//! The transport against hostile servers on loopback: redirects are not followed, answers are read with
//! a size cap, an attempt has a deadline, and credential sources are treated the same way.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aliprefetch::credentials::{CredentialsUriProvider, Env, ProvideCredentials};
use aliprefetch::{Client, Credentials, DescribeLiveStreamPreloadTasksRequest, ErrorKind, RetryConfig};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// Serves every connection with `answer`, counting connections.
async fn server<F, Fut>(answer: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(answer(stream));
        }
    });
    (format!("127.0.0.1:{}", addr.port()), hits)
}

/// Reads the request head (up to the blank line).
async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 65_536 {
        if stream.read(&mut byte).await.unwrap_or(0) == 0 {
            break;
        }
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

fn client(endpoint: &str) -> aliprefetch::ClientBuilder {
    Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new("testid", "testsecret").with_security_token("sts-token-value"))
        .retry(RetryConfig::disabled())
}

fn describe() -> DescribeLiveStreamPreloadTasksRequest {
    DescribeLiveStreamPreloadTasksRequest::new("play.example.com")
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let (elsewhere, elsewhere_hits) = server(|mut s| async move {
        read_head(&mut s).await;
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}").await;
    })
    .await;
    let location = format!("http://{elsewhere}/steal");
    let (endpoint, _) = server(move |mut s| {
        let location = location.clone();
        async move {
            read_head(&mut s).await;
            let answer =
                format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n");
            let _ = s.write_all(answer.as_bytes()).await;
        }
    })
    .await;
    let e = client(&endpoint).build().unwrap().describe_live_stream_preload_tasks(&describe()).await.unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Api, Some(307)), "{e}");
    assert!(e.message().contains("not followed"), "{e}");
    assert_eq!(elsewhere_hits.load(Ordering::SeqCst), 0, "nothing, least of all the STS token, went to the other host");
}

#[tokio::test]
async fn a_huge_answer_is_refused_at_the_cap() {
    let (endpoint, _) = server(|mut s| async move {
        read_head(&mut s).await;
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n").await;
        // 64 MiB, without a length: read until the cap.
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..64 {
            if s.write_all(&chunk).await.is_err() {
                return;
            }
        }
    })
    .await;
    let e = client(&endpoint).build().unwrap().describe_live_stream_preload_tasks(&describe()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.message().contains("larger than 4 MiB"), "{e}");
}

#[tokio::test]
async fn an_answer_trickled_a_byte_at_a_time_meets_the_attempt_deadline() {
    let (endpoint, _) = server(|mut s| async move {
        read_head(&mut s).await;
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 600\r\n\r\n").await;
        for _ in 0..600 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if s.write_all(b" ").await.is_err() {
                return;
            }
        }
    })
    .await;
    // Each byte arrives well within the read timeout; only the deadline of the attempt can end it.
    let c = client(&endpoint)
        .read_timeout(Duration::from_secs(2))
        .attempt_timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let e = c.describe_live_stream_preload_tasks(&describe()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
}

#[tokio::test]
async fn credential_sources_are_capped_and_their_urls_never_shown_with_a_token() {
    let (endpoint, _) = server(|mut s| async move {
        read_head(&mut s).await;
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10485760\r\n\r\n").await;
        let _ = s.write_all(&vec![b'{'; 10 << 20]).await;
    })
    .await;
    let provider = CredentialsUriProvider::new(Env::from_vars([("HOME", "/nonexistent")]))
        .uri(format!("http://{endpoint}/c?token=uri-secret"));
    assert!(!format!("{provider:?}").contains("uri-secret"), "{provider:?}");
    let e = provider.provide().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Credentials);
    assert!(e.message().contains("more than 4 MiB"), "{e}");
    assert!(!e.to_string().contains("uri-secret"), "{e}");

    // An unreachable URI: the error names it without the token.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let e = CredentialsUriProvider::new(Env::from_vars([("HOME", "/nonexistent")]))
        .uri(format!("http://user:pw-secret@{closed}/c?token=uri-secret"))
        .provide()
        .await
        .unwrap_err();
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("uri-secret") && !shown.contains("pw-secret"), "{shown}");
}

#[test]
fn env_debug_prints_no_variable() {
    let env = Env::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"), ("HOME", "/h")]);
    let shown = format!("{env:?}");
    assert!(!shown.contains("env-secret") && !shown.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), "{shown}");
}

/// A server that answers every request with `status` and `body`.
async fn answering(status: &'static str, body: &'static str) -> (String, Arc<AtomicUsize>) {
    server(move |mut s| async move {
        loop {
            let head = read_head(&mut s).await;
            if head.is_empty() {
                return;
            }
            let answer = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            if s.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
        }
    })
    .await
}

#[tokio::test]
async fn a_success_that_says_nothing_is_not_taken_for_one() {
    use aliprefetch::{PullToPushRegion, RefreshMediaPlayUrlsRequest, TaskType, UpdateLivePullToPushRequest};
    let (empty, _) = answering("200 OK", "{}").await;
    let e = client(&empty)
        .build()
        .unwrap()
        .refresh_media_play_urls(&RefreshMediaPlayUrlsRequest::new(["m1"], TaskType::Refresh))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    // A media batch does not mark ids submitted on such an answer.
    let report = client(&empty).build().unwrap().refresh_media(["m1", "m2"], Default::default()).await.unwrap();
    assert!(report.items.iter().all(|i| !i.succeeded()), "{report:?}");

    let (refused, _) = answering("200 OK", r#"{"RequestId": "R1", "RetCode": 5, "Description": "task busy"}"#).await;
    let e = client(&refused)
        .build()
        .unwrap()
        .update_live_pull_to_push(&UpdateLivePullToPushRequest::new("t1", PullToPushRegion::CnShanghai))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.code(), e.request_id()), (ErrorKind::Api, Some("RetCode.5"), Some("R1")), "{e}");
    assert!(e.message().contains("task busy"));
}

/// Serves every request (keep-alive included) with `answer(head)` as the whole response, counting requests.
async fn serving(answer: impl Fn(&str) -> String + Send + Sync + 'static) -> (String, Arc<AtomicUsize>) {
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    let answer = Arc::new(answer);
    let (endpoint, _) = server(move |mut s| {
        let (answer, counted) = (answer.clone(), counted.clone());
        async move {
            loop {
                let head = read_head(&mut s).await;
                if head.is_empty() {
                    return;
                }
                counted.fetch_add(1, Ordering::SeqCst);
                if s.write_all(answer(&head).as_bytes()).await.is_err() {
                    return;
                }
            }
        }
    })
    .await;
    (endpoint, requests)
}

fn json_answer(body: &str) -> String {
    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len())
}

/// A page of `ids` claiming to be page `page` of `total` tasks (10 a page).
fn page(page: u64, total: u64, ids: impl Iterator<Item = String>) -> String {
    let tasks: Vec<String> = ids
        .map(|id| format!(r#"{{"TaskId": "{id}", "DomainName": "d", "PlayUrl": "u", "Status": "complete"}}"#))
        .collect();
    json_answer(&format!(
        r#"{{"RequestId": "R", "PageNum": {page}, "PageSize": 10, "TotalNum": {total}, "TotalPage": {}, "PreloadTasks": {{"PreloadTask": [{}]}}}}"#,
        total.div_ceil(10),
        tasks.join(",")
    ))
}

/// The `PageNum` a request asked for.
fn page_asked(head: &str) -> u64 {
    head.split(['?', '&', ' ']).find_map(|p| p.strip_prefix("PageNum=")).and_then(|n| n.parse().ok()).unwrap_or(1)
}

#[tokio::test]
async fn paging_stops_when_every_answer_is_page_one_again() {
    // The issue's case: every answer is page 1 with the same tasks and a huge TotalNum.
    let (endpoint, requests) = serving(|_| page(1, 1_000_000_000, (0..10).map(|i| format!("t{i}")))).await;
    let c = client(&endpoint).build().unwrap();
    let e = c.all_preload_tasks(DescribeLiveStreamPreloadTasksRequest::new("d").page_size(10)).await.unwrap_err();
    assert!(e.message().contains("paging stopped at page 2: the answer is page 1"), "{e}");
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn paging_stops_when_a_page_brings_nothing_new() {
    // Pages numbered as asked, but the same tasks on each.
    let (endpoint, requests) =
        serving(|head| page(page_asked(head), 1_000_000, (0..10).map(|i| format!("t{i}")))).await;
    let c = client(&endpoint).build().unwrap();
    let e = c.all_preload_tasks(DescribeLiveStreamPreloadTasksRequest::new("d").page_size(10)).await.unwrap_err();
    assert!(e.message().contains("every task on it was on an earlier page"), "{e}");
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_growing_total_cannot_extend_the_listing() {
    // Fresh tasks on every page, and a TotalNum that grows with each answer: the first answer's count
    // (25 tasks, 3 pages) bounds the listing.
    let (endpoint, requests) = serving(|head| {
        let n = page_asked(head);
        page(n, 25 * n.pow(3), (0..10).map(move |i| format!("p{n}t{i}")))
    })
    .await;
    let c = client(&endpoint).build().unwrap();
    let tasks = c.all_preload_tasks(DescribeLiveStreamPreloadTasksRequest::new("d").page_size(10)).await.unwrap();
    assert_eq!((tasks.len(), requests.load(Ordering::SeqCst)), (30, 3));
}

#[tokio::test]
async fn a_media_batch_does_not_wait_past_its_retry_budget() {
    // Throttled for a minute on every answer: the single call and the batch both have a 30 s budget, so
    // neither waits a minute, and the ids are reported as not submitted (throttled), not unknown.
    let body = r#"{"RequestId": "R", "Code": "Throttling.User", "Message": "slow down"}"#;
    let (endpoint, requests) = serving(move |_| {
        format!(
            "HTTP/1.1 400 Bad Request\r\nx-acs-retry-after: 60000\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
    })
    .await;
    let c = client(&endpoint).retry(RetryConfig::standard()).build().unwrap();
    let report = c.refresh_media(["m1", "m2"], aliprefetch::MediaOptions::default()).await.unwrap();
    assert_eq!(requests.load(Ordering::SeqCst), 1, "no wait of a minute within a 30 s budget");
    for item in &report.items {
        match &item.outcome {
            aliprefetch::MediaOutcome::Failed(f) => {
                assert_eq!((f.kind, f.outcome_unknown), (ErrorKind::Throttled, false), "{f:?}")
            }
            other => panic!("{other:?}"),
        }
    }
}
