//! `aliprefetch live …`: stream prefetch, the task listing, RTC prefetch and relay updates.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aliprefetch::Record;
use aliprefetch::{
    DescribeLiveStreamPreloadTasksRequest, ErrorKind, HotLiveRtcStreamRequest, PreloadItem, PreloadOptions,
    PreloadTask, PullToPushRegion, UpdateLivePullToPushRequest,
};
use futures::StreamExt as _;
use serde_json::{json, Value};

use crate::args::{GlobalArgs, HotRtcArgs, OutputFormat, PreloadArgs, TasksArgs, UpdateRelayArgs};
use crate::failure::{stdout_failed, Exit, Failure};
use crate::input::item_stream;
use crate::output::{self, note, Report};
use crate::session::Session;
use crate::settle::{interrupted_note, settle, Shown};
use crate::watch::{watch, Watched};

/// API fields and the options that set them, per command (for validation errors).
const PRELOAD: &[(&str, &str)] = &[
    ("DomainName", "--domain"),
    ("PlayUrl", "URL"),
    ("Area", "--area"),
    ("PreloadedStartTime", "--start"),
    ("PreloadedEndTime", "--end"),
];
const TASKS: &[(&str, &str)] = &[
    ("DomainName", "--domain"),
    ("TaskId", "--task-id"),
    ("PlayUrl", "--url"),
    ("Status", "--status"),
    ("StartTime", "--since"),
    ("EndTime", "--until"),
    ("PageSize", "--page-size"),
];
const HOT_RTC: &[(&str, &str)] = &[
    ("DomainName", "--domain"),
    ("AppName", "--app"),
    ("StreamName", "--stream"),
    ("RegionCode", "--region-code"),
    ("AudioMsid", "--audio-msid"),
    ("VideoMsid", "--video-msid"),
    ("ConnectionTimeout", "--connection-timeout"),
    ("MediaTimeout", "--media-timeout"),
];
const RELAY: &[(&str, &str)] = &[
    ("TaskId", "--task-id"),
    ("Region", "--region"),
    ("StartTime", "--start"),
    ("EndTime", "--end"),
    ("SourceUrls", "--source-url"),
    ("RepeatNumber", "--repeat"),
    ("Offset", "--offset"),
    ("CallbackUrl", "--callback-url"),
    ("FileIndex", "--file-index"),
];

/// `live preload`: every URL once in the output, with its task or why it has none. With `-o jsonl` (and
/// no `--wait`) each line is printed as its request settles and nothing is collected.
pub async fn preload(global: &GlobalArgs, args: &PreloadArgs) -> Result<Exit, Failure> {
    let mut input = item_stream(&args.urls, args.file.as_deref(), "URL")?;
    let mut options = PreloadOptions::default();
    options.area = args.area;
    options.start = args.start;
    options.end = args.end;
    options.concurrency = Some(usize::from(args.concurrency));
    options.validate(&args.domain).map_err(|e| Failure::from_error(e, PRELOAD))?;
    let session = Session::open(global).await?;
    if global.dry_run {
        let urls = std::mem::replace(&mut input.stream, futures::stream::empty().boxed());
        let plan = session
            .client
            .plan_preload_live_streams(&args.domain, urls, &options)
            .map_err(|e| Failure::from_error(e, PRELOAD))?;
        let exit = crate::dryrun::print_plan(plan, global.output, "URLs").await?;
        let end = input.finish()?;
        end.print_notes();
        session.close().await;
        return Ok(end.exit(exit));
    }
    let client = &session.client;

    let started = Instant::now();
    let bar = crate::progress::items(0, "URLs");
    let progress = {
        let bar = bar.clone();
        Arc::new(move |p: aliprefetch::Progress| {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
            bar.set_message(format!("({} failed)", p.failed));
        })
    };
    let urls = std::mem::replace(&mut input.stream, futures::stream::empty().boxed());
    options.progress = Some(progress);
    let stream =
        client.stream_preload_live_streams(&args.domain, urls, options).map_err(|e| Failure::from_error(e, PRELOAD))?;
    let print_lines = global.output == OutputFormat::Jsonl && !args.wait;
    let mut settled = settle(stream, print_lines, |i: &PreloadItem| i.index, unknown_url_json).await?;
    bar.finish_and_clear();
    let end = input.close(&mut settled)?;
    let total = settled.ok + settled.failures.len();
    let duplicates = match settled.duplicates_removed {
        0 => String::new(),
        1 => ", 1 repeated URL counted once".to_owned(),
        n => format!(", {n} repeated URLs counted once"),
    };
    note(&format!(
        "{} of {} URLs have a prefetch task ({} request{}{duplicates}, {:.1?})",
        settled.ok,
        total,
        settled.requests,
        if settled.requests == 1 { "" } else { "s" },
        started.elapsed()
    ));
    if let Some(unsettled) = &settled.interrupted {
        note(&interrupted_note("URLs", total, unsettled.len()));
    }
    for n in end.notes() {
        note(&n);
    }

    let watched = if args.wait && settled.interrupted.is_none() {
        let ids: Vec<String> = settled.items.iter().filter_map(|i| i.task_id.clone()).collect();
        let started = Instant::now();
        let w = watch(client, &args.domain, &ids, &args.waiting).await.map_err(|e| Failure::from_error(e, PRELOAD))?;
        note(&wait_summary(&w, ids.len(), started.elapsed(), args.waiting.timeout));
        Some(w)
    } else {
        None
    };
    session.close().await;
    if print_lines {
        crate::settle::print_json_lines(end.bad_lines.iter().map(bad_line_json))?;
        return Ok(settled
            .interrupted
            .map_or_else(|| end.exit(Exit::of_items(settled.ok, &settled.failures)), |_| Exit::Interrupted));
    }

    let by_id: HashMap<&str, &PreloadTask> =
        watched.iter().flat_map(|w| &w.tasks).map(|t| (t.task_id.as_str(), t)).collect();
    let mut lines: Vec<ItemLine> =
        settled.items.iter().map(|item| ItemLine::of(item, watched.is_some(), &by_id)).collect();
    for (_, url) in settled.interrupted.iter().flatten() {
        let json = unknown_url_json(url);
        let row = vec![url.clone(), String::new(), "unknown".to_owned(), INTERRUPTED.to_owned()];
        lines.push(ItemLine { ok: false, failure: Some(ErrorKind::Transport), row, json });
    }
    for bad in &end.bad_lines {
        let row =
            vec![bad.text.clone(), String::new(), "not_created".to_owned(), format!("{}: {}", bad.rule, bad.message)];
        lines.push(ItemLine { ok: false, failure: Some(ErrorKind::InvalidInput), row, json: bad_line_json(bad) });
    }
    let failures: Vec<ErrorKind> = lines.iter().filter_map(|l| l.failure).collect();
    let ok = lines.iter().filter(|l| l.ok).count();
    let items: Vec<Value> = lines.iter().map(|l| l.json.clone()).collect();
    Report {
        headers: &["URL", "TASK ID", "STATUS", "DETAIL"],
        rows: lines.into_iter().map(|l| l.row).collect(),
        document: json!({
            "domain": args.domain,
            "requests": settled.requests,
            "duplicates_removed": settled.duplicates_removed,
            "total": items.len(),
            "succeeded": ok,
            "failed": items.len() - ok,
            "interrupted": settled.interrupted.is_some(),
            "waited": watched.is_some(),
            "timed_out": watched.as_ref().is_some_and(|w| w.timed_out),
            "wait_interrupted": watched.as_ref().is_some_and(|w| w.interrupted),
            "items": items,
        }),
        items,
    }
    .print(global.output)
    .map_err(stdout_failed)?;
    if settled.interrupted.is_some() || watched.as_ref().is_some_and(|w| w.interrupted) {
        return Ok(Exit::Interrupted);
    }
    Ok(end.exit(Exit::of_items(ok, &failures)))
}

/// The line of an input line that could not be a URL (not sent).
fn bad_line_json(bad: &crate::input::BadLine) -> Value {
    json!({
        "url": bad.text,
        "line": bad.line,
        "ok": false,
        "task_id": null,
        "status": "not_created",
        "outcome_unknown": false,
        "found_by_lookup": false,
        "process": null,
        "description": null,
        "error": bad.error_json(),
    })
}

const INTERRUPTED: &str = "interrupted while its request was in flight: the service may hold a task for it";

/// The line of a URL whose request was in flight when the batch was interrupted.
fn unknown_url_json(url: &str) -> Value {
    json!({
        "url": url,
        "ok": false,
        "task_id": null,
        "status": "unknown",
        "outcome_unknown": true,
        "found_by_lookup": false,
        "process": null,
        "description": null,
        "error": {"kind": "Transport", "code": "Interrupted", "message": INTERRUPTED, "outcome_unknown": true},
    })
}

impl Shown for PreloadItem {
    fn json(&self) -> Value {
        ItemLine::of(self, false, &HashMap::new()).json
    }
    fn failure(&self) -> Option<ErrorKind> {
        self.failure.as_ref().map(|f| f.kind)
    }
}

/// One URL's line of the preload report.
struct ItemLine {
    ok: bool,
    /// Why it is not ok, as an error kind (for the exit code).
    failure: Option<ErrorKind>,
    row: Vec<String>,
    json: Value,
}

impl ItemLine {
    fn of(item: &PreloadItem, waited: bool, tasks: &HashMap<&str, &PreloadTask>) -> ItemLine {
        let error = item.failure.as_ref().map(Record::record);
        let task = item.task_id.as_deref().and_then(|id| tasks.get(id)).copied();
        let (status, detail, failure) = match (&item.failure, &item.task_id, task) {
            (Some(f), _, _) if f.outcome_unknown => {
                ("unknown".to_owned(), format!("{}: {}", f.code, f.message), Some(f.kind))
            }
            (Some(f), _, _) => ("not_created".to_owned(), format!("{}: {}", f.code, f.message), Some(f.kind)),
            (None, Some(_), _) if !waited => ("created".to_owned(), String::new(), None),
            (None, Some(_), Some(t)) => {
                let detail = [t.process.as_str(), t.description.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                let failure = (t.status != "complete").then_some(ErrorKind::Api);
                (t.status.clone(), detail, failure)
            }
            (None, _, None) => {
                ("unknown".to_owned(), "the task was not seen while waiting".to_owned(), Some(ErrorKind::Api))
            }
            (None, None, Some(_)) => unreachable!("a task is found by its id"),
        };
        ItemLine {
            ok: failure.is_none(),
            failure,
            row: vec![item.url.clone(), item.task_id.clone().unwrap_or_default(), status.clone(), detail],
            json: json!({
                "url": item.url,
                "ok": failure.is_none(),
                "task_id": item.task_id,
                "status": status,
                "outcome_unknown": item.outcome_unknown(),
                "found_by_lookup": item.found_by_lookup,
                "process": task.map(|t| t.process.clone()),
                "description": task.map(|t| t.description.clone()).filter(|d| !d.is_empty()),
                "error": error,
            }),
        }
    }
}

fn wait_summary(w: &Watched, total: usize, took: Duration, timeout: Duration) -> String {
    let complete = w.tasks.iter().filter(|t| t.status == "complete").count();
    let failed = w.tasks.iter().filter(|t| t.status == "failed").count();
    let open = total - complete - failed;
    if w.interrupted {
        format!("interrupted: {complete} complete, {failed} failed, {open} still open or not polled yet ({took:.1?})")
    } else if w.timed_out {
        format!("{complete} complete, {failed} failed, {open} still open after {}", humantime::format_duration(timeout))
    } else {
        format!("{complete} complete, {failed} failed ({:.1?})", took)
    }
}

/// `live tasks`: every page of the query; with `--watch`, waits for the tasks listed.
pub async fn tasks(global: &GlobalArgs, args: &TasksArgs) -> Result<Exit, Failure> {
    let base = DescribeLiveStreamPreloadTasksRequest {
        play_urls: args.urls.clone(),
        status: args.status,
        start_time: args.since,
        end_time: args.until,
        page_size: args.page_size,
        ..DescribeLiveStreamPreloadTasksRequest::new(args.domain.clone())
    };
    // The API takes one TaskId: several mean one query each.
    let queries: Vec<DescribeLiveStreamPreloadTasksRequest> = if args.task_ids.is_empty() {
        vec![base]
    } else {
        args.task_ids
            .iter()
            .map(|id| DescribeLiveStreamPreloadTasksRequest { task_id: Some(id.clone()), ..base.clone() })
            .collect()
    };
    for q in &queries {
        aliprefetch::Operation::validate(q).map_err(|e| Failure::from_error(e, TASKS))?;
    }
    let session = Session::open(global).await?;
    if global.dry_run {
        // The first page of each query: the rest depend on the answers.
        let planned = queries
            .iter()
            .map(|q| session.client.plan(q))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::from_error(e, TASKS))?;
        crate::dryrun::print_requests(&planned, global.output)?;
        note("dry run: the first page of each query; later pages follow the answers; nothing was sent");
        session.close().await;
        return Ok(Exit::Success);
    }
    let client = &session.client;
    let mut tasks: Vec<PreloadTask> = Vec::new();
    let mut seen = HashSet::new();
    for q in queries {
        for t in client.all_preload_tasks(q).await.map_err(|e| Failure::from_error(e, TASKS))? {
            if seen.insert(t.task_id.clone()) {
                tasks.push(t);
            }
        }
    }
    let mut exit = Exit::Success;
    if args.watch {
        let ids: Vec<String> = tasks.iter().map(|t| t.task_id.clone()).collect();
        let started = Instant::now();
        let w = watch(client, &args.domain, &ids, &args.waiting).await.map_err(|e| Failure::from_error(e, TASKS))?;
        note(&wait_summary(&w, ids.len(), started.elapsed(), args.waiting.timeout));
        let latest: HashMap<String, PreloadTask> = w.tasks.into_iter().map(|t| (t.task_id.clone(), t)).collect();
        for t in &mut tasks {
            if let Some(l) = latest.get(&t.task_id) {
                *t = l.clone();
            }
        }
        let failures: Vec<ErrorKind> =
            tasks.iter().filter(|t| t.status != "complete").map(|_| ErrorKind::Api).collect();
        exit = if w.interrupted { Exit::Interrupted } else { Exit::of_items(tasks.len() - failures.len(), &failures) };
    } else {
        note(&format!("{} task{}", tasks.len(), if tasks.len() == 1 { "" } else { "s" }));
    }
    session.close().await;

    let items: Vec<Value> = tasks.iter().map(Record::record).collect();
    Report {
        headers: &["TASK ID", "STATUS", "PROCESS", "CREATED", "URL", "DESCRIPTION"],
        rows: tasks
            .iter()
            .map(|t| {
                vec![
                    t.task_id.clone(),
                    t.status.clone(),
                    t.process.clone(),
                    output::time(t.create_time),
                    t.play_url.clone(),
                    t.description.clone(),
                ]
            })
            .collect(),
        document: json!({"domain": args.domain, "total": items.len(), "tasks": items}),
        items,
    }
    .print(global.output)
    .map_err(stdout_failed)?;
    Ok(exit)
}

/// `live hot-rtc`: one HotLiveRtcStream call.
pub async fn hot_rtc(global: &GlobalArgs, args: &HotRtcArgs) -> Result<Exit, Failure> {
    let mut request = HotLiveRtcStreamRequest::new(&args.domain, &args.app, &args.stream, args.region_code)
        .audio_msid(&args.audio_msid)
        .video_msid(&args.video_msid);
    if let Some(ms) = args.connection_timeout {
        request = request.connection_timeout(Duration::from_millis(ms));
    }
    if let Some(ms) = args.media_timeout {
        request = request.media_timeout(Duration::from_millis(ms));
    }
    aliprefetch::Operation::validate(&request).map_err(|e| Failure::from_error(e, HOT_RTC))?;
    let session = Session::open(global).await?;
    if global.dry_run {
        let planned = session.client.plan(&request).map_err(|e| Failure::from_error(e, HOT_RTC))?;
        return crate::dryrun::print_single(session, planned, global.output).await;
    }
    let response = session.client.hot_live_rtc_stream(&request).await.map_err(|e| Failure::from_error(e, HOT_RTC))?;
    session.close().await;
    let item = json!({
        "request_id": response.request_id,
        "domain": args.domain,
        "app": args.app,
        "stream": args.stream,
        "region_code": args.region_code.as_str(),
    });
    Report {
        headers: &["DOMAIN", "APP", "STREAM", "REGION CODE", "REQUEST ID"],
        rows: vec![vec![
            args.domain.clone(),
            args.app.clone(),
            args.stream.clone(),
            format!("{} ({})", args.region_code, args.region_code.name()),
            response.request_id.clone(),
        ]],
        document: item.clone(),
        items: vec![item],
    }
    .print(global.output)
    .map_err(stdout_failed)?;
    Ok(Exit::Success)
}

/// `live update-relay`: one UpdateLivePullToPush call; the task's region is the global `--region`.
pub async fn update_relay(global: &GlobalArgs, args: &UpdateRelayArgs) -> Result<Exit, Failure> {
    let region = global.region.as_deref().ok_or_else(|| {
        Failure::usage(
            "--region",
            "the relay task's region is required (ap-southeast-1, ap-southeast-5, cn-beijing, cn-shanghai)",
        )
    })?;
    let region: PullToPushRegion = region.parse().map_err(|e| Failure::from_error(e, RELAY))?;
    let mut request = UpdateLivePullToPushRequest::new(&args.task_id, region);
    request.start_time = args.start;
    request.end_time = args.end;
    request.source_urls = (!args.source_urls.is_empty()).then(|| args.source_urls.clone());
    request.repeat_number = args.repeat;
    request.offset = args.offset.map(Duration::from_secs);
    request.callback_url = args.callback_url.clone();
    request.file_index = args.file_index;
    aliprefetch::Operation::validate(&request).map_err(|e| Failure::from_error(e, RELAY))?;
    let session = Session::open(global).await?;
    if global.dry_run {
        let planned = session.client.plan(&request).map_err(|e| Failure::from_error(e, RELAY))?;
        return crate::dryrun::print_single(session, planned, global.output).await;
    }
    let response =
        session.client.update_live_pull_to_push(&request).await.map_err(|e| Failure::from_error(e, RELAY))?;
    session.close().await;
    let item = json!({
        "task_id": args.task_id,
        "region": region.to_string(),
        "request_id": response.request_id,
        "ret_code": response.ret_code,
        "description": response.description,
    });
    Report {
        headers: &["TASK ID", "REGION", "RET CODE", "DESCRIPTION", "REQUEST ID"],
        rows: vec![vec![
            args.task_id.clone(),
            region.to_string(),
            response.ret_code.to_string(),
            response.description.clone(),
            response.request_id.clone(),
        ]],
        document: item.clone(),
        items: vec![item],
    }
    .print(global.output)
    .map_err(stdout_failed)?;
    Ok(Exit::Success)
}
