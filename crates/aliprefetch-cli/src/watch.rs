//! Waiting for prefetch tasks with a bar of their `Process`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aliprefetch::{Client, Error, PreloadTask, WaitOptions};

use crate::args::WaitArgs;

/// Where the tasks stood when the wait ended.
pub struct Watched {
    /// The latest state of each task, in the order of the ids (tasks never seen are missing).
    pub tasks: Vec<PreloadTask>,
    /// The wait ran out of time before every task was complete or failed.
    pub timed_out: bool,
    /// Ctrl-C ended the wait: `tasks` are the states of the last poll.
    pub interrupted: bool,
}

/// Polls until every task is complete or failed, `args.timeout` passes, or Ctrl-C (which stops it at
/// once, with the states of the last poll). The bar shows the summed `Process` of the tasks (ended tasks
/// count as 100 %).
pub async fn watch(client: &Client, domain: &str, ids: &[String], args: &WaitArgs) -> Result<Watched, Error> {
    let bar = crate::progress::process(ids.len());
    let latest: Arc<Mutex<Vec<PreloadTask>>> = Arc::default();
    let on_poll = {
        let latest = latest.clone();
        let bar = bar.clone();
        Arc::new(move |tasks: &[PreloadTask]| {
            let ended = |t: &PreloadTask| t.preload_status().is_some_and(|s| s.is_final());
            let percent: f64 = tasks
                .iter()
                .map(|t| if ended(t) { 100.0 } else { t.progress_percent().unwrap_or(0.0).clamp(0.0, 100.0) })
                .sum();
            bar.set_position(percent.round() as u64);
            let complete = tasks.iter().filter(|t| t.status == "complete").count();
            let failed = tasks.iter().filter(|t| t.status == "failed").count();
            bar.set_message(format!("{complete} complete, {failed} failed, {} open", tasks.len() - complete - failed));
            *latest.lock().expect("progress lock") = tasks.to_vec();
        })
    };
    // The deadline is kept here, so a timeout leaves the latest states to report; the core's own
    // deadline is only a backstop.
    let mut options = WaitOptions::with(Some(args.timeout + Duration::from_secs(60)), Some(args.poll_interval), None);
    options.on_poll = Some(on_poll);
    // Installed before the first poll: a background job starts with SIGINT ignored, and this replaces it.
    let ctrl_c = tokio::signal::ctrl_c();
    let wait = tokio::time::timeout(args.timeout, client.wait_for_preload(domain, ids, options));
    let result = tokio::select! {
        biased;
        _ = ctrl_c => None,
        done = wait => Some(done),
    };
    bar.finish_and_clear();
    let latest = || std::mem::take(&mut *latest.lock().expect("progress lock"));
    match result {
        Some(Ok(Ok(tasks))) => Ok(Watched { tasks, timed_out: false, interrupted: false }),
        Some(Ok(Err(e))) => Err(e),
        Some(Err(_elapsed)) => Ok(Watched { tasks: latest(), timed_out: true, interrupted: false }),
        None => Ok(Watched { tasks: latest(), timed_out: false, interrupted: true }),
    }
}
