//! One process of the cross-language shared-pacing check (`tests/shared_pacing/check.py`): prints
//! `ready`, waits for the go file, prefetches COUNT URLs `rtmp://DOMAIN/TAG/s<i>` in one batch, and
//! exits 0 when every URL has its task. The shared backend comes from `ALIPREFETCH_RATE_LIMIT_URL`,
//! credentials from the environment.
//!
//! shared_batch ENDPOINT DOMAIN TAG COUNT SET_LIMIT GO_FILE

use std::io::Write as _;
use std::time::Duration;

use aliprefetch::{Client, ClientConfig, PreloadOptions, RateLimits};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, endpoint, domain, tag, count, set_limit, go] = &args[..] else {
        eprintln!("usage: shared_batch ENDPOINT DOMAIN TAG COUNT SET_LIMIT GO_FILE");
        std::process::exit(2);
    };
    let mut config = ClientConfig::default();
    config.endpoint = Some(endpoint.clone());
    config.rate_limits =
        Some(RateLimits::documented().set("SetLiveStreamPreloadTasks", set_limit.parse().expect("a limit")));
    let client = Client::from_config(config).expect("a client");
    let urls: Vec<String> =
        (0..count.parse::<usize>().expect("a count")).map(|i| format!("rtmp://{domain}/{tag}/s{i}")).collect();
    println!("ready");
    std::io::stdout().flush().expect("stdout");
    while !std::path::Path::new(go).exists() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let report = client.preload_live_streams(domain, urls, PreloadOptions::default()).await.expect("the batch runs");
    let failed = report.failed().count();
    println!("{{\"process\": \"rust\", \"succeeded\": {}, \"failed\": {failed}}}", report.succeeded().count());
    std::process::exit(i32::from(failed > 0));
}
