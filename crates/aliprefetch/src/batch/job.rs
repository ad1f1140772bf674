//! A batch as a binding asks for one: by its method's name (`preload_live_streams`, `refresh_media`,
//! `preload_media`), with its items and options as the language gave them. The bindings hand every batch
//! method to [`BatchJob::from_json`], then run it whole ([`Client::run_batch`]) or as it settles
//! ([`Client::start_batch`]), so none of them knows which options, items or task type a method has.

use serde_json::{Map, Value};

use super::any::AnyBatch;
use super::options::{MediaOptions, OptionDecl, PreloadOptions, MEDIA_OPTIONS, PRELOAD_OPTIONS};
use super::report::{MediaReport, PreloadReport, ProgressFn};
use crate::client::Client;
use crate::error::Error;
use crate::ops::KeyCase;
use crate::types::TaskType;
use crate::wire::split_comma_list;

/// One batch method of the clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchMethod {
    /// Its name in snake_case (`iter_` before it names the method that yields items as they settle).
    pub name: &'static str,
    /// The API field of its items, which errors about them name.
    pub items: &'static str,
    /// Its options.
    pub options: &'static [OptionDecl],
    /// The media task it runs; `None` for a live batch, which takes a domain too.
    pub task_type: Option<TaskType>,
    pub doc: &'static str,
}

/// The batch methods, in the order the declarations list them.
pub const BATCH_METHODS: &[BatchMethod] = &[
    BatchMethod {
        name: "preload_live_streams",
        items: "PlayUrl",
        options: PRELOAD_OPTIONS,
        task_type: None,
        doc: "Creates prefetch tasks for any number of URLs (100 per request, paced); every distinct URL is reported once.",
    },
    BatchMethod {
        name: "refresh_media",
        items: "MediaIds",
        options: MEDIA_OPTIONS,
        task_type: Some(TaskType::Refresh),
        doc: "Purges the play URLs of any number of media (20 per request).",
    },
    BatchMethod {
        name: "preload_media",
        items: "MediaIds",
        options: MEDIA_OPTIONS,
        task_type: Some(TaskType::Preload),
        doc: "Prefetches the play URLs of any number of media (20 per request).",
    },
];

/// The batch method `name`, or an error naming the known ones.
pub fn batch_method(name: &str) -> Result<&'static BatchMethod, Error> {
    BATCH_METHODS.iter().find(|m| m.name == name).ok_or_else(|| {
        let known: Vec<&str> = BATCH_METHODS.iter().map(|m| m.name).collect();
        Error::invalid_input("method", "enum", format!("{name:?} is not a batch method (one of {})", known.join(", ")))
    })
}

/// A list of strings as a binding gives it: an array of strings, or one comma-separated string.
pub fn texts(field: &str, value: &Value) -> Result<Vec<String>, Error> {
    let refused = || Error::invalid_input(field, "type", "must be a list of strings");
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(split_comma_list(s)),
        Value::Array(items) => items.iter().map(|i| i.as_str().map(str::to_owned).ok_or_else(refused)).collect(),
        _ => Err(refused()),
    }
}

/// A batch ready to run: what it sends and how.
pub struct BatchJob {
    kind: JobKind,
    items: Vec<String>,
}

enum JobKind {
    Live { domain: String, options: PreloadOptions },
    Media { task_type: TaskType, options: MediaOptions },
}

impl BatchJob {
    /// The batch `method` (one of [`BATCH_METHODS`]) over `items` (an array or a comma string), with its
    /// options keyed in the language's `case`; `domain` is a live batch's.
    pub fn from_json(
        method: &str,
        domain: Option<String>,
        items: &Value,
        options: &Map<String, Value>,
        case: KeyCase,
    ) -> Result<Self, Error> {
        let m = batch_method(method)?;
        let items = texts(m.items, items)?;
        let kind = match m.task_type {
            None => {
                JobKind::Live { domain: domain.unwrap_or_default(), options: PreloadOptions::from_json(options, case)? }
            }
            Some(task_type) => JobKind::Media { task_type, options: MediaOptions::from_json(options, case)? },
        };
        Ok(BatchJob { kind, items })
    }

    /// Reports the batch's progress to `progress`.
    pub fn with_progress(mut self, progress: Option<ProgressFn>) -> Self {
        match &mut self.kind {
            JobKind::Live { options, .. } => options.progress = progress,
            JobKind::Media { options, .. } => options.progress = progress,
        }
        self
    }
}

/// The report of a batch of either kind.
#[derive(Debug, Clone)]
pub enum BatchReport {
    Live(PreloadReport),
    Media(MediaReport),
}

impl Client {
    /// Runs `job` to its end; the report names every distinct item once.
    pub async fn run_batch(&self, job: BatchJob) -> Result<BatchReport, Error> {
        match job.kind {
            JobKind::Live { domain, options } => {
                self.preload_live_streams(&domain, job.items, options).await.map(BatchReport::Live)
            }
            JobKind::Media { task_type, options } => {
                self.media_batch(task_type, job.items, options).await.map(BatchReport::Media)
            }
        }
    }

    /// Starts `job`, whose items arrive as their requests settle.
    pub fn start_batch(&self, job: BatchJob) -> Result<AnyBatch, Error> {
        let items = futures::stream::iter(job.items);
        Ok(match job.kind {
            JobKind::Live { domain, options } => {
                AnyBatch::Live(self.stream_preload_live_streams(&domain, items, options)?)
            }
            JobKind::Media { task_type, options } => {
                AnyBatch::Media(self.media_stream(task_type, futures::StreamExt::boxed(items), options)?)
            }
        })
    }
}
