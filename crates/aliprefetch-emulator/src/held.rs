//! What the emulator holds, as every binding shows it, declared once ([`HELD_RECORDS`], the core's record
//! declaration format): each is the JSON of [`HeldPreloadTask`](crate::HeldPreloadTask),
//! [`HeldRefreshJob`](crate::HeldRefreshJob) or [`RequestCount`](crate::RequestCount).
//! The TypeScript interfaces, the Python `TypedDict`s and the UniFFI records are generated from these
//! (`crates/aliprefetch/tests/records_decl.rs`).

use aliprefetch::internal::{FieldDecl, FieldType, RecordDecl};

const fn f(key: &'static str, ty: FieldType, doc: &'static str) -> FieldDecl {
    FieldDecl { key, ty, optional: false, doc, secret: false }
}

/// The emulator's held records, each keyed as its `serde` JSON.
pub const HELD_RECORDS: &[RecordDecl] = &[
    RecordDecl {
        name: "HeldPreloadTask",
        core: "HeldPreloadTask",
        doc: "A prefetch task as the emulator holds it.",
        fields: &[
            f("account", FieldType::Text, "The AccessKeyId of the account that created it."),
            f("task_id", FieldType::Text, ""),
            f("domain", FieldType::Text, ""),
            f("play_url", FieldType::Text, ""),
            f("status", FieldType::OpenMember("PreloadStatus"), "At the emulator's clock."),
            f("create_time", FieldType::Text, "`yyyy-MM-ddTHH:mm:ssZ`."),
        ],
    },
    RecordDecl {
        name: "HeldRefreshJob",
        core: "HeldRefreshJob",
        doc: "A RefreshMediaPlayUrls job as the emulator holds it.",
        fields: &[
            f("job_id", FieldType::Text, ""),
            f("task_type", FieldType::OpenMember("TaskType"), ""),
            f(
                "media_ids",
                FieldType::TextList,
                "The ids the job covers: the existing, non-forbidden ones of the request.",
            ),
            f("create_time", FieldType::Text, ""),
        ],
    },
    RecordDecl {
        name: "RequestCount",
        core: "RequestCount",
        doc: "Requests the emulator saw for one action and outcome.",
        fields: &[
            f("action", FieldType::Text, ""),
            f(
                "outcome",
                FieldType::Text,
                "`ok`, an error code, `reset`, or `lost:…` for an executed request whose answer was lost.",
            ),
            f("count", FieldType::Count, ""),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HeldPreloadTask, HeldRefreshJob, RequestCount};

    /// Each declaration's keys are its type's JSON keys, in order.
    #[test]
    fn the_declarations_are_the_json_of_the_held_types() {
        let samples = [
            serde_json::to_value(HeldPreloadTask {
                account: "a".into(),
                task_id: "t".into(),
                domain: "d".into(),
                play_url: "u".into(),
                status: "pending".into(),
                create_time: "2026-01-01T00:00:00Z".into(),
            }),
            serde_json::to_value(HeldRefreshJob {
                job_id: "j".into(),
                task_type: "Refresh".into(),
                media_ids: vec!["m".into()],
                create_time: "2026-01-01T00:00:00Z".into(),
            }),
            serde_json::to_value(RequestCount { action: "A".into(), outcome: "ok".into(), count: 1 }),
        ];
        for (decl, sample) in HELD_RECORDS.iter().zip(samples) {
            let sample = sample.expect("serializes");
            let keys: Vec<&str> = sample.as_object().expect("object").keys().map(String::as_str).collect();
            let mut declared: Vec<&str> = decl.fields.iter().map(|f| f.key).collect();
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            declared.sort_unstable();
            assert_eq!(sorted, declared, "{}", decl.name);
        }
    }
}
