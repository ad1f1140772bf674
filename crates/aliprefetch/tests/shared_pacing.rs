//! Pacing shared through a real Redis server: several clients (each with its own limiter and Redis
//! connection, as separate processes would have) on one account against one emulator. What the
//! emulator saw is the judge: its quota check refuses any call beyond the quota in a one-second
//! window with `Throttling.User`, and it lists the tasks it holds.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use aliprefetch::{Client, ClientConfig, Credentials, PreloadOptions, RateLimits, RetryConfig};
use aliprefetch_emulator::{Config, Emulator, Fixtures};
use support::redis_server::RedisServer;

const DOMAIN: &str = "play.example.com";
const SET: &str = "SetLiveStreamPreloadTasks";
const DESCRIBE: &str = "DescribeLiveStreamPreloadTasks";

async fn emulator(quotas: &str) -> Emulator {
    let fixtures = format!(
        r#"{{"live": {{"domains": [{{"name": "{DOMAIN}", "prefetch_enabled": true}}],
             "preload": {{"seconds_to_complete": 3600}}}} {quotas}}}"#
    );
    Emulator::start(Config::with_fixtures(Fixtures::from_json(&fixtures).unwrap())).await.unwrap()
}

fn client(emu: &Emulator, rate_limits: RateLimits, rate_limit_url: Option<String>) -> Client {
    let mut config = ClientConfig::default();
    config.endpoint = Some(emu.endpoint());
    config.credentials = Some(Credentials::new("testid", "testsecret"));
    config.retry = Some(RetryConfig::standard().with_base_delay(Duration::from_millis(20)));
    config.rate_limits = Some(rate_limits);
    config.rate_limit_url = rate_limit_url;
    Client::from_config(config).unwrap()
}

/// Four batches of 2,000 URLs (distinct across batches), at once.
async fn four_batches(clients: &[Client]) {
    let runs = clients.iter().enumerate().map(|(p, c)| {
        let urls: Vec<String> = (0..2000).map(|i| format!("rtmp://{DOMAIN}/p{p}/s{i}")).collect();
        async move { c.preload_live_streams(DOMAIN, urls, PreloadOptions::default()).await.unwrap() }
    });
    for report in futures::future::join_all(runs).await {
        assert!(report.all_succeeded(), "every URL has its task: {:?}", report.failed().next());
        assert_eq!(report.items.len(), 2000);
    }
}

/// Waits (polling, bounded) until `cond` holds.
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while !cond() {
        assert!(tokio::time::Instant::now() < deadline, "gave up waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn outcomes(emu: &Emulator, action: &str) -> HashMap<String, u64> {
    emu.request_counts().into_iter().filter(|r| r.action == action).map(|r| (r.outcome, r.count)).collect()
}

/// Every URL of the four batches is held exactly once.
fn each_url_held_once(emu: &Emulator) {
    let mut held: HashMap<String, usize> = HashMap::new();
    for t in emu.tasks() {
        *held.entry(t.play_url).or_default() += 1;
    }
    assert_eq!(held.len(), 8000, "every URL is held");
    assert!(held.values().all(|n| *n == 1), "no URL is held twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_clients_on_one_account_stay_within_the_documented_quota_together() {
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator("").await;

    // Each client paces at half the account's quota: four alone send twice what the service takes, and four
    // sharing one window send half of it. The half left over is what makes the shared run independent of
    // timing: Redis admits by its clock and the emulator counts by its receipt, and on a loaded machine a
    // request admitted at the end of one window can arrive in the next; even a whole window's requests
    // arriving together stay within the quota. (At the whole quota, such an edge is refused now and then.)
    let half = || RateLimits::documented().set(SET, 25);
    let alone: Vec<Client> = (0..4).map(|_| client(&emu, half(), None)).collect();
    four_batches(&alone).await;
    let throttled = outcomes(&emu, SET).get("Throttling.User").copied().unwrap_or(0);
    assert!(throttled > 0, "four clients pacing alone exceed the account's quota");
    emu.reset();

    // Through Redis: the four share one window, and the service refuses nothing.
    // A generous timeout: a slow answer on a loaded machine must not send a client to its fallback here.
    let url = redis.url("?key_prefix=test-four&timeout_ms=2000");
    let shared: Vec<Client> = (0..4).map(|_| client(&emu, half(), Some(url.clone()))).collect();
    four_batches(&shared).await;
    let seen = outcomes(&emu, SET);
    assert_eq!(seen.get("Throttling.User"), None, "no call beyond the quota: {seen:?}");
    assert_eq!(seen.get("ok"), Some(&80), "80 requests of 100 URLs: {seen:?}");
    each_url_held_once(&emu);
    assert!(shared.iter().all(Client::pacing_is_shared));
    // The window lives in Redis under the prefix and the AccessKeyId.
    let keys = redis.command(&["KEYS", "test-four:*"]);
    assert!(keys.contains("test-four:testid:SetLiveStreamPreloadTasks"), "{keys}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_mid_run_falls_back_without_loss_and_shares_again_when_back() {
    let Some(mut redis) = RedisServer::start() else { return };
    // A quota of 10 per second makes the 80 requests last long enough to stop Redis in the middle.
    let emu = emulator(r#", "quotas": {"SetLiveStreamPreloadTasks": 10}"#).await;
    let limits = RateLimits::documented().set(SET, 10);
    let url = redis.url("?key_prefix=test-outage&fallback_share=0.25&timeout_ms=200");
    let clients: Vec<Client> = (0..4).map(|_| client(&emu, limits.clone(), Some(url.clone()))).collect();

    let ok = |emu: &Emulator| outcomes(emu, SET).get("ok").copied().unwrap_or(0);
    let batches = four_batches(&clients);
    let outage = async {
        until("20 requests went through Redis", || ok(&emu) >= 20).await;
        redis.stop();
        // Every client notices at its next call and paces alone at a quarter of the quota.
        until("every client fell back", || !clients.iter().any(Client::pacing_is_shared)).await;
        let during = ok(&emu);
        until("12 requests went out on the fallback", || ok(&emu) >= during + 12).await;
        redis.restart();
    };
    tokio::join!(batches, outage);

    let seen = outcomes(&emu, SET);
    assert_eq!(seen.get("Throttling.User"), None, "no window over the quota across the switches: {seen:?}");
    assert_eq!(seen.get("ok"), Some(&80), "{seen:?}");
    each_url_held_once(&emu);

    // Back to shared: a client's next calls go through Redis again (it tries once a second).
    for c in &clients {
        for _ in 0..40 {
            c.describe_live_stream_preload_tasks(&aliprefetch::DescribeLiveStreamPreloadTasksRequest::new(DOMAIN))
                .await
                .unwrap();
            if c.pacing_is_shared() {
                break;
            }
        }
        assert!(c.pacing_is_shared(), "a client goes back to shared pacing once Redis answers");
    }
    let keys = redis.command(&["KEYS", "test-outage:*"]);
    assert!(keys.contains("test-outage:testid:DescribeLiveStreamPreloadTasks"), "{keys}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_redis_never_blocks_and_the_local_share_applies() {
    // Nothing listens on this port: every call falls back at once (connection refused), paced locally.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let emu = emulator(r#", "quotas": {"SetLiveStreamPreloadTasks": 8}"#).await;
    let url = format!("redis://:s3cret@127.0.0.1:{port}/0?fallback_share=0.5");
    let c = client(&emu, RateLimits::documented().set(SET, 8), Some(url));
    let urls: Vec<String> = (0..1000).map(|i| format!("rtmp://{DOMAIN}/solo/s{i}")).collect();
    let report = c.preload_live_streams(DOMAIN, urls, PreloadOptions::default()).await.unwrap();
    assert!(report.all_succeeded());
    assert!(!c.pacing_is_shared());
    let seen = outcomes(&emu, SET);
    assert_eq!(seen.get("ok"), Some(&10), "{seen:?}");
    assert_eq!(seen.get("Throttling.User"), None, "{seen:?}");
    // The password of the URL shows nowhere.
    assert!(!format!("{c:?}").contains("s3cret"));
}

#[test]
fn the_environment_names_the_backend_and_bad_urls_are_refused_before_anything_is_sent() {
    let env = |url: &str| aliprefetch::credentials::Env::from_vars([("ALIPREFETCH_RATE_LIMIT_URL", url)]);
    let mut config = ClientConfig::default();
    config.credentials = Some(Credentials::new("testid", "testsecret"));
    config.environment = Some(env("http://nope"));
    let e = Client::from_config(config.clone()).expect_err("refused");
    assert_eq!((e.field(), e.rule()), (Some("rate_limit_url"), Some("format")));
    assert!(e.message().contains("ALIPREFETCH_RATE_LIMIT_URL"), "{e}");

    config.environment = Some(env("redis://127.0.0.1:1/0?key_prefix=from-env"));
    let built = Client::from_config(config.clone()).expect("a valid URL from the environment");
    assert!(format!("{built:?}").contains("from-env"), "the backend of the environment is in use");
    // Pacing turned off wins over the environment; an explicit URL with it is a conflict.
    config.rate_limits = Some(RateLimits::disabled());
    Client::from_config(config.clone()).expect("disabled wins over the environment");
    config.rate_limit_url = Some("redis://127.0.0.1:1/0".into());
    let e = Client::from_config(config).expect_err("conflict");
    assert_eq!((e.field(), e.rule()), (Some("rate_limit_url"), Some("conflict")));
}

/// A Redis password that is not percent-encoded may hold `/` or `?` (base64 secrets do). Neither the
/// configuration's `Debug` nor the error for the URL, given directly or through the environment, shows it.
#[test]
fn a_password_with_url_delimiters_shows_in_no_config_or_error() {
    for url in ["redis://:pa/ss-SECRET@127.0.0.1:1/0", "redis://user:pa?ss-SECRET@h", "rediss://pa:ss-SECRET#x@h"] {
        let mut config = ClientConfig::default();
        config.credentials = Some(Credentials::new("testid", "testsecret"));
        config.rate_limit_url = Some(url.to_owned());
        let shown = format!("{config:?}");
        assert!(!shown.contains("SECRET") && shown.contains("***@"), "{shown}");
        let e = Client::from_config(config.clone()).expect_err(url);
        assert_eq!((e.field(), e.rule()), (Some("rate_limit_url"), Some("format")), "{url}");
        assert!(!format!("{e} {e:?}").contains("SECRET"), "{e:?}");

        config.rate_limit_url = None;
        config.environment = Some(aliprefetch::credentials::Env::from_vars([("ALIPREFETCH_RATE_LIMIT_URL", url)]));
        let e = Client::from_config(config).expect_err(url);
        assert!(!format!("{e} {e:?}").contains("SECRET"), "{e:?}");
    }
}

#[test]
fn a_client_outliving_the_runtime_that_fell_back_still_comes_back_to_redis() {
    let Some(mut redis) = RedisServer::start() else { return };
    let emu = Emulator::start_in_background(Config::with_fixtures(
        Fixtures::from_json(&format!(
            r#"{{"live": {{"domains": [{{"name": "{DOMAIN}", "prefetch_enabled": true}}]}}}}"#
        ))
        .unwrap(),
    ))
    .unwrap();
    let c = client(&emu, RateLimits::documented(), Some(redis.url("?key_prefix=test-runtime")));
    let describe = aliprefetch::DescribeLiveStreamPreloadTasksRequest::new(DOMAIN);
    redis.stop();
    // The first runtime sees Redis gone, falls back, and ends with the task that would reconnect.
    let first = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    first.block_on(c.describe_live_stream_preload_tasks(&describe)).unwrap();
    assert!(!c.pacing_is_shared());
    drop(first);
    redis.restart();
    // On another runtime, a call tries Redis itself once three reconnect intervals passed without a try.
    let second = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for _ in 0..100 {
        second.block_on(c.describe_live_stream_preload_tasks(&describe)).unwrap();
        if c.pacing_is_shared() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(c.pacing_is_shared(), "back to shared without the background task");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_longer_than_the_window_is_a_redis_failure_not_a_wait() {
    // A window full of starts dated far ahead of Redis's clock: what a Redis whose clock stepped back,
    // or a key written by something else, looks like. Obeying its wait would park the client for years.
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator("").await;
    let key = format!("aliprefetch:testid:{DESCRIBE}");
    let mut zadd = vec!["ZADD", key.as_str()];
    let members: Vec<String> = (0..20).map(|i| format!("foreign{i}")).collect();
    for m in &members {
        zadd.extend(["9000000000000000", m.as_str()]);
    }
    redis.command(&zadd);
    let c = client(&emu, RateLimits::documented(), Some(redis.url("")));
    for _ in 0..3 {
        tokio::time::timeout(
            Duration::from_secs(60),
            c.describe_live_stream_preload_tasks(&aliprefetch::DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)),
        )
        .await
        .expect("the call was not parked")
        .unwrap();
    }
    assert_eq!(outcomes(&emu, DESCRIBE).get("ok"), Some(&3));
}
