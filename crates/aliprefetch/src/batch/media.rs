//! Media batches: RefreshMediaPlayUrls, repeated when an answer is lost.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use futures::future::BoxFuture;

use super::engine::{BatchKind, Budget, Counters};
use super::report::{ItemFailure, MediaItem, MediaOutcome};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::ops::refresh_media_play_urls::{RefreshMediaPlayUrlsRequest, MAX_MEDIA_IDS};

/// Items per RefreshMediaPlayUrls request of a batch.
pub(crate) const MEDIA_CHUNK: usize = MAX_MEDIA_IDS;

/// A batch of media ids: RefreshMediaPlayUrls, repeated when an answer is lost.
pub(super) struct MediaBatch {
    pub(super) template: RefreshMediaPlayUrlsRequest,
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
    pub(super) async fn settle_chunk(
        &self,
        client: &Client,
        chunk: Vec<(usize, String)>,
        counters: &Counters,
    ) -> Vec<MediaItem> {
        let request = RefreshMediaPlayUrlsRequest {
            media_ids: chunk.iter().map(|(_, id)| id.clone()).collect(),
            ..self.template.clone()
        };
        let rounds = client.retry_config().max_attempts();
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
