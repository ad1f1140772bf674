//! The engine behind every batch: reads the input as requests free up, drops repeats, refuses what
//! cannot be sent, chunks the rest, and yields items as their chunks settle.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::stream::{BoxStream, FuturesUnordered, Stream, StreamExt as _};

use super::report::{ItemFailure, Progress, ProgressFn};
use crate::client::{Client, Trace};
use crate::error::ErrorKind;
use crate::ops::is_hls_url;

/// Counters of a running batch, shared by its stream and its requests.
#[derive(Debug, Default)]
pub(super) struct Counters {
    pub(super) duplicates_removed: AtomicUsize,
    pub(super) requests: AtomicUsize,
    pub(super) lookups: AtomicUsize,
    pub(super) repeated_requests: AtomicUsize,
    /// Items in requests that were started and have not settled.
    pub(super) in_flight_items: AtomicUsize,
    /// The items of those requests, by request number.
    pub(super) in_flight: std::sync::Mutex<std::collections::BTreeMap<u64, Vec<(usize, String)>>>,
    /// Set by [`BatchStream::stop`]: read and send nothing more.
    pub(super) stopped: std::sync::atomic::AtomicBool,
    /// The job ids of the RefreshMediaPlayUrls answers received.
    pub(super) job_ids: std::sync::Mutex<Vec<String>>,
}

/// The items of a batch as their requests settle (in no particular order; each carries its input
/// `index`), from [`Client::stream_preload_live_streams`](crate::Client::stream_preload_live_streams), [`Client::stream_refresh_media`](crate::Client::stream_refresh_media) and
/// [`Client::stream_preload_media`](crate::Client::stream_preload_media).
///
/// Items are read from the input only as requests free up, so memory stays bounded by what is in
/// flight, whatever the input's length. Dropping the stream stops the batch: requests still in flight
/// are abandoned, so their items ([`BatchStream::in_flight_items`] of them) have an unknown outcome,
/// and nothing more is sent.
pub struct BatchStream<I> {
    pub(super) inner: Pin<Box<dyn Stream<Item = I> + Send>>,
    pub(super) counters: Arc<Counters>,
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
    /// The next settled item and every other one ready now, up to `max` (at least one), or `None` at the
    /// end: what a binding hands its language per wake-up, so a thousand settled items cost one crossing.
    pub async fn next_ready(&mut self, max: usize) -> Option<Vec<I>> {
        use futures::{FutureExt as _, StreamExt as _};
        let first = self.next().await?;
        let mut items = vec![first];
        while items.len() < max.max(1) {
            match self.next().now_or_never() {
                Some(Some(item)) => items.push(item),
                _ => break,
            }
        }
        Some(items)
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
    pub(super) hashers: (std::collections::hash_map::RandomState, std::collections::hash_map::RandomState),
    pub(super) seen: HashSet<u128>,
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
    pub(super) items: Vec<T>,
    pub(super) bytes: usize,
    pub(super) count: usize,
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
pub(super) trait BatchKind: Send + Sync + 'static {
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

/// The engine behind [`BatchStream`](crate::BatchStream): reads the input as requests free up, yields refused items at
/// once and the rest as their chunks settle.
pub(super) struct Engine<K: BatchKind> {
    pub(super) kind: Arc<K>,
    pub(super) client: Client,
    pub(super) input: Option<BoxStream<'static, String>>,
    pub(super) next_index: usize,
    pub(super) distinct: usize,
    pub(super) seen: Seen,
    pub(super) chunk: Chunk<(usize, String)>,
    pub(super) in_flight: FuturesUnordered<BoxFuture<'static, (u64, Vec<K::Item>)>>,
    pub(super) launched: u64,
    pub(super) concurrency: usize,
    pub(super) ready: VecDeque<K::Item>,
    pub(super) counters: Arc<Counters>,
    pub(super) progress: Option<ProgressFn>,
    pub(super) succeeded: usize,
    pub(super) failed: usize,
}

impl<K: BatchKind> Engine<K> {
    pub(super) fn launch(&mut self) {
        let chunk = self.chunk.take();
        let number = self.launched;
        self.launched += 1;
        self.counters.in_flight_items.fetch_add(chunk.len(), Ordering::SeqCst);
        self.counters.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(number, chunk.clone());
        let settle = self.kind.clone().settle(self.client.clone(), chunk, self.counters.clone());
        self.in_flight.push(Box::pin(async move { (number, settle.await) }));
    }

    pub(super) fn settled(&mut self, items: impl IntoIterator<Item = K::Item>) {
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

    pub(super) fn report_progress(&self) {
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
    pub(super) fn fill(&mut self, cx: &mut Context<'_>) {
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

/// The retry budget of one chunk ([`crate::RetryConfig::max_elapsed`]), as a single call has one.
pub(super) struct Budget {
    pub(super) from: tokio::time::Instant,
    pub(super) max: Duration,
}

impl Budget {
    pub(super) fn start(client: &Client) -> Self {
        Budget { from: tokio::time::Instant::now(), max: client.retry_config().max_elapsed() }
    }
    /// Whether waiting `wait` more keeps within the budget.
    pub(super) fn allows(&self, wait: Duration) -> bool {
        self.from.elapsed() + wait <= self.max
    }
    /// A trace whose call spends this budget.
    pub(super) fn trace(&self) -> Trace {
        Trace { budget_from: Some(self.from), ..Trace::default() }
    }
}
