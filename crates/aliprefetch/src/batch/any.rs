//! A running batch of either kind as one value, for the bindings, which hand both kinds to one iterator
//! type of their language.

use futures::StreamExt as _;

use super::engine::BatchStream;
use super::report::{MediaItem, PreloadItem};

/// A running batch of either kind: a live prefetch ([`Client::stream_preload_live_streams`]) or a media
/// purge or prefetch ([`Client::media_stream`]).
///
/// [`Client::stream_preload_live_streams`]: crate::Client::stream_preload_live_streams
/// [`Client::media_stream`]: crate::Client::media_stream
pub enum AnyBatch {
    Live(BatchStream<PreloadItem>),
    Media(BatchStream<MediaItem>),
}

/// One settled item of either kind.
#[derive(Debug, Clone)]
pub enum AnyItem {
    Live(PreloadItem),
    Media(MediaItem),
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
    /// The next item to settle, `None` at the end.
    pub async fn next(&mut self) -> Option<AnyItem> {
        match self {
            AnyBatch::Live(s) => s.next().await.map(AnyItem::Live),
            AnyBatch::Media(s) => s.next().await.map(AnyItem::Media),
        }
    }

    /// The next settled items, up to `max` (see [`BatchStream::next_ready`]).
    pub async fn next_ready(&mut self, max: usize) -> Option<Vec<AnyItem>> {
        match self {
            AnyBatch::Live(s) => s.next_ready(max).await.map(|i| i.into_iter().map(AnyItem::Live).collect()),
            AnyBatch::Media(s) => s.next_ready(max).await.map(|i| i.into_iter().map(AnyItem::Media).collect()),
        }
    }

    /// Sends nothing more (see [`BatchStream::stop`]).
    pub fn stop(&self) {
        match self {
            AnyBatch::Live(s) => s.stop(),
            AnyBatch::Media(s) => s.stop(),
        }
    }

    /// The URLs (or media ids) whose requests were sent and have not settled.
    pub fn unsettled(&self) -> Vec<String> {
        let items = match self {
            AnyBatch::Live(s) => s.unsettled(),
            AnyBatch::Media(s) => s.unsettled(),
        };
        items.into_iter().map(|(_, v)| v).collect()
    }

    /// Input items dropped so far as repeats.
    pub fn duplicates_removed(&self) -> usize {
        match self {
            AnyBatch::Live(s) => s.duplicates_removed(),
            AnyBatch::Media(s) => s.duplicates_removed(),
        }
    }

    /// Create requests sent so far.
    pub fn requests(&self) -> usize {
        match self {
            AnyBatch::Live(s) => s.requests(),
            AnyBatch::Media(s) => s.requests(),
        }
    }
}
