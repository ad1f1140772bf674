//! The emulator's contract: every rule of the validation table enforced server-side with the
//! service's codes (requests sent unchecked through the generic call), and the binary's start-up line,
//! default account and clean stop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use aliprefetch::{Client, Method, RateLimits, RetryConfig, Service};
use aliprefetch_emulator::{Config, Emulator, Fixtures};
use serde_json::Value;
use time::OffsetDateTime;

/// `now+6h`-style values against `now`.
fn resolve_time(s: &str, now: OffsetDateTime) -> Option<String> {
    let rest = s.strip_prefix("now")?;
    if rest.is_empty() {
        return Some(aliprefetch::format_timestamp(now));
    }
    let (sign, body) = rest.split_at(1);
    let (num, unit) = body.split_at(body.len() - 1);
    let n: i64 = num.parse().ok()?;
    let secs = n * match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => return None,
    };
    let d = time::Duration::seconds(if sign == "-" { -secs } else { secs });
    Some(aliprefetch::format_timestamp(now + d))
}

/// The table's input as it travels: strings, comma lists, SourceUrls as a JSON array, JSON text.
fn wire_params(input: &serde_json::Map<String, Value>, now: OffsetDateTime) -> Vec<(String, String)> {
    input
        .iter()
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => resolve_time(s, now).unwrap_or_else(|| s.clone()),
                Value::Array(items) if k == "SourceUrls" => serde_json::to_string(items).unwrap(),
                Value::Array(items) => {
                    items.iter().map(|i| i.as_str().unwrap().to_owned()).collect::<Vec<_>>().join(",")
                }
                Value::Bool(b) => b.to_string(),
                other => other.to_string(),
            };
            (k.clone(), s)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_validation_table_is_enforced_server_side() {
    let fixtures = Fixtures::from_json(
        r#"{"live": {"pull_to_push_tasks": [{"task_id": "fd245384-4067-4f91-9d75-9666a6bc0001", "region": "cn-shanghai",
              "state": "scheduled", "start_time": "2030-01-01T00:00:00Z", "end_time": "2030-01-02T00:00:00Z"}]},
            "quotas": {"SetLiveStreamPreloadTasks": 0, "DescribeLiveStreamPreloadTasks": 0, "HotLiveRtcStream": 0,
                       "UpdateLivePullToPush": 0, "RefreshMediaPlayUrls": 0}}"#,
    )
    .unwrap();
    let emu = Emulator::start(Config::with_fixtures(fixtures)).await.unwrap();
    let client = Client::builder()
        .endpoint(emu.endpoint())
        .credentials(emu.credentials())
        .retry(RetryConfig::disabled())
        .rate_limits(RateLimits::disabled())
        .build()
        .unwrap();
    let mut failures = Vec::new();
    let mut sent = 0;
    for file in std::fs::read_dir(format!("{}/../../tests/validation", env!("CARGO_MANIFEST_DIR"))).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let action = doc["operation"].as_str().unwrap();
        let service = if doc["service"] == "vod" { Service::Vod } else { Service::Live };
        let method = if action == "UpdateLivePullToPush" { Method::Get } else { Method::Post };
        for case in doc["cases"].as_array().unwrap() {
            if case["client_only"] == true {
                continue;
            }
            sent += 1;
            let name = case["name"].as_str().unwrap();
            let params = wire_params(case["input"].as_object().unwrap(), emu.now());
            let result = client.call(service, action, method, params).await;
            match (&case["expect"], result) {
                (Value::String(_), Ok(_)) => {}
                (Value::String(_), Err(e)) => failures.push(format!("{action} / {name}: expected ok, got {e}")),
                (Value::Object(exp), Err(e)) => {
                    let code = exp["service_code"].as_str().unwrap();
                    if e.code() != Some(code) || e.http_status() != Some(400) {
                        failures.push(format!("{action} / {name}: expected {code}, got {e}"));
                    }
                    let field = exp["field"].as_str().unwrap();
                    if code != "InvalidParam.CodeIllegalDuration"
                        && code != "Duration.Exceed"
                        && !e.message().contains(field)
                    {
                        failures.push(format!("{action} / {name}: the message does not name {field}: {}", e.message()));
                    }
                }
                (Value::Object(exp), Ok(v)) => failures.push(format!("{action} / {name}: expected {exp:?}, got {v}")),
                (other, _) => panic!("bad expectation {other}"),
            }
        }
    }
    assert!(failures.is_empty(), "{} of {sent} cases:\n{}", failures.len(), failures.join("\n"));
    assert!(sent >= 100, "{sent}");
}

/// The emulator binary with `args`, and the first line it printed (`listening on …`).
fn spawn_binary(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aliprefetch-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    (child, line)
}

#[test]
fn the_binary_prints_its_address_serves_and_stops_on_sigterm() {
    let (child, line) =
        spawn_binary(&["--listen", "127.0.0.1:0", "--now", "2024-05-20T08:00:00Z", "--log-format", "json"]);
    let endpoint = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("first line: {line}")).to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");

    // The default account answers; the fixed clock means a request must be signed at that time.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    aliprefetch::install_crypto_provider();
    let creds = aliprefetch_emulator::default_credentials();
    let at = time::macros::datetime!(2024-05-20 08:00:01 UTC);
    let params = vec![("DomainName".to_owned(), "play.example.com".to_owned())];
    let signed = aliprefetch::sign::v1::sign(
        &aliprefetch::sign::v1::Request {
            method: "GET",
            action: "DescribeLiveStreamPreloadTasks",
            version: "2016-11-01",
            format: "JSON",
            params: &params,
        },
        &creds,
        at,
        "binary-test",
    );
    let mut query: Vec<(String, String)> = params.clone();
    query.extend(signed.params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    let qs = query
        .iter()
        .map(|(k, v)| format!("{}={}", aliprefetch::sign::percent_encode(k), aliprefetch::sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let status = runtime.block_on(async { reqwest::get(format!("{endpoint}/?{qs}")).await.unwrap().status().as_u16() });
    assert_eq!(status, 200);

    // SIGTERM: a clean exit.
    let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit: {:?}", out.status);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("accepting access key testid / testsecret"), "{stderr}");
    // One JSON object per request: action, account, outcome, latency; never the signature.
    let line =
        stderr.lines().find(|l| l.contains("DescribeLiveStreamPreloadTasks")).unwrap_or_else(|| panic!("{stderr}"));
    let log: Value = serde_json::from_str(line).unwrap();
    let fields = &log["fields"];
    assert_eq!(
        (fields["action"].as_str(), fields["account"].as_str(), fields["outcome"].as_str()),
        (Some("DescribeLiveStreamPreloadTasks"), Some("testid"), Some("ok"))
    );
    assert!(fields["latency_us"].is_u64());
    assert!(!stderr.contains(&signed.signature), "no signature in the logs");
    assert!(!stderr.contains("not loopback"), "no warning on loopback: {stderr}");
}

#[test]
fn listening_beyond_loopback_warns_that_the_test_accounts_are_exposed() {
    // Binds every interface but sends nothing: the test only reads what the emulator says.
    let (child, line) = spawn_binary(&["--listen", "0.0.0.0:0"]);
    assert!(line.starts_with("listening on http://0.0.0.0:"), "{line}");
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("WARN") && stderr.contains("not loopback"), "{stderr}");
    assert!(stderr.contains("anyone who can reach this address can use them"), "{stderr}");
}

#[test]
fn a_bad_fixture_file_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.json");
    std::fs::write(&path, r#"{"faults": {"error_rate": 2}}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_aliprefetch-emulator"))
        .args(["--listen", "127.0.0.1:0", "--fixtures", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rates are between 0 and 1"));
    std::fs::write(&path, r#"{"acounts": []}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_aliprefetch-emulator"))
        .args(["--listen", "127.0.0.1:0", "--fixtures", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown field `acounts`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
