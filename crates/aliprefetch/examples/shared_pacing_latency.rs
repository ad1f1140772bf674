//! What the shared backend adds to a call: the same DescribeLiveStreamPreloadTasks calls, one at a time,
//! against the embedded emulator (quotas lifted), paced in-process and then through a real Redis server
//! (Debian's `redis-server`, started here on a free loopback port). The limit is set high enough that no
//! call waits, so the difference is the Redis round trip. Prints p50/p99 of each and their difference.
//!
//!     cargo run --release -p aliprefetch --example shared_pacing_latency [CALLS]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aliprefetch::{Client, ClientConfig, DescribeLiveStreamPreloadTasksRequest, RateLimits};
use aliprefetch_emulator::{Config, Emulator, Fixtures};

const DESCRIBE: &str = "DescribeLiveStreamPreloadTasks";

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

async fn latencies(client: &Client, calls: usize) -> Vec<Duration> {
    let request = DescribeLiveStreamPreloadTasksRequest::new("play.example.com").page_size(10);
    for _ in 0..200 {
        client.describe_live_stream_preload_tasks(&request).await.unwrap();
    }
    let mut out = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        client.describe_live_stream_preload_tasks(&request).await.unwrap();
        out.push(started.elapsed());
    }
    out.sort();
    out
}

#[tokio::main]
async fn main() {
    let calls: usize = std::env::args().nth(1).map_or(5000, |n| n.parse().expect("a count"));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut redis = Command::new("redis-server")
        .args(["--bind", "127.0.0.1", "--port", &port.to_string(), "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server (apt-get install redis-server)");
    let fixtures = r#"{"quotas": {"DescribeLiveStreamPreloadTasks": 0}}"#;
    let emu = Emulator::start(Config::with_fixtures(Fixtures::from_json(fixtures).unwrap())).await.unwrap();
    let client = |url: Option<String>| {
        let mut config = ClientConfig::default();
        config.endpoint = Some(emu.endpoint());
        config.credentials = Some(emu.credentials());
        config.rate_limits = Some(RateLimits::documented().set(DESCRIBE, 1_000_000));
        config.rate_limit_url = url;
        Client::from_config(config).unwrap()
    };
    let local = client(None);
    let shared = client(Some(format!("redis://127.0.0.1:{port}/0?key_prefix=latency&timeout_ms=1000")));
    // Redis is up once the shared client paces through it.
    for _ in 0..500 {
        shared
            .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new("x.example.com"))
            .await
            .ok();
        if shared.pacing_is_shared() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(shared.pacing_is_shared(), "Redis answered");
    // Alternate the two, three rounds each, and keep every sample.
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        a.extend(latencies(&local, calls).await);
        b.extend(latencies(&shared, calls).await);
    }
    a.sort();
    b.sort();
    let _ = redis.kill();
    let _ = redis.wait();
    let (l50, l99, s50, s99) = (percentile(&a, 0.5), percentile(&a, 0.99), percentile(&b, 0.5), percentile(&b, 0.99));
    println!(
        "{{\"calls\": {}, \"in_process_p50_us\": {l50:.0}, \"in_process_p99_us\": {l99:.0}, \"shared_p50_us\": {s50:.0}, \
         \"shared_p99_us\": {s99:.0}, \"added_p50_us\": {:.0}, \"added_p99_us\": {:.0}}}",
        a.len(),
        s50 - l50,
        s99 - l99
    );
}
