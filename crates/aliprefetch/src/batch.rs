//! Batches of any size: split into requests the API accepts, sent concurrently within the pacing, with
//! one report naming every input exactly once.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures::StreamExt as _;
use time::OffsetDateTime;

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::ops::refresh_media_play_urls::{RefreshMediaPlayUrlsRequest, MAX_MEDIA_IDS};
use crate::ops::set_live_stream_preload_tasks::{SetLiveStreamPreloadTasksRequest, MAX_URLS};
use crate::ops::{is_hls_url, Operation};
use crate::types::{Area, Definition, MediaFormat, ResultType, StreamType, TaskType};

/// How far a batch has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Items with an outcome so far.
    pub done: usize,
    pub total: usize,
    pub succeeded: usize,
    pub failed: usize,
}

/// Called after each request of a batch completes (and once before the first, for items refused
/// without sending).
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Why one item failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFailure {
    /// `InvalidInput` for an item refused without sending, `Api` when the service answered but made no
    /// task for it, else the kind of the error that failed its request (`Auth`, `Throttled`, …).
    pub kind: ErrorKind,
    /// The service's code, or the rule the item broke (`hls`, `comma`…), or the error kind.
    pub code: String,
    pub message: String,
}

impl ItemFailure {
    fn from_error(e: &Error) -> Self {
        ItemFailure {
            kind: e.kind(),
            code: e.code().or(e.rule()).unwrap_or(e.kind().as_str()).to_owned(),
            message: e.to_string(),
        }
    }
}

/// Options of [`Client::preload_live_streams`].
#[derive(Clone, Default)]
pub struct PreloadOptions {
    pub area: Option<Area>,
    pub start: Option<OffsetDateTime>,
    pub end: Option<OffsetDateTime>,
    /// Requests in flight at once (default 8); the pacing still applies.
    pub concurrency: Option<usize>,
    pub progress: Option<ProgressFn>,
}

impl fmt::Debug for PreloadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreloadOptions")
            .field("area", &self.area)
            .field("start", &self.start)
            .field("end", &self.end)
            .field("concurrency", &self.concurrency)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl PreloadOptions {
    /// Checks the parameters every request of the batch shares (domain, area, times), as
    /// [`Client::preload_live_streams`] does before sending anything.
    pub fn validate(&self, domain: &str) -> Result<(), Error> {
        self.request(domain, vec!["rtmp://probe/app/s".to_owned()]).validate()
    }

    fn request(&self, domain: &str, play_urls: Vec<String>) -> SetLiveStreamPreloadTasksRequest {
        SetLiveStreamPreloadTasksRequest {
            domain_name: domain.to_owned(),
            play_urls,
            area: self.area,
            preloaded_start_time: self.start,
            preloaded_end_time: self.end,
        }
    }
}

/// The outcome of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreloadItem {
    pub url: String,
    /// The task created for it.
    pub task_id: Option<String>,
    pub failure: Option<ItemFailure>,
}

impl PreloadItem {
    pub fn succeeded(&self) -> bool {
        self.task_id.is_some()
    }
}

/// Every distinct input URL once, in input order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PreloadReport {
    pub items: Vec<PreloadItem>,
    /// Input URLs dropped because they repeated an earlier one.
    pub duplicates_removed: usize,
    /// Requests sent.
    pub requests: usize,
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

/// Options of [`Client::refresh_media`] and [`Client::preload_media`].
#[derive(Clone, Default)]
pub struct MediaOptions {
    pub formats: Vec<MediaFormat>,
    pub definitions: Vec<Definition>,
    pub stream_types: Vec<StreamType>,
    pub result_type: Option<ResultType>,
    pub slice_flag: Option<bool>,
    pub slice_count: Option<u32>,
    pub user_data: Option<String>,
    /// Requests in flight at once (default 8).
    pub concurrency: Option<usize>,
    pub progress: Option<ProgressFn>,
}

impl fmt::Debug for MediaOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaOptions")
            .field("formats", &self.formats)
            .field("definitions", &self.definitions)
            .field("stream_types", &self.stream_types)
            .field("result_type", &self.result_type)
            .field("slice_flag", &self.slice_flag)
            .field("slice_count", &self.slice_count)
            .field("concurrency", &self.concurrency)
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

impl MediaOptions {
    /// Checks the parameters every request of the batch shares, as [`Client::refresh_media`] and
    /// [`Client::preload_media`] do before sending anything.
    pub fn validate(&self, task_type: TaskType) -> Result<(), Error> {
        self.request(task_type, vec!["probe".to_owned()]).validate()
    }

    fn request(&self, task_type: TaskType, media_ids: Vec<String>) -> RefreshMediaPlayUrlsRequest {
        RefreshMediaPlayUrlsRequest {
            media_ids,
            task_type,
            formats: self.formats.clone(),
            definitions: self.definitions.clone(),
            stream_types: self.stream_types.clone(),
            result_type: self.result_type,
            slice_flag: self.slice_flag,
            slice_count: self.slice_count,
            user_data: self.user_data.clone(),
        }
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaItem {
    pub media_id: String,
    pub outcome: MediaOutcome,
}

impl MediaItem {
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, MediaOutcome::Submitted { .. })
    }
}

/// Every distinct input media id once, in input order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MediaReport {
    pub items: Vec<MediaItem>,
    pub duplicates_removed: usize,
    pub requests: usize,
    /// The job ids created, one per request that succeeded.
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

/// Keeps the first of each value, in order; returns them and how many repeats were dropped.
fn dedupe<I: IntoIterator<Item = S>, S: Into<String>>(input: I) -> (Vec<String>, usize) {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut dropped = 0;
    for s in input {
        let s = s.into();
        if seen.insert(s.clone()) {
            out.push(s);
        } else {
            dropped += 1;
        }
    }
    (out, dropped)
}

/// Counts outcomes and reports progress.
struct Tally {
    total: usize,
    succeeded: AtomicUsize,
    failed: AtomicUsize,
    progress: Option<ProgressFn>,
}

impl Tally {
    fn add(&self, ok: usize, failed: usize) {
        let s = self.succeeded.fetch_add(ok, Ordering::SeqCst) + ok;
        let f = self.failed.fetch_add(failed, Ordering::SeqCst) + failed;
        if let Some(p) = &self.progress {
            p(Progress { done: s + f, total: self.total, succeeded: s, failed: f });
        }
    }
}

/// Why an item cannot be sent at all, checked per item so one bad URL does not sink its batch.
fn refuse_item(field: &str, item: &str, hls: bool) -> Option<ItemFailure> {
    let failure = |code: &str, message: String| {
        Some(ItemFailure {
            kind: ErrorKind::InvalidInput,
            code: code.to_owned(),
            message: format!("{field}: {message}"),
        })
    };
    if item.trim().is_empty() {
        return failure("empty_item", "is empty".to_owned());
    }
    if item.contains(',') {
        return failure("comma", format!("contains a comma, which would split it on the wire: `{item}`"));
    }
    if hls && is_hls_url(item) {
        return failure("hls", format!("HLS (.m3u8) URLs are not supported: `{item}`"));
    }
    None
}

impl Client {
    /// Creates prefetch tasks for any number of live stream URLs: duplicates are removed (keeping
    /// order), HLS and malformed URLs are refused without being sent, the rest go in requests of up to
    /// 100, concurrently within the pacing. The report names every distinct URL once, with its task id
    /// or why it has none. Errors only when the shared parameters (domain, area, times) are invalid.
    pub async fn preload_live_streams<I, S>(
        &self,
        domain: &str,
        urls: I,
        options: PreloadOptions,
    ) -> Result<PreloadReport, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        options.validate(domain)?;
        let template = options.request(domain, Vec::new());

        let (urls, duplicates_removed) = dedupe(urls);
        let mut items: Vec<PreloadItem> = urls
            .iter()
            .map(|u| PreloadItem { url: u.clone(), task_id: None, failure: refuse_item("PlayUrl", u, true) })
            .collect();
        let tally = Tally {
            total: items.len(),
            succeeded: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            progress: options.progress.clone(),
        };
        tally.add(0, items.iter().filter(|i| i.failure.is_some()).count());

        let sendable: Vec<usize> = (0..items.len()).filter(|i| items[*i].failure.is_none()).collect();
        let chunks: Vec<Vec<usize>> = sendable.chunks(MAX_URLS).map(<[usize]>::to_vec).collect();
        let requests = chunks.len();
        let results: Vec<(Vec<usize>, Result<_, Error>)> = futures::stream::iter(chunks)
            .map(|chunk| {
                let req = SetLiveStreamPreloadTasksRequest {
                    play_urls: chunk.iter().map(|i| items[*i].url.clone()).collect(),
                    ..template.clone()
                };
                let tally = &tally;
                async move {
                    let result = self.set_live_stream_preload_tasks(&req).await;
                    let ok = result
                        .as_ref()
                        .map_or(0, |r| r.preload_tasks_messages.iter().filter(|m| m.succeeded()).count());
                    tally.add(ok.min(chunk.len()), chunk.len() - ok.min(chunk.len()));
                    (chunk, result)
                }
            })
            .buffer_unordered(options.concurrency.unwrap_or(8).max(1))
            .collect()
            .await;

        for (chunk, result) in results {
            match result {
                Ok(resp) => {
                    let mut by_url: HashMap<&str, &crate::ops::set_live_stream_preload_tasks::PreloadTasksMessage> =
                        HashMap::new();
                    for m in &resp.preload_tasks_messages {
                        by_url.entry(m.play_url.as_str()).or_insert(m);
                    }
                    for (pos, i) in chunk.iter().enumerate() {
                        let item = &mut items[*i];
                        // Matched by URL; by position when the service rewrote the URL.
                        let msg = by_url.get(item.url.as_str()).copied().or_else(|| {
                            (resp.preload_tasks_messages.len() == chunk.len())
                                .then(|| &resp.preload_tasks_messages[pos])
                        });
                        match msg {
                            Some(m) if m.succeeded() => item.task_id = Some(m.task_id.clone()),
                            Some(m) => {
                                item.failure = Some(ItemFailure {
                                    kind: ErrorKind::Api,
                                    code: "TaskNotCreated".to_owned(),
                                    message: m.description.clone(),
                                })
                            }
                            None => {
                                item.failure = Some(ItemFailure {
                                    kind: ErrorKind::Decode,
                                    code: "MissingFromResponse".to_owned(),
                                    message: format!(
                                        "the response (RequestId {}) does not mention this URL",
                                        resp.request_id
                                    ),
                                })
                            }
                        }
                    }
                }
                Err(e) => {
                    let failure = ItemFailure::from_error(&e);
                    for i in chunk {
                        items[i].failure = Some(failure.clone());
                    }
                }
            }
        }
        Ok(PreloadReport { items, duplicates_removed, requests })
    }

    /// Purges the play URLs of any number of media, in requests of up to 20.
    pub async fn refresh_media<I, S>(&self, media_ids: I, options: MediaOptions) -> Result<MediaReport, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.media_batch(TaskType::Refresh, media_ids, options).await
    }

    /// Prefetches the play URLs of any number of media, in requests of up to 20.
    pub async fn preload_media<I, S>(&self, media_ids: I, options: MediaOptions) -> Result<MediaReport, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.media_batch(TaskType::Preload, media_ids, options).await
    }

    async fn media_batch<I, S>(
        &self,
        task_type: TaskType,
        media_ids: I,
        options: MediaOptions,
    ) -> Result<MediaReport, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        options.validate(task_type)?;
        let template = options.request(task_type, Vec::new());

        let (ids, duplicates_removed) = dedupe(media_ids);
        let mut items: Vec<MediaItem> = ids
            .iter()
            .map(|id| MediaItem {
                media_id: id.clone(),
                outcome: match refuse_item("MediaIds", id, false) {
                    Some(f) => MediaOutcome::Failed(f),
                    None => MediaOutcome::NotFound, // replaced below for everything sent
                },
            })
            .collect();
        let refused: HashSet<usize> =
            (0..items.len()).filter(|i| matches!(items[*i].outcome, MediaOutcome::Failed(_))).collect();
        let tally = Tally {
            total: items.len(),
            succeeded: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            progress: options.progress.clone(),
        };
        tally.add(0, refused.len());

        let sendable: Vec<usize> = (0..items.len()).filter(|i| !refused.contains(i)).collect();
        let chunks: Vec<Vec<usize>> = sendable.chunks(MAX_MEDIA_IDS).map(<[usize]>::to_vec).collect();
        let requests = chunks.len();
        let results: Vec<(Vec<usize>, Result<_, Error>)> = futures::stream::iter(chunks)
            .map(|chunk| {
                let req = RefreshMediaPlayUrlsRequest {
                    media_ids: chunk.iter().map(|i| items[*i].media_id.clone()).collect(),
                    ..template.clone()
                };
                let tally = &tally;
                async move {
                    let result = self.refresh_media_play_urls(&req).await;
                    let bad = result.as_ref().map_or(chunk.len(), |r| {
                        (r.non_exist_media_ids().len() + r.forbidden_media_ids().len()).min(chunk.len())
                    });
                    tally.add(chunk.len() - bad, bad);
                    (chunk, result)
                }
            })
            .buffer_unordered(options.concurrency.unwrap_or(8).max(1))
            .collect()
            .await;

        let mut job_ids = Vec::new();
        for (chunk, result) in results {
            match result {
                Ok(resp) => {
                    let missing: HashSet<String> = resp.non_exist_media_ids().into_iter().collect();
                    let forbidden: HashSet<String> = resp.forbidden_media_ids().into_iter().collect();
                    for i in chunk {
                        let id = &items[i].media_id;
                        items[i].outcome = if forbidden.contains(id) {
                            MediaOutcome::Forbidden
                        } else if missing.contains(id) {
                            MediaOutcome::NotFound
                        } else {
                            MediaOutcome::Submitted { job_id: resp.media_refresh_job_id.clone() }
                        };
                    }
                    job_ids.push(resp.media_refresh_job_id);
                }
                Err(e) => {
                    let failure = ItemFailure::from_error(&e);
                    for i in chunk {
                        items[i].outcome = MediaOutcome::Failed(failure.clone());
                    }
                }
            }
        }
        Ok(MediaReport { items, duplicates_removed, requests, job_ids })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupe_keeps_first_in_order() {
        let (v, n) = dedupe(["b", "a", "b", "c", "a"]);
        assert_eq!(v, ["b", "a", "c"]);
        assert_eq!(n, 2);
    }

    #[test]
    fn items_refused_without_sending() {
        assert_eq!(refuse_item("PlayUrl", "rtmp://h/a/s.m3u8?x=1", true).unwrap().code, "hls");
        assert_eq!(refuse_item("PlayUrl", "a,b", true).unwrap().code, "comma");
        assert_eq!(refuse_item("PlayUrl", " ", true).unwrap().code, "empty_item");
        assert!(refuse_item("PlayUrl", "rtmp://h/a/s", true).is_none());
        assert!(refuse_item("MediaIds", "x.m3u8", false).is_none());
    }
}
