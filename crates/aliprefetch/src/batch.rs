//! Batches of any size: one engine for live stream URLs and media ids. It removes repeats, refuses
//! what cannot be sent, splits the rest into requests the API accepts, sends them concurrently within
//! the pacing, matches every answer to its items, settles what an answer left unknown, and yields each
//! item as its request settles.
//!
//! What a report claims is what the service holds:
//! - a live URL has a task id only when an answer or a lookup named that task;
//! - when a SetLiveStreamPreloadTasks request was sent and no definite answer came back (a 5xx, a
//!   timeout, a broken connection), its URLs are looked up with DescribeLiveStreamPreloadTasks (by
//!   domain and URL, created since the batch began). A URL found gets the task found; a URL proven
//!   absent is sent again (at most `RetryConfig::max_attempts` rounds in all), so our retries never
//!   make a second task; a URL that cannot be established is reported with
//!   [`ItemFailure::outcome_unknown`];
//! - a media id's purge or prefetch is repeated when its answer was lost, since repeating it has the
//!   same effect on the cache (see `RefreshMediaPlayUrlsRequest`'s `CONVERGES`); the report counts such
//!   repeats.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::stream::{BoxStream, FuturesUnordered, Stream, StreamExt as _};
use time::OffsetDateTime;

use crate::client::{Client, Trace};
use crate::error::{Error, ErrorKind};
use crate::ops::describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksRequest;
use crate::ops::refresh_media_play_urls::{RefreshMediaPlayUrlsRequest, MAX_MEDIA_IDS};
use crate::ops::set_live_stream_preload_tasks::{PreloadTasksMessage, SetLiveStreamPreloadTasksRequest, MAX_URLS};
use crate::ops::{is_hls_url, Operation};
use crate::types::{Area, Definition, MediaFormat, ResultType, StreamType, TaskType};

/// Tasks created this long before a batch began still count as its own when its answers are
/// reconciled: room for the service's clock, known to the second from its `Date` headers.
const LOOKUP_SKEW_MARGIN: time::Duration = time::Duration::seconds(5);
/// A lookup asks for tasks from this much earlier still, in case the service's clock was not known
/// when it was sent; its own answers tell the clock, and the exact cut is made on `CreateTime`.
const LOOKUP_QUERY_SLACK: time::Duration = time::Duration::seconds(60);
/// How many times a lookup is tried (each try retried like any call) before its URLs are unknown.
const LOOKUP_TRIES: u32 = 4;

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

/// Items per SetLiveStreamPreloadTasks request of a batch.
pub(crate) const LIVE_CHUNK: usize = MAX_URLS;
/// Items per RefreshMediaPlayUrls request of a batch.
pub(crate) const MEDIA_CHUNK: usize = MAX_MEDIA_IDS;

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

    fn unknown(mut self, why: &str) -> Self {
        self.outcome_unknown = true;
        self.message = format!("{}; {why}", self.message);
        self
    }
}

/// Options of [`Client::preload_live_streams`].
#[derive(Clone, Default)]
#[non_exhaustive]
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
    /// Where the streams are prefetched.
    pub fn area(mut self, area: Area) -> Self {
        self.area = Some(area);
        self
    }
    /// `PreloadedStartTime` of every task.
    pub fn start(mut self, at: OffsetDateTime) -> Self {
        self.start = Some(at);
        self
    }
    /// `PreloadedEndTime` of every task.
    pub fn end(mut self, at: OffsetDateTime) -> Self {
        self.end = Some(at);
        self
    }
    /// Requests in flight at once (default 8).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = Some(n);
        self
    }
    /// Called as the batch progresses.
    pub fn progress(mut self, f: ProgressFn) -> Self {
        self.progress = Some(f);
        self
    }
    /// Checks the parameters every request of the batch shares (domain, area, times), as
    /// [`Client::preload_live_streams`] does before sending anything.
    pub fn validate(&self, domain: &str) -> Result<(), Error> {
        self.request(domain, vec!["rtmp://probe/app/s".to_owned()]).validate()
    }

    pub(crate) fn request_for(&self, domain: &str, play_urls: Vec<String>) -> SetLiveStreamPreloadTasksRequest {
        self.request(domain, play_urls)
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

/// Options of [`Client::refresh_media`] and [`Client::preload_media`].
#[derive(Clone, Default)]
#[non_exhaustive]
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
    pub fn formats(mut self, formats: impl IntoIterator<Item = MediaFormat>) -> Self {
        self.formats = formats.into_iter().collect();
        self
    }
    pub fn definitions(mut self, definitions: impl IntoIterator<Item = Definition>) -> Self {
        self.definitions = definitions.into_iter().collect();
        self
    }
    pub fn stream_types(mut self, types: impl IntoIterator<Item = StreamType>) -> Self {
        self.stream_types = types.into_iter().collect();
        self
    }
    pub fn result_type(mut self, t: ResultType) -> Self {
        self.result_type = Some(t);
        self
    }
    /// Prefetch in slices (`SliceFlag`), `count` of them (`SliceCount`).
    pub fn slices(mut self, count: u32) -> Self {
        self.slice_flag = Some(true);
        self.slice_count = Some(count);
        self
    }
    pub fn user_data(mut self, json: impl Into<String>) -> Self {
        self.user_data = Some(json.into());
        self
    }
    /// Sets `UserData` from a value as a binding receives it: an object (sent as its JSON text) or
    /// the JSON text itself; null leaves it unset. Anything else is an `InvalidInput` naming `UserData`.
    pub fn user_data_value(mut self, value: &serde_json::Value) -> Result<Self, Error> {
        self.user_data = crate::wire::json_object_text("UserData", Some(value))?;
        Ok(self)
    }
    /// Requests in flight at once (default 8).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = Some(n);
        self
    }
    /// Called as the batch progresses.
    pub fn progress(mut self, f: ProgressFn) -> Self {
        self.progress = Some(f);
        self
    }
    /// Checks the parameters every request of the batch shares, as [`Client::refresh_media`] and
    /// [`Client::preload_media`] do before sending anything.
    pub fn validate(&self, task_type: TaskType) -> Result<(), Error> {
        self.request(task_type, vec!["probe".to_owned()]).validate()
    }

    pub(crate) fn request_for(&self, task_type: TaskType, media_ids: Vec<String>) -> RefreshMediaPlayUrlsRequest {
        self.request(task_type, media_ids)
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

/// Counters of a running batch, shared by its stream and its requests.
#[derive(Debug, Default)]
struct Counters {
    duplicates_removed: AtomicUsize,
    requests: AtomicUsize,
    lookups: AtomicUsize,
    repeated_requests: AtomicUsize,
    /// Items in requests that were started and have not settled.
    in_flight_items: AtomicUsize,
    /// The items of those requests, by request number.
    in_flight: std::sync::Mutex<std::collections::BTreeMap<u64, Vec<(usize, String)>>>,
    /// Set by [`BatchStream::stop`]: read and send nothing more.
    stopped: std::sync::atomic::AtomicBool,
    /// The job ids of the RefreshMediaPlayUrls answers received.
    job_ids: std::sync::Mutex<Vec<String>>,
}

/// The items of a batch as their requests settle (in no particular order; each carries its input
/// `index`), from [`Client::stream_preload_live_streams`], [`Client::stream_refresh_media`] and
/// [`Client::stream_preload_media`].
///
/// Items are read from the input only as requests free up, so memory stays bounded by what is in
/// flight, whatever the input's length. Dropping the stream stops the batch: requests still in flight
/// are abandoned, so their items ([`BatchStream::in_flight_items`] of them) have an unknown outcome,
/// and nothing more is sent.
pub struct BatchStream<I> {
    inner: Pin<Box<dyn Stream<Item = I> + Send>>,
    counters: Arc<Counters>,
}

impl<I> fmt::Debug for BatchStream<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchStream").field("counters", &self.counters).finish_non_exhaustive()
    }
}

impl<I> Stream for BatchStream<I> {
    type Item = I;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<I>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<I> BatchStream<I> {
    /// Input items dropped so far because they repeated an earlier one.
    pub fn duplicates_removed(&self) -> usize {
        self.counters.duplicates_removed.load(Ordering::SeqCst)
    }
    /// Create requests sent so far (SetLiveStreamPreloadTasks or RefreshMediaPlayUrls), repeats included.
    pub fn requests(&self) -> usize {
        self.counters.requests.load(Ordering::SeqCst)
    }
    /// Lookups made so far to settle lost answers (live only).
    pub fn lookups(&self) -> usize {
        self.counters.lookups.load(Ordering::SeqCst)
    }
    /// Requests sent again after an answer was lost (media only).
    pub fn repeated_requests(&self) -> usize {
        self.counters.repeated_requests.load(Ordering::SeqCst)
    }
    /// The job ids of the RefreshMediaPlayUrls answers received so far (media only).
    pub fn job_ids(&self) -> Vec<String> {
        self.counters.job_ids.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
    /// Items whose requests were sent and have not settled: if the stream is dropped now, the service
    /// may or may not hold something for them.
    pub fn in_flight_items(&self) -> usize {
        self.counters.in_flight_items.load(Ordering::SeqCst)
    }
    /// The items (input index and value) whose requests were sent and have not settled, in input order.
    pub fn unsettled(&self) -> Vec<(usize, String)> {
        let in_flight = self.counters.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut items: Vec<(usize, String)> = in_flight.values().flatten().cloned().collect();
        items.sort_unstable();
        items
    }
    /// Stops the batch from reading more input and sending more requests. The stream still yields what
    /// had settled and what settles of the requests in flight, then ends; items read but not sent are
    /// dropped (the service holds nothing for them). For an interrupt: stop, take what is ready, and
    /// report [`BatchStream::unsettled`] as unknown.
    pub fn stop(&self) {
        self.counters.stopped.store(true, Ordering::SeqCst);
    }
}

/// Remembers which inputs were seen, by a 128-bit keyed hash: about 20 bytes an item, whatever its
/// length (a million URLs fit in ~40 MB), with a chance of a false repeat far below one in 10^20.
pub(crate) struct Seen {
    hashers: (std::collections::hash_map::RandomState, std::collections::hash_map::RandomState),
    seen: HashSet<u128>,
}

impl Seen {
    pub(crate) fn new() -> Self {
        Seen { hashers: (Default::default(), Default::default()), seen: HashSet::new() }
    }
    /// True the first time `s` is seen.
    pub(crate) fn insert(&mut self, s: &str) -> bool {
        let half = |h: &std::collections::hash_map::RandomState| h.hash_one(s);
        self.seen.insert((u128::from(half(&self.hashers.0)) << 64) | u128::from(half(&self.hashers.1)))
    }
}

/// Why an item cannot be sent at all, checked per item so one bad URL does not sink its batch. `urls`:
/// the items are stream URLs (HLS refused, the URL's form checked).
pub(crate) fn refuse_item(field: &str, item: &str, urls: bool) -> Option<ItemFailure> {
    let failure = |code: &str, message: String| {
        Some(ItemFailure {
            kind: ErrorKind::InvalidInput,
            code: code.to_owned(),
            message: format!("{field}: {message}"),
            outcome_unknown: false,
        })
    };
    if let Some((rule, why)) = crate::ops::item_problem(item) {
        return failure(rule, why);
    }
    if urls {
        if let Some((rule, why)) = crate::ops::url_problem(item) {
            return failure(rule, why);
        }
        if is_hls_url(item) {
            return failure("hls", format!("HLS (.m3u8) URLs are not supported: `{item}`"));
        }
    }
    None
}

/// A request's worth of items: at most `count` of them, and at most [`crate::ops::MAX_LIST_BYTES`] on the
/// wire together.
pub(crate) struct Chunk<T> {
    items: Vec<T>,
    bytes: usize,
    count: usize,
}

impl<T> Chunk<T> {
    pub(crate) fn new(count: usize) -> Self {
        Chunk { items: Vec::new(), bytes: 0, count }
    }
    /// Whether an item that takes `len` bytes on the wire ([`crate::encoding::percent_encoded_len`]) still
    /// fits (an item that passed [`refuse_item`] always fits an empty chunk).
    pub(crate) fn fits(&self, len: usize) -> bool {
        self.items.is_empty() || (self.items.len() < self.count && self.bytes + len + 3 <= crate::ops::MAX_LIST_BYTES)
    }
    /// Adds an item of `len` bytes on the wire (call [`Chunk::fits`] first).
    pub(crate) fn push(&mut self, len: usize, item: T) {
        self.bytes += len + if self.items.is_empty() { 0 } else { 3 };
        self.items.push(item);
    }
    /// Whether no further item can join (by count).
    pub(crate) fn full(&self) -> bool {
        self.items.len() >= self.count
    }
    pub(crate) fn take(&mut self) -> Vec<T> {
        self.bytes = 0;
        std::mem::take(&mut self.items)
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// What differs between the batches of live URLs and of media ids.
trait BatchKind: Send + Sync + 'static {
    type Item: Send + Unpin + 'static;
    /// The API's name of the items' parameter.
    const FIELD: &'static str;
    /// Items per request.
    const CHUNK: usize;
    const URLS: bool;
    fn refused(index: usize, input: String, failure: ItemFailure) -> Self::Item;
    fn succeeded(item: &Self::Item) -> bool;
    /// Sends one chunk until every item in it has its outcome.
    fn settle(
        self: Arc<Self>,
        client: Client,
        chunk: Vec<(usize, String)>,
        counters: Arc<Counters>,
    ) -> BoxFuture<'static, Vec<Self::Item>>;
}

/// The engine behind [`BatchStream`]: reads the input as requests free up, yields refused items at
/// once and the rest as their chunks settle.
struct Engine<K: BatchKind> {
    kind: Arc<K>,
    client: Client,
    input: Option<BoxStream<'static, String>>,
    next_index: usize,
    distinct: usize,
    seen: Seen,
    chunk: Chunk<(usize, String)>,
    in_flight: FuturesUnordered<BoxFuture<'static, (u64, Vec<K::Item>)>>,
    launched: u64,
    concurrency: usize,
    ready: VecDeque<K::Item>,
    counters: Arc<Counters>,
    progress: Option<ProgressFn>,
    succeeded: usize,
    failed: usize,
}

impl<K: BatchKind> Engine<K> {
    fn launch(&mut self) {
        let chunk = self.chunk.take();
        let number = self.launched;
        self.launched += 1;
        self.counters.in_flight_items.fetch_add(chunk.len(), Ordering::SeqCst);
        self.counters.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(number, chunk.clone());
        let settle = self.kind.clone().settle(self.client.clone(), chunk, self.counters.clone());
        self.in_flight.push(Box::pin(async move { (number, settle.await) }));
    }

    fn settled(&mut self, items: impl IntoIterator<Item = K::Item>) {
        let before = self.ready.len();
        for item in items {
            if K::succeeded(&item) {
                self.succeeded += 1;
            } else {
                self.failed += 1;
            }
            self.ready.push_back(item);
        }
        if self.ready.len() > before {
            self.report_progress();
        }
    }

    fn report_progress(&self) {
        if let Some(p) = &self.progress {
            let progress = Progress {
                done: self.succeeded + self.failed,
                total: self.distinct,
                succeeded: self.succeeded,
                failed: self.failed,
            };
            // A user's callback must not sink the batch or lose its report.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| p(progress)));
        }
    }

    /// Reads input until a chunk is in flight for every free place (or the input waits or ends).
    fn fill(&mut self, cx: &mut Context<'_>) {
        if self.counters.stopped.load(Ordering::SeqCst) {
            self.input = None;
            self.chunk.take();
            return;
        }
        while self.in_flight.len() < self.concurrency && self.ready.len() < K::CHUNK {
            let Some(input) = self.input.as_mut() else {
                if !self.chunk.is_empty() {
                    self.launch();
                }
                return;
            };
            match input.poll_next_unpin(cx) {
                Poll::Ready(Some(s)) => {
                    let index = self.next_index;
                    self.next_index += 1;
                    if !self.seen.insert(&s) {
                        self.counters.duplicates_removed.fetch_add(1, Ordering::SeqCst);
                        continue;
                    }
                    self.distinct += 1;
                    if let Some(f) = refuse_item(K::FIELD, &s, K::URLS) {
                        self.settled([K::refused(index, s, f)]);
                        continue;
                    }
                    let len = crate::encoding::percent_encoded_len(&s);
                    if !self.chunk.fits(len) {
                        self.launch();
                    }
                    self.chunk.push(len, (index, s));
                    if self.chunk.full() {
                        self.launch();
                    }
                }
                Poll::Ready(None) => self.input = None,
                Poll::Pending => return,
            }
        }
    }
}

impl<K: BatchKind> Stream for Engine<K> {
    type Item = K::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<K::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.ready.pop_front() {
                return Poll::Ready(Some(item));
            }
            this.fill(cx);
            if !this.ready.is_empty() {
                continue;
            }
            match this.in_flight.poll_next_unpin(cx) {
                Poll::Ready(Some((number, items))) => {
                    let items: Vec<K::Item> = items;
                    this.counters.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&number);
                    this.counters.in_flight_items.fetch_sub(items.len(), Ordering::SeqCst);
                    this.settled(items);
                }
                Poll::Ready(None) if this.input.is_none() && this.chunk.is_empty() => return Poll::Ready(None),
                // Nothing in flight and the input has nothing yet: its waker is registered.
                Poll::Ready(None) | Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl Client {
    fn batch_stream<K: BatchKind>(
        &self,
        kind: K,
        input: BoxStream<'static, String>,
        concurrency: Option<usize>,
        progress: Option<ProgressFn>,
    ) -> BatchStream<K::Item> {
        let counters = Arc::new(Counters::default());
        let engine = Engine {
            kind: Arc::new(kind),
            client: self.clone(),
            input: Some(input),
            next_index: 0,
            distinct: 0,
            seen: Seen::new(),
            chunk: Chunk::new(K::CHUNK),
            in_flight: FuturesUnordered::new(),
            launched: 0,
            concurrency: concurrency.unwrap_or(8).max(1),
            ready: VecDeque::new(),
            counters: counters.clone(),
            progress,
            succeeded: 0,
            failed: 0,
        };
        BatchStream { inner: Box::pin(engine), counters }
    }

    /// Creates prefetch tasks for the live stream URLs of `urls`, yielding each URL's outcome as its
    /// request settles (see [`BatchStream`]). Repeats are dropped, HLS and malformed URLs are refused
    /// without being sent, the rest go in requests of up to 100 within the pacing, and lost answers are
    /// reconciled (see [`PreloadReport`] for what a report claims). Errors only when the shared parameters
    /// (domain, area, times) are invalid.
    pub fn stream_preload_live_streams<St>(
        &self,
        domain: &str,
        urls: St,
        options: PreloadOptions,
    ) -> Result<BatchStream<PreloadItem>, Error>
    where
        St: Stream<Item = String> + Send + 'static,
    {
        options.validate(domain)?;
        let kind = LiveBatch { template: options.request(domain, Vec::new()), began: OffsetDateTime::now_utc() };
        Ok(self.batch_stream(kind, urls.boxed(), options.concurrency, options.progress))
    }

    /// Creates prefetch tasks for any number of live stream URLs and collects the outcomes: the report
    /// names every distinct URL once, in input order, with its task id or why it has none. See
    /// [`Client::stream_preload_live_streams`].
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
        let urls: Vec<String> = urls.into_iter().map(Into::into).collect();
        let mut stream = self.stream_preload_live_streams(domain, futures::stream::iter(urls), options)?;
        let mut items: Vec<PreloadItem> = (&mut stream).collect().await;
        items.sort_unstable_by_key(|i| i.index);
        Ok(PreloadReport {
            items,
            duplicates_removed: stream.duplicates_removed(),
            requests: stream.requests(),
            lookups: stream.lookups(),
        })
    }

    /// Purges the play URLs of the media of `media_ids`, in requests of up to 20, yielding each id's
    /// outcome as its request settles (see [`BatchStream`]).
    pub fn stream_refresh_media<St>(
        &self,
        media_ids: St,
        options: MediaOptions,
    ) -> Result<BatchStream<MediaItem>, Error>
    where
        St: Stream<Item = String> + Send + 'static,
    {
        self.media_stream(TaskType::Refresh, media_ids.boxed(), options)
    }

    /// Prefetches the play URLs of the media of `media_ids`, in requests of up to 20, yielding each
    /// id's outcome as its request settles (see [`BatchStream`]).
    pub fn stream_preload_media<St>(
        &self,
        media_ids: St,
        options: MediaOptions,
    ) -> Result<BatchStream<MediaItem>, Error>
    where
        St: Stream<Item = String> + Send + 'static,
    {
        self.media_stream(TaskType::Preload, media_ids.boxed(), options)
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

    fn media_stream(
        &self,
        task_type: TaskType,
        media_ids: BoxStream<'static, String>,
        options: MediaOptions,
    ) -> Result<BatchStream<MediaItem>, Error> {
        options.validate(task_type)?;
        let kind = MediaBatch { template: options.request(task_type, Vec::new()) };
        Ok(self.batch_stream(kind, media_ids, options.concurrency, options.progress))
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
        let ids: Vec<String> = media_ids.into_iter().map(Into::into).collect();
        let mut stream = self.media_stream(task_type, futures::stream::iter(ids).boxed(), options)?;
        let mut items: Vec<MediaItem> = (&mut stream).collect().await;
        items.sort_unstable_by_key(|i| i.index);
        let job_ids = stream.job_ids();
        Ok(MediaReport {
            items,
            duplicates_removed: stream.duplicates_removed(),
            requests: stream.requests(),
            repeated_requests: stream.repeated_requests(),
            job_ids,
        })
    }
}

/// What an answer of SetLiveStreamPreloadTasks says of one URL sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answered {
    /// A task was created: its id.
    Created(String),
    /// No task was created: the service's description.
    Refused(String),
    /// The answer does not name this URL (or names a task already given to another URL).
    Unmentioned,
}

/// Matches an answer's messages to the URLs sent (distinct), by URL only: each message serves one URL,
/// and no task id is given to two URLs. Also says whether the answer names a created task for a URL
/// that was not sent (the service rewrote a URL), in which case an unmentioned URL cannot be proven
/// absent by looking it up.
pub(crate) fn match_answer(sent: &[&str], messages: &[PreloadTasksMessage]) -> (Vec<Answered>, bool) {
    let mut by_url: HashMap<&str, VecDeque<&PreloadTasksMessage>> = HashMap::new();
    for m in messages {
        by_url.entry(m.play_url.as_str()).or_default().push_back(m);
    }
    let sent_set: HashSet<&str> = sent.iter().copied().collect();
    let foreign_task = messages.iter().any(|m| m.succeeded() && !sent_set.contains(m.play_url.as_str()));
    let mut given: HashSet<&str> = HashSet::new();
    let answers = sent
        .iter()
        .map(|url| match by_url.get_mut(url).and_then(VecDeque::pop_front) {
            Some(m) if m.succeeded() => {
                if given.insert(m.task_id.as_str()) {
                    Answered::Created(m.task_id.clone())
                } else {
                    Answered::Unmentioned
                }
            }
            Some(m) => Answered::Refused(m.description.clone()),
            None => Answered::Unmentioned,
        })
        .collect();
    (answers, foreign_task)
}

/// A batch of live stream URLs: SetLiveStreamPreloadTasks, reconciled with lookups.
struct LiveBatch {
    template: SetLiveStreamPreloadTasksRequest,
    /// When the batch began, on our clock; turned into the service's at each lookup, with what its
    /// answers have told of its clock by then.
    began: OffsetDateTime,
}

impl BatchKind for LiveBatch {
    type Item = PreloadItem;
    const FIELD: &'static str = "PlayUrl";
    const CHUNK: usize = LIVE_CHUNK;
    const URLS: bool = true;

    fn refused(index: usize, url: String, failure: ItemFailure) -> PreloadItem {
        PreloadItem { index, url, task_id: None, failure: Some(failure), found_by_lookup: false }
    }

    fn succeeded(item: &PreloadItem) -> bool {
        item.succeeded()
    }

    fn settle(
        self: Arc<Self>,
        client: Client,
        chunk: Vec<(usize, String)>,
        counters: Arc<Counters>,
    ) -> BoxFuture<'static, Vec<PreloadItem>> {
        Box::pin(async move { self.settle_chunk(&client, chunk, &counters).await })
    }
}

impl LiveBatch {
    async fn settle_chunk(
        &self,
        client: &Client,
        chunk: Vec<(usize, String)>,
        counters: &Counters,
    ) -> Vec<PreloadItem> {
        let done_item = |(index, url): (usize, String), task_id: Option<String>, failure: Option<ItemFailure>| {
            PreloadItem { index, url, task_id, failure, found_by_lookup: false }
        };
        let rounds = client.retry_config().max_attempts.max(1);
        // One retry budget for the chunk: its requests, lookups and the waits between them.
        let budget = Budget::start(client);
        let mut done = Vec::with_capacity(chunk.len());
        let mut pending = chunk;
        let mut round = 0;
        while !pending.is_empty() {
            round += 1;
            counters.requests.fetch_add(1, Ordering::SeqCst);
            let request = SetLiveStreamPreloadTasksRequest {
                play_urls: pending.iter().map(|(_, u)| u.clone()).collect(),
                ..self.template.clone()
            };
            // What is left to establish: the URLs, why, and whether a lookup that misses proves absence.
            let mut trace = budget.trace();
            let (unknown, cause, provable) = match client.execute_traced(&request, &mut trace).await {
                Ok(resp) => {
                    let sent: Vec<&str> = pending.iter().map(|(_, u)| u.as_str()).collect();
                    let (answers, foreign_task) = match_answer(&sent, &resp.preload_tasks_messages);
                    let mut unknown = Vec::new();
                    for (item, answer) in std::mem::take(&mut pending).into_iter().zip(answers) {
                        match answer {
                            Answered::Created(id) => done.push(done_item(item, Some(id), None)),
                            Answered::Refused(description) => {
                                let failure = ItemFailure {
                                    kind: ErrorKind::Api,
                                    code: "TaskNotCreated".to_owned(),
                                    message: description,
                                    outcome_unknown: false,
                                };
                                done.push(done_item(item, None, Some(failure)));
                            }
                            Answered::Unmentioned => unknown.push(item),
                        }
                    }
                    let cause = ItemFailure {
                        kind: ErrorKind::Decode,
                        code: "MissingFromResponse".to_owned(),
                        message: format!(
                            "the answer (RequestId {}) does not name a task for this URL",
                            resp.request_id
                        ),
                        outcome_unknown: false,
                    };
                    (unknown, cause, !foreign_task)
                }
                Err(e) if !e.may_have_taken_effect() => {
                    // A refusal or a failure before sending: the service holds nothing for these URLs.
                    let failure = ItemFailure::from_error(&e);
                    done.extend(pending.drain(..).map(|item| done_item(item, None, Some(failure.clone()))));
                    break;
                }
                Err(e) => (std::mem::take(&mut pending), ItemFailure::from_error(&e), true),
            };
            if unknown.is_empty() {
                break;
            }
            counters.lookups.fetch_add(1, Ordering::SeqCst);
            let found = match self.lookup(client, &unknown, &budget).await {
                Ok(found) => found,
                Err(e) => {
                    let why = format!("a lookup to establish whether the service holds a task failed: {e}");
                    let failure = cause.unknown(&why);
                    done.extend(unknown.into_iter().map(|item| done_item(item, None, Some(failure.clone()))));
                    break;
                }
            };
            let mut absent = Vec::new();
            for item in unknown {
                match found.get(item.1.as_str()) {
                    Some(id) => done.push(PreloadItem {
                        index: item.0,
                        url: item.1,
                        task_id: Some(id.clone()),
                        failure: None,
                        found_by_lookup: true,
                    }),
                    None => absent.push(item),
                }
            }
            if absent.is_empty() {
                break;
            }
            if !provable {
                let failure = cause.unknown(
                    "the answer named tasks for URLs that were not sent (the service may have rewritten this one), \
                     so a lookup that finds nothing does not prove it has no task",
                );
                done.extend(absent.into_iter().map(|item| done_item(item, None, Some(failure.clone()))));
                break;
            }
            let wait = client.retry_config().delay(round, None);
            if round >= rounds || !budget.allows(wait) {
                let mut failure = cause;
                failure.message =
                    format!("{}; a lookup found no task for it, so the service holds none", failure.message);
                done.extend(absent.into_iter().map(|item| done_item(item, None, Some(failure.clone()))));
                break;
            }
            // Proven absent: sending again cannot make a second task.
            tokio::time::sleep(wait).await;
            pending = absent;
        }
        done
    }

    /// The tasks created since the batch began for these URLs, by URL (the earliest of each). Tried
    /// [`LOOKUP_TRIES`] times; an error means the lookup could not be completed.
    async fn lookup(
        &self,
        client: &Client,
        items: &[(usize, String)],
        budget: &Budget,
    ) -> Result<HashMap<String, String>, Error> {
        let widest = client.service_time(self.began).saturating_sub(LOOKUP_SKEW_MARGIN + LOOKUP_QUERY_SLACK);
        let query = DescribeLiveStreamPreloadTasksRequest {
            play_urls: items.iter().map(|(_, u)| u.clone()).collect(),
            start_time: Some(widest.replace_nanosecond(0).unwrap_or(widest)),
            ..DescribeLiveStreamPreloadTasksRequest::new(&self.template.domain_name)
        };
        let mut tries = 0;
        loop {
            tries += 1;
            match client.all_preload_tasks(query.clone()).await {
                Ok(tasks) => {
                    // The service's clock as its answers (this lookup's included) have told it.
                    let since = client.service_time(self.began).saturating_sub(LOOKUP_SKEW_MARGIN);
                    let since = since.replace_nanosecond(0).unwrap_or(since);
                    let mut found: HashMap<String, (Option<OffsetDateTime>, String)> = HashMap::new();
                    for t in tasks {
                        if t.task_id.is_empty() || t.create_time.is_some_and(|c| c < since) {
                            continue;
                        }
                        let entry = found.entry(t.play_url).or_insert((t.create_time, t.task_id.clone()));
                        if t.create_time < entry.0 {
                            *entry = (t.create_time, t.task_id);
                        }
                    }
                    return Ok(found.into_iter().map(|(url, (_, id))| (url, id)).collect());
                }
                Err(e) if tries >= LOOKUP_TRIES || e.kind() == ErrorKind::InvalidInput => return Err(e),
                Err(e) => {
                    let wait = client.retry_config().delay(tries, e.retry_after()).max(Duration::from_millis(50));
                    if !budget.allows(wait) {
                        return Err(e);
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

/// The retry budget of one chunk ([`crate::RetryConfig::max_elapsed`]), as a single call has one.
struct Budget {
    from: tokio::time::Instant,
    max: Duration,
}

impl Budget {
    fn start(client: &Client) -> Self {
        Budget { from: tokio::time::Instant::now(), max: client.retry_config().max_elapsed() }
    }
    /// Whether waiting `wait` more keeps within the budget.
    fn allows(&self, wait: Duration) -> bool {
        self.from.elapsed() + wait <= self.max
    }
    /// A trace whose call spends this budget.
    fn trace(&self) -> Trace {
        Trace { budget_from: Some(self.from), ..Trace::default() }
    }
}

/// A batch of media ids: RefreshMediaPlayUrls, repeated when an answer is lost.
struct MediaBatch {
    template: RefreshMediaPlayUrlsRequest,
}

impl BatchKind for MediaBatch {
    type Item = MediaItem;
    const FIELD: &'static str = "MediaIds";
    const CHUNK: usize = MEDIA_CHUNK;
    const URLS: bool = false;

    fn refused(index: usize, media_id: String, failure: ItemFailure) -> MediaItem {
        MediaItem { index, media_id, outcome: MediaOutcome::Failed(failure) }
    }

    fn succeeded(item: &MediaItem) -> bool {
        item.succeeded()
    }

    fn settle(
        self: Arc<Self>,
        client: Client,
        chunk: Vec<(usize, String)>,
        counters: Arc<Counters>,
    ) -> BoxFuture<'static, Vec<MediaItem>> {
        Box::pin(async move { self.settle_chunk(&client, chunk, &counters).await })
    }
}

impl MediaBatch {
    async fn settle_chunk(&self, client: &Client, chunk: Vec<(usize, String)>, counters: &Counters) -> Vec<MediaItem> {
        let request = RefreshMediaPlayUrlsRequest {
            media_ids: chunk.iter().map(|(_, id)| id.clone()).collect(),
            ..self.template.clone()
        };
        let rounds = client.retry_config().max_attempts.max(1);
        // One retry budget for the chunk, as a single call has: every attempt and wait counts against it.
        let budget = Budget::start(client);
        // Answers lost so far in this chunk: each one followed by another attempt is a repeat.
        let mut lost = 0u32;
        let mut round = 0;
        let result = loop {
            round += 1;
            let mut trace = budget.trace();
            // An answer without its job id is refused by `check_answer` as a Decode error: a lost answer.
            let result = client.execute_traced(&request, &mut trace).await;
            counters.requests.fetch_add(trace.attempts.max(1) as usize, Ordering::SeqCst);
            lost += trace.lost_answers;
            match result {
                Ok(resp) => break Ok(resp),
                Err(e) if round < rounds && (e.may_have_taken_effect() || e.is_retryable()) => {
                    let wait = client.retry_config().delay(round, e.retry_after());
                    if !budget.allows(wait) {
                        break Err(e);
                    }
                    if e.kind() == ErrorKind::Decode {
                        lost += 1;
                    }
                    tokio::time::sleep(wait).await;
                }
                Err(e) => break Err(e),
            }
        };
        let last_lost = result.as_ref().is_err_and(Error::may_have_taken_effect);
        let last_lost_counted = last_lost && result.as_ref().is_err_and(|e| e.kind() != ErrorKind::Decode);
        counters
            .repeated_requests
            .fetch_add(lost.saturating_sub(u32::from(last_lost_counted)) as usize, Ordering::SeqCst);
        match result {
            Ok(resp) => {
                counters
                    .job_ids
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(resp.media_refresh_job_id.clone());
                let missing: HashSet<String> = resp.non_exist_media_ids().into_iter().collect();
                let forbidden: HashSet<String> = resp.forbidden_media_ids().into_iter().collect();
                chunk
                    .into_iter()
                    .map(|(index, media_id)| {
                        let outcome = if forbidden.contains(&media_id) {
                            MediaOutcome::Forbidden
                        } else if missing.contains(&media_id) {
                            MediaOutcome::NotFound
                        } else {
                            MediaOutcome::Submitted { job_id: resp.media_refresh_job_id.clone() }
                        };
                        MediaItem { index, media_id, outcome }
                    })
                    .collect()
            }
            Err(e) => {
                let mut failure = ItemFailure::from_error(&e);
                if lost > 0 || last_lost {
                    failure = failure.unknown("an answer was lost, so the service may hold a job for it");
                }
                chunk
                    .into_iter()
                    .map(|(index, media_id)| MediaItem {
                        index,
                        media_id,
                        outcome: MediaOutcome::Failed(failure.clone()),
                    })
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(url: &str, task: &str) -> PreloadTasksMessage {
        PreloadTasksMessage {
            play_url: url.to_owned(),
            task_id: task.to_owned(),
            description: if task.is_empty() { "InvalidUrl".to_owned() } else { "Successfully".to_owned() },
            extra: Default::default(),
        }
    }

    #[test]
    fn repeats_are_seen() {
        let mut seen = Seen::new();
        assert!(seen.insert("b") && seen.insert("a"));
        assert!(!seen.insert("b"));
        assert!(seen.insert("c") && !seen.insert("a"));
    }

    #[test]
    fn items_refused_without_sending() {
        assert_eq!(refuse_item("PlayUrl", "rtmp://h/a/s.m3u8?x=1", true).unwrap().code, "hls");
        assert_eq!(refuse_item("PlayUrl", "a,b", true).unwrap().code, "comma");
        assert_eq!(refuse_item("PlayUrl", " ", true).unwrap().code, "empty_item");
        assert!(refuse_item("PlayUrl", "rtmp://h/a/s", true).is_none());
        assert!(refuse_item("MediaIds", "x.m3u8", false).is_none());
    }

    proptest::proptest! {
        /// Whatever the answer (messages shuffled, repeated, dropped, rewritten, sharing task ids), no
        /// task id goes to two URLs, a URL only gets a task a message names for exactly that URL, and
        /// every URL sent gets exactly one verdict.
        #[test]
        fn matching_never_gives_one_task_to_two_urls(
            sent in proptest::collection::hash_set("[a-e]{1,3}", 1..12),
            messages in proptest::collection::vec(("[a-e]{1,3}", "t[0-4]?", proptest::bool::ANY), 0..20),
        ) {
            let sent: Vec<String> = sent.into_iter().collect();
            let refs: Vec<&str> = sent.iter().map(String::as_str).collect();
            let messages: Vec<PreloadTasksMessage> = messages
                .iter()
                .map(|(url, task, ok)| {
                    let task = if *ok { task.as_str() } else { "" };
                    message(url, task)
                })
                .collect();
            let (answers, _) = match_answer(&refs, &messages);
            proptest::prop_assert_eq!(answers.len(), sent.len());
            let mut given = HashSet::new();
            for (url, answer) in refs.iter().zip(&answers) {
                if let Answered::Created(id) = answer {
                    proptest::prop_assert!(given.insert(id.clone()), "task {} given twice", id);
                    proptest::prop_assert!(
                        messages.iter().any(|m| m.play_url == *url && m.task_id == *id && m.succeeded()),
                        "{} got {} which no message names for it", url, id
                    );
                }
            }
        }
    }

    #[test]
    fn answers_match_by_url_only() {
        // The old positional fallback gave `b` the task of a rewritten URL; now it is unmentioned.
        let (answers, foreign) = match_answer(&["a", "b"], &[message("a", "t1"), message("B", "t2")]);
        assert_eq!(answers, [Answered::Created("t1".into()), Answered::Unmentioned]);
        assert!(foreign);
        let (answers, foreign) = match_answer(&["a", "b", "c"], &[message("c", ""), message("a", "t1")]);
        assert_eq!(
            answers,
            [Answered::Created("t1".into()), Answered::Unmentioned, Answered::Refused("InvalidUrl".into())]
        );
        assert!(!foreign);
        // One task id is never given to two URLs.
        let (answers, _) = match_answer(&["a", "b"], &[message("a", "t1"), message("b", "t1")]);
        assert_eq!(answers, [Answered::Created("t1".into()), Answered::Unmentioned]);
    }
}
