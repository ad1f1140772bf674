//! Results as plain data, with one naming policy: what every binding and the CLI show.
//!
//! The response models keep the service's own (PascalCase) serde for the wire; [`Record::record`]
//! is the outward view: snake_case keys, times as `yyyy-MM-ddTHH:mm:ssZ`, lists split, and the
//! computed properties (`succeeded`, `outcome_unknown`, `progress_percent`) worked out here, once.
//! A binding renames keys for its language (Node: camelCase) and adds nothing.

use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::batch::{ItemFailure, MediaItem, MediaOutcome, MediaReport, PreloadItem, PreloadReport, Progress};
pub use crate::ops::camel_case;
use crate::ops::describe_live_stream_preload_tasks::{DescribeLiveStreamPreloadTasksResponse, PreloadTask};
use crate::ops::hot_live_rtc_stream::HotLiveRtcStreamResponse;
use crate::ops::refresh_media_play_urls::RefreshMediaPlayUrlsResponse;
use crate::ops::set_live_stream_preload_tasks::{PreloadTasksMessage, SetLiveStreamPreloadTasksResponse};
use crate::ops::update_live_pull_to_push::UpdateLivePullToPushResponse;
use crate::ops::AnyResponse;

/// A result's outward view.
pub trait Record {
    /// The result as plain data (snake_case keys, computed properties included).
    fn record(&self) -> Value;
}

/// The keys of a `PreloadTask` record that hold times (`yyyy-MM-ddTHH:mm:ssZ`, or null): what a binding
/// turns into its language's time values. The only record with times.
pub const TIME_KEYS: [&str; 3] = ["create_time", "preloaded_start_time", "preloaded_end_time"];

fn time(t: Option<OffsetDateTime>) -> Value {
    t.map_or(Value::Null, |t| Value::String(crate::wire::format_timestamp(t)))
}

fn all<R: Record>(items: &[R]) -> Value {
    Value::Array(items.iter().map(Record::record).collect())
}

impl Record for PreloadTask {
    fn record(&self) -> Value {
        json!({
            "task_id": self.task_id,
            "domain_name": self.domain_name,
            "play_url": self.play_url,
            "area": self.area,
            "create_time": time(self.create_time),
            "preloaded_start_time": time(self.preloaded_start_time),
            "preloaded_end_time": time(self.preloaded_end_time),
            "process": self.process,
            "progress_percent": self.progress_percent(),
            "status": self.status,
            "description": self.description,
        })
    }
}

impl Record for PreloadTasksMessage {
    fn record(&self) -> Value {
        json!({
            "play_url": self.play_url,
            "task_id": self.task_id,
            "description": self.description,
            "succeeded": self.succeeded(),
        })
    }
}

impl Record for SetLiveStreamPreloadTasksResponse {
    fn record(&self) -> Value {
        json!({
            "request_id": self.request_id,
            "status": self.status,
            "total_url": self.total_url,
            "success_url": self.success_url,
            "failed_url": self.failed_url,
            "preload_tasks_messages": all(&self.preload_tasks_messages),
        })
    }
}

impl Record for DescribeLiveStreamPreloadTasksResponse {
    fn record(&self) -> Value {
        json!({
            "request_id": self.request_id,
            "page_num": self.page_num,
            "page_size": self.page_size,
            "total_num": self.total_num,
            "total_page": self.total_page,
            "preload_tasks": all(&self.preload_tasks),
        })
    }
}

impl Record for HotLiveRtcStreamResponse {
    fn record(&self) -> Value {
        json!({ "request_id": self.request_id })
    }
}

impl Record for UpdateLivePullToPushResponse {
    fn record(&self) -> Value {
        json!({ "request_id": self.request_id, "ret_code": self.ret_code, "description": self.description })
    }
}

impl Record for RefreshMediaPlayUrlsResponse {
    fn record(&self) -> Value {
        json!({
            "request_id": self.request_id,
            "media_refresh_job_id": self.media_refresh_job_id,
            "non_exist_media_ids": self.non_exist_media_ids(),
            "forbidden_media_ids": self.forbidden_media_ids(),
        })
    }
}

impl Record for AnyResponse {
    fn record(&self) -> Value {
        match self {
            AnyResponse::SetLiveStreamPreloadTasks(r) => r.record(),
            AnyResponse::DescribeLiveStreamPreloadTasks(r) => r.record(),
            AnyResponse::HotLiveRtcStream(r) => r.record(),
            AnyResponse::UpdateLivePullToPush(r) => r.record(),
            AnyResponse::RefreshMediaPlayUrls(r) => r.record(),
        }
    }
}

impl Record for ItemFailure {
    fn record(&self) -> Value {
        json!({
            "kind": self.kind.as_str(),
            "code": self.code,
            "message": self.message,
            "outcome_unknown": self.outcome_unknown,
        })
    }
}

impl Record for PreloadItem {
    fn record(&self) -> Value {
        json!({
            "index": self.index,
            "url": self.url,
            "task_id": self.task_id,
            "succeeded": self.succeeded(),
            "outcome_unknown": self.outcome_unknown(),
            "found_by_lookup": self.found_by_lookup,
            "failure": self.failure.as_ref().map(Record::record),
        })
    }
}

impl Record for crate::sign::v1::Signed {
    fn record(&self) -> Value {
        json!({
            "params": self.params.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "canonicalized_query": self.canonicalized_query,
            "string_to_sign": self.string_to_sign,
            "signature": self.signature,
        })
    }
}

impl Record for crate::sign::v3::Signed {
    fn record(&self) -> Value {
        json!({
            "headers": self.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "canonical_request": self.canonical_request,
            "string_to_sign": self.string_to_sign,
            "signed_header_names": self.signed_header_names,
            "signature": self.signature,
            "authorization": self.authorization,
        })
    }
}

impl Record for crate::batch::BatchReport {
    fn record(&self) -> Value {
        match self {
            crate::batch::BatchReport::Live(r) => r.record(),
            crate::batch::BatchReport::Media(r) => r.record(),
        }
    }
}

impl Record for crate::batch::AnyItem {
    fn record(&self) -> Value {
        match self {
            crate::batch::AnyItem::Live(i) => i.record(),
            crate::batch::AnyItem::Media(i) => i.record(),
            crate::batch::AnyItem::Task(t) => t.record(),
        }
    }
}

impl Record for MediaItem {
    fn record(&self) -> Value {
        let (job_id, failure) = match &self.outcome {
            MediaOutcome::Submitted { job_id } => (Some(job_id.as_str()), None),
            MediaOutcome::NotFound | MediaOutcome::Forbidden => (None, None),
            MediaOutcome::Failed(f) => (None, Some(f.record())),
        };
        json!({
            "index": self.index,
            "media_id": self.media_id,
            "outcome": self.outcome.as_str(),
            "job_id": job_id,
            "succeeded": self.succeeded(),
            "outcome_unknown": self.outcome_unknown(),
            "failure": failure,
        })
    }
}

impl Record for PreloadReport {
    fn record(&self) -> Value {
        json!({
            "items": all(&self.items),
            "duplicates_removed": self.duplicates_removed,
            "requests": self.requests,
            "lookups": self.lookups,
            "all_succeeded": self.all_succeeded(),
        })
    }
}

impl Record for MediaReport {
    fn record(&self) -> Value {
        json!({
            "items": all(&self.items),
            "duplicates_removed": self.duplicates_removed,
            "requests": self.requests,
            "repeated_requests": self.repeated_requests,
            "job_ids": self.job_ids,
            "all_succeeded": self.all_succeeded(),
        })
    }
}

impl Record for Progress {
    fn record(&self) -> Value {
        json!({ "done": self.done, "total": self.total, "succeeded": self.succeeded, "failed": self.failed })
    }
}

/// `snake_case` keys as `camelCase`, all the way down: the JavaScript naming of a [`Record`].
pub fn camel_case_keys(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (camel_case(&k), camel_case_keys(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(camel_case_keys).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn records_carry_computed_properties_in_snake_case() {
        let failure = ItemFailure {
            kind: ErrorKind::Timeout,
            code: "Timeout".into(),
            message: "m".into(),
            outcome_unknown: true,
        };
        let item = PreloadItem {
            index: 3,
            url: "rtmp://a/b/c".into(),
            task_id: None,
            failure: Some(failure.clone()),
            found_by_lookup: false,
        };
        let r = item.record();
        assert_eq!((r["succeeded"].as_bool(), r["outcome_unknown"].as_bool()), (Some(false), Some(true)));
        assert_eq!(r["failure"]["kind"], failure.kind.as_str());
        let media =
            MediaItem { index: 0, media_id: "m1".into(), outcome: MediaOutcome::Submitted { job_id: "j".into() } };
        let m = media.record();
        assert_eq!(
            (m["outcome"].as_str(), m["job_id"].as_str(), m["succeeded"].as_bool()),
            (Some("submitted"), Some("j"), Some(true))
        );
        let task: PreloadTask = serde_json::from_value(json!({"TaskId": "t", "Process": "42%"})).expect("task");
        assert_eq!(task.record()["progress_percent"].as_f64(), Some(42.0));
    }

    #[test]
    fn camel_case_renames_keys_all_the_way_down() {
        let v = camel_case_keys(json!({"outcome_unknown": true, "items": [{"task_id": "a_b"}]}));
        assert_eq!(v, json!({"outcomeUnknown": true, "items": [{"taskId": "a_b"}]}));
    }
}

/// The keys of each record, by the core type's name, worked out from a sample of each type: what a
/// binding's test compares its classes and declarations with, so none shows a field the core lacks or
/// lacks one the core has.
pub fn record_keys() -> Vec<(&'static str, Vec<String>)> {
    fn keys(v: Value) -> Vec<String> {
        let mut k: Vec<String> = v.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        k.sort();
        k
    }
    fn from_empty<T: serde::de::DeserializeOwned + Record>() -> Vec<String> {
        serde_json::from_str::<T>("{}").map(|t| keys(t.record())).unwrap_or_default()
    }
    let failure = ItemFailure {
        kind: crate::error::ErrorKind::Server,
        code: String::new(),
        message: String::new(),
        outcome_unknown: false,
    };
    let preload_item =
        PreloadItem { index: 0, url: String::new(), task_id: None, failure: None, found_by_lookup: false };
    let media_item = MediaItem { index: 0, media_id: String::new(), outcome: MediaOutcome::NotFound };
    let preload_report = PreloadReport { items: vec![], duplicates_removed: 0, requests: 0, lookups: 0 };
    let media_report =
        MediaReport { items: vec![], duplicates_removed: 0, requests: 0, repeated_requests: 0, job_ids: vec![] };
    let progress = Progress { done: 0, total: 0, succeeded: 0, failed: 0 };
    vec![
        ("PreloadTask", from_empty::<PreloadTask>()),
        ("PreloadTasksMessage", from_empty::<PreloadTasksMessage>()),
        ("SetLiveStreamPreloadTasksResponse", from_empty::<SetLiveStreamPreloadTasksResponse>()),
        ("DescribeLiveStreamPreloadTasksResponse", from_empty::<DescribeLiveStreamPreloadTasksResponse>()),
        ("HotLiveRtcStreamResponse", from_empty::<HotLiveRtcStreamResponse>()),
        ("UpdateLivePullToPushResponse", from_empty::<UpdateLivePullToPushResponse>()),
        ("RefreshMediaPlayUrlsResponse", from_empty::<RefreshMediaPlayUrlsResponse>()),
        ("ItemFailure", keys(failure.record())),
        ("PreloadItem", keys(preload_item.record())),
        ("MediaItem", keys(media_item.record())),
        ("PreloadReport", keys(preload_report.record())),
        ("MediaReport", keys(media_report.record())),
        ("Progress", keys(progress.record())),
    ]
}

#[cfg(test)]
mod sample_tests {
    #[test]
    fn the_time_keys_are_the_keys_that_hold_times() {
        let task: super::PreloadTask = serde_json::from_str(
            r#"{"TaskId": "t", "CreateTime": "2026-01-01T00:00:00Z", "PreloadedStartTime": "2026-01-01T00:01:00Z",
                "PreloadedEndTime": "2026-01-01T00:02:00Z", "Process": "1%"}"#,
        )
        .unwrap();
        let record = super::Record::record(&task);
        let mut times: Vec<&str> = record
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| v.as_str().is_some_and(|s| crate::wire::parse_timestamp("t", s).is_ok()))
            .map(|(k, _)| k.as_str())
            .collect();
        times.sort_unstable();
        let mut expected = super::TIME_KEYS.to_vec();
        expected.sort_unstable();
        assert_eq!(times, expected);
    }

    #[test]
    fn every_record_has_keys() {
        for (name, keys) in super::record_keys() {
            assert!(!keys.is_empty(), "{name}: no sample");
        }
    }
}
