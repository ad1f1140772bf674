//! Hostile requests: the emulator answers them without ballooning, panicking, poisoning its state or
//! holding connections open, and dispatches only on what a signature covers.

use std::time::Duration;

use aliprefetch::sign::{self, v1, v3};
use aliprefetch::Credentials;
use aliprefetch_emulator::{Config, ConnectionLimits, Emulator, Fixtures};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const DOMAIN: &str = "play.example.com";

async fn start() -> Emulator {
    aliprefetch::install_crypto_provider();
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        ..ConnectionLimits::default()
    };
    Emulator::start(Config { limits, ..Config::with_fixtures(Fixtures::default()) }).await.unwrap()
}

fn query_of(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A V1 request signed over `params`, with extra (unsigned) headers.
async fn v1_call(emu: &Emulator, action: &str, params: &[(&str, &str)], headers: &[(&str, &str)]) -> (u16, Value) {
    aliprefetch::install_crypto_provider();
    let params: Vec<(String, String)> = params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let nonce = uuid::Uuid::new_v4().to_string();
    let signed = v1::sign(
        &v1::Request { method: "POST", action, version: "2016-11-01", format: "JSON", params: &params },
        &Credentials::new("testid", "testsecret"),
        emu.now(),
        &nonce,
    );
    let all: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(signed.params.iter().map(|(k, v)| (*k, v.as_str())))
        .collect();
    let mut req = reqwest::Client::new().post(format!("{}/?{}", emu.endpoint(), query_of(&all)));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_str(&resp.text().await.unwrap()).unwrap())
}

#[tokio::test]
async fn a_signed_headers_list_that_repeats_a_header_is_refused_before_any_copy() {
    let emu = start().await;
    let names = std::iter::repeat_n("x-big", 3_000).collect::<Vec<_>>().join(";");
    let authorization = format!(
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-date;x-acs-signature-nonce;x-acs-version;{names},Signature=00"
    );
    let resp = reqwest::Client::new()
        .post(format!("{}/", emu.endpoint()))
        .header("authorization", authorization)
        .header("x-acs-action", "DescribeLiveStreamPreloadTasks")
        .header("x-acs-version", "2016-11-01")
        .header("x-acs-date", aliprefetch::format_timestamp(emu.now()))
        .header("x-acs-signature-nonce", "n1")
        .header("x-big", "v".repeat(60_000))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(body["Code"], "IncompleteSignature");
    assert!(body["Message"].as_str().unwrap().contains("at most 32"), "{body}");

    // A short list that names one header twice is refused too.
    let resp = reqwest::Client::new()
        .post(format!("{}/", emu.endpoint()))
        .header(
            "authorization",
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;host;x-acs-action;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=00",
        )
        .header("x-acs-action", "DescribeLiveStreamPreloadTasks")
        .header("x-acs-version", "2016-11-01")
        .send()
        .await
        .unwrap();
    let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert!(body["Message"].as_str().unwrap().contains("names host twice"), "{body}");
}

#[tokio::test]
async fn a_long_nonce_is_refused() {
    let emu = start().await;
    let params: Vec<(String, String)> = vec![("DomainName".into(), DOMAIN.into())];
    let nonce = "n".repeat(1_000);
    let signed = v1::sign(
        &v1::Request {
            method: "POST",
            action: "DescribeLiveStreamPreloadTasks",
            version: "2016-11-01",
            format: "JSON",
            params: &params,
        },
        &Credentials::new("testid", "testsecret"),
        emu.now(),
        &nonce,
    );
    let all: Vec<(&str, &str)> =
        std::iter::once(("DomainName", DOMAIN)).chain(signed.params.iter().map(|(k, v)| (*k, v.as_str()))).collect();
    let resp = reqwest::Client::new().post(format!("{}/?{}", emu.endpoint(), query_of(&all))).send().await.unwrap();
    let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(body["Code"], "InvalidParameter", "{body}");
}

#[tokio::test]
async fn a_start_time_past_the_last_year_is_refused_and_the_service_keeps_answering() {
    let emu = start().await;
    let url = format!("rtmp://{DOMAIN}/live/far");
    let (status, body) = v1_call(
        &emu,
        "SetLiveStreamPreloadTasks",
        &[("DomainName", DOMAIN), ("PlayUrl", &url), ("PreloadedStartTime", "9999-12-31T20:00:00-05:00")],
        &[],
    )
    .await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("InvalidParam")), "{body}");
    assert!(emu.tasks().is_empty());
    for _ in 0..2 {
        let (status, body) = v1_call(&emu, "DescribeLiveStreamPreloadTasks", &[("DomainName", DOMAIN)], &[]).await;
        assert_eq!(status, 200, "{body}");
    }
    // The latest start accepted still gets its default one-hour end without overflow.
    let (status, body) = v1_call(
        &emu,
        "SetLiveStreamPreloadTasks",
        &[("DomainName", DOMAIN), ("PlayUrl", &url), ("PreloadedStartTime", "9998-12-31T23:59:59Z")],
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = v1_call(&emu, "DescribeLiveStreamPreloadTasks", &[("DomainName", DOMAIN)], &[]).await;
    assert_eq!((status, body["TotalNum"].as_i64()), (200, Some(1)), "{body}");
}

#[tokio::test]
async fn an_unsigned_action_header_does_not_choose_the_action() {
    let emu = start().await;
    let url = format!("rtmp://{DOMAIN}/live/unsigned");
    // Signed as a Describe; the unsigned header asks for a Set with the signed PlayUrl.
    let (status, body) = v1_call(
        &emu,
        "DescribeLiveStreamPreloadTasks",
        &[("DomainName", DOMAIN), ("PlayUrl", &url)],
        &[("x-acs-action", "SetLiveStreamPreloadTasks"), ("x-acs-version", "2016-11-01")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("TotalNum").is_some(), "answered as the signed Describe: {body}");
    assert!(emu.tasks().is_empty(), "nothing was created");

    // A V3 signature that does not cover x-acs-action is refused.
    let host = emu.addr().to_string();
    let signed = v3::sign(
        &v3::Request {
            method: "POST",
            path: "/",
            host: &host,
            action: "DescribeLiveStreamPreloadTasks",
            version: "2016-11-01",
            query: &[("DomainName".to_owned(), DOMAIN.to_owned())],
            headers: &[],
            body: b"",
            signed_headers: v3::SignedHeaders::Named(&["host", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]),
        },
        &Credentials::new("testid", "testsecret"),
        emu.now(),
        "n-v3-unsigned-action",
    );
    let mut req = reqwest::Client::new().post(format!("{}/?DomainName={DOMAIN}", emu.endpoint()));
    for (k, v) in &signed.headers {
        req = req.header(*k, v);
    }
    let resp = req.send().await.unwrap();
    let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(body["Code"], "IncompleteSignature", "{body}");
    assert!(body["Message"].as_str().unwrap().contains("x-acs-action"), "{body}");

    // What the official Java core SDK sends in V3 mode: every x-acs-* header signed, and not `host` (its HTTP
    // client adds it afterwards). Taken, as the service takes it; the signature still covers the rest.
    let java_core = [
        "content-type",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-version",
    ];
    let sign_without_host = |nonce: &str| {
        v3::sign(
            &v3::Request {
                method: "POST",
                path: "/",
                host: &host,
                action: "DescribeLiveStreamPreloadTasks",
                version: "2016-11-01",
                query: &[("DomainName".to_owned(), DOMAIN.to_owned())],
                headers: &[("content-type".to_owned(), "application/x-www-form-urlencoded".to_owned())],
                body: b"",
                signed_headers: v3::SignedHeaders::Named(&java_core),
            },
            &Credentials::new("testid", "testsecret"),
            emu.now(),
            nonce,
        )
    };
    let send = |signed: v3::Signed, action: Option<&'static str>| {
        let mut req = reqwest::Client::new()
            .post(format!("{}/?DomainName={DOMAIN}", emu.endpoint()))
            .header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in &signed.headers {
            let v = if *k == "x-acs-action" { action.map_or(v.clone(), str::to_owned) } else { v.clone() };
            req = req.header(*k, v);
        }
        async move {
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            (status, serde_json::from_str::<Value>(&resp.text().await.unwrap()).unwrap())
        }
    };
    let (status, body) = send(sign_without_host("n-java-core-v3"), None).await;
    assert_eq!(status, 200, "the Java core SDK's V3 request is taken: {body}");
    assert!(body.get("TotalNum").is_some(), "{body}");
    // Its signed headers are still verified: another action than the one signed is a mismatch.
    let (status, body) = send(sign_without_host("n-java-core-v3-2"), Some("SetLiveStreamPreloadTasks")).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("SignatureDoesNotMatch")), "{body}");
    // And a replayed nonce is refused.
    let (status, body) = send(sign_without_host("n-java-core-v3"), None).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("SignatureNonceUsed")), "{body}");
}

/// Reads until the server closes the connection; panics if it is still open after `guard`.
async fn closed_by_server(stream: &mut tokio::net::TcpStream, guard: Duration) {
    let mut buf = [0u8; 1024];
    let closed = tokio::time::timeout(guard, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the connection was still open after {guard:?}");
}

#[tokio::test]
async fn half_a_request_line_or_an_idle_connection_is_closed() {
    let emu = start().await;
    // The guard is long: what is tested is that the server closes, not how fast on a loaded machine.
    let mut half = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    half.write_all(b"POST /?Action=Describe").await.unwrap();
    closed_by_server(&mut half, Duration::from_secs(30)).await;

    let mut idle = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    closed_by_server(&mut idle, Duration::from_secs(30)).await;

    // A body that never arrives in full.
    let mut slow = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    slow.write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\n\r\nab")
        .await
        .unwrap();
    closed_by_server(&mut slow, Duration::from_secs(30)).await;
}

#[tokio::test]
async fn xml_answers_stay_well_formed_whatever_a_request_echoes() {
    let emu = start().await;
    let params: Vec<(String, String)> =
        vec![("DomainName".into(), DOMAIN.into()), ("PlayUrl".into(), "rtmp://h/a/\u{1}\u{1b}x".into())];
    let signed = v1::sign(
        &v1::Request {
            method: "POST",
            action: "SetLiveStreamPreloadTasks",
            version: "2016-11-01",
            format: "XML",
            params: &params,
        },
        &Credentials::new("testid", "testsecret"),
        emu.now(),
        "n-xml-controls",
    );
    let all: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(signed.params.iter().map(|(k, v)| (*k, v.as_str())))
        .collect();
    let resp = reqwest::Client::new().post(format!("{}/?{}", emu.endpoint(), query_of(&all))).send().await.unwrap();
    let xml = resp.text().await.unwrap();
    assert!(!xml.chars().any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')), "{xml:?}");
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}: {xml}"),
        }
    }
}

#[tokio::test]
async fn past_the_connection_cap_a_connection_waits_for_a_free_place() {
    aliprefetch::install_crypto_provider();
    let limits = ConnectionLimits { max_connections: 1, ..ConnectionLimits::default() };
    let emu = Emulator::start(Config { limits, ..Config::with_fixtures(Fixtures::default()) }).await.unwrap();
    // The one place is taken by a connection that has sent nothing yet.
    let holder = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut waiting = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    waiting.write_all(b"GET /_emulator/now HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
    let mut buf = vec![0u8; 4096];
    // While the place is taken the request is not served (a slow machine can only make this pass late,
    // never fail it).
    let early = tokio::time::timeout(Duration::from_millis(500), waiting.read(&mut buf)).await;
    assert!(
        early.is_err(),
        "served past the cap: {:?}",
        early.map(|r| r.map(|n| String::from_utf8_lossy(&buf[..n]).into_owned()))
    );
    drop(holder);
    let n = tokio::time::timeout(Duration::from_secs(30), waiting.read(&mut buf))
        .await
        .expect("served once a place freed")
        .unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"), "{}", String::from_utf8_lossy(&buf[..n]));
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_emulator_goes_on() {
    let emu = start().await;
    let http = reqwest::Client::new();
    let resp = http.get(format!("{}/_emulator/panic", emu.endpoint())).send().await.unwrap();
    assert_eq!(resp.status(), 500);
    let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(body["Code"], "InternalError");
    let (status, body) = v1_call(&emu, "DescribeLiveStreamPreloadTasks", &[("DomainName", DOMAIN)], &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(emu.request_counts().iter().any(|c| c.outcome == "panic"));
}
