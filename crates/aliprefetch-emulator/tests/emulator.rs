//! The emulator over loopback HTTP, with requests signed by hand so each check controls the time, the
//! nonce, the encoding and where the parameters travel.

use std::time::Duration;

use aliprefetch::sign::{self, v1, v3};
use aliprefetch::Credentials;
use aliprefetch_emulator::{Config, Emulator, Fixtures};
use serde_json::Value;
use time::macros::datetime;
use time::OffsetDateTime;

const T0: OffsetDateTime = datetime!(2024-05-20 08:00 UTC);
const DOMAIN: &str = "play.example.com";

struct Reply {
    status: u16,
    retry_after: Option<String>,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn code(&self) -> String {
        self.json()["Code"].as_str().unwrap_or("").to_owned()
    }
}

/// How to send a hand-signed request.
#[derive(Clone)]
struct Send<'a> {
    creds: Credentials,
    method: &'a str,
    action: &'a str,
    version: &'a str,
    params: Vec<(String, String)>,
    at: OffsetDateTime,
    nonce: String,
    format: &'a str,
    /// V1 only: send the operation's parameters as a form body instead of the query.
    form: bool,
}

fn send<'a>(action: &'a str, params: &[(&str, &str)], at: OffsetDateTime) -> Send<'a> {
    aliprefetch::install_crypto_provider();
    Send {
        creds: Credentials::new("testid", "testsecret"),
        method: "POST",
        action,
        version: if action == "RefreshMediaPlayUrls" { "2017-03-21" } else { "2016-11-01" },
        params: params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        at,
        nonce: uuid::Uuid::new_v4().to_string(),
        format: "JSON",
        form: false,
    }
}

fn query_of(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn finish(resp: reqwest::Response) -> Reply {
    let status = resp.status().as_u16();
    let retry_after = resp.headers().get("x-acs-retry-after").map(|v| v.to_str().unwrap().to_owned());
    let content_type = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    Reply { status, retry_after, content_type, body: resp.text().await.unwrap() }
}

async fn v1_request(emu: &Emulator, s: &Send<'_>) -> Reply {
    let signed = v1::sign(
        &v1::Request { method: s.method, action: s.action, version: s.version, format: s.format, params: &s.params },
        &s.creds,
        s.at,
        &s.nonce,
    );
    let common: Vec<(&str, &str)> = signed.params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let own: Vec<(&str, &str)> = s.params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let http = reqwest::Client::new();
    let resp = if s.form {
        http.request(s.method.parse().unwrap(), format!("{}/?{}", emu.endpoint(), query_of(&common)))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(query_of(&own))
            .send()
            .await
    } else {
        let all: Vec<(&str, &str)> = own.iter().chain(&common).copied().collect();
        http.request(s.method.parse().unwrap(), format!("{}/?{}", emu.endpoint(), query_of(&all))).send().await
    };
    finish(resp.unwrap()).await
}

async fn v3_request(emu: &Emulator, s: &Send<'_>) -> Reply {
    let host = emu.addr().to_string();
    let signed = v3::sign(
        &v3::Request {
            method: s.method,
            path: "/",
            host: &host,
            action: s.action,
            version: s.version,
            query: &s.params,
            headers: &[],
            body: b"",
            signed_headers: v3::SignedHeaders::Default,
        },
        &s.creds,
        s.at,
        &s.nonce,
    );
    let own: Vec<(&str, &str)> = s.params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut req =
        reqwest::Client::new().request(s.method.parse().unwrap(), format!("{}/?{}", emu.endpoint(), query_of(&own)));
    for (k, v) in &signed.headers {
        req = req.header(*k, v);
    }
    finish(req.send().await.unwrap()).await
}

async fn start(json: &str) -> Emulator {
    Emulator::start(Config { now: Some(T0), ..Config::with_fixtures(Fixtures::from_json(json).unwrap()) })
        .await
        .unwrap()
}

fn describe() -> Vec<(&'static str, &'static str)> {
    vec![("DomainName", DOMAIN)]
}

#[tokio::test]
async fn gateway_refusals_match_the_service() {
    let emu = start("{}").await;
    let now = emu.now();
    let ok = send("DescribeLiveStreamPreloadTasks", &describe(), now);
    assert_eq!(v1_request(&emu, &ok).await.status, 200);
    assert_eq!(v3_request(&emu, &send("DescribeLiveStreamPreloadTasks", &describe(), now)).await.status, 200);

    // The same nonce again.
    for replay in [v1_request(&emu, &ok).await, {
        let s = send("DescribeLiveStreamPreloadTasks", &describe(), now);
        v3_request(&emu, &s).await;
        v3_request(&emu, &s).await
    }] {
        assert_eq!((replay.status, replay.code()), (400, "SignatureNonceUsed".to_owned()));
    }

    // A wrong secret: the answer carries the server's string to sign.
    let wrong =
        Send { creds: Credentials::new("testid", "nope"), ..send("DescribeLiveStreamPreloadTasks", &describe(), now) };
    let r = v1_request(&emu, &wrong).await;
    assert_eq!((r.status, r.code()), (400, "SignatureDoesNotMatch".to_owned()));
    let msg = r.json()["Message"].as_str().unwrap().to_owned();
    let (_, server_sts) = msg.split_once("server string to sign is:").unwrap();
    assert!(
        server_sts.starts_with("POST&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeLiveStreamPreloadTasks"),
        "{server_sts}"
    );
    let r = v3_request(&emu, &Send { nonce: "n-wrong-3".into(), ..wrong.clone() }).await;
    assert_eq!(r.code(), "SignatureDoesNotMatch");
    assert!(r.json()["Message"].as_str().unwrap().contains("is:ACS3-HMAC-SHA256\n"));

    // More than 15 minutes away, either way; a malformed time.
    for at in [now - time::Duration::minutes(16), now + time::Duration::minutes(16)] {
        for r in [
            v1_request(&emu, &send("DescribeLiveStreamPreloadTasks", &describe(), at)).await,
            v3_request(&emu, &send("DescribeLiveStreamPreloadTasks", &describe(), at)).await,
        ] {
            assert_eq!((r.status, r.code()), (400, "InvalidTimeStamp.Expired".to_owned()));
        }
    }
    let r =
        v1_request(&emu, &send("DescribeLiveStreamPreloadTasks", &describe(), now - time::Duration::minutes(14))).await;
    assert_eq!(r.status, 200, "14 minutes is inside the window");

    // An unknown key.
    let r = v3_request(
        &emu,
        &Send { creds: Credentials::new("who", "x"), ..send("DescribeLiveStreamPreloadTasks", &describe(), now) },
    )
    .await;
    assert_eq!((r.status, r.code()), (404, "InvalidAccessKeyId.NotFound".to_owned()));

    // No signature at all; parts of one missing.
    let http = reqwest::Client::new();
    let r = finish(
        http.post(format!("{}/?Action=DescribeLiveStreamPreloadTasks&Version=2016-11-01&DomainName=x", emu.endpoint()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((r.status, r.code()), (400, "IncompleteSignature".to_owned()));
    let r = finish(
        http.post(format!("{}/?DomainName=x", emu.endpoint()))
            .header("x-acs-action", "DescribeLiveStreamPreloadTasks")
            .header("x-acs-version", "2016-11-01")
            .header("authorization", "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.code(), "IncompleteSignature");
    assert!(r.json()["Message"].as_str().unwrap().contains("Signature"));
    let r = finish(http.post(format!("{}/?DomainName=x&Signature=abc&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&Version=2016-11-01&Action=DescribeLiveStreamPreloadTasks", emu.endpoint())).send().await.unwrap()).await;
    assert_eq!((r.status, r.code()), (400, "MissingParameter".to_owned()));
    assert!(r.json()["Message"].as_str().unwrap().contains("Timestamp"));
    let r = finish(http.post(format!("{}/?DomainName=x", emu.endpoint())).send().await.unwrap()).await;
    assert_eq!(r.code(), "MissingParameter");
    // Every error body has the gateway's fields.
    let body = r.json();
    for k in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(body[k].is_string(), "{k} in {body}");
    }
}

#[tokio::test]
async fn parameters_in_a_form_body_and_python_style_encodings_are_accepted() {
    let emu = start("{}").await;
    let now = emu.now();
    // pop-core style: the operation's parameters in a form body.
    let s = Send {
        form: true,
        ..send("SetLiveStreamPreloadTasks", &[("DomainName", DOMAIN), ("PlayUrl", "rtmp://h/a/s 1")], now)
    };
    let r = v1_request(&emu, &s).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["PreloadTasksMessages"]["PreloadTasksMessage"][0]["PlayUrl"], "rtmp://h/a/s 1");

    // The official Python client: `+` for a space on the wire, `Format=json`, `SignatureType=`, `True`,
    // SourceUrls as json.dumps writes it.
    let mut s = send(
        "RefreshMediaPlayUrls",
        &[("MediaIds", "m1"), ("TaskType", "Preload"), ("SliceFlag", "True"), ("SignatureType", "")],
        now,
    );
    s.format = "json";
    let r = v1_request(&emu, &s).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let signed = v1::sign(
        &v1::Request {
            method: "GET",
            action: "UpdateLivePullToPush",
            version: "2016-11-01",
            format: "JSON",
            params: &[],
        },
        &Credentials::new("testid", "testsecret"),
        now,
        "n",
    );
    assert!(!signed.signature.is_empty());
    let emu2 = start(r#"{"live": {"pull_to_push_tasks": [{"task_id": "t1", "region": "cn-shanghai", "start_time": "2030-01-01T00:00:00Z"}]}}"#).await;
    let urls = r#"["https://vod.example.com/\u4e2d\u6587.mp4", "https://vod.example.com/a b.mp4"]"#;
    let params = [("TaskId", "t1"), ("Region", "cn-shanghai"), ("SourceUrls", urls)];
    let s = Send { method: "GET", ..send("UpdateLivePullToPush", &params, emu2.now()) };
    let signed = v1::sign(
        &v1::Request { method: "GET", action: s.action, version: s.version, format: "json", params: &s.params },
        &s.creds,
        s.at,
        &s.nonce,
    );
    let mut all: Vec<(String, String)> = s.params.clone();
    all.extend(signed.params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    // Encode form-style, as the Python client does: spaces as `+`.
    let query: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(&all).finish();
    let r = finish(reqwest::get(format!("{}/?{query}", emu2.endpoint())).await.unwrap()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        emu2.services().pull_to_push_task("t1").unwrap().source_urls,
        ["https://vod.example.com/中文.mp4", "https://vod.example.com/a b.mp4"]
    );
}

#[tokio::test]
async fn xml_when_a_v1_request_asks_for_it() {
    let emu = start("{}").await;
    let mut s = send(
        "SetLiveStreamPreloadTasks",
        &[("DomainName", DOMAIN), ("PlayUrl", "rtmp://h/a/s1,rtmp://h/a/s2")],
        emu.now(),
    );
    s.format = "XML";
    let r = v1_request(&emu, &s).await;
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("application/xml"), "{}", r.content_type);
    assert!(
        r.body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><SetLiveStreamPreloadTasksResponse>"),
        "{}",
        r.body
    );
    let doc = &r.body;
    assert_eq!(doc.matches("<PreloadTasksMessage>").count(), 2);
    assert!(doc.contains("<TotalURL>2</TotalURL>") && doc.contains("<RequestId>"));
    let mut s = send("DescribeLiveStreamPreloadTasks", &[("DomainName", DOMAIN), ("PageSize", "0")], emu.now());
    s.format = "xml";
    let r = v1_request(&emu, &s).await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("<Error>") && r.body.contains("<RequestId>") && r.body.contains("<Code>InvalidParam</Code>"),
        "{}",
        r.body
    );
}

async fn create_tasks(emu: &Emulator, n: usize, prefix: &str) -> Vec<String> {
    let urls: Vec<String> = (0..n).map(|i| format!("rtmp://play.example.com/{prefix}/{i}")).collect();
    let mut ids = Vec::new();
    for chunk in urls.chunks(100) {
        let list = chunk.join(",");
        let r = v3_request(
            emu,
            &send("SetLiveStreamPreloadTasks", &[("DomainName", DOMAIN), ("PlayUrl", &list)], emu.now()),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        for m in r.json()["PreloadTasksMessages"]["PreloadTasksMessage"].as_array().unwrap() {
            ids.push(m["TaskId"].as_str().unwrap().to_owned());
        }
    }
    ids
}

async fn tasks(emu: &Emulator, params: &[(&str, &str)]) -> Value {
    let mut p = describe();
    p.extend_from_slice(params);
    let r = v3_request(emu, &send("DescribeLiveStreamPreloadTasks", &p, emu.now())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn preload_tasks_go_pending_preloading_complete_or_failed() {
    let emu = start(r#"{"live": {"preload": {"seconds_to_complete": 100, "fail_one_in": 2}}}"#).await;
    let ids = create_tasks(&emu, 2, "life").await;
    let state = |v: &Value, i: usize| {
        (
            v["PreloadTasks"]["PreloadTask"][i]["Status"].as_str().unwrap().to_owned(),
            v["PreloadTasks"]["PreloadTask"][i]["Process"].as_str().unwrap().to_owned(),
        )
    };
    let v = tasks(&emu, &[]).await;
    assert_eq!(state(&v, 0), ("pending".into(), "0%".into()));
    emu.advance(Duration::from_secs(40));
    let v = tasks(&emu, &[]).await;
    assert_eq!(v["PreloadTasks"]["PreloadTask"][0]["Status"], "preloading");
    let p: u32 = state(&v, 0).1.trim_end_matches('%').parse().unwrap();
    assert!((40..50).contains(&p), "{p}");
    emu.advance(Duration::from_secs(70));
    let v = tasks(&emu, &[]).await;
    assert_eq!(state(&v, 0), ("complete".into(), "100%".into()));
    assert_eq!(v["PreloadTasks"]["PreloadTask"][1]["Status"], "failed", "every second task fails");
    assert_eq!(v["PreloadTasks"]["PreloadTask"][1]["TaskId"], ids[1]);
    // A task whose prefetch window starts later stays pending until then.
    let start_at = aliprefetch::format_timestamp(emu.now() + time::Duration::hours(1));
    let r = v3_request(
        &emu,
        &send(
            "SetLiveStreamPreloadTasks",
            &[("DomainName", DOMAIN), ("PlayUrl", "rtmp://h/a/later"), ("PreloadedStartTime", &start_at)],
            emu.now(),
        ),
    )
    .await;
    let id = r.json()["PreloadTasksMessages"]["PreloadTasksMessage"][0]["TaskId"].as_str().unwrap().to_owned();
    emu.advance(Duration::from_secs(600));
    assert_eq!(tasks(&emu, &[("TaskId", &id)]).await["PreloadTasks"]["PreloadTask"][0]["Status"], "pending");
}

#[tokio::test]
async fn describe_filters_by_task_url_status_and_window() {
    let emu = start(r#"{"live": {"preload": {"seconds_to_complete": 10}}}"#).await;
    let ids = create_tasks(&emu, 3, "f").await;
    emu.advance(Duration::from_secs(60));
    let newer = create_tasks(&emu, 2, "g").await;
    assert_eq!(tasks(&emu, &[("TaskId", &ids[1])]).await["TotalNum"], 1);
    assert_eq!(
        tasks(&emu, &[("PlayUrl", "rtmp://play.example.com/f/0,rtmp://play.example.com/g/1")]).await["TotalNum"],
        2
    );
    assert_eq!(tasks(&emu, &[("Status", "complete")]).await["TotalNum"], 3);
    assert_eq!(tasks(&emu, &[("Status", "pending")]).await["TotalNum"], 2);
    let since = aliprefetch::format_timestamp(emu.now() - time::Duration::seconds(30));
    let v = tasks(&emu, &[("StartTime", &since)]).await;
    assert_eq!(v["TotalNum"], 2);
    assert_eq!(v["PreloadTasks"]["PreloadTask"][0]["TaskId"], newer[0]);
    // The 3-day window: older tasks are gone, an older start is refused.
    emu.advance(Duration::from_secs(3 * 86400));
    assert_eq!(tasks(&emu, &[]).await["TotalNum"], 0);
    let old = aliprefetch::format_timestamp(emu.now() - time::Duration::days(4));
    let r = v3_request(
        &emu,
        &send("DescribeLiveStreamPreloadTasks", &[("DomainName", DOMAIN), ("StartTime", &old)], emu.now()),
    )
    .await;
    assert_eq!(r.code(), "InvalidParam");
}

#[tokio::test]
async fn paging_edges() {
    let emu = start(r#"{"quotas": {"DescribeLiveStreamPreloadTasks": 1000}}"#).await;
    let page = |v: &Value| {
        (
            v["TotalNum"].as_u64().unwrap(),
            v["TotalPage"].as_u64().unwrap(),
            v["PreloadTasks"]["PreloadTask"].as_array().unwrap().len(),
        )
    };
    // Empty.
    assert_eq!(page(&tasks(&emu, &[]).await), (0, 0, 0));
    // An exact multiple: 20 tasks, pages of 10.
    create_tasks(&emu, 20, "p").await;
    assert_eq!(page(&tasks(&emu, &[("PageSize", "10"), ("PageNum", "2")]).await), (20, 2, 10));
    assert_eq!(page(&tasks(&emu, &[("PageSize", "10"), ("PageNum", "3")]).await), (20, 2, 0));
    // A last partial page: 25 tasks.
    create_tasks(&emu, 5, "q").await;
    let v = tasks(&emu, &[("PageSize", "10"), ("PageNum", "3")]).await;
    assert_eq!(page(&v), (25, 3, 5));
    assert_eq!((v["PageNum"].as_u64(), v["PageSize"].as_u64()), (Some(3), Some(10)));
    assert_eq!(v["PreloadTasks"]["PreloadTask"][4]["PlayUrl"], "rtmp://play.example.com/q/4");
    // The default page size is 20.
    assert_eq!(page(&tasks(&emu, &[]).await), (25, 2, 20));
}

#[tokio::test]
async fn pull_to_push_state_rules() {
    let emu = start(
        r#"{"live": {"pull_to_push_tasks": [
            {"task_id": "sched", "region": "cn-shanghai", "state": "scheduled", "start_time": "2024-05-20T09:00:00Z", "end_time": "2024-05-21T00:00:00Z"},
            {"task_id": "run", "region": "cn-shanghai", "state": "running", "source_urls": ["rtmp://o/a/s"]},
            {"task_id": "stop", "region": "cn-beijing", "state": "stopped", "source_urls": ["rtmp://o/a/s"]}
        ]}}"#,
    )
    .await;
    let update = |params: Vec<(&'static str, String)>| {
        let emu = &emu;
        async move {
            let p: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            v1_request(emu, &Send { method: "GET", ..send("UpdateLivePullToPush", &p, emu.now()) }).await
        }
    };
    let code = |r: Reply| if r.status == 200 { "ok".to_owned() } else { r.code() };
    // Region changes only before the start.
    assert_eq!(code(update(vec![("TaskId", "sched".into()), ("Region", "cn-beijing".into())]).await), "ok");
    assert_eq!(emu.services().pull_to_push_task("sched").unwrap().region, "cn-beijing");
    assert_eq!(
        code(update(vec![("TaskId", "run".into()), ("Region", "cn-beijing".into())]).await),
        "CodeTaskHasStarted"
    );
    // While running: CallbackUrl and RepeatNumber, nothing else.
    assert_eq!(
        code(
            update(vec![
                ("TaskId", "run".into()),
                ("Region", "cn-shanghai".into()),
                ("CallbackUrl", "https://cb/x".into()),
                ("RepeatNumber", "-1".into())
            ])
            .await
        ),
        "ok"
    );
    assert_eq!(emu.services().pull_to_push_task("run").unwrap().repeat_number, -1);
    assert_eq!(
        code(
            update(vec![
                ("TaskId", "run".into()),
                ("Region", "cn-shanghai".into()),
                ("SourceUrls", r#"["rtmp://o/a/other"]"#.into())
            ])
            .await
        ),
        "CodeTaskHasStarted"
    );
    assert_eq!(
        code(update(vec![("TaskId", "run".into()), ("Region", "cn-shanghai".into()), ("Offset", "5".into())]).await),
        "CodeTaskHasStarted"
    );
    // Stopped: anything but Region.
    assert_eq!(
        code(
            update(vec![
                ("TaskId", "stop".into()),
                ("Region", "cn-beijing".into()),
                ("SourceUrls", r#"["rtmp://o/a/new"]"#.into()),
                ("FileIndex", "2".into())
            ])
            .await
        ),
        "ok"
    );
    assert_eq!(
        code(update(vec![("TaskId", "stop".into()), ("Region", "cn-shanghai".into())]).await),
        "CodeTaskHasStarted"
    );
    // A scheduled task is running once its start has passed.
    emu.advance(Duration::from_secs(2 * 3600));
    assert_eq!(
        code(update(vec![("TaskId", "sched".into()), ("Region", "cn-shanghai".into())]).await),
        "CodeTaskHasStarted"
    );
    // Durations: start not before end, also against the stored end.
    let at = |h: i64| aliprefetch::format_timestamp(emu.now() + time::Duration::hours(h));
    assert_eq!(
        code(
            update(vec![
                ("TaskId", "stop".into()),
                ("Region", "cn-beijing".into()),
                ("StartTime", at(5)),
                ("EndTime", at(4))
            ])
            .await
        ),
        "InvalidParam.CodeIllegalDuration"
    );
    assert_eq!(
        code(
            update(vec![
                ("TaskId", "stop".into()),
                ("Region", "cn-beijing".into()),
                ("StartTime", at(4)),
                ("EndTime", at(5))
            ])
            .await
        ),
        "ok"
    );
    assert_eq!(
        code(update(vec![("TaskId", "stop".into()), ("Region", "cn-beijing".into()), ("StartTime", at(6))]).await),
        "InvalidParam.CodeIllegalDuration"
    );
    assert_eq!(
        code(update(vec![("TaskId", "ghost".into()), ("Region", "cn-beijing".into())]).await),
        "CodeTaskNotExist"
    );
    let none = start(r#"{"live": {"domains": []}}"#).await;
    let r = v1_request(
        &none,
        &Send {
            method: "GET",
            ..send("UpdateLivePullToPush", &[("TaskId", "x"), ("Region", "cn-beijing")], none.now())
        },
    )
    .await;
    assert_eq!(r.code(), "CodeInvalidAliUid");
}

#[tokio::test]
async fn domains_without_prefetch_and_regions_without_nodes() {
    let emu = start(r#"{"live": {"domains": [{"name": "on.example.com"}, {"name": "off.example.com", "prefetch_enabled": false}], "rtc_regions_without_nodes": ["TIB", "GL"]}}"#).await;
    let hot = |domain: &'static str, region: &'static str| {
        let emu = &emu;
        async move {
            v3_request(
                emu,
                &send(
                    "HotLiveRtcStream",
                    &[
                        ("DomainName", domain),
                        ("AppName", "a"),
                        ("StreamName", "s"),
                        ("AudioMsid", "rts audio"),
                        ("VideoMsid", "rts video"),
                        ("RegionCode", region),
                    ],
                    emu.now(),
                ),
            )
            .await
        }
    };
    assert_eq!(hot("on.example.com", "ZHJ").await.status, 200);
    assert_eq!(hot("off.example.com", "ZHJ").await.code(), "NoSpecialConfiguration");
    assert_eq!(hot("unknown.example.com", "ZHJ").await.code(), "NoSpecialConfiguration");
    assert_eq!(hot("on.example.com", "TIB").await.code(), "CodeRegionHasNoNode");
    assert_eq!(hot("on.example.com", "GL").await.code(), "CodeRegionHasNoNode");
    assert_eq!(hot("on.example.com", "QQ").await.code(), "InvalidParam");
    let r = v3_request(
        &emu,
        &send(
            "SetLiveStreamPreloadTasks",
            &[("DomainName", "off.example.com"), ("PlayUrl", "rtmp://h/a/s")],
            emu.now(),
        ),
    )
    .await;
    assert_eq!((r.status, r.code()), (400, "NoSpecialConfiguration".to_owned()));
}

#[tokio::test]
async fn quotas_per_account_and_action() {
    let emu = start(r#"{"accounts": [{"access_key_id": "a", "access_key_secret": "sa"}, {"access_key_id": "b", "access_key_secret": "sb"}], "quotas": {"HotLiveRtcStream": 3}}"#).await;
    let call = |id: &'static str, secret: &'static str, action: &'static str| {
        let emu = &emu;
        async move {
            let params: Vec<(&str, &str)> = match action {
                "HotLiveRtcStream" => vec![
                    ("DomainName", DOMAIN),
                    ("AppName", "a"),
                    ("StreamName", "s"),
                    ("AudioMsid", "x"),
                    ("VideoMsid", "y"),
                    ("RegionCode", "US"),
                ],
                _ => describe(),
            };
            v3_request(emu, &Send { creds: Credentials::new(id, secret), ..send(action, &params, emu.now()) }).await
        }
    };
    for _ in 0..3 {
        assert_eq!(call("a", "sa", "HotLiveRtcStream").await.status, 200);
    }
    let r = call("a", "sa", "HotLiveRtcStream").await;
    assert_eq!((r.status, r.code()), (400, "Throttling.User".to_owned()));
    let wait: u64 = r.retry_after.expect("x-acs-retry-after").parse().unwrap();
    assert!((1..=1000).contains(&wait), "{wait}");
    assert_eq!(call("b", "sb", "HotLiveRtcStream").await.status, 200, "another account has its own quota");
    assert_eq!(call("a", "sa", "DescribeLiveStreamPreloadTasks").await.status, 200, "another action has its own quota");
    emu.advance(Duration::from_millis(1000));
    assert_eq!(call("a", "sa", "HotLiveRtcStream").await.status, 200, "the window moved on");
    // Documented quota of Describe: 10.
    let mut statuses = Vec::new();
    for _ in 0..11 {
        statuses.push(call("b", "sb", "DescribeLiveStreamPreloadTasks").await.status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 10);
}

async fn fault_run(seed: u64) -> Vec<String> {
    let fixtures = Fixtures::from_json(r#"{"faults": {"error_rate": 0.3, "reset_rate": 0.15, "errors": ["InternalError", "ServiceUnavailable", "Throttling.User"]}, "quotas": {"DescribeLiveStreamPreloadTasks": 0}}"#).unwrap();
    let emu = Emulator::start(Config { seed, now: Some(T0), ..Config::with_fixtures(fixtures) }).await.unwrap();
    let mut outcomes = Vec::new();
    for _ in 0..40 {
        let s = send("DescribeLiveStreamPreloadTasks", &describe(), emu.now());
        let signed = v1::sign(
            &v1::Request { method: "POST", action: s.action, version: s.version, format: "JSON", params: &s.params },
            &s.creds,
            s.at,
            &s.nonce,
        );
        let all: Vec<(&str, &str)> = s
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(signed.params.iter().map(|(k, v)| (*k, v.as_str())))
            .collect();
        // A fresh connection each time, so a reset affects only its own request.
        let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        outcomes.push(match http.post(format!("{}/?{}", emu.endpoint(), query_of(&all))).send().await {
            Err(_) => "reset".to_owned(),
            Ok(resp) => {
                let r = finish(resp).await;
                if r.status == 200 {
                    "ok".to_owned()
                } else {
                    format!("{} {}", r.status, r.code())
                }
            }
        });
    }
    outcomes
}

#[tokio::test]
async fn faults_are_reproducible_from_the_seed() {
    let a = fault_run(42).await;
    assert_eq!(a, fault_run(42).await);
    assert_ne!(a, fault_run(43).await);
    for kind in ["ok", "reset", "500 InternalError", "503 ServiceUnavailable", "400 Throttling.User"] {
        assert!(a.iter().any(|o| o == kind), "{kind} in {a:?}");
    }
}

#[tokio::test]
async fn latency_is_added_to_every_answer() {
    let emu = start(r#"{"faults": {"latency_ms": 150}}"#).await;
    let started = std::time::Instant::now();
    assert_eq!(v3_request(&emu, &send("DescribeLiveStreamPreloadTasks", &describe(), emu.now())).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_over_kept_alive_connections() {
    let fixtures = Fixtures::from_json(r#"{"quotas": {"DescribeLiveStreamPreloadTasks": 0}}"#).unwrap();
    let emu = Emulator::start(Config::with_fixtures(fixtures)).await.unwrap();
    let client = aliprefetch::Client::builder()
        .endpoint(emu.endpoint())
        .credentials(emu.credentials())
        .rate_limits(aliprefetch::RateLimits::disabled())
        .build()
        .unwrap();
    let calls = (0..200).map(|_| {
        let c = client.clone();
        tokio::spawn(async move {
            c.describe_live_stream_preload_tasks(&aliprefetch::DescribeLiveStreamPreloadTasksRequest::new(DOMAIN)).await
        })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
}

#[tokio::test]
async fn sts_accounts_need_their_token() {
    let emu = start(r#"{"accounts": [{"access_key_id": "STS.demo", "access_key_secret": "stssecret", "security_token": "token-value"}]}"#).await;
    let with = Credentials::new("STS.demo", "stssecret").with_security_token("token-value");
    let without = Credentials::new("STS.demo", "stssecret");
    assert_eq!(
        v1_request(
            &emu,
            &Send { creds: with.clone(), ..send("DescribeLiveStreamPreloadTasks", &describe(), emu.now()) }
        )
        .await
        .status,
        200
    );
    assert_eq!(
        v3_request(&emu, &Send { creds: with, ..send("DescribeLiveStreamPreloadTasks", &describe(), emu.now()) })
            .await
            .status,
        200
    );
    let r =
        v3_request(&emu, &Send { creds: without, ..send("DescribeLiveStreamPreloadTasks", &describe(), emu.now()) })
            .await;
    assert_eq!(r.code(), "InvalidSecurityToken.Missing");
}
