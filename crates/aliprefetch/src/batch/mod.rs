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

mod any;
mod engine;
mod job;
mod live;
mod media;
mod options;
mod report;

use std::collections::VecDeque;
use std::sync::Arc;

use futures::stream::{BoxStream, FuturesUnordered, Stream, StreamExt as _};
use time::OffsetDateTime;

use crate::client::Client;
use crate::error::Error;
use crate::types::TaskType;

pub use any::{AnyBatch, AnyItem};
pub use engine::BatchStream;
pub(crate) use engine::{refuse_item, Chunk, Seen};
use engine::{BatchKind, Counters, Engine};
pub use job::{batch_method, texts, BatchJob, BatchMethod, BatchReport, BATCH_METHODS};
use live::LiveBatch;
pub(crate) use live::{match_answer, Answered, LIVE_CHUNK};
use media::MediaBatch;
pub(crate) use media::MEDIA_CHUNK;
pub(crate) use options::{find_option, option_duration};
pub use options::{option_key, MediaOptions, OptionDecl, PreloadOptions, MEDIA_OPTIONS, PRELOAD_OPTIONS};
pub use report::{ItemFailure, MediaItem, MediaOutcome, MediaReport, PreloadItem, PreloadReport, Progress, ProgressFn};

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
    /// request settles (see [`BatchStream`](crate::BatchStream)). Repeats are dropped, HLS and malformed URLs are refused
    /// without being sent, the rest go in requests of up to 100 within the pacing, and lost answers are
    /// reconciled (see [`PreloadReport`](crate::PreloadReport) for what a report claims). Errors only when the shared parameters
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
    /// [`Client::stream_preload_live_streams`](crate::Client::stream_preload_live_streams).
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
    /// outcome as its request settles (see [`BatchStream`](crate::BatchStream)).
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
    /// id's outcome as its request settles (see [`BatchStream`](crate::BatchStream)).
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

    /// Purges (`Refresh`) or prefetches (`Preload`) the play URLs of the media of `media_ids`, yielding each
    /// id's outcome as its request settles: [`Client::stream_refresh_media`] or
    /// [`Client::stream_preload_media`] by the task type, for a binding that takes it as a value.
    pub fn media_stream(
        &self,
        task_type: TaskType,
        media_ids: BoxStream<'static, String>,
        options: MediaOptions,
    ) -> Result<BatchStream<MediaItem>, Error> {
        options.validate(task_type)?;
        let kind = MediaBatch { template: options.request(task_type, Vec::new()) };
        Ok(self.batch_stream(kind, media_ids, options.concurrency, options.progress))
    }

    /// [`Client::refresh_media`] or [`Client::preload_media`] by the task type.
    pub async fn media_batch<I, S>(
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::ops::set_live_stream_preload_tasks::PreloadTasksMessage;

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
