//! The `aliprefetch` binary against the emulator over loopback: every subcommand, its output parsed,
//! exit codes, validation before sending, and credentials.

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use aliprefetch_emulator::{Config, Emulator, Fixtures};
use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use serde_json::Value;

const DOMAIN: &str = "play.example.com";
const RELAY_TASK: &str = "fd245384-4067-4f91-9d75-9666a6bc0001";

fn emulator(fixtures: &str) -> Emulator {
    let fixtures = Fixtures::from_json(if fixtures.is_empty() { "{}" } else { fixtures }).unwrap();
    Emulator::start_in_background(Config::with_fixtures(fixtures)).unwrap()
}

/// The binary with an environment of its own: no credentials, an empty home, no metadata service.
fn bare() -> (Command, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = cargo_bin_cmd!("aliprefetch");
    for (key, _) in std::env::vars() {
        if key.starts_with("ALIBABA_CLOUD_") || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd.env("HOME", home.path()).env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    (cmd, home)
}

/// The binary with `emu`'s credentials in the environment.
fn with_credentials_of(emu: &Emulator) -> (Command, tempfile::TempDir) {
    let (mut cmd, home) = bare();
    let creds = emu.credentials();
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", creds.access_key_id())
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", creds.access_key_secret());
    (cmd, home)
}

/// The binary pointed at `emu` with its credentials in the environment.
fn at(emu: &Emulator) -> (Command, tempfile::TempDir) {
    let (mut cmd, home) = with_credentials_of(emu);
    cmd.args(["--endpoint", &emu.endpoint()]);
    (cmd, home)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
    fn jsonl(&self) -> Vec<Value> {
        self.stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
    }
    /// The table's rows as cells, split on runs of two or more spaces (cells have single spaces at most).
    fn table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut lines = self.stdout.lines().map(|l| {
            l.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect::<Vec<String>>()
        });
        let header = lines.next().expect("a header line");
        (header, lines.collect())
    }
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn urls(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("rtmp://{DOMAIN}/{prefix}/s{i}")).collect()
}

#[test]
fn emulator_flag_runs_the_main_job_with_no_credentials_anywhere() {
    let (mut cmd, _home) = bare();
    let r = run(cmd.args(["--emulator", "live", "preload", "--domain", DOMAIN]).args(urls("live", 2)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (header, rows) = r.table();
    assert_eq!(header, ["URL", "TASK ID", "STATUS", "DETAIL"]);
    assert_eq!(rows.len(), 2);
    for (row, url) in rows.iter().zip(urls("live", 2)) {
        assert_eq!(row[0], url);
        assert_eq!(row[1].len(), 36, "a task id: {row:?}");
        assert_eq!(row[2], "created");
    }
    assert!(r.stderr.contains("embedded emulator"), "{}", r.stderr);
    assert!(r.stderr.contains("2 of 2 URLs have a prefetch task (1 request"), "{}", r.stderr);
}

#[test]
fn the_main_job_waits_until_the_tasks_are_complete() {
    let (mut cmd, _home) = bare();
    let r = run(cmd
        .args(["--emulator", "-o", "json", "live", "preload", "--wait", "--poll-interval", "300ms", "--domain", DOMAIN])
        .args(urls("w", 3)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["waited"], true);
    assert_eq!(doc["timed_out"], false);
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|i| i["status"] == "complete" && i["process"] == "100%" && i["ok"] == true), "{doc}");
    assert!(r.stderr.contains("3 complete, 0 failed"), "{}", r.stderr);
}

#[test]
fn a_2500_url_file_reports_every_url_exactly_once() {
    let emu = emulator(r#"{"live": {"preload": {"refused_urls": ["rtmp://play.example.com/live/refused"]}}}"#);
    let dir = tempfile::tempdir().unwrap();
    let mut input = urls("big", 2498);
    input.push(format!("http://{DOMAIN}/live/s.m3u8")); // refused before sending
    input.push("rtmp://play.example.com/live/refused".to_owned()); // refused by the service (a fixture)
    let path = dir.path().join("urls.txt");
    std::fs::write(&path, format!("# tonight's streams\n{}\n", input.join("\n"))).unwrap();

    let (mut cmd, _home) = at(&emu);
    let r = run(cmd
        .args(["-o", "jsonl", "--progress", "always", "live", "preload", "--domain", DOMAIN, "--file"])
        .arg(&path));
    assert_eq!(r.code, 1, "some failed: {}", r.stderr);
    let lines = r.jsonl();
    assert_eq!(lines.len(), 2500, "one line per URL");
    let reported: Vec<&str> = lines.iter().map(|l| l["url"].as_str().unwrap()).collect();
    assert_eq!(reported.iter().copied().collect::<HashSet<_>>(), input.iter().map(String::as_str).collect());
    let failed: Vec<(&str, &str)> = lines
        .iter()
        .filter(|l| l["ok"] == false)
        .map(|l| (l["url"].as_str().unwrap(), l["error"]["code"].as_str().unwrap()))
        .collect();
    assert_eq!(failed, [(input[2498].as_str(), "hls"), ("rtmp://play.example.com/live/refused", "TaskNotCreated")]);
    let ids: HashSet<&str> = lines.iter().filter_map(|l| l["task_id"].as_str()).collect();
    assert_eq!(ids.len(), 2498, "a distinct task per URL");
    assert!(r.stderr.contains("2498 of 2500 URLs have a prefetch task (25 requests"), "{}", r.stderr);
    assert!(r.stderr.contains("URLs"), "the bar is drawn on stderr");
    // And the service has exactly those tasks.
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["-o", "json", "live", "tasks", "--domain", DOMAIN]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["total"], 2498);
}

#[test]
fn urls_from_stdin() {
    let emu = emulator("");
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd
        .args(["-o", "json", "--signature", "v1", "live", "preload", "--domain", DOMAIN, "-"])
        .write_stdin(format!("{}\n\n{}\n", urls("in", 2)[0], urls("in", 2)[1])));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["succeeded"], 2);
}

#[test]
fn progress_and_logs_never_reach_stdout() {
    let emu = emulator("");
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd
        .args(["-o", "json", "--progress", "always", "-vv", "live", "preload", "--domain", DOMAIN])
        .args(urls("p", 150)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 150, "stdout is one JSON document");
    assert!(r.stderr.contains("/150 URLs"), "the bar: {}", r.stderr);
    assert!(r.stderr.contains("SetLiveStreamPreloadTasks"), "debug logs name the action: {}", r.stderr);
}

#[test]
fn tasks_lists_every_page_and_watch_returns_when_they_complete() {
    // Tasks take five minutes of the emulator's clock, moved on below (within the 15 minutes a
    // request's timestamp may differ): nothing races the wall clock.
    let emu = emulator(r#"{"live": {"preload": {"seconds_to_complete": 300}}}"#);
    let (mut cmd, _home) = at(&emu);
    let created = run(cmd.args(["-o", "json", "live", "preload", "--domain", DOMAIN]).args(urls("t", 45)));
    assert_eq!(created.code, 0, "{}", created.stderr);

    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["live", "tasks", "--domain", DOMAIN, "--page-size", "10"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (header, rows) = r.table();
    assert_eq!(header, ["TASK ID", "STATUS", "PROCESS", "CREATED", "URL", "DESCRIPTION"]);
    assert_eq!(rows.len(), 45, "5 pages of 10");
    assert!(rows.iter().all(|r| ["pending", "preloading"].contains(&r[1].as_str())), "{rows:?}");

    emu.advance(std::time::Duration::from_secs(360));
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["-o", "json", "live", "tasks", "--domain", DOMAIN, "--watch", "--poll-interval", "200ms"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["total"], 45);
    assert!(doc["tasks"].as_array().unwrap().iter().all(|t| t["status"] == "complete" && t["process"] == "100%"));
    assert!(r.stderr.contains("45 complete, 0 failed"), "{}", r.stderr);

    // Filters: by status, by URL, by several task ids.
    let ids: Vec<String> =
        created.json()["items"].as_array().unwrap().iter().map(|i| i["task_id"].as_str().unwrap().to_owned()).collect();
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["-o", "jsonl", "live", "tasks", "--domain", DOMAIN, "--status", "complete"]));
    assert_eq!(r.jsonl().len(), 45);
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["-o", "jsonl", "live", "tasks", "--domain", DOMAIN, "--url", &urls("t", 45)[7]]));
    assert_eq!(r.jsonl().iter().map(|t| t["task_id"].as_str().unwrap()).collect::<Vec<_>>(), [ids[7].as_str()]);
    let (mut cmd, _home) = at(&emu);
    let r =
        run(cmd.args(["-o", "jsonl", "live", "tasks", "--domain", DOMAIN, "--task-id", &ids[1], "--task-id", &ids[2]]));
    assert_eq!(r.jsonl().iter().map(|t| t["task_id"].as_str().unwrap()).collect::<Vec<_>>(), [&ids[1], &ids[2]]);
}

#[test]
fn a_watch_that_runs_out_of_time_reports_the_open_tasks() {
    let emu = emulator(r#"{"live": {"preload": {"seconds_to_complete": 3600}}}"#);
    let (mut cmd, _home) = at(&emu);
    assert_eq!(run(cmd.args(["live", "preload", "--domain", DOMAIN]).args(urls("slow", 2))).code, 0);
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd
        .args(["-o", "json", "live", "tasks", "--domain", DOMAIN, "--watch", "--timeout", "1s"])
        .args(["--poll-interval", "200ms"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("0 complete, 0 failed, 2 still open after 1s"), "{}", r.stderr);
    assert!(r.json()["tasks"].as_array().unwrap().iter().all(|t| t["status"] != "complete"));
}

#[test]
fn hot_rtc_and_update_relay() {
    let emu = emulator(&format!(
        r#"{{"live": {{"pull_to_push_tasks": [{{"task_id": "{RELAY_TASK}", "region": "cn-shanghai", "state": "scheduled",
            "start_time": "2030-01-01T00:00:00Z", "end_time": "2030-01-02T00:00:00Z", "source_urls": ["rtmp://o/a/s"]}}]}}}}"#
    ));
    for signature in ["v3", "v1"] {
        let (mut cmd, _home) = at(&emu);
        let r = run(cmd.args(["--signature", signature, "-o", "json", "live", "hot-rtc", "--domain", DOMAIN]).args([
            "--app",
            "live",
            "--stream",
            "s1",
            "--region-code",
            "zhj",
            "--connection-timeout",
            "5000",
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let doc = r.json();
        assert_eq!(doc["region_code"], "ZHJ");
        assert!(!doc["request_id"].as_str().unwrap().is_empty());
    }
    assert_eq!(emu.services().hot_stream_count(), 1, "the same stream, prefetched twice");

    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["--region", "cn-shanghai", "live", "update-relay", "--task-id", RELAY_TASK]).args([
        "--source-url",
        "rtmp://o/a/one",
        "--source-url",
        "rtmp://o/a/two",
        "--repeat",
        "-1",
        "--offset",
        "30",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (header, rows) = r.table();
    assert_eq!(header, ["TASK ID", "REGION", "RET CODE", "DESCRIPTION", "REQUEST ID"]);
    assert_eq!(&rows[0][..4], [RELAY_TASK, "cn-shanghai", "0", "OK"]);
    let task = emu.services().pull_to_push_task(RELAY_TASK).unwrap();
    assert_eq!(task.source_urls, ["rtmp://o/a/one", "rtmp://o/a/two"]);
    assert_eq!((task.repeat_number, task.offset), (-1, Some(30)));

    // The service refuses an unknown task: exit 5 with its code.
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["-o", "json", "--region", "cn-shanghai", "live", "update-relay", "--task-id", "nope"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert_eq!(r.json()["error"]["code"], "CodeTaskNotExist");
    assert!(r.stderr.contains("code CodeTaskNotExist, HTTP 400"), "{}", r.stderr);
}

#[test]
fn vod_batches_media_by_20_and_reports_each_id_once() {
    let media: Vec<String> = (0..43).map(|i| format!("media{i:02}")).collect();
    let listed: Vec<String> = media[..41].iter().map(|m| format!(r#"{{"media_id": "{m}"}}"#)).collect();
    let emu = emulator(&format!(
        r#"{{"vod": {{"media": [{}, {{"media_id": "locked", "forbidden": true}}]}}}}"#,
        listed.join(",")
    ));
    let mut ids = media.clone();
    ids.push("locked".to_owned());
    ids.push("media00".to_owned()); // a repeat, counted once
    for command in ["refresh", "preload"] {
        let (mut cmd, _home) = at(&emu);
        let r = run(cmd.args(["-o", "json", "vod", command, "--formats", "mp4,m3u8"]).args(&ids));
        assert_eq!(r.code, 1, "two unknown, one forbidden: {}", r.stderr);
        let doc = r.json();
        assert_eq!(
            (doc["requests"].as_u64(), doc["total"].as_u64(), doc["succeeded"].as_u64()),
            (Some(3), Some(44), Some(41))
        );
        assert_eq!(doc["duplicates_removed"], 1);
        let items = doc["items"].as_array().unwrap();
        let results: Vec<(&str, &str)> = items
            .iter()
            .filter(|i| i["ok"] == false)
            .map(|i| (i["media_id"].as_str().unwrap(), i["result"].as_str().unwrap()))
            .collect();
        assert_eq!(results, [("media41", "not_found"), ("media42", "not_found"), ("locked", "forbidden")]);
        assert_eq!(items.iter().map(|i| i["media_id"].as_str().unwrap()).collect::<HashSet<_>>().len(), 44);
    }
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["vod", "preload", "--slices", "5", "media00"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn call_signs_any_action() {
    let emu = emulator("");
    for signature in ["v3", "v1"] {
        let (mut cmd, _home) = at(&emu);
        let r = run(cmd
            .args(["--signature", signature, "call", "DescribeLiveStreamPreloadTasks", "--service", "live"])
            .args([&format!("DomainName={DOMAIN}"), "PageSize=5"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let doc = r.json();
        assert_eq!(doc["PageSize"], 5);
        assert!(doc["RequestId"].is_string());
    }
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["call", "NoSuchAction", "--service", "vod"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
}

#[test]
fn bad_input_is_refused_before_sending_naming_the_option() {
    // Nothing listens here: a request that went out would fail with exit 4, not 2; and no
    // credentials are set, so a check that came after them would exit 3.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let endpoint = format!("http://{closed}");
    let many: Vec<String> = urls("x", 1);
    let cases: &[(&[&str], &str)] = &[
        (&["live", "preload", "--domain", DOMAIN, "--area", "mars", &many[0]], "--area"),
        (
            &["live", "preload", "--domain", DOMAIN, "--end", "now+1h", &many[0]],
            "--end (PreloadedEndTime): needs PreloadedStartTime",
        ),
        (
            &["live", "preload", "--domain", DOMAIN, "--start", "now+1h", "--end", "now+8h", &many[0]],
            "--end (PreloadedEndTime): must be at most 6 hours",
        ),
        (&["live", "preload", "--domain", DOMAIN, "--start", "tomorrow", &many[0]], "--start"),
        (&["live", "preload", "--domain", " ", &many[0]], "--domain (DomainName)"),
        (&["live", "preload", "--domain", DOMAIN], "URL: none given"),
        (&["live", "tasks", "--domain", DOMAIN, "--page-size", "101"], "--page-size (PageSize): must be 1 to 100"),
        (&["live", "tasks", "--domain", DOMAIN, "--status", "done"], "--status"),
        (&["live", "tasks", "--domain", DOMAIN, "--since", "now", "--until", "now-1h"], "--until (EndTime)"),
        (
            &["live", "hot-rtc", "--domain", DOMAIN, "--app", "a", "--stream", "s", "--region-code", "XX"],
            "--region-code",
        ),
        (
            &["live", "hot-rtc", "--domain", DOMAIN, "--app", "", "--stream", "s", "--region-code", "US"],
            "--app (AppName)",
        ),
        (&["live", "update-relay", "--task-id", RELAY_TASK], "--region: the relay task's region is required"),
        (&["--region", "cn-hangzhou", "live", "update-relay", "--task-id", RELAY_TASK], "--region (Region)"),
        (
            &["--region", "cn-beijing", "live", "update-relay", "--task-id", RELAY_TASK, "--repeat", "-2"],
            "--repeat (RepeatNumber)",
        ),
        (
            &["--region", "cn-beijing", "live", "update-relay", "--task-id", RELAY_TASK, "--end", "now-1m"],
            "--end (EndTime): must be in the future",
        ),
        (
            &["--region", "cn-beijing", "live", "update-relay", "--task-id", RELAY_TASK, "--offset", "0"],
            "--offset (Offset)",
        ),
        (&["vod", "preload", "m", "--slices", "0"], "--slices (SliceCount)"),
        (&["vod", "preload", "m", "--formats", "avi"], "--formats"),
        (&["vod", "preload", "m", "--user-data", "[1]"], "--user-data (UserData)"),
        (&["call", "X", "--service", "live", "novalue"], "KEY=VALUE"),
        (
            &["live", "preload", "--domain", DOMAIN, "--emulator", "--endpoint", "http://127.0.0.1:1", &many[0]],
            "--endpoint",
        ),
    ];
    for (args, expected) in cases {
        let (mut cmd, _home) = bare();
        let r = run(cmd.args(["--endpoint", &endpoint]).args(*args));
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(expected), "{args:?}: expected `{expected}` in: {}", r.stderr);
    }
    // In JSON mode a script gets the error as a document on stdout as well.
    let (mut cmd, _home) = bare();
    let r =
        run(cmd.args(["-o", "json", "--endpoint", &endpoint, "live", "tasks", "--domain", DOMAIN, "--page-size", "0"]));
    assert_eq!(r.code, 2);
    let e = &r.json()["error"];
    assert_eq!(
        (e["kind"].as_str(), e["option"].as_str(), e["field"].as_str()),
        (Some("InvalidInput"), Some("--page-size"), Some("PageSize"))
    );
}

#[test]
fn missing_credentials_say_what_was_tried_and_suggest_the_emulator() {
    let (mut cmd, _home) = bare();
    let r = run(cmd.args(["--endpoint", "http://127.0.0.1:9", "live", "preload", "--domain", DOMAIN, "rtmp://h/a/s"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    for tried in [
        "no credentials found",
        "environment: ALIBABA_CLOUD_ACCESS_KEY_ID",
        "cli_profile",
        "credentials_file",
        "ecs_ram_role",
        "credentials_uri",
        "--emulator",
    ] {
        assert!(r.stderr.contains(tried), "`{tried}` in: {}", r.stderr);
    }
    assert!(r.stdout.is_empty(), "nothing on stdout in table mode: {}", r.stdout);
    // A named aliyun CLI profile that does not exist.
    let (mut cmd, home) = bare();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        r#"{"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "id", "access_key_secret": "s"}]}"#,
    )
    .unwrap();
    let r = run(cmd.args(["-o", "json", "--profile", "event", "live", "tasks", "--domain", DOMAIN]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.json()["error"]["kind"], "Credentials");
    assert!(r.stderr.contains("no profile named `event`"), "{}", r.stderr);
}

#[test]
fn a_variable_that_is_not_utf8_is_named_not_taken_for_unset() {
    use std::os::unix::ffi::OsStrExt as _;
    let emu = emulator("");
    let bad = std::ffi::OsStr::from_bytes(b"LTAI\xffkey");
    // The key id: refused as the key id it is, not "ALIBABA_CLOUD_ACCESS_KEY_ID is not set".
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", bad).args(["live", "tasks", "--domain", DOMAIN]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("AccessKeyId") && !r.stderr.contains("is not set"), "{}", r.stderr);
    // The region: refused naming it, not replaced by the default one.
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.env("ALIBABA_CLOUD_REGION_ID", bad).args(["live", "tasks", "--domain", DOMAIN]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("region"), "{}", r.stderr);
    assert_eq!(emu.request_counts().iter().map(|c| c.count).sum::<u64>(), 0, "nothing was sent");
}

#[test]
fn a_profile_is_used_for_credentials() {
    let emu = emulator("");
    let (mut cmd, home) = bare();
    let creds = emu.credentials();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        format!(
            r#"{{"current": "other", "profiles": [{{"name": "other", "mode": "AK", "access_key_id": "x", "access_key_secret": "y"}},
               {{"name": "event", "mode": "AK", "access_key_id": "{}", "access_key_secret": "{}"}}]}}"#,
            creds.access_key_id(),
            creds.access_key_secret()
        ),
    )
    .unwrap();
    let r = run(cmd.args(["--profile", "event", "--endpoint", &emu.endpoint(), "live", "tasks", "--domain", DOMAIN]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn refused_credentials_exit_3_and_unavailable_service_exits_4() {
    let emu = emulator("");
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "Wr0ngS3cretValue")
        .args(["-vvv", "-o", "jsonl", "live", "preload", "--domain", DOMAIN])
        .args(urls("a", 3)));
    assert_eq!(r.code, 3, "every URL failed on the signature: {}", r.stderr);
    assert!(r.jsonl().iter().all(|l| l["error"]["kind"] == "Auth"), "{}", r.stdout);
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "Wr0ngS3cretValue")
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", "T0kenValueXYZ")
        .args(["-vvv", "--signature", "v1", "live", "tasks", "--domain", DOMAIN]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("code SignatureDoesNotMatch"), "{}", r.stderr);
    assert!(r.stderr.contains("SecurityToken%3D<redacted>"), "the echoed string to sign is scrubbed: {}", r.stderr);
    for secret in ["Wr0ngS3cretValue", "T0kenValueXYZ"] {
        assert!(!r.stdout.contains(secret) && !r.stderr.contains(secret), "`{secret}` printed: {}", r.stderr);
    }

    // Every answer a 503: retried, then exit 4.
    let down = emulator(r#"{"faults": {"error_rate": 1.0, "errors": ["ServiceUnavailable"]}}"#);
    let (mut cmd, _home) = at(&down);
    let r = run(cmd.args(["-o", "json", "live", "tasks", "--domain", DOMAIN]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(r.json()["error"]["attempts"], 3);
    // Throttled on every call: exit 4 too.
    let busy = emulator(r#"{"faults": {"error_rate": 1.0, "errors": ["Throttling.User"]}}"#);
    let (mut cmd, _home) = at(&busy);
    let r = run(cmd.args(["live", "preload", "--domain", DOMAIN, "rtmp://h/a/s"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    // Nothing listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let (mut cmd, _home) = with_credentials_of(&emu);
    let r = run(cmd.args(["--endpoint", &format!("http://{closed}"), "live", "hot-rtc", "--domain", DOMAIN]).args([
        "--app",
        "a",
        "--stream",
        "s",
        "--region-code",
        "US",
    ]));
    assert_eq!(r.code, 4, "{}", r.stderr);
}

#[test]
fn a_domain_without_prefetch_fails_every_url_with_exit_1() {
    let emu = emulator(r#"{"live": {"domains": [{"name": "noprefetch.example.com", "prefetch_enabled": false}]}}"#);
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["-o", "jsonl", "live", "preload", "--domain", "noprefetch.example.com"]).args(urls("n", 3)));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.jsonl().iter().all(|l| l["error"]["code"] == "NoSpecialConfiguration"));
}

#[test]
fn the_emulator_subcommand_serves_until_stopped() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("aliprefetch"))
        .args(["emulator", "--listen", "127.0.0.1:0", "--access-key-id", "opsid", "--access-key-secret", "opssecret"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let endpoint = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("{line}")).to_owned();
    let (mut cmd, _home) = bare();
    let r = run(cmd
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "opsid")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "opssecret")
        .args(["--endpoint", &endpoint, "live", "preload", "--domain", DOMAIN, "rtmp://h/a/s"]));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn completions_and_help() {
    for (shell, marker) in
        [("bash", "complete -F"), ("zsh", "#compdef aliprefetch"), ("fish", "complete -c aliprefetch")]
    {
        let (mut cmd, _home) = bare();
        let r = run(cmd.args(["completions", shell]));
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains(marker), "{shell}");
        assert!(r.stdout.contains("update-relay") && r.stdout.contains("overseas"), "{shell}: subcommands and values");
    }
    let (mut cmd, _home) = bare();
    let r = run(cmd.arg("--help"));
    assert_eq!(r.code, 0);
    for code in [
        "0  every item succeeded",
        "1  some items failed",
        "2  usage",
        "3  authentication",
        "4  throttled",
        "5  any other",
        "130  interrupted",
        // Every step of the credential chain, and every parameter of the shared pacing's URL.
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        "account=…",
        "fallback_share=…",
    ] {
        assert!(r.stdout.contains(code), "`{code}` in --help");
    }
    let (mut cmd, _home) = bare();
    assert_eq!(run(cmd.args(["live", "nope"])).code, 2, "a usage error");
}

/// Lines of `-o jsonl` output as values, each URL's line checked against what the emulator holds.
fn audit_lines(lines: &[Value], emu: &Emulator) -> (usize, usize, usize) {
    let mut held: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for t in emu.tasks() {
        held.entry(t.play_url).or_default().push(t.task_id);
    }
    assert!(held.values().all(|ids| ids.len() == 1), "a URL holds two tasks");
    let (mut created, mut unknown, mut not_created) = (0, 0, 0);
    for line in lines {
        let url = line["url"].as_str().unwrap();
        let held_id = held.get(url).map(|ids| ids[0].as_str());
        match line["status"].as_str().unwrap() {
            "created" => {
                assert_eq!(line["task_id"].as_str(), held_id, "{url}: the printed task is the one held");
                created += 1;
            }
            "unknown" => {
                assert_eq!(line["outcome_unknown"], true);
                unknown += 1;
            }
            "not_created" => {
                assert_eq!((line["outcome_unknown"].as_bool(), held_id), (Some(false), None), "{line}");
                not_created += 1;
            }
            other => panic!("status {other}"),
        }
    }
    (created, unknown, not_created)
}

#[test]
fn jsonl_reports_what_the_service_holds_when_answers_are_lost() {
    let emu = emulator(
        r#"{"faults": {"error_rate": 0.15, "errors": ["InternalError", "ServiceUnavailable", "Throttling.User"],
            "ambiguous_rate": 0.15, "ambiguous_delay_ms": 50}}"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("urls.txt");
    let urls: Vec<String> = (0..5_000).map(|i| format!("rtmp://{DOMAIN}/live/lost-{i}")).collect();
    std::fs::write(&file, urls.join("\n")).unwrap();
    let (mut cmd, _home) = at(&emu);
    let r =
        run(cmd.args(["-o", "jsonl", "--rate-limit", "0", "live", "preload", "--domain", DOMAIN, "--file"]).arg(&file));
    let lines = r.jsonl();
    assert_eq!(lines.len(), urls.len(), "{}", r.stderr);
    let printed: HashSet<&str> = lines.iter().map(|l| l["url"].as_str().unwrap()).collect();
    assert_eq!(printed.len(), urls.len(), "every URL once");
    let (created, unknown, not_created) = audit_lines(&lines, &emu);
    // A chunk whose attempts all failed before execution is truthfully not created, with the code
    // the service gave; that happens to about one chunk in 300, so only sanity bounds on the counts.
    for line in lines.iter().filter(|l| l["status"] == "not_created") {
        let code = line["error"]["code"].as_str().unwrap();
        assert!(["InternalError", "ServiceUnavailable", "Throttling.User"].contains(&code), "{line}");
    }
    assert!(
        created * 100 >= urls.len() * 90 && unknown * 100 <= urls.len() * 5,
        "{created} created, {unknown} unknown, {not_created} not created"
    );
    let lost_set: u64 = emu
        .request_counts()
        .iter()
        .filter(|c| c.action == "SetLiveStreamPreloadTasks" && c.outcome.starts_with("lost:"))
        .map(|c| c.count)
        .sum();
    // An executed request whose answer was lost has its URLs found by a lookup.
    assert!(lost_set == 0 || lines.iter().any(|l| l["found_by_lookup"] == true), "{lost_set} answers lost, none found");
}

#[test]
fn sigint_mid_batch_keeps_what_settled_and_names_what_is_unknown() {
    // Slow answers, so the batch is still running when the interrupt comes.
    let emu = emulator(r#"{"faults": {"latency_ms": 150}, "quotas": {"SetLiveStreamPreloadTasks": 0}}"#);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("urls.txt");
    let urls: Vec<String> = (0..20_000).map(|i| format!("rtmp://{DOMAIN}/live/int-{i}")).collect();
    std::fs::write(&file, urls.join("\n")).unwrap();
    let home = tempfile::tempdir().unwrap();
    let creds = emu.credentials();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("aliprefetch"));
    for (key, _) in std::env::vars() {
        if key.starts_with("ALIBABA_CLOUD_") || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd.env("HOME", home.path())
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", creds.access_key_id())
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", creds.access_key_secret())
        .args(["--endpoint", &emu.endpoint()]);
    cmd.args([
        "-o",
        "jsonl",
        "--rate-limit",
        "0",
        "live",
        "preload",
        "--domain",
        DOMAIN,
        "--concurrency",
        "3",
        "--file",
    ])
    .arg(&file)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    let mut line = String::new();
    // Lines arrive as chunks settle: wait for two chunks' worth, then interrupt.
    while lines.len() < 200 {
        line.clear();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "the batch ended before it was interrupted");
        lines.push(serde_json::from_str::<Value>(&line).unwrap());
    }
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    for rest in stdout.lines() {
        lines.push(serde_json::from_str(&rest.unwrap()).unwrap());
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted:"), "{stderr}");
    assert!(lines.len() < urls.len(), "the batch stopped");
    let printed: HashSet<&str> = lines.iter().map(|l| l["url"].as_str().unwrap()).collect();
    assert_eq!(printed.len(), lines.len(), "each URL once");
    let (created, _unknown, _) = audit_lines(&lines, &emu);
    assert!(created >= 200);
    // Nothing was sent that is not in the output: every task held belongs to a printed URL.
    let held: Vec<String> = emu.tasks().into_iter().map(|t| t.play_url).collect();
    assert!(held.iter().all(|u| printed.contains(u.as_str())), "a task was made for a URL not printed");
}

#[test]
fn a_misspelt_region_is_refused_naming_the_one_meant() {
    let (mut cmd, _home) = bare();
    let r =
        run(cmd.args(["--dry-run", "--region", "cn-shangai", "live", "preload", "--domain", DOMAIN, "rtmp://h/a/s"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("`cn-shangai` is not a known region"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `cn-shanghai`?"), "{}", r.stderr);
}

#[test]
fn rate_limit_option_is_checked() {
    let (mut cmd, _home) = bare();
    let r = run(cmd.args(["--rate-limit", "Nope=3", "live", "preload", "--domain", DOMAIN, "rtmp://h/a/s"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`Nope` is not one of SetLiveStreamPreloadTasks"), "{}", r.stderr);
    let r = run(bare().0.args(["--rate-limit", "x", "live", "preload", "--domain", DOMAIN, "rtmp://h/a/s"]));
    assert_eq!(r.code, 2);
}

#[test]
fn dry_run_plans_batches_with_nothing_listening_and_no_credentials() {
    for flag in ["--dry-run", "--dryrun"] {
        let (mut cmd, _home) = bare();
        let r = run(cmd
            .args([flag, "--endpoint", "127.0.0.1:9", "-o", "jsonl", "live", "preload", "--domain", DOMAIN])
            .args(urls("dry", 250)));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let lines = r.jsonl();
        let sizes: Vec<usize> =
            lines.iter().map(|l| l["params"]["PlayUrl"].as_str().unwrap().split(',').count()).collect();
        assert_eq!(sizes, [100, 100, 50], "{}", r.stdout);
        for l in &lines {
            assert_eq!(l["action"], "SetLiveStreamPreloadTasks");
            assert_eq!(l["url"], "http://127.0.0.1:9/", "the endpoint, no signature");
            assert_eq!(l["params"]["DomainName"], DOMAIN);
            assert!(!r.stdout.contains("Signature") && !r.stdout.contains("AccessKeyId"), "{}", r.stdout);
        }
        assert!(r.stderr.contains("nothing was sent"), "{}", r.stderr);
    }
}

#[test]
fn a_profile_region_and_the_environment_choose_the_vod_endpoint() {
    let (mut cmd, home) = bare();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        r#"{"current": "main", "profiles": [{"name": "main", "mode": "AK", "access_key_id": "id",
            "access_key_secret": "secret", "region_id": "cn-beijing"}]}"#,
    )
    .unwrap();
    let r = run(cmd.args(["--dry-run", "-o", "jsonl", "vod", "refresh", "m1"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.jsonl()[0]["url"], "https://vod.cn-beijing.aliyuncs.com/", "{}", r.stdout);
    let r = run(cmd.env("ALIBABA_CLOUD_REGION_ID", "ap-southeast-1"));
    assert_eq!(r.jsonl()[0]["url"], "https://vod.ap-southeast-1.aliyuncs.com/", "{}", r.stdout);
    let r = run(cmd.args(["--region", "cn-shenzhen"]));
    assert_eq!(r.jsonl()[0]["url"], "https://vod.cn-shenzhen.aliyuncs.com/", "the flag first: {}", r.stdout);
}

#[test]
fn retry_count_zero_makes_one_attempt_where_the_default_makes_three() {
    let emu = emulator(r#"{"faults": {"error_rate": 1.0, "errors": ["ServiceUnavailable"]}}"#);
    let attempts = |emu: &Emulator| -> u64 {
        emu.request_counts().iter().filter(|c| c.action == "DescribeLiveStreamPreloadTasks").map(|c| c.count).sum()
    };
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["live", "tasks", "--domain", DOMAIN]));
    assert_ne!(r.code, 0);
    assert_eq!(attempts(&emu), 3, "the default: {}", r.stderr);
    emu.reset();
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args([
        "--retry-count",
        "0",
        "--read-timeout",
        "2.5",
        "--connect-timeout",
        "1",
        "live",
        "tasks",
        "--domain",
        DOMAIN,
    ]));
    assert_ne!(r.code, 0);
    assert_eq!(attempts(&emu), 1, "{}", r.stderr);
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["--read-timeout", "0", "live", "tasks", "--domain", DOMAIN]));
    assert_eq!(r.code, 2, "a usage error: {}", r.stderr);
}

#[test]
fn a_ram_role_arn_profile_works_from_the_command_line() {
    let role = "acs:ram::1234567890123456:role/prefetch";
    let emu = emulator(&format!(r#"{{"sts": {{"roles": ["{role}"]}}}}"#));
    let (mut cmd, home) = bare();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        format!(
            r#"{{"current": "default", "profiles": [{{"name": "role", "mode": "RamRoleArn", "access_key_id": "testid",
                "access_key_secret": "testsecret", "ram_role_arn": "{role}"}}]}}"#
        ),
    )
    .unwrap();
    let r = run(cmd
        .env("ALIBABA_CLOUD_STS_ENDPOINT", emu.endpoint())
        .args(["--endpoint", &emu.endpoint(), "--profile", "role", "-o", "json", "live", "preload", "--domain", DOMAIN])
        .args(urls("role", 3)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(emu.tasks().len(), 3, "created with the role's credentials");
    assert!(!r.stderr.contains("testsecret"), "{}", r.stderr);
}

#[test]
fn bad_input_lines_are_items_of_the_report_and_reading_goes_on() {
    let emu = emulator("");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("urls.txt");
    let good = urls("lines", 3);
    let mut text = format!("{}\n", good[0]).into_bytes();
    text.extend_from_slice(b"\xff\xfe not utf-8\n"); // line 2
    text.extend(std::iter::repeat_n(b'u', 1 << 20)); // line 3: 1 MiB, no URL
    text.extend_from_slice(format!("\n{}\nplay.example.com/no-scheme\n# comment\n{}\n", good[1], good[2]).as_bytes());
    std::fs::write(&file, &text).unwrap();
    for format in ["json", "table"] {
        emu.reset();
        let (mut cmd, _home) = at(&emu);
        let r = run(cmd.args(["-o", format, "live", "preload", "--domain", DOMAIN, "--file"]).arg(&file));
        assert_eq!(r.code, 1, "some items failed: {}", r.stderr);
        assert!(r.stdout.len() < 64 * 1024, "the long line is not echoed ({} bytes)", r.stdout.len());
        if format == "json" {
            let doc = r.json();
            let items = doc["items"].as_array().unwrap();
            let bad: Vec<(u64, &str, &str)> = items
                .iter()
                .filter(|i| !i["line"].is_null())
                .map(|i| {
                    (i["line"].as_u64().unwrap(), i["error"]["code"].as_str().unwrap(), i["status"].as_str().unwrap())
                })
                .collect();
            assert_eq!(
                bad,
                [(2, "not_utf8", "not_created"), (3, "line_too_long", "not_created"), (5, "not_a_url", "not_created")]
            );
            assert_eq!((doc["total"].as_u64(), doc["succeeded"].as_u64()), (Some(6), Some(3)));
        } else {
            assert!(r.stdout.contains("line 3: is longer than 65536 bytes"), "{}", r.stdout);
        }
        // The service holds the three good lines, the ones after the bad ones included.
        let held: HashSet<String> = emu.tasks().into_iter().map(|t| t.play_url).collect();
        assert_eq!(held, good.iter().cloned().collect::<HashSet<_>>(), "{format}");
    }
}

#[test]
fn a_huge_line_on_stdin_is_skipped_in_bounded_memory_and_jsonl_still_reports() {
    let emu = emulator("");
    let (mut cmd, _home) = at(&emu);
    let good = urls("stdin-huge", 2);
    let mut input = format!("{}\n", good[0]).into_bytes();
    input.extend(std::iter::repeat_n(b'h', 32 << 20)); // 32 MiB without a newline until the end
    input.extend_from_slice(format!("\n{}\n", good[1]).as_bytes());
    let r = run(cmd.args(["-o", "jsonl", "live", "preload", "--domain", DOMAIN, "-"]).write_stdin(input));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines = r.jsonl();
    assert_eq!(lines.len(), 3, "{}", r.stdout.len());
    let bad: Vec<&Value> = lines.iter().filter(|l| l["line"] == 2).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["error"]["code"], "line_too_long");
    assert_eq!(emu.tasks().len(), 2);
}

#[test]
fn a_bad_media_id_line_is_reported_and_the_rest_submitted() {
    let emu = emulator("");
    let (mut cmd, _home) = at(&emu);
    let r = run(cmd.args(["-o", "json", "vod", "refresh", "-"]).write_stdin(b"m1\nm\x01x\n\xc3\x28\nm2\n".to_vec()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = r.json();
    let items = doc["items"].as_array().unwrap();
    let codes: Vec<(Value, Value)> = items.iter().map(|i| (i["line"].clone(), i["error"]["code"].clone())).collect();
    assert_eq!(
        codes,
        [
            (Value::Null, Value::Null),
            (Value::Null, Value::Null),
            (2.into(), "control_character".into()),
            (3.into(), "not_utf8".into())
        ]
    );
    assert_eq!(doc["succeeded"], 2);
}

/// How many DescribeLiveStreamPreloadTasks requests `emu` has answered.
fn describes(emu: &Emulator) -> u64 {
    emu.request_counts().iter().filter(|c| c.action == "DescribeLiveStreamPreloadTasks").map(|c| c.count).sum()
}

/// Starts `args` against `emu` (tasks that take an hour to complete, a wait of up to 10 minutes), waits
/// until it has polled `polls` times (what the emulator counted, not a clock), then interrupts it with
/// `interrupt` and returns its exit code, stdout and stderr.
fn interrupted_wait(emu: &Emulator, args: &[&str], polls: u64, interrupt: &str) -> Run {
    let home = tempfile::tempdir().unwrap();
    let creds = emu.credentials();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("aliprefetch"));
    for (key, _) in std::env::vars() {
        if key.starts_with("ALIBABA_CLOUD_") || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd.env("HOME", home.path())
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", creds.access_key_id())
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", creds.access_key_secret())
        .args(["--endpoint", &emu.endpoint()])
        .args(args)
        .args(["--timeout", "10m", "--poll-interval", "100ms"]);
    let mut child = match interrupt {
        // A pseudo-terminal (util-linux `script`): Ctrl-C typed into it interrupts the foreground job.
        "pty" => {
            let line = std::iter::once(cmd.get_program())
                .chain(cmd.get_args())
                .map(|a| format!("'{}'", a.to_string_lossy()))
                .collect::<Vec<_>>()
                .join(" ");
            let mut script = std::process::Command::new("script");
            script.args(["-qefc", &line, "/dev/null"]).envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
            script.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
        }
        _ => cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap(),
    };
    let before = describes(emu);
    while describes(emu) < before + polls {
        assert!(child.try_wait().unwrap().is_none(), "it ended before it was interrupted");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    if interrupt == "pty" {
        use std::io::Write as _;
        child.stdin.as_mut().unwrap().write_all(b"\x03").unwrap();
    } else {
        let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
        assert!(killed.success());
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn sigint_during_preload_wait_prints_what_is_known_and_exits_130() {
    let emu = emulator(r#"{"live": {"preload": {"seconds_to_complete": 3600}}}"#);
    let urls = ["rtmp://play.example.com/live/w1", "rtmp://play.example.com/live/w2"];
    let args = ["-o", "json", "live", "preload", "--domain", DOMAIN, "--wait", urls[0], urls[1]];
    let r = interrupted_wait(&emu, &args, 2, "signal");
    assert_eq!(r.code, 130, "{}", r.stderr);
    assert!(r.stderr.contains("interrupted: 0 complete, 0 failed"), "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["wait_interrupted"], true);
    // The report names the tasks the service holds.
    let held: HashSet<String> = emu.tasks().into_iter().map(|t| t.task_id).collect();
    let reported: HashSet<String> =
        doc["items"].as_array().unwrap().iter().map(|i| i["task_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(reported, held);
}

#[test]
fn ctrl_c_in_a_terminal_stops_tasks_watch_with_the_tasks_and_130() {
    let emu = emulator(r#"{"live": {"preload": {"seconds_to_complete": 3600}}}"#);
    let urls = ["rtmp://play.example.com/live/t1", "rtmp://play.example.com/live/t2"];
    let made = run(at(&emu).0.args(["-o", "json", "live", "preload", "--domain", DOMAIN, urls[0], urls[1]]));
    assert_eq!(made.code, 0, "{}", made.stderr);
    let r = interrupted_wait(&emu, &["-o", "jsonl", "live", "tasks", "--domain", DOMAIN, "--watch"], 3, "pty");
    assert_eq!(r.code, 130, "{}{}", r.stdout, r.stderr);
    // `script` merges the job's stdout and stderr into the terminal's output.
    assert!(r.stdout.contains("interrupted: 0 complete, 0 failed, 2 still open"), "{}", r.stdout);
    for task in emu.tasks() {
        assert!(r.stdout.contains(&task.task_id), "{} missing from {}", task.task_id, r.stdout);
    }
}
