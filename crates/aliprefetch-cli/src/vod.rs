//! `aliprefetch vod refresh|preload`: media batches of any size, 20 ids per request.

use std::sync::Arc;
use std::time::Instant;

use aliprefetch::{ErrorKind, MediaItem, MediaOptions, MediaOutcome, TaskType};
use serde_json::{json, Value};

use crate::args::{GlobalArgs, MediaArgs};
use crate::failure::{Exit, Failure};
use crate::input::read_items;
use crate::live::stdout_failed;
use crate::output::{note, Report};
use crate::session::Session;

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
    let ids = read_items(&args.media_ids, args.file.as_deref(), "MEDIA_ID")?;
    let options = MediaOptions {
        formats: args.formats.clone(),
        definitions: args.definitions.clone(),
        stream_types: args.stream_types.clone(),
        result_type: args.result_type,
        slice_flag: args.slices.map(|_| true),
        slice_count: args.slices,
        user_data: args.user_data.clone(),
        concurrency: None,
        progress: None,
    };
    options.validate(task_type).map_err(|e| Failure::from_error(e, MEDIA))?;
    let session = Session::open(global).await?;

    let started = Instant::now();
    let bar = crate::progress::items(ids.len(), "media");
    let progress = {
        let bar = bar.clone();
        Arc::new(move |p: aliprefetch::Progress| {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
            bar.set_message(format!("({} not submitted)", p.failed));
        })
    };
    let options = MediaOptions { progress: Some(progress), ..options };
    let report = match task_type {
        TaskType::Refresh => session.client.refresh_media(ids, options).await,
        TaskType::Preload => session.client.preload_media(ids, options).await,
    }
    .map_err(|e| Failure::from_error(e, MEDIA))?;
    bar.finish_and_clear();
    session.close().await;
    let ok = report.succeeded().count();
    note(&format!(
        "{ok} of {} media submitted in {} job{} ({} request{}, {:.1?})",
        report.items.len(),
        report.job_ids.len(),
        if report.job_ids.len() == 1 { "" } else { "s" },
        report.requests,
        if report.requests == 1 { "" } else { "s" },
        started.elapsed()
    ));

    let failures: Vec<ErrorKind> = report.items.iter().filter_map(failure_kind).collect();
    let items: Vec<Value> = report.items.iter().map(item_json).collect();
    Report {
        headers: &["MEDIA ID", "RESULT", "JOB ID / REASON"],
        rows: report.items.iter().map(item_row).collect(),
        document: json!({
            "task_type": task_type.to_string(),
            "requests": report.requests,
            "job_ids": report.job_ids,
            "duplicates_removed": report.duplicates_removed,
            "total": items.len(),
            "succeeded": ok,
            "failed": items.len() - ok,
            "items": items,
        }),
        items,
    }
    .print(global.output)
    .map_err(stdout_failed)?;
    Ok(Exit::of_items(ok, &failures))
}

fn failure_kind(item: &MediaItem) -> Option<ErrorKind> {
    match &item.outcome {
        MediaOutcome::Submitted { .. } => None,
        MediaOutcome::NotFound | MediaOutcome::Forbidden => Some(ErrorKind::Api),
        MediaOutcome::Failed(f) => Some(f.kind),
    }
}

fn item_row(item: &MediaItem) -> Vec<String> {
    let (result, detail) = match &item.outcome {
        MediaOutcome::Submitted { job_id } => ("submitted", job_id.clone()),
        MediaOutcome::NotFound => ("not_found", "the service knows no such media".to_owned()),
        MediaOutcome::Forbidden => ("forbidden", "the media may not be refreshed".to_owned()),
        MediaOutcome::Failed(f) => ("failed", format!("{}: {}", f.code, f.message)),
    };
    vec![item.media_id.clone(), result.to_owned(), detail]
}

fn item_json(item: &MediaItem) -> Value {
    let row = item_row(item);
    let (job_id, error) = match &item.outcome {
        MediaOutcome::Submitted { job_id } => (Some(job_id.clone()), Value::Null),
        MediaOutcome::Failed(f) => (None, json!({"kind": f.kind.as_str(), "code": f.code, "message": f.message})),
        _ => (None, json!({"kind": "Api", "code": row[1], "message": row[2]})),
    };
    json!({"media_id": item.media_id, "ok": item.succeeded(), "result": row[1], "job_id": job_id, "error": error})
}
