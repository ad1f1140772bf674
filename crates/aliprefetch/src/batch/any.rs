//! What arrives item by item, as one value for the bindings, which hand it to one iterator type of their
//! language: a running batch of either kind, or the tasks of a query, page by page.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::stream::BoxStream;
use futures::StreamExt as _;

use super::engine::BatchStream;
use super::report::{MediaItem, PreloadItem};
use crate::client::Client;
use crate::error::Error;
use crate::ops::describe_live_stream_preload_tasks::{DescribeLiveStreamPreloadTasksRequest, PreloadTask};
use crate::ops::Operation as _;

/// A running batch of either kind: a live prefetch ([`Client::stream_preload_live_streams`]) or a media
/// purge or prefetch ([`Client::media_stream`]); or the tasks of a query ([`Client::list_preload_tasks`]).
///
/// [`Client::stream_preload_live_streams`]: crate::Client::stream_preload_live_streams
/// [`Client::media_stream`]: crate::Client::media_stream
pub enum AnyBatch {
    Live(BatchStream<PreloadItem>),
    Media(BatchStream<MediaItem>),
    Tasks(TaskPages),
}

/// The tasks of a DescribeLiveStreamPreloadTasks query, fetched a page at a time as they are read.
pub struct TaskPages {
    pages: Option<BoxStream<'static, Result<Vec<PreloadTask>, Error>>>,
    ready: VecDeque<PreloadTask>,
    /// Set by [`AnyBatch::stop`]: no more pages are fetched.
    stopped: AtomicBool,
}

impl TaskPages {
    /// The tasks of the next page (at least one), `None` after the last.
    async fn next_page(&mut self) -> Result<Option<()>, Error> {
        while self.ready.is_empty() {
            let Some(pages) = self.pages.as_mut().filter(|_| !self.stopped.load(Ordering::Relaxed)) else {
                return Ok(None);
            };
            match pages.next().await {
                None => self.pages = None,
                Some(page) => self.ready.extend(page?),
            }
        }
        Ok(Some(()))
    }
}

impl Client {
    /// Every task of `query` (validated here), across its pages, as an [`AnyBatch`].
    pub fn list_preload_tasks(&self, query: DescribeLiveStreamPreloadTasksRequest) -> Result<AnyBatch, Error> {
        query.validate()?;
        let pages = self.preload_task_pages(query).map(|page| page.map(|p| p.preload_tasks)).boxed();
        Ok(AnyBatch::Tasks(TaskPages { pages: Some(pages), ready: VecDeque::new(), stopped: AtomicBool::new(false) }))
    }

    /// [`Client::list_preload_tasks`] of a query given as DescribeLiveStreamPreloadTasks' parameters by
    /// their API names (as a binding passes them), read and checked as the operation's are.
    pub fn list_preload_tasks_of(
        &self,
        params: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<AnyBatch, Error> {
        self.list_preload_tasks(DescribeLiveStreamPreloadTasksRequest::from_params(params, true)?)
    }
}

/// One settled item of a batch, or one task of a query.
#[derive(Debug, Clone)]
pub enum AnyItem {
    Live(PreloadItem),
    Media(MediaItem),
    Task(PreloadTask),
}

impl From<BatchStream<PreloadItem>> for AnyBatch {
    fn from(s: BatchStream<PreloadItem>) -> Self {
        AnyBatch::Live(s)
    }
}

impl From<BatchStream<MediaItem>> for AnyBatch {
    fn from(s: BatchStream<MediaItem>) -> Self {
        AnyBatch::Media(s)
    }
}

impl AnyBatch {
    /// The next item to settle (or task), `None` at the end; only a query's page can fail.
    pub async fn next(&mut self) -> Result<Option<AnyItem>, Error> {
        Ok(match self {
            AnyBatch::Live(s) => s.next().await.map(AnyItem::Live),
            AnyBatch::Media(s) => s.next().await.map(AnyItem::Media),
            AnyBatch::Tasks(t) => t.next_page().await?.and_then(|()| t.ready.pop_front()).map(AnyItem::Task),
        })
    }

    /// The next settled items, up to `max` (see [`BatchStream::next_ready`]); of a query, the rest of
    /// the page being read, up to `max`.
    pub async fn next_ready(&mut self, max: usize) -> Result<Option<Vec<AnyItem>>, Error> {
        Ok(match self {
            AnyBatch::Live(s) => s.next_ready(max).await.map(|i| i.into_iter().map(AnyItem::Live).collect()),
            AnyBatch::Media(s) => s.next_ready(max).await.map(|i| i.into_iter().map(AnyItem::Media).collect()),
            AnyBatch::Tasks(t) => {
                let ready = t.next_page().await?.map(|()| t.ready.len().min(max));
                ready.map(|n| t.ready.drain(..n).map(AnyItem::Task).collect())
            }
        })
    }

    /// Sends nothing more (see [`BatchStream::stop`]); a query fetches no more pages.
    pub fn stop(&self) {
        match self {
            AnyBatch::Live(s) => s.stop(),
            AnyBatch::Media(s) => s.stop(),
            AnyBatch::Tasks(t) => t.stopped.store(true, Ordering::Relaxed),
        }
    }

    /// The URLs (or media ids) whose requests were sent and have not settled (none for a query).
    pub fn unsettled(&self) -> Vec<String> {
        let items = match self {
            AnyBatch::Live(s) => s.unsettled(),
            AnyBatch::Media(s) => s.unsettled(),
            AnyBatch::Tasks(_) => Vec::new(),
        };
        items.into_iter().map(|(_, v)| v).collect()
    }

    /// Input items dropped so far as repeats.
    pub fn duplicates_removed(&self) -> usize {
        match self {
            AnyBatch::Live(s) => s.duplicates_removed(),
            AnyBatch::Media(s) => s.duplicates_removed(),
            AnyBatch::Tasks(_) => 0,
        }
    }

    /// Create requests sent so far (none for a query).
    pub fn requests(&self) -> usize {
        match self {
            AnyBatch::Live(s) => s.requests(),
            AnyBatch::Media(s) => s.requests(),
            AnyBatch::Tasks(_) => 0,
        }
    }
}
