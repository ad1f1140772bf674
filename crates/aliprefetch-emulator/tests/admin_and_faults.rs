//! Faults before and after execution, and the admin API that tells tests what the emulator holds.

use std::collections::HashSet;
use std::time::Duration;

use aliprefetch::{
    Client, ErrorKind, RefreshMediaPlayUrlsRequest, RetryConfig, SetLiveStreamPreloadTasksRequest, TaskType,
};
use aliprefetch_emulator::{Config, Emulator, Fixtures};
use serde_json::Value;

const DOMAIN: &str = "play.example.com";

async fn start(fixtures: &str, seed: u64) -> Emulator {
    Emulator::start(Config { seed, ..Config::with_fixtures(Fixtures::from_json(fixtures).unwrap()) }).await.unwrap()
}

fn client(emu: &Emulator) -> Client {
    Client::builder()
        .endpoint(emu.endpoint())
        .credentials(emu.credentials())
        .read_timeout(Duration::from_millis(400))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

fn set(i: usize) -> SetLiveStreamPreloadTasksRequest {
    SetLiveStreamPreloadTasksRequest::new(
        DOMAIN,
        [format!("rtmp://{DOMAIN}/a/{i}-1"), format!("rtmp://{DOMAIN}/a/{i}-2")],
    )
}

fn outcomes(emu: &Emulator, action: &str) -> HashSet<String> {
    emu.request_counts().into_iter().filter(|c| c.action == action).map(|c| c.outcome).collect()
}

#[tokio::test]
async fn faults_before_execution_create_nothing() {
    let emu = start(
        r#"{"faults": {"error_rate": 0.6, "reset_rate": 0.3, "errors": ["InternalError", "ServiceUnavailable", "Throttling.User"]}}"#,
        3,
    )
    .await;
    let c = client(&emu);
    let mut created = 0;
    for i in 0..40 {
        if let Ok(r) = c.set_live_stream_preload_tasks(&set(i)).await {
            created += r.preload_tasks_messages.len();
        }
        let _ = c.refresh_media_play_urls(&RefreshMediaPlayUrlsRequest::new(["m1"], TaskType::Refresh)).await;
    }
    assert_eq!(emu.tasks().len(), created, "only answered requests made tasks");
    assert!(created < 40 * 2);
    let seen = outcomes(&emu, "SetLiveStreamPreloadTasks");
    for o in ["ok", "reset", "InternalError", "ServiceUnavailable", "Throttling.User"] {
        assert!(seen.contains(o), "{o} in {seen:?}");
    }
    let jobs_answered = emu
        .request_counts()
        .iter()
        .find(|c| c.action == "RefreshMediaPlayUrls" && c.outcome == "ok")
        .map_or(0, |c| c.count);
    assert_eq!(emu.refresh_jobs().len() as u64, jobs_answered);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ambiguous_faults_execute_then_lose_the_answer() {
    let emu = start(r#"{"faults": {"ambiguous_rate": 1.0, "ambiguous_delay_ms": 1500}}"#, 9).await;
    let c = client(&emu);
    let mut kinds = HashSet::new();
    for i in 0..15 {
        let e = c.set_live_stream_preload_tasks(&set(i)).await.expect_err("every answer is lost");
        assert!(e.may_have_taken_effect(), "{e}");
        assert!(!e.is_retryable(), "repeating a create that may have worked is not safe: {e}");
        kinds.insert(e.kind());
    }
    assert_eq!(emu.tasks().len(), 30, "every request was executed");
    assert_eq!(
        outcomes(&emu, "SetLiveStreamPreloadTasks"),
        HashSet::from(["lost:reset", "lost:InternalError", "lost:delay"].map(String::from))
    );
    assert!(kinds.contains(&ErrorKind::Server) && kinds.contains(&ErrorKind::Timeout), "{kinds:?}");
}

#[tokio::test]
async fn a_throttled_request_was_never_executed() {
    let emu = start(r#"{"faults": {"error_rate": 1.0, "errors": ["Throttling.User"]}}"#, 1).await;
    let e = client(&emu).set_live_stream_preload_tasks(&set(0)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Throttled);
    assert!(!e.may_have_taken_effect() && e.is_retryable());
    assert!(emu.tasks().is_empty());
}

async fn admin(emu: &Emulator, method: reqwest::Method, route: &str) -> (u16, Value) {
    let resp =
        reqwest::Client::new().request(method, format!("{}/_emulator/{route}", emu.endpoint())).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_str(&resp.text().await.unwrap()).unwrap())
}

#[tokio::test]
async fn the_admin_api_lists_counts_advances_and_resets() {
    let emu =
        start(r#"{"live": {"preload": {"seconds_to_complete": 10}}, "vod": {"media": [{"media_id": "m1"}]}}"#, 0).await;
    let c = client(&emu);
    let answer = c.set_live_stream_preload_tasks(&set(1)).await.unwrap();
    let job =
        c.refresh_media_play_urls(&RefreshMediaPlayUrlsRequest::new(["m1", "m2"], TaskType::Preload)).await.unwrap();

    let (status, tasks) = admin(&emu, reqwest::Method::GET, "tasks").await;
    assert_eq!(status, 200);
    let tasks = tasks["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0]["task_id"], answer.preload_tasks_messages[0].task_id.as_str());
    assert_eq!(tasks[0]["play_url"], answer.preload_tasks_messages[0].play_url.as_str());
    assert_eq!((tasks[0]["status"].as_str(), tasks[0]["account"].as_str()), (Some("pending"), Some("testid")));
    assert!(tasks[0]["create_time"].as_str().unwrap().ends_with('Z'));

    let (_, jobs) = admin(&emu, reqwest::Method::GET, "refresh_jobs").await;
    assert_eq!(jobs["jobs"][0]["job_id"], job.media_refresh_job_id.as_str());
    assert_eq!(jobs["jobs"][0]["media_ids"], serde_json::json!(["m1"]), "a missing id is in no job");
    assert_eq!(jobs["jobs"][0]["task_type"], "Preload");

    let (_, counts) = admin(&emu, reqwest::Method::GET, "requests").await;
    assert!(counts["requests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["action"] == "SetLiveStreamPreloadTasks" && r["outcome"] == "ok" && r["count"] == 1));

    let (_, before) = admin(&emu, reqwest::Method::GET, "now").await;
    let (status, after) = admin(&emu, reqwest::Method::POST, "advance?ms=11000").await;
    assert_eq!(status, 200);
    assert_ne!(before["now"], after["now"]);
    assert_eq!(emu.tasks()[0].status, "complete", "the clock moved past the task's run");
    assert_eq!(admin(&emu, reqwest::Method::POST, "advance").await.0, 400);
    let (status, later) = admin(&emu, reqwest::Method::POST, "advance?by=1h").await;
    assert_eq!(status, 200);
    let t = |v: &serde_json::Value| aliprefetch::parse_timestamp("now", v["now"].as_str().unwrap()).unwrap();
    assert_eq!((t(&later) - t(&after)).whole_seconds(), 3600, "by= takes a duration with its unit");
    let (status, refused) = admin(&emu, reqwest::Method::POST, "advance?by=soon").await;
    assert_eq!(status, 400);
    assert!(refused["error"].as_str().unwrap().contains("500ms"), "{refused}");
    assert_eq!(admin(&emu, reqwest::Method::GET, "nothing").await.0, 404);

    let (status, _) = admin(&emu, reqwest::Method::POST, "reset").await;
    assert_eq!(status, 200);
    assert!(emu.tasks().is_empty() && emu.refresh_jobs().is_empty() && emu.request_counts().is_empty());
    c.set_live_stream_preload_tasks(&set(2)).await.expect("the emulator serves after a reset");
}

#[tokio::test]
async fn answers_carry_the_emulators_clock_in_their_date_header() {
    let emu = start("{}", 0).await;
    emu.advance(Duration::from_secs(600));
    let resp = reqwest::get(format!("{}/?Action=DescribeLiveStreamPreloadTasks&Version=2016-11-01", emu.endpoint()))
        .await
        .unwrap();
    let date = resp.headers()["date"].to_str().unwrap().to_owned();
    let after = emu.now();
    let candidates = [after - time::Duration::seconds(1), after].map(aliprefetch_emulator::server::http_date);
    assert!(candidates.contains(&date), "{date} is not the emulator's clock ({candidates:?})");
}

#[tokio::test]
async fn the_inspector_lists_a_refused_signature_with_its_string_to_sign_and_takes_faults() {
    let emu = start(
        r#"{"accounts": [{"access_key_id": "STS.demo", "access_key_secret": "stssecret", "security_token": "ToKeN-secret-9"}]}"#,
        0,
    )
    .await;
    for version in [aliprefetch::SignatureVersion::V1, aliprefetch::SignatureVersion::V3] {
        let wrong = Client::builder()
            .endpoint(emu.endpoint())
            .credentials(
                aliprefetch::Credentials::new("STS.demo", "not-the-secret").with_security_token("ToKeN-secret-9"),
            )
            .signature_version(version)
            .retry(RetryConfig::disabled())
            .build()
            .unwrap();
        let e = wrong.set_live_stream_preload_tasks(&set(9)).await.unwrap_err();
        assert_eq!(e.code(), Some("SignatureDoesNotMatch"));
    }
    let (status, recent) = admin(&emu, reqwest::Method::GET, "recent").await;
    assert_eq!(status, 200);
    let rows = recent["requests"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{recent}");
    for row in rows {
        assert_eq!(
            (row["action"].as_str(), row["access_key_id"].as_str()),
            (Some("SetLiveStreamPreloadTasks"), Some("STS.demo"))
        );
        assert_eq!(row["outcome"], "SignatureDoesNotMatch");
        assert!(row["message"].as_str().unwrap().contains("server string to sign is:"), "{row}");
        assert!(
            !row.to_string().contains("ToKeN-secret-9") && !row.to_string().contains("stssecret"),
            "no secret: {row}"
        );
    }
    // Newest first: the V3 refusal, with the server's canonical request (its token header redacted).
    let canonical = rows[0]["canonical_request"].as_str().unwrap();
    assert!(
        canonical.starts_with("POST\n/\n") && canonical.contains("x-acs-action:SetLiveStreamPreloadTasks"),
        "{canonical}"
    );
    assert!(canonical.contains("x-acs-security-token:<redacted>"), "{canonical}");
    assert!(rows[1]["message"].as_str().unwrap().contains("SecurityToken%3D<redacted>"), "{}", rows[1]);

    // Faults set while it runs, checked as fixtures are.
    let (status, set_faults) = admin(&emu, reqwest::Method::POST, "faults?error_rate=1&errors=Throttling.User").await;
    assert_eq!(status, 200, "{set_faults}");
    assert_eq!(set_faults["faults"]["errors"], serde_json::json!(["Throttling.User"]));
    assert_eq!(admin(&emu, reqwest::Method::POST, "faults?error_rate=2").await.0, 400);
    assert_eq!(admin(&emu, reqwest::Method::POST, "faults?errors=Nope").await.0, 400);
    assert_eq!(admin(&emu, reqwest::Method::POST, "faults?speed=1").await.0, 400);
    let e = client(&emu)
        .describe_live_stream_preload_tasks(&aliprefetch::DescribeLiveStreamPreloadTasksRequest::new(DOMAIN))
        .await;
    assert!(e.is_err(), "every request is throttled now");
    assert_eq!(admin(&emu, reqwest::Method::POST, "faults?error_rate=0").await.0, 200);

    // The page itself: HTML, under a policy that lets it call nothing but the emulator.
    let page = reqwest::get(format!("{}/_emulator/", emu.endpoint())).await.unwrap();
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    assert!(page.text().await.unwrap().contains("<title>aliprefetch emulator</title>"));
}
