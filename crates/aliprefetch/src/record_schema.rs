//! The results every binding shows, declared once: each record's fields as [`crate::Record::record`]
//! writes them (snake_case), with their types and what a user should know of them. The TypeScript
//! interfaces, the Python stubs and the UniFFI records are generated from this (`tests/records_decl.rs`);
//! a test holds it equal to the records the core writes.

/// What a field of a record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// A whole number as the service sent it (64-bit, signed).
    Int,
    /// A count the client made (64-bit, from 0).
    Count,
    Bool,
    Float,
    /// An instant (`yyyy-MM-ddTHH:mm:ssZ` in the record), which a binding shows as its time type.
    Time,
    /// A member of the value set of this name.
    Member(&'static str),
    /// Text that is usually a member of the value set of this name, as the service sent it (a newer
    /// service may send another).
    OpenMember(&'static str),
    TextList,
    /// The record of this name.
    Record(&'static str),
    /// A list of the record of this name.
    RecordList(&'static str),
    /// A duration: seconds in snake_case (`retry_after`), milliseconds in JavaScript (`retryAfterMs`).
    /// Only an error's field, so far.
    Duration,
    /// Name-value pairs of text, in order (a list of two-item lists in the record).
    Pairs,
}

/// One field of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDecl {
    pub key: &'static str,
    pub ty: FieldType,
    /// May be null (absent).
    pub optional: bool,
    pub doc: &'static str,
    /// Holds a secret (a signature): no binding shows it when the record is printed.
    pub secret: bool,
}

/// One record: its name in Python and TypeScript, the core type it shows (its name in Kotlin and Swift),
/// what it is, and its fields in the order every language lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordDecl {
    pub name: &'static str,
    pub core: &'static str,
    pub doc: &'static str,
    pub fields: &'static [FieldDecl],
}

pub(crate) const fn f(key: &'static str, ty: FieldType) -> FieldDecl {
    FieldDecl { key, ty, optional: false, doc: "", secret: false }
}

const fn opt(key: &'static str, ty: FieldType) -> FieldDecl {
    FieldDecl { key, ty, optional: true, doc: "", secret: false }
}

impl FieldDecl {
    pub(crate) const fn doc(self, doc: &'static str) -> Self {
        FieldDecl { doc, ..self }
    }
    pub(crate) const fn secret(self) -> Self {
        FieldDecl { secret: true, ..self }
    }
}

use FieldType::*;

const REQUEST_ID: FieldDecl = f("request_id", Text);

/// Every record, each after the records it holds.
pub const RECORDS: &[RecordDecl] = &[
    RecordDecl {
        name: "PreloadTasksMessage",
        core: "PreloadTasksMessage",
        doc: "One URL of a SetLiveStreamPreloadTasks answer.",
        fields: &[
            f("play_url", Text),
            f("task_id", Text),
            f("description", Text),
            f("succeeded", Bool).doc("Whether a task was created for the URL."),
        ],
    },
    RecordDecl {
        name: "SetLiveStreamPreloadTasksResult",
        core: "SetLiveStreamPreloadTasksResponse",
        doc: "The answer of SetLiveStreamPreloadTasks.",
        fields: &[
            REQUEST_ID,
            f("status", Text),
            f("total_url", Int),
            f("success_url", Int),
            f("failed_url", Int),
            f("preload_tasks_messages", RecordList("PreloadTasksMessage")),
        ],
    },
    RecordDecl {
        name: "PreloadTask",
        core: "PreloadTask",
        doc: "One live prefetch task.",
        fields: &[
            f("task_id", Text),
            f("domain_name", Text),
            f("play_url", Text),
            f("area", Text),
            opt("create_time", Time),
            opt("preloaded_start_time", Time),
            opt("preloaded_end_time", Time),
            f("process", Text).doc("A percentage such as `100%`."),
            opt("progress_percent", Float).doc("`process` as a number from 0 to 100, when it is one."),
            f("status", OpenMember("PreloadStatus")),
            f("description", Text),
        ],
    },
    RecordDecl {
        name: "DescribeLiveStreamPreloadTasksResult",
        core: "DescribeLiveStreamPreloadTasksResponse",
        doc: "One page of DescribeLiveStreamPreloadTasks.",
        fields: &[
            REQUEST_ID,
            f("page_num", Int),
            f("page_size", Int),
            f("total_num", Int),
            f("total_page", Int),
            f("preload_tasks", RecordList("PreloadTask")),
        ],
    },
    RecordDecl {
        name: "HotLiveRtcStreamResult",
        core: "HotLiveRtcStreamResponse",
        doc: "The answer of HotLiveRtcStream.",
        fields: &[REQUEST_ID],
    },
    RecordDecl {
        name: "UpdateLivePullToPushResult",
        core: "UpdateLivePullToPushResponse",
        doc: "The answer of UpdateLivePullToPush.",
        fields: &[REQUEST_ID, f("ret_code", Int).doc("0 on success."), f("description", Text)],
    },
    RecordDecl {
        name: "RefreshMediaPlayUrlsResult",
        core: "RefreshMediaPlayUrlsResponse",
        doc: "The answer of RefreshMediaPlayUrls.",
        fields: &[
            REQUEST_ID,
            f("media_refresh_job_id", Text),
            f("non_exist_media_ids", TextList),
            f("forbidden_media_ids", TextList),
        ],
    },
    RecordDecl {
        name: "Progress",
        core: "Progress",
        doc: "How far a batch or a wait has come.",
        fields: &[f("done", Count), f("total", Count), f("succeeded", Count), f("failed", Count)],
    },
    RecordDecl {
        name: "ItemFailure",
        core: "ItemFailure",
        doc: "Why one item of a batch failed.",
        fields: &[
            f("kind", Member("ErrorKind")),
            f("code", Text),
            f("message", Text),
            f("outcome_unknown", Bool).doc(
                "The service may hold a task (or job) for the item after all: look it up before sending it again.",
            ),
        ],
    },
    RecordDecl {
        name: "PreloadItem",
        core: "PreloadItem",
        doc: "The outcome of one URL of a batch.",
        fields: &[
            f("index", Count).doc("Where the URL stood in the input (repeats included)."),
            f("url", Text),
            opt("task_id", Text),
            f("succeeded", Bool).doc("The URL has a task."),
            f("outcome_unknown", Bool).doc("The service may hold a task that the report could not name."),
            f("found_by_lookup", Bool)
                .doc("The task id came from a lookup after the answer of the request that created it was lost."),
            opt("failure", Record("ItemFailure")),
        ],
    },
    RecordDecl {
        name: "PreloadReport",
        core: "PreloadReport",
        doc: "Every distinct URL of a batch once, in input order.",
        fields: &[
            f("items", RecordList("PreloadItem")),
            f("duplicates_removed", Count),
            f("requests", Count),
            f("lookups", Count).doc("Lookups made to settle lost answers."),
            f("all_succeeded", Bool).doc("Every item has a task."),
        ],
    },
    RecordDecl {
        name: "MediaItem",
        core: "MediaItem",
        doc: "What became of one media id.",
        fields: &[
            f("index", Count).doc("Where the id stood in the input (repeats included)."),
            f("media_id", Text),
            f("outcome", Member("ItemOutcome")),
            opt("job_id", Text).doc("The job the id is in."),
            f("succeeded", Bool).doc("The id is in a job."),
            f("outcome_unknown", Bool).doc("The service may hold a job for the id that the report could not name."),
            opt("failure", Record("ItemFailure")).doc("Why it is in no job."),
        ],
    },
    RecordDecl {
        name: "MediaReport",
        core: "MediaReport",
        doc: "Every distinct media id of a batch once, in input order.",
        fields: &[
            f("items", RecordList("MediaItem")),
            f("duplicates_removed", Count),
            f("requests", Count),
            f("repeated_requests", Count).doc(
                "Requests sent again after an answer was lost (a repeated purge or prefetch has the same effect).",
            ),
            f("job_ids", TextList),
            f("all_succeeded", Bool).doc("Every item is in a job."),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_declared_record_has_the_keys_the_core_writes() {
        let written = crate::records::record_keys();
        assert_eq!(written.len(), RECORDS.len(), "every record is declared");
        for decl in RECORDS {
            let (_, keys) = written.iter().find(|(core, _)| *core == decl.core).expect(decl.core);
            let mut declared: Vec<&str> = decl.fields.iter().map(|f| f.key).collect();
            declared.sort_unstable();
            assert_eq!(declared, keys.iter().map(String::as_str).collect::<Vec<_>>(), "{}", decl.name);
        }
    }

    #[test]
    fn declared_types_are_what_the_records_hold() {
        use crate::records::Record as _;
        let task: crate::PreloadTask = serde_json::from_str(
            r#"{"TaskId": "t", "CreateTime": "2026-01-01T00:00:00Z", "Process": "10%", "Status": "complete"}"#,
        )
        .unwrap();
        let failure = crate::ItemFailure {
            kind: crate::ErrorKind::Timeout,
            code: "c".into(),
            message: "m".into(),
            outcome_unknown: true,
        };
        let item = crate::PreloadItem {
            index: 1,
            url: "u".into(),
            task_id: Some("t".into()),
            failure: Some(failure.clone()),
            found_by_lookup: true,
        };
        let media = crate::MediaItem { index: 2, media_id: "m".into(), outcome: crate::MediaOutcome::Failed(failure) };
        let samples = [("PreloadTask", task.record()), ("PreloadItem", item.record()), ("MediaItem", media.record())];
        for (name, record) in samples {
            let decl = RECORDS.iter().find(|d| d.name == name).unwrap();
            for field in decl.fields {
                let v = &record[field.key];
                let fits = match field.ty {
                    _ if v.is_null() => field.optional,
                    Text | OpenMember(_) | Member(_) => v.is_string(),
                    Time => v.as_str().is_some_and(|s| crate::wire::parse_timestamp("t", s).is_ok()),
                    Int => v.is_i64(),
                    Count => v.is_u64(),
                    Bool => v.is_boolean(),
                    Float | Duration => v.is_f64(),
                    Pairs => v.is_array(),
                    TextList => v.as_array().is_some_and(|a| a.iter().all(|s| s.is_string())),
                    Record(_) => v.is_object(),
                    RecordList(_) => v.is_array(),
                };
                assert!(fits, "{name}.{}: {v} is not a {:?}", field.key, field.ty);
            }
        }
    }
}
