//! Live batches: SetLiveStreamPreloadTasks, with lost answers reconciled by lookups.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use time::OffsetDateTime;

use super::engine::{BatchKind, Budget, Counters};
use super::report::{ItemFailure, PreloadItem};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::ops::describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksRequest;
use crate::ops::set_live_stream_preload_tasks::{PreloadTasksMessage, SetLiveStreamPreloadTasksRequest, MAX_URLS};

/// Tasks created this long before a batch began still count as its own when its answers are
/// reconciled: room for the service's clock, known to the second from its `Date` headers.
pub(super) const LOOKUP_SKEW_MARGIN: time::Duration = time::Duration::seconds(5);
/// A lookup asks for tasks from this much earlier still, in case the service's clock was not known
/// when it was sent; its own answers tell the clock, and the exact cut is made on `CreateTime`.
pub(super) const LOOKUP_QUERY_SLACK: time::Duration = time::Duration::seconds(60);
/// How many times a lookup is tried (each try retried like any call) before its URLs are unknown.
pub(super) const LOOKUP_TRIES: u32 = 4;
/// Items per SetLiveStreamPreloadTasks request of a batch.
pub(crate) const LIVE_CHUNK: usize = MAX_URLS;

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
pub(super) struct LiveBatch {
    pub(super) template: SetLiveStreamPreloadTasksRequest,
    /// When the batch began, on our clock; turned into the service's at each lookup, with what its
    /// answers have told of its clock by then.
    pub(super) began: OffsetDateTime,
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
    pub(super) async fn settle_chunk(
        &self,
        client: &Client,
        chunk: Vec<(usize, String)>,
        counters: &Counters,
    ) -> Vec<PreloadItem> {
        let done_item = |(index, url): (usize, String), task_id: Option<String>, failure: Option<ItemFailure>| {
            PreloadItem { index, url, task_id, failure, found_by_lookup: false }
        };
        let rounds = client.retry_config().max_attempts();
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
    pub(super) async fn lookup(
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
