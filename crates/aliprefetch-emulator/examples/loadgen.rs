//! A bounded load generator for the emulator binary: signed requests (each with its own nonce, so every
//! one is verified in full) over keep-alive connections on loopback; prints throughput and latency.
//!
//! cargo build --release -p aliprefetch-emulator --bin aliprefetch-emulator --example loadgen
//! target/release/examples/loadgen [--connections 32] [--requests 200000] [--seconds 20] [--signature v3|v1]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aliprefetch::sign::{self, v1, v3};
use aliprefetch::Credentials;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty};
use time::OffsetDateTime;

struct Args {
    connections: usize,
    requests: usize,
    seconds: u64,
    signature: String,
    client_threads: usize,
    emulator: String,
}

fn args() -> Args {
    let mut a = Args {
        connections: 32,
        requests: 200_000,
        seconds: 20,
        signature: "v3".into(),
        client_threads: 1,
        emulator: concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/release/aliprefetch-emulator").into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--connections" => a.connections = value.parse().unwrap(),
            "--requests" => a.requests = value.parse().unwrap(),
            "--seconds" => a.seconds = value.parse().unwrap(),
            "--signature" => a.signature = value,
            "--client-threads" => a.client_threads = value.parse().unwrap(),
            "--emulator" => a.emulator = value,
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

const PARAMS: [(&str, &str); 2] = [("DomainName", "play.example.com"), ("PageSize", "10")];

fn build_request(host: &str, signature: &str, creds: &Credentials, nonce: &str) -> http::Request<Empty<Bytes>> {
    let params: Vec<(String, String)> = PARAMS.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let now = OffsetDateTime::now_utc();
    let encode = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    };
    let mut builder = http::Request::post("/").header("host", host);
    if signature == "v1" {
        let s = v1::sign(
            &v1::Request {
                method: "POST",
                action: "DescribeLiveStreamPreloadTasks",
                version: "2016-11-01",
                format: "JSON",
                params: &params,
            },
            creds,
            now,
            nonce,
        );
        let all: Vec<(&str, &str)> =
            PARAMS.iter().copied().chain(s.params.iter().map(|(k, v)| (*k, v.as_str()))).collect();
        builder = builder.uri(format!("/?{}", encode(&all)));
    } else {
        let s = v3::sign(
            &v3::Request {
                method: "POST",
                path: "/",
                host,
                action: "DescribeLiveStreamPreloadTasks",
                version: "2016-11-01",
                query: &params,
                headers: &[],
                body: b"",
                signed_headers: v3::SignedHeaders::Default,
            },
            creds,
            now,
            nonce,
        );
        builder = builder.uri(format!("/?{}", encode(&PARAMS)));
        for (k, v) in &s.headers {
            builder = builder.header(*k, v);
        }
    }
    builder.body(Empty::new()).unwrap()
}

fn main() {
    let a = args();
    let fixtures = std::env::temp_dir().join(format!("aliprefetch-loadgen-{}.json", std::process::id()));
    // Quotas lifted: this measures the server, not the throttle.
    std::fs::write(
        &fixtures,
        r#"{"quotas": {"SetLiveStreamPreloadTasks": 0, "DescribeLiveStreamPreloadTasks": 0, "HotLiveRtcStream": 0, "UpdateLivePullToPush": 0, "RefreshMediaPlayUrls": 0}}"#,
    )
    .unwrap();
    let mut child = Command::new(&a.emulator)
        .args(["--listen", "127.0.0.1:0", "--log", "warn", "--fixtures", fixtures.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e} (build it with --release)", a.emulator));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let host = line.trim().strip_prefix("listening on http://").expect("the emulator's first line").to_owned();

    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(a.client_threads).enable_all().build().unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let started = Instant::now();
    let results: Vec<(Vec<u32>, usize)> = runtime.block_on(async {
        let tasks: Vec<_> = (0..a.connections)
            .map(|c| {
                let (host, signature, next) = (host.clone(), a.signature.clone(), next.clone());
                let total = a.requests;
                tokio::spawn(async move {
                    let creds = Credentials::new("testid", "testsecret");
                    let stream = tokio::net::TcpStream::connect(&host).await.unwrap();
                    stream.set_nodelay(true).unwrap();
                    let (mut sender, conn) =
                        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
                    tokio::spawn(conn);
                    let (mut latencies, mut errors) = (Vec::with_capacity(total / 32 + 1), 0usize);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= total || Instant::now() >= deadline {
                            break;
                        }
                        let req = build_request(&host, &signature, &creds, &format!("lg-{c}-{i}"));
                        let t = Instant::now();
                        let resp = sender.send_request(req).await.unwrap();
                        let ok = resp.status() == 200;
                        resp.into_body().collect().await.unwrap();
                        latencies.push(t.elapsed().as_micros() as u32);
                        errors += usize::from(!ok);
                    }
                    (latencies, errors)
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    let elapsed = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(&fixtures);

    let errors: usize = results.iter().map(|r| r.1).sum();
    let mut all: Vec<u32> = results.into_iter().flat_map(|r| r.0).collect();
    all.sort_unstable();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    println!("| signature | connections | requests | seconds | req/s | p50 µs | p99 µs | non-200 |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    println!(
        "| {} | {} | {} | {:.2} | {:.0} | {} | {} | {} |",
        a.signature.to_uppercase(),
        a.connections,
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        errors
    );
}
