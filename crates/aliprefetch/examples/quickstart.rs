use std::time::Duration;

use aliprefetch::{Client, PreloadOptions, WaitOptions};
use aliprefetch_emulator::{Config, Emulator, Fixtures};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A local emulator stands in for the cloud. With an account, drop it and `.endpoint(…)`:
    // credentials then come from the default chain (environment, ~/.aliyun, ~/.alibabacloud, ECS role).
    let fixtures = Fixtures::from_json(r#"{"live": {"preload": {"seconds_to_complete": 2}}}"#)?;
    let emulator = Emulator::start(Config::with_fixtures(fixtures)).await?;
    let client = Client::builder().endpoint(emulator.endpoint()).credentials(emulator.credentials()).build()?;

    // Warm the CDN for 250 streams: split into requests of 100, paced under the quota, every URL reported.
    let urls: Vec<String> = (1..=250).map(|i| format!("rtmp://play.example.com/live/stream{i}")).collect();
    let report = client.preload_live_streams("play.example.com", urls, PreloadOptions::default()).await?;
    println!(
        "{} of {} URLs have a prefetch task ({} requests)",
        report.succeeded().count(),
        report.items.len(),
        report.requests
    );

    // Wait until every task is complete or failed.
    let ids: Vec<String> = report.succeeded().filter_map(|item| item.task_id.clone()).collect();
    let options = WaitOptions::default().poll_interval(Duration::from_millis(500));
    let tasks = client.wait_for_preload("play.example.com", &ids, options).await?;
    let complete = tasks.iter().filter(|t| t.status == "complete").count();
    println!("{complete} tasks complete, first: {} at {}", tasks[0].play_url, tasks[0].process);
    Ok(())
}
