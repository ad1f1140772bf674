//! A media batch's items and report, written by hand: an item's `outcome` is a UniFFI enum that carries
//! its job id or failure (Kotlin's sealed class, Swift's enum with associated values), which no value set
//! can. Their fields are the core's record's, read from it as the generated records are.

use aliprefetch::internal::RecordReader;
use aliprefetch::Record as _;

use crate::record_reader::{from_record, signed, FromRecord};
use crate::responses::ItemFailure;

#[derive(Debug, Clone, uniffi::Enum)]
pub enum MediaOutcome {
    Submitted { job_id: String },
    NotFound,
    Forbidden,
    Failed { failure: ItemFailure },
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct MediaItem {
    pub index: i64,
    pub media_id: String,
    pub outcome: MediaOutcome,
    /// The job the id is in (as in `outcome`).
    pub job_id: Option<String>,
    /// Why it is in no job (as in `outcome`).
    pub failure: Option<ItemFailure>,
    pub succeeded: bool,
    /// The service may hold a job for the id that the report could not name.
    pub outcome_unknown: bool,
}

impl FromRecord for MediaItem {
    fn from_record(r: &RecordReader<'_>) -> Self {
        let (job_id, failure) = (
            r.optional("job_id", RecordReader::text),
            r.optional("failure", RecordReader::at).map(from_record::<ItemFailure>),
        );
        let outcome = match (r.text("outcome").as_str(), &job_id, &failure) {
            ("submitted", Some(job_id), _) => MediaOutcome::Submitted { job_id: job_id.clone() },
            ("forbidden", _, _) => MediaOutcome::Forbidden,
            (_, _, Some(failure)) => MediaOutcome::Failed { failure: failure.clone() },
            _ => MediaOutcome::NotFound,
        };
        MediaItem {
            index: signed(r.count("index")),
            media_id: r.text("media_id"),
            outcome,
            job_id,
            failure,
            succeeded: r.boolean("succeeded"),
            outcome_unknown: r.boolean("outcome_unknown"),
        }
    }
}

impl From<aliprefetch::MediaItem> for MediaItem {
    fn from(i: aliprefetch::MediaItem) -> Self {
        Self::from_record(&RecordReader::of(&i.record()))
    }
}

/// Every distinct media id of a batch once, in input order.
#[derive(Debug, Clone, uniffi::Record)]
pub struct MediaReport {
    pub items: Vec<MediaItem>,
    pub duplicates_removed: i64,
    pub requests: i64,
    /// Requests sent again after an answer was lost (a repeated purge or prefetch has the same effect).
    pub repeated_requests: i64,
    pub job_ids: Vec<String>,
    /// Every item is in a job.
    pub all_succeeded: bool,
}

impl From<aliprefetch::MediaReport> for MediaReport {
    fn from(r: aliprefetch::MediaReport) -> Self {
        let record = r.record();
        let r = RecordReader::of(&record);
        MediaReport {
            items: r.items("items").map(from_record).collect(),
            duplicates_removed: signed(r.count("duplicates_removed")),
            requests: signed(r.count("requests")),
            repeated_requests: signed(r.count("repeated_requests")),
            job_ids: r.texts("job_ids"),
            all_succeeded: r.boolean("all_succeeded"),
        }
    }
}
