//! Bounded and truthful at the edges, against the emulator over loopback: a service whose clock differs
//! from ours by an hour either way (calls and STS), requests sized by bytes, values no request can carry
//! refused before sending, and local files that are not regular files. What the service holds is read
//! from the emulator, never from our own report.

use std::path::Path;
use std::time::Duration;

use aliprefetch::credentials::Env;
use aliprefetch::{
    Client, ClientConfig, Credentials, DescribeLiveStreamPreloadTasksRequest, ErrorKind, PreloadOptions, RetryConfig,
    SetLiveStreamPreloadTasksRequest, SignatureVersion,
};
use aliprefetch_emulator::{Config, Emulator, Fixtures};

const DOMAIN: &str = "play.example.com";
const ROLE: &str = "acs:ram::1234567890123456:role/prefetch";
const OIDC_PROVIDER: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1";

async fn emulator(fixtures: &str) -> Emulator {
    Emulator::start(Config::with_fixtures(Fixtures::from_json(fixtures).unwrap())).await.unwrap()
}

fn client(emu: &Emulator, sig: SignatureVersion) -> Client {
    Client::builder()
        .endpoint(emu.endpoint())
        .credentials(emu.credentials())
        .signature_version(sig)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

fn refused_timestamps(emu: &Emulator) -> u64 {
    emu.request_counts().iter().filter(|c| c.outcome.contains("InvalidTimeStamp")).map(|c| c.count).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_clock_an_hour_ahead_or_behind_is_learned_and_followed() {
    for offset in [3600, -3600] {
        let emu = emulator(&format!(r#"{{"clock_offset_seconds": {offset}}}"#)).await;
        for sig in [SignatureVersion::V3, SignatureVersion::V1] {
            // Retries off: the one repetition is the clock's, not the retry policy's.
            let c = client(&emu, sig);
            let set = c
                .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(
                    DOMAIN,
                    [format!("rtmp://{DOMAIN}/skew/{offset}/{sig:?}")],
                ))
                .await
                .unwrap_or_else(|e| panic!("{offset} s, {sig:?}: {e}"));
            assert_eq!(set.success_url, 1);
            // Learned: the next calls are signed with the service's clock at once.
            let before = refused_timestamps(&emu);
            for _ in 0..3 {
                c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN))
                    .await
                    .unwrap();
            }
            assert_eq!(refused_timestamps(&emu), before, "{offset} s, {sig:?}: no refusal once learned");
        }
        // The first call of each client was refused once and repeated; the task exists once per client.
        assert_eq!(refused_timestamps(&emu), 2, "{offset} s");
        assert_eq!(emu.tasks().len(), 2, "{offset} s: one task per call, none repeated");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sts_with_a_clock_an_hour_off_still_issues_credentials() {
    for offset in [3600, -3600] {
        let emu = emulator(&format!(
            r#"{{"clock_offset_seconds": {offset}, "sts": {{"roles": ["{ROLE}"], "oidc_tokens": ["tok"]}}}}"#
        ))
        .await;
        let home = tempfile::tempdir().unwrap();
        let token = home.path().join("token");
        std::fs::write(&token, "tok\n").unwrap();
        std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
        std::fs::write(
            home.path().join(".aliyun/config.json"),
            format!(
                r#"{{"current": "role", "profiles": [
                    {{"name": "role", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "testsecret",
                      "ram_role_arn": "{ROLE}"}},
                    {{"name": "oidc", "mode": "OIDC", "ram_role_arn": "{ROLE}", "oidc_provider_arn": "{OIDC_PROVIDER}",
                      "oidc_token_file": "{}"}}]}}"#,
                token.display()
            ),
        )
        .unwrap();
        for profile in ["role", "oidc"] {
            let mut config = ClientConfig::default();
            config.endpoint = Some(emu.endpoint());
            config.profile = Some(profile.to_owned());
            config.retry = Some(RetryConfig::disabled());
            config.environment = Some(Env::from_vars([
                ("HOME".to_owned(), home.path().display().to_string()),
                ("ALIBABA_CLOUD_STS_ENDPOINT".to_owned(), emu.endpoint()),
                ("ALIBABA_CLOUD_ECS_METADATA_DISABLED".to_owned(), "true".to_owned()),
            ]));
            let c = Client::from_config(config).unwrap();
            c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN))
                .await
                .unwrap_or_else(|e| panic!("{offset} s, {profile}: {e}"));
            let creds = c.current_credentials().await.unwrap();
            assert!(creds.access_key_id().starts_with("STS."), "{offset} s, {profile}: {creds:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_urls_are_split_by_bytes_and_one_too_long_for_any_request_is_refused_alone() {
    let emu = emulator("{}").await;
    let c = client(&emu, SignatureVersion::V3);
    // 100 URLs of about 640 characters: one request by count, but about 64 KiB on the wire.
    let pad = "x".repeat(600);
    let mut urls: Vec<String> = (0..100).map(|i| format!("rtmp://{DOMAIN}/long/{pad}/{i}")).collect();
    let huge = format!("rtmp://{DOMAIN}/huge/{}", "y".repeat(100 * 1024));
    urls.insert(50, huge.clone());
    let report = c.preload_live_streams(DOMAIN, urls.clone(), PreloadOptions::default()).await.unwrap();
    assert!(report.requests >= 3, "{} requests: split by size", report.requests);
    let refused: Vec<_> = report.failed().collect();
    assert_eq!(refused.len(), 1);
    let failure = refused[0].failure.as_ref().unwrap();
    assert_eq!(
        (refused[0].url.as_str(), failure.code.as_str(), failure.outcome_unknown),
        (huge.as_str(), "too_long", false)
    );
    // The service holds exactly the other 100, one task each.
    let held: std::collections::HashSet<String> = emu.tasks().into_iter().map(|t| t.play_url).collect();
    assert_eq!(held.len(), 100);
    assert!(!held.contains(&huge));
    // One request's worth of bytes is also checked on a single call, before sending.
    let e = c.set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(DOMAIN, urls)).await.unwrap_err();
    assert_eq!((e.kind(), e.field(), e.attempts()), (ErrorKind::InvalidInput, Some("PlayUrl"), 0), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_no_request_can_carry_are_refused_before_sending() {
    let emu = emulator("{}").await;
    let sent = |emu: &Emulator| emu.request_counts().iter().map(|c| c.count).sum::<u64>();
    // A user agent with CR/LF: the client is not built.
    let e = Client::builder().endpoint(emu.endpoint()).user_agent("ua\r\nX-Injected: 1").build().unwrap_err();
    assert_eq!((e.kind(), e.field(), e.rule()), (ErrorKind::InvalidInput, Some("user_agent"), Some("header_value")));
    // A region that is no region id (a variable that was not UTF-8 reads with U+FFFD): not built.
    for region in ["cn-shang\u{fffd}hai", "cn shanghai", "cn-shanghai\r\n"] {
        let e = Client::builder().endpoint(emu.endpoint()).region(region).build().unwrap_err();
        assert_eq!((e.field(), e.rule()), (Some("region"), Some("format")), "{e}");
    }
    // A control character in a parameter, a URL without a scheme.
    let c = client(&emu, SignatureVersion::V3);
    let e = c
        .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new("play.example.com\u{0}x"))
        .await
        .unwrap_err();
    assert_eq!((e.field(), e.rule()), (Some("DomainName"), Some("control_character")), "{e}");
    let e = c
        .set_live_stream_preload_tasks(&SetLiveStreamPreloadTasksRequest::new(DOMAIN, ["play.example.com/app/s"]))
        .await
        .unwrap_err();
    assert_eq!((e.field(), e.rule()), (Some("PlayUrl"), Some("not_a_url")), "{e}");
    // An action for call() travels in a header: an API name only.
    let e = c
        .call(aliprefetch::Service::Live, "Describe\r\nX-Injected: 1", aliprefetch::Method::Post, Vec::new())
        .await
        .unwrap_err();
    assert_eq!((e.field(), e.rule()), (Some("Action"), Some("format")), "{e}");
    // A security token with CR/LF (a token file read with a stray line): a credentials error, not sent.
    for sig in [SignatureVersion::V3, SignatureVersion::V1] {
        let c = Client::builder()
            .endpoint(emu.endpoint())
            .credentials(Credentials::new("STS.demo", "stssecret").with_security_token("token\r\nX-Injected: 1"))
            .signature_version(sig)
            .build()
            .unwrap();
        let e = c
            .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Credentials, "{e}");
        assert!(e.was_not_sent() && !e.may_have_taken_effect() && !e.message().contains("X-Injected"), "{e}");
    }
    assert_eq!(sent(&emu), 0, "nothing reached the service");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_before_anything_was_sent_end_not_created() {
    // The audit of the nothing-sent classes: every URL ends `not_created` (never unknown), no lookup is
    // made, and the service holds nothing.
    let emu = emulator("{}").await;
    let urls: Vec<String> = (0..250).map(|i| format!("rtmp://{DOMAIN}/unsent/{i}")).collect();
    let bad_token = Client::builder()
        .endpoint(emu.endpoint())
        .credentials(Credentials::new("STS.demo", "stssecret").with_security_token("tok\nen"))
        .build()
        .unwrap();
    // A closed port: the connection is refused, so the request was never written.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        Client::builder()
            .endpoint(format!("127.0.0.1:{port}"))
            .credentials(emu.credentials())
            .retry(RetryConfig::standard().with_base_delay(Duration::from_millis(1)))
            .build()
            .unwrap()
    };
    for (name, c) in [("bad token", bad_token), ("closed port", closed)] {
        let report = c.preload_live_streams(DOMAIN, urls.clone(), PreloadOptions::default()).await.unwrap();
        assert_eq!(report.items.len(), 250, "{name}");
        assert_eq!(report.lookups, 0, "{name}: nothing to look up");
        for item in &report.items {
            let f = item.failure.as_ref().unwrap_or_else(|| panic!("{name}: {item:?}"));
            assert!(!f.outcome_unknown && !item.outcome_unknown(), "{name}: {f:?}");
        }
    }
    assert!(emu.tasks().is_empty());
    assert_eq!(emu.request_counts().iter().map(|c| c.count).sum::<u64>(), 0);
}

/// Makes `path` a FIFO (no writer will ever come).
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_files_that_are_fifos_or_devices_neither_block_nor_grow() {
    let emu = emulator(&format!(r#"{{"sts": {{"roles": ["{ROLE}"], "oidc_tokens": ["tok"]}}}}"#)).await;
    for special in ["fifo", "/dev/zero"] {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
        let config = home.path().join(".aliyun/config.json");
        let credentials = home.path().join("credentials");
        let token = home.path().join("token");
        for file in [&config, &credentials, &token] {
            if special == "fifo" {
                mkfifo(file);
            } else {
                std::os::unix::fs::symlink(special, file).unwrap();
            }
        }
        let env = |extra: &[(&str, String)]| {
            let mut vars = vec![
                ("HOME".to_owned(), home.path().display().to_string()),
                ("ALIBABA_CLOUD_STS_ENDPOINT".to_owned(), emu.endpoint()),
                ("ALIBABA_CLOUD_ECS_METADATA_DISABLED".to_owned(), "true".to_owned()),
                ("ALIBABA_CLOUD_CREDENTIALS_FILE".to_owned(), credentials.display().to_string()),
            ];
            vars.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
            Env::from_vars(vars)
        };
        let build = |env: Env| {
            let mut config = ClientConfig::default();
            config.endpoint = Some(emu.endpoint());
            config.environment = Some(env);
            config.retry = Some(RetryConfig::disabled());
            Client::from_config(config)
        };
        let limit = Duration::from_secs(20);
        // Keys from the environment: the profile (a FIFO or a device) is looked at and passed over.
        let keys = env(&[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid".to_owned()),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret".to_owned()),
        ]);
        let c = build(keys).unwrap();
        tokio::time::timeout(
            limit,
            c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)),
        )
        .await
        .unwrap_or_else(|_| panic!("{special}: blocked"))
        .unwrap();
        // Nothing else: each file is refused by name, at once.
        let c = build(env(&[])).unwrap();
        let e = tokio::time::timeout(limit, c.current_credentials())
            .await
            .unwrap_or_else(|_| panic!("{special}: blocked"))
            .unwrap_err();
        assert!(e.message().contains("not a regular file"), "{special}: {e}");
        // An OIDC token file that is one.
        let c = build(env(&[
            ("ALIBABA_CLOUD_ROLE_ARN", ROLE.to_owned()),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER.to_owned()),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.display().to_string()),
        ]))
        .unwrap();
        let e = tokio::time::timeout(limit, c.current_credentials())
            .await
            .unwrap_or_else(|_| panic!("{special}: blocked"))
            .unwrap_err();
        assert!(
            e.message().contains("OIDC token file") && e.message().contains("not a regular file"),
            "{special}: {e}"
        );
    }
}
