//! What a batch reports: its progress, and each item's outcome.

use std::sync::Arc;

use crate::error::{Error, ErrorKind};

/// How far a batch has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Items with an outcome so far.
    pub done: usize,
    /// Distinct items read from the input so far (all of them, once the input has ended).
    pub total: usize,
    pub succeeded: usize,
    pub failed: usize,
}

/// Called after each request of a batch settles (and for items refused without sending). A panic in
/// it is caught and ignored: the batch and its report go on.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Why one item has no task or job.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ItemFailure {
    /// `InvalidInput` for an item refused without sending, `Api` when the service answered but made no
    /// task for it, else the kind of the error that failed its request (`Auth`, `Throttled`, …).
    pub kind: ErrorKind,
    /// The service's code, or the rule the item broke (`hls`, `comma`…), or the error kind.
    pub code: String,
    pub message: String,
    /// True when the service may hold a task (or job) for the item after all: its request was sent,
    /// no answer said what became of it, and a lookup could not establish it. Do not simply send such
    /// an item again; look it up first. False means the service holds nothing for it.
    pub outcome_unknown: bool,
}

impl ItemFailure {
    pub(crate) fn with_message(mut self, message: String) -> Self {
        self.message = message;
        self
    }

    pub(crate) fn from_error(e: &Error) -> Self {
        ItemFailure {
            kind: e.kind(),
            code: e.code().or(e.rule()).unwrap_or(e.kind().as_str()).to_owned(),
            message: e.to_string(),
            outcome_unknown: false,
        }
    }

    pub(super) fn unknown(mut self, why: &str) -> Self {
        self.outcome_unknown = true;
        self.message = format!("{}; {why}", self.message);
        self
    }
}

/// The outcome of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PreloadItem {
    /// Where the URL stood in the input (repeats included), counting from 0.
    pub index: usize,
    pub url: String,
    /// The task the service holds for it.
    pub task_id: Option<String>,
    pub failure: Option<ItemFailure>,
    /// The task id came from a lookup, after the answer of the request that created it was lost.
    pub found_by_lookup: bool,
}

impl PreloadItem {
    pub fn succeeded(&self) -> bool {
        self.task_id.is_some()
    }
    /// Whether the service may hold a task that the report could not name.
    pub fn outcome_unknown(&self) -> bool {
        self.failure.as_ref().is_some_and(|f| f.outcome_unknown)
    }
}

/// Every distinct input URL once, in input order.
///
/// What a report claims is what the service holds:
/// - a live URL has a task id only when an answer or a lookup named that task;
/// - when a SetLiveStreamPreloadTasks request was sent and no definite answer came back (a 5xx, a
///   timeout, a broken connection), its URLs are looked up with DescribeLiveStreamPreloadTasks (by
///   domain and URL, created since the batch began). A URL found gets the task found; a URL proven
///   absent is sent again (at most `RetryConfig::max_attempts` rounds in all), so our retries never
///   make a second task; a URL that cannot be established is reported with
///   [`ItemFailure::outcome_unknown`];
/// - a media id's purge or prefetch is repeated when its answer was lost, since repeating it has the
///   same effect on the cache (see `RefreshMediaPlayUrlsRequest`'s `CONVERGES`); the report counts such
///   repeats.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PreloadReport {
    pub items: Vec<PreloadItem>,
    /// Input URLs dropped because they repeated an earlier one.
    pub duplicates_removed: usize,
    /// SetLiveStreamPreloadTasks requests sent (a URL proven absent after a lost answer is sent again).
    pub requests: usize,
    /// DescribeLiveStreamPreloadTasks lookups made to settle lost answers.
    pub lookups: usize,
}

impl PreloadReport {
    pub fn succeeded(&self) -> impl Iterator<Item = &PreloadItem> {
        self.items.iter().filter(|i| i.succeeded())
    }
    pub fn failed(&self) -> impl Iterator<Item = &PreloadItem> {
        self.items.iter().filter(|i| !i.succeeded())
    }
    pub fn all_succeeded(&self) -> bool {
        self.items.iter().all(PreloadItem::succeeded)
    }
}

/// What became of one media id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaOutcome {
    /// In the refresh/prefetch job.
    Submitted {
        job_id: String,
    },
    /// The service knows no such media.
    NotFound,
    /// The media may not be refreshed.
    Forbidden,
    Failed(ItemFailure),
}

impl MediaOutcome {
    /// The stable name of the outcome: `submitted`, `not_found`, `forbidden` or `failed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            MediaOutcome::Submitted { .. } => "submitted",
            MediaOutcome::NotFound => "not_found",
            MediaOutcome::Forbidden => "forbidden",
            MediaOutcome::Failed(_) => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MediaItem {
    /// Where the id stood in the input (repeats included), counting from 0.
    pub index: usize,
    pub media_id: String,
    pub outcome: MediaOutcome,
}

impl MediaItem {
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, MediaOutcome::Submitted { .. })
    }
    /// Whether the service may hold a job for this id that the report could not name.
    pub fn outcome_unknown(&self) -> bool {
        matches!(&self.outcome, MediaOutcome::Failed(f) if f.outcome_unknown)
    }
}

/// Every distinct input media id once, in input order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MediaReport {
    pub items: Vec<MediaItem>,
    pub duplicates_removed: usize,
    /// RefreshMediaPlayUrls requests sent, attempts that were repeated included.
    pub requests: usize,
    /// Requests sent again after an answer was lost: the service may hold a second job for their ids
    /// (with the same effect on the cache).
    pub repeated_requests: usize,
    /// The job ids of the answers received, one per request that succeeded.
    pub job_ids: Vec<String>,
}

impl MediaReport {
    pub fn succeeded(&self) -> impl Iterator<Item = &MediaItem> {
        self.items.iter().filter(|i| i.succeeded())
    }
    pub fn failed(&self) -> impl Iterator<Item = &MediaItem> {
        self.items.iter().filter(|i| !i.succeeded())
    }
    pub fn all_succeeded(&self) -> bool {
        self.items.iter().all(MediaItem::succeeded)
    }
}
