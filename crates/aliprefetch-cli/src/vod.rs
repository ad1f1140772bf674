//! `aliprefetch vod refresh|preload`: media batches of any size, 20 ids per request.

use std::sync::Arc;
use std::time::Instant;

use aliprefetch::Record;
use aliprefetch::{ErrorKind, MediaItem, MediaOptions, MediaOutcome, TaskType};
use futures::StreamExt as _;
use serde_json::{json, Value};

use crate::args::{GlobalArgs, MediaArgs, OutputFormat};
use crate::failure::stdout_failed;
use crate::failure::{Exit, Failure};
use crate::input::item_stream;
use crate::output::{note, Report};
use crate::session::Session;
use crate::settle::{interrupted_note, settle, Shown};

const MEDIA: &[(&str, &str)] = &[
    ("MediaIds", "MEDIA_ID"),
    ("Formats", "--formats"),
    ("Definitions", "--definitions"),
    ("StreamType", "--stream-type"),
    ("ResultType", "--result-type"),
    ("SliceFlag", "--slices"),
    ("SliceCount", "--slices"),
    ("UserData", "--user-data"),
];

pub async fn media(global: &GlobalArgs, args: &MediaArgs, task_type: TaskType) -> Result<Exit, Failure> {
    let mut input = item_stream(&args.media_ids, args.file.as_deref(), "MEDIA_ID")?;
    let mut options = MediaOptions::default();
    options.formats = args.formats.clone();
    options.definitions = args.definitions.clone();
    options.stream_types = args.stream_types.clone();
    options.result_type = args.result_type;
    options.slice_flag = args.slices.map(|_| true);
    options.slice_count = args.slices;
    options.user_data = args.user_data.clone();
    options.validate(task_type).map_err(|e| Failure::from_error(e, MEDIA))?;
    let session = Session::open(global).await?;
    if global.dry_run {
        let ids = std::mem::replace(&mut input.stream, futures::stream::empty().boxed());
        let plan = session.client.plan_media(task_type, ids, &options).map_err(|e| Failure::from_error(e, MEDIA))?;
        let exit = crate::dryrun::print_plan(plan, global.output, "media ids").await?;
        let end = input.finish()?;
        end.print_notes();
        session.close().await;
        return Ok(end.exit(exit));
    }

    let started = Instant::now();
    let bar = crate::progress::items(0, "media");
    let progress = {
        let bar = bar.clone();
        Arc::new(move |p: aliprefetch::Progress| {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
            bar.set_message(format!("({} not submitted)", p.failed));
        })
    };
    options.progress = Some(progress);
    let ids = std::mem::replace(&mut input.stream, futures::stream::empty().boxed());
    let stream = match task_type {
        TaskType::Refresh => session.client.stream_refresh_media(ids, options),
        TaskType::Preload => session.client.stream_preload_media(ids, options),
    }
    .map_err(|e| Failure::from_error(e, MEDIA))?;
    let print_lines = global.output == OutputFormat::Jsonl;
    let mut settled = settle(stream, print_lines, |i: &MediaItem| i.index, unknown_media_json).await?;
    bar.finish_and_clear();
    session.close().await;
    let end = input.close(&mut settled)?;
    let job_ids = settled.job_ids.clone();
    let total = settled.ok + settled.failures.len();
    note(&format!(
        "{} of {total} media submitted in {} job{} ({} request{}, {:.1?})",
        settled.ok,
        job_ids.len(),
        if job_ids.len() == 1 { "" } else { "s" },
        settled.requests,
        if settled.requests == 1 { "" } else { "s" },
        started.elapsed()
    ));
    if let Some(unsettled) = &settled.interrupted {
        note(&interrupted_note("media ids", total, unsettled.len()));
    }
    for n in end.notes() {
        note(&n);
    }
    let exit = |ok: usize, failures: &[ErrorKind]| {
        if settled.interrupted.is_some() {
            Exit::Interrupted
        } else {
            end.exit(Exit::of_items(ok, failures))
        }
    };
    if print_lines {
        crate::settle::print_json_lines(end.bad_lines.iter().map(bad_line_json))?;
        return Ok(exit(settled.ok, &settled.failures));
    }

    let mut items: Vec<Value> = settled.items.iter().map(item_json).collect();
    let mut rows: Vec<Vec<String>> = settled.items.iter().map(item_row).collect();
    for (_, id) in settled.interrupted.iter().flatten() {
        items.push(unknown_media_json(id));
        rows.push(vec![id.clone(), "unknown".to_owned(), INTERRUPTED.to_owned()]);
    }
    for bad in &end.bad_lines {
        items.push(bad_line_json(bad));
        rows.push(vec![bad.text.clone(), "not_submitted".to_owned(), format!("{}: {}", bad.rule, bad.message)]);
    }
    let ok = settled.ok;
    Report {
        headers: &["MEDIA ID", "RESULT", "JOB ID / REASON"],
        rows,
        document: json!({
            "task_type": task_type.to_string(),
            "requests": settled.requests,
            "job_ids": job_ids,
            "duplicates_removed": settled.duplicates_removed,
            "total": items.len(),
            "succeeded": ok,
            "failed": items.len() - ok,
            "interrupted": settled.interrupted.is_some(),
            "items": items,
        }),
        items,
    }
    .print(global.output)
    .map_err(stdout_failed)?;
    Ok(exit(ok, &settled.failures))
}

const INTERRUPTED: &str = "interrupted while its request was in flight: the service may hold a job for it";

/// The line of an input line that could not be a media id (not sent).
fn bad_line_json(bad: &crate::input::BadLine) -> Value {
    json!({"media_id": bad.text, "line": bad.line, "ok": false, "result": "not_submitted", "job_id": null,
           "outcome_unknown": false, "error": bad.error_json()})
}

fn unknown_media_json(id: &str) -> Value {
    json!({
        "media_id": id,
        "ok": false,
        "result": "unknown",
        "job_id": null,
        "outcome_unknown": true,
        "error": {"kind": "Transport", "code": "Interrupted", "message": INTERRUPTED, "outcome_unknown": true},
    })
}

impl Shown for MediaItem {
    fn json(&self) -> Value {
        item_json(self)
    }
    fn failure(&self) -> Option<ErrorKind> {
        failure_kind(self)
    }
}

fn failure_kind(item: &MediaItem) -> Option<ErrorKind> {
    match &item.outcome {
        MediaOutcome::Submitted { .. } => None,
        MediaOutcome::NotFound | MediaOutcome::Forbidden => Some(ErrorKind::Api),
        MediaOutcome::Failed(f) => Some(f.kind),
    }
}

fn item_row(item: &MediaItem) -> Vec<String> {
    let detail = match &item.outcome {
        MediaOutcome::Submitted { job_id } => job_id.clone(),
        MediaOutcome::NotFound => "the service knows no such media".to_owned(),
        MediaOutcome::Forbidden => "the media may not be refreshed".to_owned(),
        MediaOutcome::Failed(f) => format!("{}: {}", f.code, f.message),
    };
    let result = match &item.outcome {
        MediaOutcome::Failed(f) if f.outcome_unknown => "unknown",
        outcome => outcome.as_str(),
    };
    vec![item.media_id.clone(), result.to_owned(), detail]
}

fn item_json(item: &MediaItem) -> Value {
    let row = item_row(item);
    let (job_id, error) = match &item.outcome {
        MediaOutcome::Submitted { job_id } => (Some(job_id.clone()), Value::Null),
        MediaOutcome::Failed(f) => (None, f.record()),
        _ => (None, json!({"kind": "Api", "code": row[1], "message": row[2], "outcome_unknown": false})),
    };
    let unknown = matches!(&item.outcome, MediaOutcome::Failed(f) if f.outcome_unknown);
    json!({"media_id": item.media_id, "ok": item.succeeded(), "result": row[1], "job_id": job_id,
           "outcome_unknown": unknown, "error": error})
}
