//! A media batch's item, written by hand: an item's `outcome` is a UniFFI enum that carries
//! its job id or failure (Kotlin's sealed class, Swift's enum with associated values), which no value set
//! can. Its fields are the core's record's, read from it as the generated records are.

use aliprefetch::internal::RecordReader;
use aliprefetch::Record as _;

use crate::record_reader::{from_record, FromRecord};
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
    pub index: u64,
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
            index: r.count("index"),
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
