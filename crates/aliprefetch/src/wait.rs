//! Waiting until prefetch tasks are `complete` or `failed`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;

use crate::batch::{OptionDecl, Progress, ProgressFn};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::ops::describe_live_stream_preload_tasks::{DescribeLiveStreamPreloadTasksRequest, PreloadTask};
use crate::ops::{KeyCase, ParamType};

/// Up to this many pending tasks are polled one by one; more are found by listing the domain's tasks.
const PER_TASK_POLL_LIMIT: usize = 10;

/// Called after each poll with the latest state of every waited-for task seen so far, in the order of
/// the ids (for a display of `Process`).
pub type PollFn = Arc<dyn Fn(&[PreloadTask]) + Send + Sync>;

/// The options of a wait ([`WaitOptions`]) as every language declares them.
pub const WAIT_OPTIONS: &[OptionDecl] = &[
    OptionDecl {
        key: "timeout",
        ty: ParamType::Duration,
        param: None,
        doc: "Give up after this long (default 10 minutes).",
    },
    OptionDecl { key: "poll_interval", ty: ParamType::Duration, param: None, doc: "Between polls (default 5 s)." },
];

/// Options of [`Client::wait_for_preload`].
#[derive(Clone)]
#[non_exhaustive]
pub struct WaitOptions {
    /// Give up after this long (default 10 minutes).
    pub timeout: Duration,
    /// Between polls (default 5 s).
    pub poll_interval: Duration,
    /// Called after each poll: `done` counts tasks in an end state.
    pub progress: Option<ProgressFn>,
    /// Called after each poll with the tasks' latest states.
    pub on_poll: Option<PollFn>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(600),
            poll_interval: Duration::from_secs(5),
            progress: None,
            on_poll: None,
        }
    }
}

impl WaitOptions {
    /// Give up after this long (default 10 minutes).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }
    /// Between polls (default 5 s).
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.poll_interval = d;
        self
    }
    /// Called after each poll.
    pub fn progress(mut self, f: ProgressFn) -> Self {
        self.progress = Some(f);
        self
    }
    /// Called after each poll with the tasks' latest states.
    pub fn on_poll(mut self, f: PollFn) -> Self {
        self.on_poll = Some(f);
        self
    }
    /// The options as a binding receives them: an object keyed as [`WAIT_OPTIONS`] declares, in the
    /// language's `case` (seconds in snake_case, milliseconds in JavaScript: `timeoutMs`); an unknown key
    /// is refused naming it.
    pub fn from_json(input: &serde_json::Map<String, serde_json::Value>, case: KeyCase) -> Result<Self, Error> {
        let (mut timeout, mut poll_interval) = (None, None);
        for (key, value) in input {
            let decl = crate::batch::find_option(WAIT_OPTIONS, key, case)?;
            if value.is_null() {
                continue;
            }
            let d = crate::batch::option_duration(key, value, case)?;
            if decl.key == "timeout" {
                timeout = Some(d);
            } else {
                poll_interval = Some(d);
            }
        }
        Ok(WaitOptions::with(timeout, poll_interval, None))
    }

    /// The defaults with the values given replaced, and progress reported to `progress`: what each
    /// binding's optional arguments map to.
    pub fn with(timeout: Option<Duration>, poll_interval: Option<Duration>, progress: Option<ProgressFn>) -> Self {
        let d = WaitOptions::default();
        WaitOptions {
            timeout: timeout.unwrap_or(d.timeout),
            poll_interval: poll_interval.unwrap_or(d.poll_interval),
            progress,
            on_poll: None,
        }
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("timeout", &self.timeout)
            .field("poll_interval", &self.poll_interval)
            .field("progress", &self.progress.is_some())
            .field("on_poll", &self.on_poll.is_some())
            .finish()
    }
}

fn is_final(t: &PreloadTask) -> bool {
    t.preload_status().is_some_and(|s| s.is_final())
}

impl Client {
    /// Polls until every task is `complete` or `failed` and returns them in the order of `task_ids`.
    /// Fails with kind `Timeout` (naming the tasks still open) when `timeout` passes first.
    pub async fn wait_for_preload<S: AsRef<str>>(
        &self,
        domain: &str,
        task_ids: &[S],
        options: WaitOptions,
    ) -> Result<Vec<PreloadTask>, Error> {
        crate::ops::require("DomainName", domain)?;
        for id in task_ids {
            crate::ops::task_id("TaskId", id.as_ref())?;
        }
        if task_ids.is_empty() {
            return Ok(Vec::new());
        }
        let deadline = tokio::time::Instant::now() + options.timeout;
        let mut latest: HashMap<String, PreloadTask> = HashMap::new();
        loop {
            let pending: Vec<&str> =
                task_ids.iter().map(AsRef::as_ref).filter(|id| !latest.get(*id).is_some_and(is_final)).collect();
            if pending.len() <= PER_TASK_POLL_LIMIT {
                for id in pending {
                    let resp = self
                        .describe_live_stream_preload_tasks(
                            &DescribeLiveStreamPreloadTasksRequest::new(domain).task_id(id),
                        )
                        .await?;
                    if let Some(t) = resp.preload_tasks.into_iter().find(|t| t.task_id == id) {
                        latest.insert(t.task_id.clone(), t);
                    }
                }
            } else {
                let mut tasks = self.preload_tasks(DescribeLiveStreamPreloadTasksRequest::new(domain));
                while let Some(t) = tasks.next().await {
                    let t = t?;
                    latest.insert(t.task_id.clone(), t);
                }
            }
            let done = task_ids.iter().filter(|id| latest.get(id.as_ref()).is_some_and(is_final)).count();
            if let Some(p) = &options.progress {
                let failed = task_ids
                    .iter()
                    .filter(|id| {
                        latest.get(id.as_ref()).and_then(|t| t.preload_status())
                            == Some(crate::types::PreloadStatus::Failed)
                    })
                    .count();
                p(Progress { done, total: task_ids.len(), succeeded: done - failed, failed });
            }
            if let Some(on_poll) = &options.on_poll {
                let seen: Vec<PreloadTask> =
                    task_ids.iter().filter_map(|id| latest.get(id.as_ref()).cloned()).collect();
                on_poll(&seen);
            }
            if done == task_ids.len() {
                return Ok(task_ids.iter().filter_map(|id| latest.get(id.as_ref()).cloned()).collect());
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                let open: Vec<&str> = task_ids
                    .iter()
                    .map(AsRef::as_ref)
                    .filter(|id| !latest.get(*id).is_some_and(is_final))
                    .take(10)
                    .collect();
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "{} of {} tasks were not complete or failed after {:?} (first open: {})",
                        task_ids.len() - done,
                        task_ids.len(),
                        options.timeout,
                        open.join(", ")
                    ),
                ));
            }
            tokio::time::sleep(options.poll_interval.min(deadline - now)).await;
        }
    }
}

#[cfg(test)]
mod option_tests {
    use super::*;

    #[test]
    fn wait_options_are_seconds_in_snake_case_and_milliseconds_in_javascript() {
        let snake = serde_json::json!({"timeout": 2.5, "poll_interval": null});
        let o = WaitOptions::from_json(snake.as_object().unwrap(), KeyCase::Snake).unwrap();
        assert_eq!((o.timeout, o.poll_interval), (Duration::from_millis(2500), WaitOptions::default().poll_interval));
        let camel = serde_json::json!({"timeoutMs": 2500, "pollIntervalMs": 100});
        let o = WaitOptions::from_json(camel.as_object().unwrap(), KeyCase::Camel).unwrap();
        assert_eq!((o.timeout, o.poll_interval), (Duration::from_millis(2500), Duration::from_millis(100)));
        let typo = serde_json::json!({"timeout": 2500});
        let e = WaitOptions::from_json(typo.as_object().unwrap(), KeyCase::Camel).unwrap_err();
        assert_eq!((e.field(), e.rule()), (Some("timeout"), Some("unknown")), "{e}");
        assert!(e.message().contains("timeoutMs"), "{e}");
        let negative = serde_json::json!({"poll_interval": -1});
        let e = WaitOptions::from_json(negative.as_object().unwrap(), KeyCase::Snake).unwrap_err();
        assert_eq!((e.field(), e.rule()), (Some("poll_interval"), Some("range")), "{e}");
    }
}
