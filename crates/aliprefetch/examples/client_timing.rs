//! Calls DescribeLiveStreamPreloadTasks on an endpoint, first one at a time, then many in flight, and prints
//! calls per second as JSON for scripts/bench-client. Pacing is off: the emulator's quotas are lifted.
//!
//! client_timing ENDPOINT SEQUENTIAL_CALLS CONCURRENT_CALLS IN_FLIGHT

use std::time::Instant;

use aliprefetch::{Client, Credentials, DescribeLiveStreamPreloadTasksRequest, RateLimits};
use futures::StreamExt as _;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (endpoint, sequential, concurrent, in_flight) = (
        &args[1],
        args[2].parse::<usize>().unwrap(),
        args[3].parse::<usize>().unwrap(),
        args[4].parse::<usize>().unwrap(),
    );
    let client = Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new("testid", "testsecret"))
        .rate_limits(RateLimits::disabled())
        .build()
        .unwrap();
    let request = DescribeLiveStreamPreloadTasksRequest::new("play.example.com").page_size(10);
    client.describe_live_stream_preload_tasks(&request).await.unwrap();

    let started = Instant::now();
    for _ in 0..sequential {
        client.describe_live_stream_preload_tasks(&request).await.unwrap();
    }
    let sequential_per_s = sequential as f64 / started.elapsed().as_secs_f64();

    let started = Instant::now();
    let done = futures::stream::iter(0..concurrent)
        .map(|_| client.describe_live_stream_preload_tasks(&request))
        .buffer_unordered(in_flight)
        .filter(|r| futures::future::ready(r.is_ok()))
        .count()
        .await;
    assert_eq!(done, concurrent, "every call succeeded");
    let concurrent_per_s = concurrent as f64 / started.elapsed().as_secs_f64();
    println!("{{\"sequential_per_s\": {sequential_per_s:.1}, \"concurrent_per_s\": {concurrent_per_s:.1}}}");
}
